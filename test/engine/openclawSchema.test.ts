// OpenClaw's config schema in the engine: the shipped 2026.9.6 snapshot, Ajv validation reduced to one
// error per place, the named rules, and every schema source going wrong (file, installed openclaw).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  configSchemaIssues,
  describeIssue,
  locateIssue,
  locateIssues,
} from '../../server/src/engine/openclawSchema/schemaCheck';
import { parseConfigText } from '../../server/src/engine/config/configDocument';
import { prepareSchema } from '../../server/src/engine/openclawSchema/prepareSchema';
import {
  chooseSchema,
  snapshotSchema,
  SNAPSHOT_VERSION,
  type LoadedSchema,
} from '../../server/src/engine/openclawSchema/schemaSource';
import { keySuggestions, valueSuggestions } from '../../server/src/engine/openclawSchema/schemaNavigator';
import { configInvalidityReasons } from '../../server/src/engine/audit/auditConfigValidity';

let snapshot: Promise<LoadedSchema> | undefined;
const schema = () => (snapshot ??= snapshotSchema());

const issuesOf = async (config: unknown) => configSchemaIssues(config, await schema()).map(describeIssue);

test("the shipped snapshot is OpenClaw 2026.9.6's whole-config schema", async () => {
  const s = await schema();
  assert.equal(s.version, SNAPSHOT_VERSION);
  assert.equal(s.origin, 'snapshot');
  assert.ok(keySuggestions(s.validator.schema, []).length >= 40);
  assert.deepEqual(valueSuggestions(s.validator.schema, ['gateway', 'auth', 'mode']), [
    'none',
    'token',
    'password',
    'trusted-proxy',
  ]);
});

test('each kind of schema problem is one issue at the right place, with no value in the message', async () => {
  assert.deepEqual(await issuesOf({ channels: { telegram: { someUnknownKey: 1 } } }), [
    'channels.telegram.someUnknownKey: Unknown key "someUnknownKey": OpenClaw\'s schema does not allow it here.',
  ]);
  assert.deepEqual(await issuesOf({ gateway: { auth: { mode: 'sk-test-CANARY-bogus' } } }), [
    'gateway.auth.mode: Invalid value (allowed: "none", "token", "password", "trusted-proxy").',
  ]);
  assert.deepEqual(await issuesOf({ gateway: { port: 'eighty' } }), ['gateway.port: Expected integer.']);
  // A plugin credential with minLength 1 (the schema's $ref to its own $defs is inlined).
  const imap = await issuesOf({
    plugins: {
      entries: { imap: { config: { accounts: { a: { host: 'h', user: 'u', agentId: 'main', password: '' } } } } },
    },
  });
  assert.deepEqual(imap, [
    'plugins.entries.imap.config.accounts.a.password: Invalid value: must NOT have fewer than 1 characters.',
  ]);
  // A ref with a bad source: one issue on `source` listing every source, not one per oneOf branch.
  assert.deepEqual(
    await issuesOf({
      models: {
        providers: {
          p: { baseUrl: 'https://x', models: [], apiKey: { source: 'vault', provider: 'default', id: 'X' } },
        },
      },
    }),
    ['models.providers.p.apiKey.source: Invalid value (allowed: "env", "file", "exec", "store").'],
  );
  // A key with a default may be left out although the (output-shaped) schema lists it as required.
  assert.deepEqual(await issuesOf({ channels: { telegram: {} } }), []);
  assert.ok(
    (await issuesOf({ gateway: { auth: { mode: 'sk-test-CANARY-bogus' } } })).every((m) => !m.includes('CANARY')),
  );
});

