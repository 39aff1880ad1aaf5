// Exec wrappers for the cloud secret managers. AWS runs Debian's real `aws` CLI against a local endpoint
// that answers in Secrets Manager's JSON protocol (so its argv and error handling are the real ones);
// Aliyun, Vault, 1Password, Azure and Bitwarden run stand-ins (test/fixtures/cloud-cli/, labelled as such)
// replaying the vendors' documented outputs. Each wrapper is run with no PATH and no HOME, then all of
// them by the real OpenClaw 2026.9.6 exec resolver in one `secrets audit --allow-exec`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  findTools,
  recipeById,
  storeArgv,
  writeWrapper,
  type Recipe,
  type WrittenWrapper,
} from '../../server/src/engine/backends/wrappers';
import { REPO_ROOT } from '../compat/oracle';
import { askWrapper, CANARY, findingFor, oracleAudit, run, type OracleAudit, type OracleRef } from './wrapperKit';

const AWS = '/usr/bin/aws';
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'cloud-cli');
// Fake, obviously: the local endpoint accepts any signature.
const AWS_FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAOCSTESTFAKE00000',
  AWS_SECRET_ACCESS_KEY: 'ocs-test-not-a-real-key',
};
// The oracle's run overlaps the direct ones; its calls are told apart by their access key id.
const AWS_ORACLE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAOCSTESTORACLE000',
  AWS_SECRET_ACCESS_KEY: 'ocs-test-not-a-real-key',
};

interface AwsCall {
  accessKeyId: string;
  target: string;
  body: Record<string, unknown>;
}

let root: string;
let server: Server;
const awsCalls: AwsCall[] = [];
const wrappers = new Map<string, WrittenWrapper>();
// Started in before() and awaited by the last test, so the slow oracle run overlaps the direct runs.
let auditRun: Promise<OracleAudit> | undefined;

function recipe(id: string): Recipe {
  const r = recipeById(id);
  assert.ok(r, `recipe ${id}`);
  return r;
}

const awsSecrets: Record<string, string> = {
  'openclaw/openai': `${CANARY}-aws`,
  'openclaw/bundle': JSON.stringify({ anthropic: `${CANARY}-aws-bundle` }),
};

