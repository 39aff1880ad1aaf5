import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { applySecretsPlan, scrubDotEnv, ApplyError, type ApplyResult } from '../../server/src/engine/plan/apply';
import type { ConfigLocation } from '../../server/src/engine/config/configLocation';
import type { SecretsPlan, PlanTarget } from '../../server/src/engine/plan/plan';
import { ensureOracle, networkIsolation, type Oracle } from '../compat/oracle';

const KEY = 'sk-test-CANARY-apply-0001';
const PROFILE_KEY = 'sk-test-CANARY-profile-0002';
const envRef = { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' } as const;

const openaiTarget: PlanTarget = {
  type: 'models.providers.apiKey',
  path: 'models.providers.openai.apiKey',
  pathSegments: ['models', 'providers', 'openai', 'apiKey'],
  providerId: 'openai',
  ref: envRef,
};

function makePlan(targets: PlanTarget[], extra: Partial<SecretsPlan> = {}): SecretsPlan {
  return { version: 1, protocolVersion: 1, targets, ...extra };
}

interface Sandbox {
  dir: string;
  location: ConfigLocation;
  file(rel: string): string;
  write(rel: string, text: string, mode?: number): void;
  read(rel: string): string;
  /** every file under the state dir, relative, sorted (to catch .bak and temp files) */
  files(): string[];
}

function sandbox(): Sandbox {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocs-apply-'));
  const file = (rel: string) => path.join(dir, rel);
  const walk = (d: string, prefix = ''): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(d, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    );
  return {
    dir,
    location: { configPath: file('openclaw.json'), stateDir: dir, configDir: dir },
    file,
    write(rel, text, mode = 0o600) {
      mkdirSync(path.dirname(file(rel)), { recursive: true });
      writeFileSync(file(rel), text, { mode });
      chmodSync(file(rel), mode);
    },
    read: (rel) => readFileSync(file(rel), 'utf8'),
    files: () => walk(dir).sort(),
  };
}

const CONFIG_JSON5 = `// OpenClaw config (JSON5)
{
  models: {
    mode: 'merge', // keep bundled models
    providers: {
      openai: {
        baseUrl: 'https://api.openai.com/v1',
        apiKey: '${KEY}', /* migrate me */
        models: [{ id: 'gpt-test', name: 'GPT Test' },],
      },
    },
  },
}
`;

async function run(
  s: Sandbox,
  plan: SecretsPlan,
  opts: { dryRun: boolean; allowExec?: boolean; env?: NodeJS.ProcessEnv },
): Promise<ApplyResult> {
  return applySecretsPlan({
    plan,
    planPath: 'plan.json',
    location: s.location,
    env: opts.env ?? { OPENAI_API_KEY: KEY },
    dryRun: opts.dryRun,
    allowExec: opts.allowExec ?? false,
  });
}

function assertNoCanary(text: string): void {
  assert.ok(!text.includes('CANARY'), `a secret value leaked: ${text.slice(0, 200)}`);
}

test('dry-run reports, then write migrates config, auth store and .env one way; no backup or temp file', async () => {
  const s = sandbox();
  try {
    s.write('openclaw.json', CONFIG_JSON5);
    s.write(
      '.env',
      `# keys\nOPENAI_API_KEY=${KEY}\nOTHER_VAR=keepme\nexport ANTHROPIC_API_KEY="sk-test-CANARY-unrelated"\n`,
    );
    s.write(
      'agents/main/agent/auth-profiles.json',
      JSON.stringify({
        version: 1,
        profiles: {
          'openai:default': { type: 'api_key', provider: 'openai', key: PROFILE_KEY },
          'anthropic:x': { type: 'api_key', provider: 'anthropic', key: 'sk-test-CANARY-anthropic' },
        },
      }),
    );
    const before = s.read('openclaw.json');
    const dry = await run(s, makePlan([openaiTarget]), { dryRun: true });
    assert.deepEqual(dry, {
      mode: 'dry-run',
      changed: true,
      changedFiles: [s.file('.env'), s.file('agents/main/agent/auth-profiles.json'), s.file('openclaw.json')],
      checks: { resolvability: true, resolvabilityComplete: true },
      refsChecked: 1,
      skippedExecRefs: 0,
      warningCount: 0,
      warnings: [],
    });
    assert.equal(s.read('openclaw.json'), before, 'dry-run writes nothing');
    assertNoCanary(JSON.stringify(dry));

    const written = await run(s, makePlan([openaiTarget]), { dryRun: false });
    assert.equal(written.mode, 'write');
    assert.deepEqual(written.changedFiles, dry.changedFiles);
    const config = s.read('openclaw.json');
    assert.ok(!config.includes(KEY));
    assert.equal(
      config,
      CONFIG_JSON5.replace(`'${KEY}'`, "{ source: 'env', provider: 'default', id: 'OPENAI_API_KEY' }"),
      'only the value changed, written in the file style: comments, quotes, trailing commas kept',
    );
    assert.equal(s.read('.env'), `# keys\nOTHER_VAR=keepme\nexport ANTHROPIC_API_KEY="sk-test-CANARY-unrelated"\n`);
    const store = JSON.parse(s.read('agents/main/agent/auth-profiles.json'));
    assert.deepEqual(
      store.profiles['openai:default'],
      { type: 'api_key', provider: 'openai' },
      'the provider target scrubs the profile plaintext',
    );
    assert.equal(store.profiles['anthropic:x'].key, 'sk-test-CANARY-anthropic', 'other providers untouched');
    for (const f of ['openclaw.json', '.env', 'agents/main/agent/auth-profiles.json'])
      assert.equal(statSync(s.file(f)).mode & 0o777, 0o600);
    assert.deepEqual(
      s.files(),
      ['.env', 'agents/main/agent/auth-profiles.json', 'openclaw.json'],
      'no .bak, no temp file',
    );
    for (const f of s.files())
      if (f !== '.env' && f !== 'agents/main/agent/auth-profiles.json') assertNoCanary(s.read(f));
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('idempotent: a second write changes nothing, even with 0400 files', async () => {
  const s = sandbox();
  try {
    s.write('openclaw.json', CONFIG_JSON5);
    await run(s, makePlan([openaiTarget]), { dryRun: false });
    chmodSync(s.file('openclaw.json'), 0o400);
    const again = await run(s, makePlan([openaiTarget]), { dryRun: false });
    assert.equal(again.changed, false);
    assert.deepEqual(again.changedFiles, []);
    assert.equal(again.refsChecked, 1);
    assert.equal(statSync(s.file('openclaw.json')).mode & 0o777, 0o400, 'untouched file keeps its mode');
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('auth-profile targets go to the agent SQLite store, as in 2026.9.6; a write there that cannot be made refuses before any file changes', async () => {
  const s = sandbox();
  try {
    s.write('openclaw.json', CONFIG_JSON5);
    // A legacy JSON store: 2026.9.6's apply neither reads nor writes it for plan targets.
    const legacy = JSON.stringify({
      version: 1,
      profiles: { 'openai:default': { type: 'api_key', provider: 'anthropic', key: PROFILE_KEY } },
    });
    s.write('agents/main/agent/auth-profiles.json', legacy);
    const keyTarget: PlanTarget = {
      type: 'auth-profiles.api_key.key',
      path: 'profiles.openai:default.key',
      pathSegments: ['profiles', 'openai:default', 'key'],
      agentId: 'main',
      ref: envRef,
    };
    await assert.rejects(
      run(s, makePlan([keyTarget]), { dryRun: true, env: { OPENAI_API_KEY: KEY } }),
      /Cannot create auth profile "openai:default" for profiles\.openai:default\.key without authProfileProvider\./,
    );
    const withProvider: PlanTarget = { ...keyTarget, authProfileProvider: 'openai' };
    const dry = await run(s, makePlan([openaiTarget, withProvider]), {
      dryRun: true,
      env: { OPENAI_API_KEY: KEY },
    });
    const database = s.file('agents/main/agent/openclaw-agent.sqlite');
    assert.deepEqual(dry.changedFiles, [database, s.file('openclaw.json')]);
    const before = s.read('openclaw.json');
    // No agent database yet (OpenClaw creates it with its schema): the write names it and writes nothing.
    await assert.rejects(
      run(s, makePlan([openaiTarget, withProvider]), { dryRun: false, env: { OPENAI_API_KEY: KEY } }),
      (err: Error) => {
        assert.ok(err instanceof ApplyError, String(err));
        assert.ok(err.message.startsWith(`Cannot write ${database}: `), err.message);
        assertNoCanary(err.message);
        return true;
      },
    );
    assert.equal(s.read('openclaw.json'), before);
    assert.equal(s.read('agents/main/agent/auth-profiles.json'), legacy);
    assert.deepEqual(s.files(), ['agents/main/agent/auth-profiles.json', 'openclaw.json']);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('an unresolvable ref stops apply before any write, with the resolver message', async () => {
  const s = sandbox();
  try {
    s.write('openclaw.json', CONFIG_JSON5);
    await assert.rejects(
      run(s, makePlan([openaiTarget]), { dryRun: false, env: {} }),
      /Environment variable "OPENAI_API_KEY" is missing or empty\./,
    );
    assert.equal(s.read('openclaw.json'), CONFIG_JSON5);
    // A .env in the state dir feeds the environment, like OpenClaw's start-up.
    s.write('.env', `OPENAI_API_KEY=${KEY}\n`);
    const dry = await run(s, makePlan([openaiTarget]), { dryRun: true, env: {} });
    assert.equal(dry.refsChecked, 1);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('invalid target path at apply time, invalid config', async () => {
  const s = sandbox();
  try {
    s.write('openclaw.json', CONFIG_JSON5);
    await assert.rejects(
      run(s, makePlan([{ ...openaiTarget, path: 'models.providers.openai.baseUrl', pathSegments: undefined }]), {
        dryRun: true,
      }),
      /^ApplyError: Invalid plan target path for models\.providers\.apiKey: models\.providers\.openai\.baseUrl$/,
    );
    s.write('openclaw.json', '{ secrets: { providers: { x: { source: "vault" } } } }');
    await assert.rejects(
      run(s, makePlan([openaiTarget]), { dryRun: true }),
      /Cannot apply secrets plan: config is invalid\./,
    );
    s.write('openclaw.json', '{ "models": ');
    await assert.rejects(run(s, makePlan([openaiTarget]), { dryRun: true }), /config is invalid/);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('provider upserts and deletes; an emptied providers map is removed', async () => {
  const s = sandbox();
  try {
    s.write('openclaw.json', `{\n  // providers\n  "secrets": { "providers": { "old": { "source": "env" } } }\n}\n`);
    const upsert = makePlan([], {
      providerUpserts: { files: { source: 'file', path: s.file('secrets.json') } },
      providerDeletes: ['old'],
    });
    const r = await run(s, upsert, { dryRun: false });
    assert.deepEqual(r.changedFiles, [s.file('openclaw.json')]);
    const after = s.read('openclaw.json');
    assert.match(after, /\/\/ providers/);
    assert.deepEqual(JSON.parse(after.replace('// providers', '')).secrets.providers, {
      files: { source: 'file', path: s.file('secrets.json') },
    });
    assert.equal((await run(s, upsert, { dryRun: true })).changed, false, 'equal upsert is no change');
    await run(s, makePlan([], { providerDeletes: ['files'] }), { dryRun: false });
    assert.deepEqual(JSON.parse(s.read('openclaw.json').replace('// providers', '')).secrets, {});
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('exec: dry-run skips without consent, write refuses, --allow-exec runs the resolver', async () => {
  const s = sandbox();
  try {
    s.write('openclaw.json', CONFIG_JSON5);
    s.write('resolver.sh', `#!/bin/sh\nprintf '{"protocolVersion":1,"values":{"openai/apiKey":"${KEY}"}}'\n`, 0o700);
    const execPlan = makePlan([{ ...openaiTarget, ref: { source: 'exec', provider: 'vault', id: 'openai/apiKey' } }], {
      providerUpserts: { vault: { source: 'exec', command: s.file('resolver.sh') } },
    });
    const dry = await run(s, execPlan, { dryRun: true });
    assert.equal(dry.skippedExecRefs, 1);
    assert.equal(dry.refsChecked, 0);
    assert.equal(dry.checks.resolvabilityComplete, false);
    await assert.rejects(
      run(s, execPlan, { dryRun: false }),
      /^ApplyError: Plan contains exec SecretRefs\/providers\. Re-run with --allow-exec\.$/,
    );
    const unknown = makePlan([{ ...openaiTarget, ref: { source: 'exec', provider: 'nope', id: 'a' } }]);
    await assert.rejects(run(s, unknown, { dryRun: true }), /nope/, 'static errors still reported without consent');
    const consented = await run(s, execPlan, { dryRun: true, allowExec: true });
    assert.equal(consented.refsChecked, 1);
    assert.equal(consented.checks.resolvabilityComplete, true);
    const written = await run(s, execPlan, { dryRun: false, allowExec: true });
    assert.equal(written.changed, true);
    assertNoCanary(s.read('openclaw.json'));
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('scrubDotEnv removes only known keys holding a migrated value, keeping CRLF and other lines', () => {
  const known = new Set(['OPENAI_API_KEY']);
  const text = `A=1\r\nOPENAI_API_KEY='${KEY}'\r\nOPENAI_API_KEY=other\r\nUNKNOWN=${KEY}\r\n`;
  assert.deepEqual(scrubDotEnv(text, new Set([KEY]), known), {
    text: `A=1\r\nOPENAI_API_KEY=other\r\nUNKNOWN=${KEY}\r\n`,
    removed: 1,
  });
  assert.deepEqual(scrubDotEnv(`OPENAI_API_KEY=${KEY}`, new Set([KEY]), known), { text: '', removed: 1 });
  assert.deepEqual(scrubDotEnv('A=1\n', new Set(), known), { text: 'A=1\n', removed: 0 });
});

test('a write never runs exec providers without --allow-exec: exec refs elsewhere are skipped and counted', async () => {
  const s = sandbox();
  try {
    const marker = s.file('exec-ran.log');
    s.write(
      'resolver.sh',
      `#!/bin/sh\n/bin/cat >/dev/null\necho ran >> ${marker}\nprintf '{"protocolVersion":1,"values":{"k":"sk-test-CANARY-exec"}}'\n`,
      0o700,
    );
    s.write(
      'openclaw.json',
      JSON.stringify(
        {
          secrets: { providers: { vault: { source: 'exec', command: s.file('resolver.sh') } } },
          models: { providers: { openai: { baseUrl: 'https://api.openai.com/v1', apiKey: KEY } } },
          gateway: { auth: { mode: 'token', token: { source: 'exec', provider: 'vault', id: 'k' } } },
        },
        null,
        2,
      ),
    );
    const result = await applySecretsPlan({
      plan: makePlan([openaiTarget]),
      planPath: s.file('plan.json'),
      location: s.location,
      env: { OPENAI_API_KEY: KEY },
      dryRun: false,
      allowExec: false,
    });
    assert.equal(result.mode, 'write');
    assert.equal(result.changed, true);
    assert.equal(result.skippedExecRefs, 1);
    assert.equal(result.checks.resolvabilityComplete, false);
    assert.equal(existsSync(marker), false, 'the exec resolver must not run without consent');
    assert.deepEqual(JSON.parse(s.read('openclaw.json')).models.providers.openai.apiKey, envRef);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

/** The real OpenClaw's `secrets audit --json` on the sandbox's state dir (clean env, no network when possible). */
function oracleAudit(s: Sandbox, oracle: Oracle, env: Record<string, string>): Promise<OracleAudit> {
  const home = s.file('home');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const childEnv = {
    PATH: `${path.dirname(oracle.nodeBin)}:/usr/bin:/bin`,
    HOME: home,
    OPENCLAW_HOME: home,
    OPENCLAW_STATE_DIR: s.dir,
    OPENCLAW_CONFIG_PATH: s.file('openclaw.json'),
    OPENCLAW_OFFLINE: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    NO_COLOR: '1',
    ...env,
  };
  const [bin, ...args] = [...networkIsolation(), oracle.nodeBin, oracle.openclawMjs, 'secrets', 'audit', '--json'];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: home, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout) as OracleAudit);
      } catch {
        reject(new Error(`openclaw secrets audit exited ${code} without JSON: ${stderr.slice(0, 400)}`));
      }
    });
  });
}

interface OracleAudit {
  status: string;
  resolution: { refsChecked: number };
  summary: { plaintextCount: number; unresolvedRefCount: number };
  findings: Array<{ code: string; path?: string; jsonPath?: string }>;
}

test('apply writes into a JSON5 file in its own style, and the real OpenClaw reads the refs it wrote', async () => {
  const s = sandbox();
  try {
    const gwToken = 'sk-test-CANARY-json5-gw';
    const openaiKey = 'sk-test-CANARY-json5-openai';
    const config = `{
  // my comment
  gateway: { mode: 'local', auth: { mode: 'token', token: '${gwToken}' } },
  models: { providers: { openai: { baseUrl: 'https://api.openai.com/v1', apiKey: '${openaiKey}', models: [{ id: 'gpt-test', name: 'GPT Test' }] } } },
  secrets: { providers: { /* keep */ envp: { source: 'env' } } },
}
`;
    s.write('openclaw.json', config);
    // A file path holding both quote characters: the single quote is escaped, the double quote is not.
    const secretsFile = s.file(`it's "q".json`);
    s.write(`it's "q".json`, JSON.stringify({ openai: openaiKey }));
    const plan = makePlan(
      [
        {
          type: 'gateway.auth.token',
          path: 'gateway.auth.token',
          pathSegments: ['gateway', 'auth', 'token'],
          ref: { source: 'env', provider: 'envnew', id: 'GW' },
        },
        { ...openaiTarget, ref: { source: 'file', provider: 'my-alias', id: '/openai' } },
      ],
      {
        providerUpserts: { envnew: { source: 'env' }, 'my-alias': { source: 'file', path: secretsFile, mode: 'json' } },
      },
    );
    const result = await run(s, plan, { dryRun: false, env: { GW: gwToken } });
    assert.deepEqual(result.changedFiles, [s.file('openclaw.json')]);
    const quotedPath = `'${secretsFile.replace("'", "\\'")}'`;
    assert.equal(
      s.read('openclaw.json'),
      config
        .replace(`'${gwToken}'`, "{ source: 'env', provider: 'envnew', id: 'GW' }")
        .replace(`'${openaiKey}'`, "{ source: 'file', provider: 'my-alias', id: '/openai' }")
        .replace(
          "envp: { source: 'env' } }",
          `envp: { source: 'env' }, envnew: { source: 'env' }, 'my-alias': { source: 'file', path: ${quotedPath}, mode: 'json' } }`,
        ),
    );

    const oracle = ensureOracle();
    const audit = await oracleAudit(s, oracle, { GW: gwToken });
    assert.equal(audit.status, 'clean', JSON.stringify(audit.findings));
    assert.equal(audit.resolution.refsChecked, 2, 'OpenClaw reads both refs, the quoted-key provider included');
    assert.equal(audit.summary.plaintextCount, 0);
    assert.equal(audit.summary.unresolvedRefCount, 0);
    // Without the variable the env ref is reported at its path: OpenClaw read the ref we wrote there.
    const unset = await oracleAudit(s, oracle, {});
    assert.deepEqual(
      unset.findings.map((f) => [f.code, f.path ?? f.jsonPath]),
      [['REF_UNRESOLVED', 'gateway.auth.token']],
    );
    assertNoCanary(JSON.stringify(unset));
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});