test('issues located in a row (shared prefixes walked once) land where each located alone lands', async () => {
  const text = `{
  // JSON5, with arrays, missing members and keys in every order
  models: { providers: {
    a: { baseUrl: 'https://x', models: [{ id: 'm', name: 'M', bogus: 1 }], note: 'x' },
    b: { baseUrl: 'https://x', models: [], note: 'y', apiKey: { source: 'vault', provider: 'default', id: 'X' } },
  } },
  gateway: { port: 'eighty', auth: { mode: 'nope' } },
  channels: { telegram: { someUnknownKey: 1 } },
  agents: { list: [{ id: 'main', model: 7 }, { id: 'x', model: 8 }] },
}`;
  const doc = parseConfigText(text, '/t/openclaw.json');
  const { schema } = await chooseSchema({});
  const issues = configSchemaIssues(doc.value, schema);
  assert.ok(issues.length >= 8, `${issues.length} issues`);
  // Extra issues at paths that exist only in part, and the same path twice in a row.
  issues.push(
    { path: ['models', 'providers', 'a', 'models', 0, 'missing'], target: 'value', keyword: 'x', message: 'm' },
    { path: ['models', 'providers', 'zzz', 'apiKey'], target: 'key', keyword: 'x', message: 'm' },
    { path: ['models', 'providers', 'zzz', 'apiKey'], target: 'key', keyword: 'x', message: 'm' },
    { path: [], target: 'value', keyword: 'x', message: 'm' },
    { path: ['agents', 'list', 1, 'model'], target: 'value', keyword: 'x', message: 'm' },
  );
  const alone = issues.map((i) => locateIssue(doc, i));
  assert.deepEqual(
    locateIssues(doc, issues).map(({ start, end }) => ({ start, end })),
    alone,
  );
  // And the places are the right ones.
  const at = (i: number) => text.slice(alone[i].start, alone[i].end);
  const byPath = new Map(issues.map((issue, i) => [issue.path.join('.'), at(i)]));
  assert.equal(byPath.get('gateway.port'), "'eighty'");
  assert.equal(byPath.get('channels.telegram.someUnknownKey'), 'someUnknownKey');
  assert.equal(byPath.get('models.providers.zzz.apiKey'), 'providers');
  assert.equal(byPath.get('agents.list.1.model'), '8');
});

test('valid 2026.9 configs pass: egress proxy, store refs and providers, pluginIntegration exec providers', async () => {
  assert.deepEqual(
    await issuesOf({
      secrets: {
        egressProxy: { enabled: true, allowedHosts: ['api.example.com'] },
        providers: {
          vault: { source: 'store' },
          op: { source: 'exec', pluginIntegration: { pluginId: 'onepassword', integrationId: 'cli' } },
        },
        defaults: { store: 'vault' },
      },
      models: {
        providers: {
          openai: {
            baseUrl: 'https://api.openai.com/v1',
            models: [],
            apiKey: { source: 'store', provider: 'vault', id: 'OPENAI_API_KEY' },
          },
        },
      },
    }),
    [],
  );
});

test('named rules: talk.provider with several providers, a provider that is not declared, one default agent', async () => {
  // Placed on the `talk` key when `provider` is absent (there is no `provider` key to mark).
  assert.deepEqual(await issuesOf({ talk: { providers: { a: {}, b: {} } } }), [
    'talk: talk.provider is required when talk.providers defines multiple providers.',
  ]);
  assert.deepEqual(await issuesOf({ talk: { provider: ' A ', providers: { a: {}, b: {} } } }), []);
  assert.deepEqual(await issuesOf({ talk: { provider: 'c', providers: { a: {} } } }), [
    'talk.provider: talk.provider must match a key in talk.providers.',
  ]);
  assert.deepEqual(await issuesOf({ talk: { providers: { a: {} } } }), []);
});