// Secrets Manager's JSON 1.1 protocol: POST, X-Amz-Target names the operation, errors carry __type.
function secretsManager(target: string, body: Record<string, unknown>): { status: number; doc: unknown } {
  const id = String(body.SecretId ?? body.Name ?? '');
  if (target === 'secretsmanager.CreateSecret') {
    awsSecrets[id] = String(body.SecretString);
    return { status: 200, doc: { ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}-AbCdEf`, Name: id } };
  }
  if (id.includes('denied'))
    return {
      status: 400,
      doc: {
        __type: 'AccessDeniedException',
        Message: `User: arn:aws:iam::123456789012:user/ocs-test is not authorized to perform: secretsmanager:GetSecretValue on resource: ${id} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
      },
    };
  if (id === 'openclaw/binary')
    return { status: 200, doc: { ARN: 'arn:x', Name: id, SecretBinary: 'AAEC', VersionStages: ['AWSCURRENT'] } };
  if (!(id in awsSecrets))
    return {
      status: 400,
      doc: { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." },
    };
  return {
    status: 200,
    doc: {
      ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}-AbCdEf`,
      Name: id,
      VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      SecretString: awsSecrets[id],
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1767225600.0,
    },
  };
}

function startAwsEndpoint(): Promise<Server> {
  const s = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString('utf8')));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      const accessKeyId = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
      awsCalls.push({ accessKeyId, target, body });
      const { status, doc } = secretsManager(target, body);
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(doc));
    });
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

/** A stand-in CLI at `bin/<tool>`, run by an absolute node, with its secrets.json beside it. */
function installStandIn(binDir: string, tool: string, secrets: Record<string, string>): string {
  const dir = path.join(binDir, tool);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  copyFileSync(path.join(FIXTURES, 'standin-lib.js'), path.join(dir, 'standin-lib.js'));
  const target = path.join(dir, tool);
  const body = readFileSync(path.join(FIXTURES, `${tool}.js`), 'utf8');
  writeFileSync(target, `#!${realpathSync(process.execPath)}\n${body}`, { mode: 0o700 });
  // base64: the shared /tmp is scanned for canaries, and a stand-in's store is not encrypted like a real one.
  const encoded = Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify(encoded), { mode: 0o600 });
  return target;
}

/** What the stand-in at bin/<tool> was asked, one argv per call. */
function standInCalls(tool: string): string[][] {
  return readFileSync(path.join(root, 'bin', tool, 'argv.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as string[]);
}

interface Plan {
  wrapper: string;
  recipe: string;
  tools: Record<string, string>;
  options?: Record<string, string>;
  fileName?: string;
}

before(async () => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'ocs-cloud-wrappers-')));
  chmodSync(root, 0o700);
  const userHome = path.join(root, 'user');
  mkdirSync(userHome, { mode: 0o700 });
  server = await startAwsEndpoint();
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bin = path.join(root, 'bin');
  const standIns = {
    aliyun: installStandIn(bin, 'aliyun', {
      'openclaw/openai': `${CANARY}-aliyun`,
      'openclaw/bundle': JSON.stringify({ anthropic: `${CANARY}-aliyun-bundle` }),
    }),
    vault: installStandIn(bin, 'vault', {
      'secret/openclaw/openai#value': `${CANARY}-vault`,
      'secret/openclaw/keys#anthropic': `${CANARY}-vault-field`,
    }),
    op: installStandIn(bin, 'op', { 'op://Private/OpenAI/credential': `${CANARY}-op` }),
    az: installStandIn(bin, 'az', { 'openai-key': `${CANARY}-azure` }),
    bws: installStandIn(bin, 'bws', { '3f2c8a10-0000-4000-8000-00000000aaaa': `${CANARY}-bws` }),
  };
  const env = { PATH: '/usr/bin:/bin', HOME: userHome };
  const plans: Plan[] = [
    { wrapper: 'aws', recipe: 'aws', tools: { aws: AWS }, options: { region: 'us-east-1', endpointUrl: endpoint } },
    {
      wrapper: 'aws_noprofile',
      recipe: 'aws',
      tools: { aws: AWS },
      options: { region: 'us-east-1', profile: 'ocs-no-such-profile' },
      fileName: 'openclaw-aws-noprofile-resolver',
    },
    { wrapper: 'aliyun', recipe: 'aliyun', tools: { aliyun: standIns.aliyun }, options: { region: 'cn-hangzhou' } },
    { wrapper: 'vault', recipe: 'vault', tools: { vault: standIns.vault } },
    { wrapper: 'onepassword', recipe: '1password', tools: { op: standIns.op } },
    { wrapper: 'azure', recipe: 'azure', tools: { az: standIns.az }, options: { vaultName: 'ocs-test-vault' } },
    { wrapper: 'bws', recipe: 'bitwarden', tools: { bws: standIns.bws } },
  ];
  const dir = path.join(root, 'wrappers');
  for (const p of plans) {
    const found = await findTools(recipe(p.recipe), env, p.tools);
    assert.ok(found.ok, `${p.recipe}: ${JSON.stringify(found)}`);
    wrappers.set(
      p.wrapper,
      await writeWrapper(recipe(p.recipe), { dir, tools: found.tools, options: p.options, fileName: p.fileName, env }),
    );
  }

  const refs: OracleRef[] = [
    { name: 'aws-ok', provider: 'aws', id: 'openclaw/openai' },
    { name: 'aws-missing', provider: 'aws', id: 'openclaw/missing' },
    { name: 'aws-noprofile', provider: 'aws_noprofile', id: 'openclaw/openai' },
    { name: 'aliyun-ok', provider: 'aliyun', id: 'openclaw/openai' },
    { name: 'aliyun-missing', provider: 'aliyun', id: 'openclaw/missing' },
    { name: 'vault-ok', provider: 'vault', id: 'secret/openclaw/openai' },
    { name: 'vault-missing', provider: 'vault', id: 'secret/openclaw/missing' },
    { name: 'op-ok', provider: 'onepassword', id: 'Private/OpenAI/credential' },
    { name: 'op-missing', provider: 'onepassword', id: 'Private/missing/credential' },
    { name: 'azure-ok', provider: 'azure', id: 'openai-key' },
    { name: 'azure-missing', provider: 'azure', id: 'missing-key' },
    { name: 'bws-ok', provider: 'bws', id: '3f2c8a10-0000-4000-8000-00000000aaaa' },
    { name: 'bws-missing', provider: 'bws', id: 'missing-0000' },
  ];
  const providers = Object.fromEntries([...wrappers].map(([alias, w]) => [alias, w.provider]));
  auditRun = oracleAudit(root, providers, refs, {
    ...AWS_ORACLE_CREDENTIALS,
    BWS_ACCESS_TOKEN: 'ocs-test-fake-token',
  });
  // A failed run is reported by the last test; never an unhandled rejection meanwhile.
  auditRun.catch(() => undefined);
});

