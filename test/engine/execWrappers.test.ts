// Exec wrappers for the local stores: a real pass store (throwaway GnuPG home) and a real Secret Service
// (gnome-keyring on a private session bus), read by the generated wrapper run with no PATH and no HOME,
// then by the real OpenClaw 2026.9.6 exec resolver (`secrets audit --allow-exec`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  describeExecProvider,
  findTools,
  recipeById,
  storeArgv,
  writeWrapper,
  WrapperError,
  type Recipe,
  type WrittenWrapper,
} from '../../server/src/engine/backends/wrappers';
import {
  askWrapper,
  CANARY,
  findingFor,
  makePassStore,
  oracleAudit,
  run,
  startSecretService,
  type OracleAudit,
  type PassStore,
  type SecretService,
} from './wrapperKit';

const PASS_VALUE = `${CANARY}-pass`;
const KEYRING_VALUE = `${CANARY}-keyring`;

let root: string;
let pass: PassStore;
let keyring: SecretService;
let passWrapper: WrittenWrapper;
let keyringWrapper: WrittenWrapper;
let audit: OracleAudit;

function recipe(id: string): Recipe {
  const r = recipeById(id);
  assert.ok(r, `recipe ${id}`);
  return r;
}

/** Store through storeArgv's command, the value on stdin only. */
async function store(r: Recipe, tools: Record<string, string>, id: string, value: string, env: Record<string, string>) {
  const cmd = storeArgv(r, tools, id);
  assert.equal(cmd.kind, 'stdin');
  if (cmd.kind !== 'stdin') return;
  assert.ok(!cmd.argv.some((a) => a.includes(CANARY)), 'the value is not in argv');
  const res = await run(cmd.argv[0], cmd.argv.slice(1), env, value);
  assert.equal(res.code, 0, `${r.id} store failed: ${res.stderr}`);
}

before(async () => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'ocs-wrappers-')));
  chmodSync(root, 0o700);
  const userHome = path.join(root, 'user');
  mkdirSync(userHome, { mode: 0o700 });
  pass = makePassStore(userHome);
  keyring = await startSecretService(path.join(root, 'keyring'));

  const passTools = await findTools(recipe('pass'), pass.env);
  assert.ok(passTools.ok, 'pass and gpg are installed');
  // The entry's first line is the value; a second line (pass's convention for notes) is not.
  await store(
    recipe('pass'),
    passTools.tools,
    'openclaw/providers/openai/apiKey',
    `${PASS_VALUE}\nnote: line two\n`,
    pass.env,
  );
  const keyringTools = await findTools(recipe('secret-tool'), keyring.env);
  assert.ok(keyringTools.ok, 'secret-tool is installed');
  await store(
    recipe('secret-tool'),
    keyringTools.tools,
    'openclaw/providers/openai/apiKey',
    KEYRING_VALUE,
    keyring.env,
  );

  const dir = path.join(root, 'wrappers');
  // Generated as the person would: with their HOME; OpenClaw later runs it with none.
  passWrapper = await writeWrapper(recipe('pass'), { dir, tools: passTools.tools, env: pass.env });
  keyringWrapper = await writeWrapper(recipe('secret-tool'), { dir, tools: keyringTools.tools, env: keyring.env });

  audit = await oracleAudit(
    root,
    { pass_store: passWrapper.provider, keyring: keyringWrapper.provider },
    [
      { name: 'pass-ok', provider: 'pass_store', id: 'openclaw/providers/openai/apiKey' },
      { name: 'pass-missing', provider: 'pass_store', id: 'openclaw/missing' },
      { name: 'keyring-ok', provider: 'keyring', id: 'openclaw/providers/openai/apiKey' },
      { name: 'keyring-missing', provider: 'keyring', id: 'openclaw/missing' },
    ],
    // OpenClaw passes only passEnv to the wrapper: here the session bus, nothing for pass.
    { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS },
  );
});