test('the audit\'s "Config is invalid" test includes the schema only when given one', async () => {
  const config = { channels: { telegram: { someUnknownKey: 1 } } };
  assert.deepEqual(configInvalidityReasons(config, undefined), []);
  assert.equal(configInvalidityReasons(config, await schema()).length, 1);
  // With OpenClaw's schema, a 2026.9 key the secrets checks alone would refuse is valid, as OpenClaw says.
  const egress = { secrets: { egressProxy: { enabled: true } } };
  assert.deepEqual(configInvalidityReasons(egress, await schema()), []);
  // What the schema cannot express (a relative exec command) still makes it invalid, in OpenClaw's words.
  const relative = { secrets: { providers: { rel: { source: 'exec', command: 'bin/x' } } } };
  assert.deepEqual(configInvalidityReasons(relative, await schema()), [
    {
      path: ['secrets', 'providers', 'rel', 'command'],
      message: 'secrets.providers.*.command must be an absolute path.',
    },
  ]);
  const removed = { secrets: { resolution: {} } };
  assert.deepEqual(
    configInvalidityReasons(removed, await schema()).map((p) => p.path.join('.')),
    ['secrets.resolution'],
  );
});

test('prepareSchema refuses what is not a draft-07 object schema, naming why', () => {
  assert.throws(() => prepareSchema(null), /top level is null/);
  assert.throws(() => prepareSchema('x'), /top level is string/);
  assert.throws(
    () => prepareSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: {} }),
    /not a draft-07 JSON Schema/,
  );
  assert.throws(() => prepareSchema({ type: 'array' }), /must be `type: "object"`/);
  assert.throws(
    () => prepareSchema({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } }),
    /unresolvable \$ref/,
  );
});