after(async () => {
  await auditRun?.catch(() => undefined);
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (root) rmSync(root, { recursive: true, force: true });
});

function wrapper(alias: string): string {
  const w = wrappers.get(alias);
  assert.ok(w, alias);
  return w.wrapperPath;
}

test('AWS with the real aws CLI: its argv reaches the endpoint, and its failures become per-id errors', async () => {
  const { answer, result } = await askWrapper(
    wrapper('aws'),
    [
      'openclaw/openai',
      'openclaw/bundle#anthropic',
      'openclaw/bundle#nope',
      'openclaw/missing',
      'openclaw/denied',
      'openclaw/binary',
    ],
    AWS_FAKE_CREDENTIALS,
  );
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(
    { ...answer.values },
    { 'openclaw/openai': `${CANARY}-aws`, 'openclaw/bundle#anthropic': `${CANARY}-aws-bundle` },
  );
  const errors = answer.errors ?? {};
  assert.equal(errors['openclaw/bundle#nope']?.code, 'NOT_FOUND');
  assert.equal(errors['openclaw/missing']?.code, 'NOT_FOUND');
  assert.match(errors['openclaw/missing']?.message ?? '', /openclaw\/missing.*ResourceNotFoundException/);
  assert.equal(errors['openclaw/denied']?.code, 'ACCESS_DENIED');
  assert.equal(errors['openclaw/binary']?.code, 'BAD_OUTPUT');
  // One GetSecretValue per secret name: the two bundle ids share one call.
  const asked = awsCalls
    .filter((c) => c.accessKeyId === AWS_FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID)
    .map((c) => [c.target, c.body.SecretId])
    .sort();
  assert.deepEqual(asked, [
    ['secretsmanager.GetSecretValue', 'openclaw/binary'],
    ['secretsmanager.GetSecretValue', 'openclaw/bundle'],
    ['secretsmanager.GetSecretValue', 'openclaw/denied'],
    ['secretsmanager.GetSecretValue', 'openclaw/missing'],
    ['secretsmanager.GetSecretValue', 'openclaw/openai'],
  ]);
  assert.ok(!JSON.stringify(errors).includes(CANARY));

  // No credentials passed at all: "not logged in", before any network (aws_noprofile: in the oracle run).
  const none = await askWrapper(wrapper('aws'), ['openclaw/openai']);
  assert.equal(none.answer.errors?.['openclaw/openai']?.code, 'NOT_LOGGED_IN');
});