after(async () => {
  await keyring?.stop();
  pass?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('findTools gives absolute real paths, node included, and names what is missing', async () => {
  const found = await findTools(recipe('pass'), pass.env);
  assert.ok(found.ok);
  for (const name of ['node', 'pass', 'gpg']) {
    const p: string = found.tools[name];
    assert.ok(path.isAbsolute(p), `${name} absolute`);
    assert.equal(realpathSync(p), p, `${name} realpath'd`);
  }
  const missing = await findTools(recipe('bitwarden'), { PATH: root });
  assert.equal(missing.ok, false);
  if (!missing.ok) assert.deepEqual(missing.missing, ['bws']);
  const broken = await findTools(recipe('pass'), pass.env, { pass: path.join(root, 'no-such-pass') });
  assert.equal(broken.ok, false);
  if (!broken.ok) assert.deepEqual(broken.missing, ['pass']);
});

test('the wrapper is 0700, owned by the user, in a folder OpenClaw trusts; the provider matches it', () => {
  const st = lstatSync(passWrapper.wrapperPath);
  assert.ok(st.isFile());
  assert.equal(st.mode & 0o777, 0o700);
  assert.equal(st.uid, process.getuid!());
  const dirSt = statSync(path.dirname(passWrapper.wrapperPath));
  assert.equal(dirSt.mode & 0o022, 0);
  assert.deepEqual(passWrapper.provider.trustedDirs, [path.dirname(passWrapper.wrapperPath)]);
  assert.equal(passWrapper.provider.command, passWrapper.wrapperPath);
  assert.equal(passWrapper.provider.jsonOnly, true);
  const text = readFileSync(passWrapper.wrapperPath, 'utf8');
  assert.match(text, /^#!\/\S+\n/, 'an absolute interpreter: no PATH lookup');
  assert.ok(!text.includes('/usr/bin/env'), 'no env shebang');
});

test('regenerating is idempotent; a loosened mode is repaired; unsafe places are refused', async () => {
  const r = recipe('pass');
  const tools = (await findTools(r, pass.env)).tools;
  const dir = path.dirname(passWrapper.wrapperPath);
  const before = readFileSync(passWrapper.wrapperPath);
  const mtime = statSync(passWrapper.wrapperPath).mtimeMs;
  const again = await writeWrapper(r, { dir, tools, env: pass.env });
  assert.equal(again.changed, false);
  assert.deepEqual(readFileSync(again.wrapperPath), before);
  assert.equal(statSync(again.wrapperPath).mtimeMs, mtime, 'not rewritten');
  assert.deepEqual(again.provider, passWrapper.provider);

  chmodSync(passWrapper.wrapperPath, 0o755);
  const repaired = await writeWrapper(r, { dir, tools, env: pass.env });
  assert.equal(repaired.changed, true);
  assert.equal(statSync(passWrapper.wrapperPath).mode & 0o777, 0o700);

  const open = path.join(root, 'group-writable');
  mkdirSync(open);
  chmodSync(open, 0o770);
  await assert.rejects(writeWrapper(r, { dir: open, tools, env: pass.env }), (e: unknown) => {
    assert.ok(e instanceof WrapperError);
    assert.equal(e.reason, 'bad-dir');
    return true;
  });

  const linkDir = path.join(root, 'linked');
  mkdirSync(linkDir, { mode: 0o700 });
  symlinkSync(passWrapper.wrapperPath, path.join(linkDir, 'openclaw-pass-resolver'));
  await assert.rejects(writeWrapper(r, { dir: linkDir, tools, env: pass.env }), /not a regular file/);

  await assert.rejects(writeWrapper(r, { dir: 'relative/dir', tools, env: pass.env }), /absolute/);
  await assert.rejects(
    writeWrapper(recipe('aws'), {
      dir,
      tools: { node: tools.node, aws: '/usr/bin/aws' },
      options: { region: 'us east' },
    }),
    /must match/,
  );
  await assert.rejects(writeWrapper(recipe('aws'), { dir, tools: { node: tools.node } }), /absolute path for "aws"/);
});

test('describeExecProvider names the backend behind a provider: our wrapper, a vendor CLI, or none', async () => {
  const ours = await describeExecProvider(passWrapper.wrapperPath);
  assert.equal(ours?.recipe.id, 'pass');
  assert.equal(ours?.via, 'wrapper');
  assert.equal(ours?.tools.pass, (await findTools(recipe('pass'), pass.env)).tools.pass);
  assert.equal((await describeExecProvider(keyringWrapper.wrapperPath))?.recipe.id, 'secret-tool');
  const cli = await describeExecProvider('/usr/local/bin/vault');
  assert.equal(cli?.recipe.id, 'vault');
  assert.equal(cli?.via, 'cli');
  assert.equal(await describeExecProvider('/usr/bin/gpg'), undefined);
  assert.equal(await describeExecProvider('relative/openclaw-pass-resolver'), undefined);
  const other = path.join(root, 'other-script');
  writeFileSync(other, '#!/bin/sh\necho {}\n', { mode: 0o700 });
  assert.equal(await describeExecProvider(other), undefined);
});

test('pass wrapper: batched ids with no PATH and no HOME; per-id errors name the id, never the value', async () => {
  const { answer, result } = await askWrapper(passWrapper.wrapperPath, [
    'openclaw/providers/openai/apiKey',
    'openclaw/missing',
    'openclaw/providers/openai/apiKey',
  ]);
  assert.equal(result.code, 0);
  assert.equal(answer.protocolVersion, 1);
  assert.deepEqual({ ...answer.values }, { 'openclaw/providers/openai/apiKey': PASS_VALUE });
  assert.equal(answer.errors?.['openclaw/missing']?.code, 'NOT_FOUND');
  assert.match(answer.errors?.['openclaw/missing']?.message ?? '', /openclaw\/missing.*no such pass entry/);
  assert.ok(!result.stderr.includes(CANARY));
});

test('pass wrapper: a GnuPG home without the key is a per-id ACCESS_DENIED, not a crash', async () => {
  const emptyGnupg = path.join(root, 'empty-gnupg');
  mkdirSync(emptyGnupg, { mode: 0o700 });
  // GNUPGHOME is in passEnv: OpenClaw would pass it, and it wins over the baked default.
  const { answer } = await askWrapper(passWrapper.wrapperPath, ['openclaw/providers/openai/apiKey'], {
    GNUPGHOME: emptyGnupg,
  });
  assert.deepEqual({ ...answer.values }, {});
  assert.equal(answer.errors?.['openclaw/providers/openai/apiKey']?.code, 'ACCESS_DENIED');
  assert.ok(!JSON.stringify(answer).includes(CANARY));
  await run('/usr/bin/gpgconf', ['--kill', 'gpg-agent'], { PATH: '/usr/bin:/bin', GNUPGHOME: emptyGnupg });
});

test('secret-tool wrapper: the keyring value, a miss, and no session bus', async () => {
  const bus = { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS };
  const { answer } = await askWrapper(
    keyringWrapper.wrapperPath,
    ['openclaw/providers/openai/apiKey', 'openclaw/missing'],
    bus,
  );
  assert.deepEqual({ ...answer.values }, { 'openclaw/providers/openai/apiKey': KEYRING_VALUE });
  assert.equal(answer.errors?.['openclaw/missing']?.code, 'NOT_FOUND');

  const noBus = await askWrapper(keyringWrapper.wrapperPath, ['openclaw/providers/openai/apiKey']);
  assert.equal(noBus.answer.errors?.['openclaw/providers/openai/apiKey']?.code, 'UNAVAILABLE');
  assert.match(noBus.answer.errors?.['openclaw/providers/openai/apiKey']?.message ?? '', /DBUS_SESSION_BUS_ADDRESS/);
});

test('the real OpenClaw exec resolver resolves both wrappers and reports the misses as NOT_FOUND', () => {
  // The providers writeWrapper returned pass OpenClaw's own config check (schema and command path trust).
  assert.equal(audit.validate.valid, true, JSON.stringify(audit.validate));
  assert.deepEqual(audit.validate.warnings, []);
  assert.equal(audit.summary.plaintextCount, 0, audit.stderr);
  assert.equal(audit.resolution.refsChecked, 4);
  assert.equal(audit.resolution.skippedExecRefs, 0);
  for (const name of ['pass-ok', 'keyring-ok'])
    assert.equal(findingFor(audit, name), undefined, `${name} resolved: ${JSON.stringify(findingFor(audit, name))}`);
  for (const name of ['pass-missing', 'keyring-missing']) {
    const f = findingFor(audit, name);
    assert.equal(f?.code, 'REF_UNRESOLVED');
    assert.match(f?.message ?? '', /NOT_FOUND/);
  }
  assert.equal(audit.summary.unresolvedRefCount, 2);
  assert.ok(!JSON.stringify(audit).includes(CANARY) && !audit.stderr.includes(CANARY));
});