test('a schema setting naming a FIFO, a directory or a missing file: the cause is named, the snapshot is used, no hang', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-schema-path-'));
  try {
    const fifo = path.join(dir, 'schema.json');
    execFileSync('mkfifo', [fifo]);
    const cases: Array<[string, RegExp]> = [
      [fifo, /schema\.json is not a regular file/],
      [dir, /is not a regular file/],
      [path.join(dir, 'missing.json'), /cannot open .*missing\.json \(ENOENT\)/],
    ];
    for (const [schemaPath, cause] of cases) {
      const choice = await chooseSchema({ schemaPath, schemaPathFrom: 'OPENCLAW_SECRETS_SCHEMA' });
      assert.equal(choice.problems.length, 1, schemaPath);
      assert.match(choice.problems[0], /^Schema file from OPENCLAW_SECRETS_SCHEMA: /);
      assert.match(choice.problems[0], cause);
      assert.equal(choice.schema?.origin, 'snapshot');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// --- the installed openclaw: real child processes standing in for openclaw on PATH ---

function fakeOpenClaw(script: string): { dir: string; bin: string; log: string; env: NodeJS.ProcessEnv } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-fake-openclaw-')));
  const bin = path.join(dir, 'openclaw');
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(bin, `#!/bin/sh\necho "$$ $*" >> "${log}"\n${script}\n`, { mode: 0o755 });
  return { dir, bin, log, env: { PATH: `${dir}:/usr/bin:/bin`, HOME: dir } };
}

function pidsFrom(log: string): number[] {
  return fs.existsSync(log)
    ? fs
        .readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => Number(l.split(' ')[0]))
    : [];
}

/** Running (a killed process no one has reaped yet is a zombie: gone for our purpose). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

test('an installed openclaw that hangs is stopped (its whole process group) and the snapshot is used', async () => {
  // The script starts a grandchild that would outlive a plain kill of the script.
  const fake = fakeOpenClaw('sleep 30 & echo "$! child" >> "' + '$(dirname "$0")/calls.log' + '"\nwait');
  try {
    const choice = await chooseSchema({
      useInstalled: true,
      env: fake.env,
      cacheDir: path.join(fake.dir, 'cache'),
      versionTimeoutMs: 300,
    });
    assert.equal(choice.schema?.origin, 'snapshot');
    assert.equal(choice.problems.length, 1);
    assert.match(
      choice.problems[0],
      /^Installed openclaw: `.*openclaw --version` did not finish within 300 ms and was stopped$/,
    );
    const pids = pidsFrom(fake.log);
    assert.ok(pids.length >= 2, 'the script and its grandchild ran');
    for (const pid of pids) assert.equal(alive(pid), false, `process ${pid} is gone`);
  } finally {
    fs.rmSync(fake.dir, { recursive: true, force: true });
  }
});

test('an installed openclaw that prints garbage: the cause is named and the snapshot is used', async () => {
  const fake = fakeOpenClaw(
    'case "$1" in --version) echo "OpenClaw 2026.9.7 (abc1234)";; *) echo "<html>not a schema";; esac',
  );
  try {
    const choice = await chooseSchema({ useInstalled: true, env: fake.env, cacheDir: path.join(fake.dir, 'cache') });
    assert.equal(choice.schema?.origin, 'snapshot');
    assert.match(choice.problems[0], /^Installed openclaw: the output of `.*openclaw config schema` is not JSON/);
    const noVersion = fakeOpenClaw('echo "hello"');
    try {
      const c2 = await chooseSchema({
        useInstalled: true,
        env: noVersion.env,
        cacheDir: path.join(noVersion.dir, 'cache'),
      });
      assert.match(c2.problems[0], /printed no OpenClaw version/);
    } finally {
      fs.rmSync(noVersion.dir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(fake.dir, { recursive: true, force: true });
  }
});

test("the installed openclaw's schema is used and cached per version: the second start runs only --version", async () => {
  const small = JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { newIn2027: { type: 'boolean' } },
    additionalProperties: false,
  });
  const fake = fakeOpenClaw(
    `case "$1" in --version) echo "OpenClaw 2027.1.2 (abc1234)";; config) echo '${small}';; esac`,
  );
  const cacheDir = path.join(fake.dir, 'cache');
  try {
    const first = await chooseSchema({ useInstalled: true, env: fake.env, cacheDir });
    assert.deepEqual(first.problems, []);
    assert.equal(first.schema?.origin, 'installed');
    assert.equal(first.schema?.version, '2027.1.2');
    assert.equal(first.schema?.label, 'OpenClaw 2027.1.2 schema, from the installed openclaw');
    assert.deepEqual(configSchemaIssues({ newIn2027: true }, first.schema), []);
    assert.equal(configSchemaIssues({ gateway: {} }, first.schema).length, 1);
    assert.ok(fs.existsSync(path.join(cacheDir, 'openclaw-config-2027.1.2.schema.json.br')));
    const second = await chooseSchema({ useInstalled: true, env: fake.env, cacheDir });
    assert.equal(second.schema?.version, '2027.1.2');
    const calls = fs
      .readFileSync(fake.log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ').slice(1).join(' '));
    assert.deepEqual(calls, ['--version', 'config schema', '--version']);
  } finally {
    fs.rmSync(fake.dir, { recursive: true, force: true });
  }
});

test('without permission to run programs, the installed openclaw is not run', async () => {
  const fake = fakeOpenClaw('echo "OpenClaw 2027.1.2"');
  try {
    const choice = await chooseSchema({ useInstalled: false, env: fake.env, cacheDir: path.join(fake.dir, 'cache') });
    assert.equal(choice.schema?.origin, 'snapshot');
    assert.equal(fs.existsSync(fake.log), false);
  } finally {
    fs.rmSync(fake.dir, { recursive: true, force: true });
  }
});

test('a missing snapshot is named, and validation goes on with the named rules only', async () => {
  const choice = await chooseSchema({ snapshotFile: path.join(os.tmpdir(), 'ocs-no-such-snapshot.json.br') });
  assert.equal(choice.schema, undefined);
  assert.match(choice.problems[0], /^Bundled schema snapshot: cannot open .* \(ENOENT\)$/);
  assert.deepEqual(configSchemaIssues({ talk: { providers: { a: {}, b: {} } } }, choice.schema).length, 1);
});