test('AWS storeArgv: the real aws CLI sends the value it reads from stdin, and argv holds none', async () => {
  const value = `${CANARY}-aws-stored`;
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cmd = storeArgv(recipe('aws'), { aws: AWS }, 'openclaw/stored', { region: 'us-east-1', endpointUrl: endpoint });
  assert.equal(cmd.kind, 'stdin');
  if (cmd.kind !== 'stdin') return;
  assert.ok(!cmd.argv.join(' ').includes(CANARY));
  // Node's stdin pipe is a socket, which aws cannot open as /dev/stdin: storeArgv bridges it with cat.
  assert.deepEqual(cmd.argv.slice(0, 4), ['/bin/sh', '-c', '/bin/cat | "$0" "$@"', AWS]);
  assert.match(cmd.printable, /file:\/\/\/dev\/stdin .*< \/path\/to\/value-file$/);
  const res = await run(
    cmd.argv[0],
    cmd.argv.slice(1),
    { PATH: '/usr/bin:/bin', HOME: root, ...AWS_FAKE_CREDENTIALS },
    value,
  );
  assert.equal(res.code, 0, res.stderr);
  const create = awsCalls.find((c) => c.target === 'secretsmanager.CreateSecret');
  assert.equal(create?.body.Name, 'openclaw/stored');
  assert.equal(create?.body.SecretString, value);
  const back = await askWrapper(wrapper('aws'), ['openclaw/stored'], AWS_FAKE_CREDENTIALS);
  assert.equal(back.answer.values['openclaw/stored'], value);
});

/** Asks a stand-in-backed wrapper for ok/missing/denied/nologin/offline ids and checks each per-id answer. */
async function checkFailureShapes(
  alias: string,
  ids: { ok: string; value: string; missing: string; denied: string; nologin: string; offline: string },
  env: Record<string, string> = {},
) {
  const { answer, result } = await askWrapper(
    wrapper(alias),
    [ids.ok, ids.missing, ids.denied, ids.nologin, ids.offline],
    env,
  );
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual({ ...answer.values }, { [ids.ok]: ids.value }, alias);
  const errors = answer.errors ?? {};
  const codes = Object.fromEntries(
    (['missing', 'denied', 'nologin', 'offline'] as const).map((k) => [k, errors[ids[k]]?.code]),
  );
  assert.deepEqual(
    codes,
    { missing: 'NOT_FOUND', denied: 'ACCESS_DENIED', nologin: 'NOT_LOGGED_IN', offline: 'UNAVAILABLE' },
    alias,
  );
  for (const k of ['missing', 'denied', 'nologin', 'offline'] as const)
    assert.ok((errors[ids[k]]?.message ?? '').includes(`"${ids[k]}"`), `${alias} ${k}: the message names the id`);
  assert.ok(!JSON.stringify(errors).includes(CANARY) && !result.stderr.includes(CANARY));
}

test('Aliyun wrapper (stand-in): SecretData, a JSON bundle key, and the CLI error codes', async () => {
  await checkFailureShapes('aliyun', {
    ok: 'openclaw/openai',
    value: `${CANARY}-aliyun`,
    missing: 'openclaw/missing',
    denied: 'openclaw/denied',
    nologin: 'openclaw/nologin',
    offline: 'openclaw/offline',
  });
  const bundle = await askWrapper(wrapper('aliyun'), ['openclaw/bundle#anthropic']);
  assert.equal(bundle.answer.values['openclaw/bundle#anthropic'], `${CANARY}-aliyun-bundle`);
  assert.ok(
    standInCalls('aliyun').some(
      (argv) => argv.join(' ') === 'kms GetSecretValue --SecretName openclaw/bundle --region cn-hangzhou',
    ),
  );
});

test('Vault wrapper (stand-in): -field from `path#field` (default value) and its error shapes', async () => {
  await checkFailureShapes('vault', {
    ok: 'secret/openclaw/openai',
    value: `${CANARY}-vault`,
    missing: 'secret/openclaw/missing',
    denied: 'secret/openclaw/denied',
    nologin: 'secret/openclaw/nologin',
    offline: 'secret/openclaw/offline',
  });
  const field = await askWrapper(wrapper('vault'), ['secret/openclaw/keys#anthropic', 'secret/openclaw/keys#other']);
  assert.equal(field.answer.values['secret/openclaw/keys#anthropic'], `${CANARY}-vault-field`);
  assert.equal(field.answer.errors?.['secret/openclaw/keys#other']?.code, 'NOT_FOUND');
  assert.ok(standInCalls('vault').some((argv) => argv.join(' ') === 'kv get -field=anthropic secret/openclaw/keys'));
});

test('a CLI that never answers: a per-id error before the provider timeout, and the CLI is gone', async () => {
  const r = recipe('vault');
  const found = await findTools(r, { PATH: '/usr/bin:/bin' }, { vault: path.join(root, 'bin', 'vault', 'vault') });
  assert.ok(found.ok);
  const quick = await writeWrapper(r, {
    dir: path.join(root, 'wrappers'),
    tools: found.tools,
    fileName: 'openclaw-vault-quick-resolver',
    timeoutMs: 3000,
  });
  assert.equal(quick.provider.timeoutMs, 3000);
  const started = Date.now();
  const { answer } = await askWrapper(quick.wrapperPath, ['secret/openclaw/hang']);
  assert.ok(Date.now() - started < 3000, 'answered within the provider timeout');
  assert.equal(answer.errors?.['secret/openclaw/hang']?.code, 'UNAVAILABLE');
  const pid = Number(readFileSync(path.join(root, 'bin', 'vault', 'hang.pid'), 'utf8'));
  assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the stuck CLI was killed before the answer');
});

test('1Password wrapper (stand-in): op read of op://<id>, and its error shapes', async () => {
  await checkFailureShapes('onepassword', {
    ok: 'Private/OpenAI/credential',
    value: `${CANARY}-op`,
    missing: 'Private/missing/credential',
    denied: 'Private/denied/credential',
    nologin: 'Private/nologin/credential',
    offline: 'Private/offline/credential',
  });
  assert.ok(standInCalls('op').some((argv) => argv.join(' ') === 'read --no-newline op://Private/OpenAI/credential'));
});

test('Azure Key Vault wrapper (stand-in): the secret value, and its error shapes', async () => {
  await checkFailureShapes('azure', {
    ok: 'openai-key',
    value: `${CANARY}-azure`,
    missing: 'missing-key',
    denied: 'denied-key',
    nologin: 'nologin-key',
    offline: 'offline-key',
  });
  assert.ok(
    standInCalls('az').some(
      (argv) => argv.join(' ') === 'keyvault secret show --vault-name ocs-test-vault --name openai-key --output json',
    ),
  );
});

test('Bitwarden wrapper (stand-in): bws secret get, BWS_ACCESS_TOKEN through passEnv, and its error shapes', async () => {
  await checkFailureShapes(
    'bws',
    {
      ok: '3f2c8a10-0000-4000-8000-00000000aaaa',
      value: `${CANARY}-bws`,
      missing: 'missing-0000',
      denied: 'denied-0000',
      nologin: 'nologin-0000',
      offline: 'offline-0000',
    },
    { BWS_ACCESS_TOKEN: 'ocs-test-fake-token' },
  );
  const noToken = await askWrapper(wrapper('bws'), ['3f2c8a10-0000-4000-8000-00000000aaaa']);
  assert.equal(noToken.answer.errors?.['3f2c8a10-0000-4000-8000-00000000aaaa']?.code, 'NOT_LOGGED_IN');
});

test('storeArgv: stdin commands for Azure and Vault, a 0600 value file for 1Password and Aliyun, a manual step for Bitwarden', () => {
  const az = storeArgv(recipe('azure'), { az: '/opt/az/bin/az' }, 'openai-key', { vaultName: 'ocs-test-vault' });
  assert.equal(az.kind, 'stdin');
  if (az.kind === 'stdin')
    assert.deepEqual(az.argv.slice(-5), ['openai-key', '--file', '/dev/stdin', '--output', 'none']);
  const vault = storeArgv(recipe('vault'), { vault: '/usr/bin/vault' }, 'secret/openclaw/keys#anthropic');
  assert.equal(vault.kind, 'stdin');
  if (vault.kind === 'stdin') {
    assert.deepEqual(vault.argv, ['/usr/bin/vault', 'kv', 'put', 'secret/openclaw/keys', 'anthropic=-']);
    assert.deepEqual(vault.updateArgv, ['/usr/bin/vault', 'kv', 'patch', 'secret/openclaw/keys', 'anthropic=-']);
  }
  assert.equal(storeArgv(recipe('bitwarden'), {}, 'x/y').kind, 'manual');
  // Aliyun: SecretData from a 0600 temp file (the CLI's `<Param>-FILE` form); a JSON bundle key stays manual.
  const ali = storeArgv(recipe('aliyun'), { aliyun: '/usr/local/bin/aliyun' }, 'openclaw/openai', {
    region: 'cn-hangzhou',
  });
  assert.equal(ali.kind, 'file');
  if (ali.kind === 'file') {
    assert.deepEqual(ali.argv.slice(1), [
      'kms',
      'CreateSecret',
      '--SecretName',
      'openclaw/openai',
      '--SecretData-FILE',
      '{file}',
      '--VersionId',
      'v1',
      '--region',
      'cn-hangzhou',
    ]);
    assert.equal(ali.fileContent('v'), 'v');
  }
  assert.equal(storeArgv(recipe('aliyun'), {}, 'openclaw/bundle#openai', { region: 'cn-hangzhou' }).kind, 'manual');
  // 1Password: a new item from a 0600 template file named in argv; the id must be vault/item[/section]/field.
  const op = storeArgv(recipe('1password'), { op: '/usr/bin/op' }, 'Shared/OpenAI/credential');
  assert.equal(op.kind, 'file');
  if (op.kind === 'file') {
    assert.deepEqual(op.argv, ['/usr/bin/op', 'item', 'create', '--vault', 'Shared', '--template', '{file}']);
    assert.deepEqual(op.existsArgv, ['/usr/bin/op', 'item', 'get', 'OpenAI', '--vault', 'Shared', '--format', 'json']);
    assert.deepEqual(JSON.parse(op.fileContent('v')), {
      title: 'OpenAI',
      category: 'API_CREDENTIAL',
      fields: [{ id: 'credential', label: 'credential', type: 'CONCEALED', value: 'v' }],
    });
    assert.ok(!op.printable.includes('"v"'));
  }
  assert.throws(() => storeArgv(recipe('1password'), {}, 'x/y'), /vault\/item\/field/);
  assert.throws(() => storeArgv(recipe('1password'), {}, 'V/I/s/f/g'), /vault\/item\/field/);
  assert.equal(storeArgv(recipe('aws'), {}, 'openclaw/bundle#anthropic').kind, 'manual');
});

test('the real OpenClaw exec resolver resolves every cloud wrapper; failures are per-id', async () => {
  assert.ok(auditRun, 'the oracle run started');
  const audit = await auditRun;
  // The providers writeWrapper returned pass OpenClaw's own config check (schema and command path trust).
  assert.equal(audit.validate.valid, true, JSON.stringify(audit.validate));
  assert.deepEqual(audit.validate.warnings, []);
  assert.equal(audit.summary.plaintextCount, 0, audit.stderr);
  assert.equal(audit.resolution.refsChecked, 13);
  assert.equal(audit.resolution.skippedExecRefs, 0);
  for (const name of ['aws-ok', 'aliyun-ok', 'vault-ok', 'op-ok', 'azure-ok', 'bws-ok'])
    assert.equal(findingFor(audit, name), undefined, `${name}: ${JSON.stringify(findingFor(audit, name))}`);
  for (const name of ['aws-missing', 'aliyun-missing', 'vault-missing', 'op-missing', 'azure-missing', 'bws-missing']) {
    const f = findingFor(audit, name);
    assert.equal(f?.code, 'REF_UNRESOLVED', name);
    assert.match(f?.message ?? '', /NOT_FOUND/, name);
  }
  // OpenClaw shows only NOT_FOUND-like codes; the other per-id errors still fail just their ref.
  assert.equal(findingFor(audit, 'aws-noprofile')?.code, 'REF_UNRESOLVED');
  assert.equal(audit.summary.unresolvedRefCount, 7);
  assert.ok(
    awsCalls.some(
      (c) => c.accessKeyId === AWS_ORACLE_CREDENTIALS.AWS_ACCESS_KEY_ID && c.body.SecretId === 'openclaw/openai',
    ),
    'the wrapper OpenClaw ran called the endpoint with the credentials OpenClaw passed (passEnv)',
  );
  assert.ok(!JSON.stringify(audit).includes(CANARY) && !audit.stderr.includes(CANARY));
});
