// "Convert to SecretRef" and the other quick fixes over a real LSP connection: the plan file written in
// OpenClaw's format (merged), the value stored before the field is rewritten, never lost, never leaked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Command } from 'vscode-languageserver-protocol';
import { startSession, tempDir, uriOf, type LspSession } from './lspHarness';
import { validateSecretsPlan } from '../../server/src/engine/plan/plan';

const CONFIG = `{
  // JSON5 with a comment that must survive
  models: { providers: { openai: { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test-CANARY-CONVERT-1' } } },
  gateway: { auth: { token: 'sk-test-CANARY-CONVERT-2' } },
}
`;

async function actionsAt(s: LspSession, file: string, snippet: string, only?: string[]): Promise<CodeAction[]> {
  const text = s.text(file);
  const at = text.indexOf(snippet);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  const character = at - (before.lastIndexOf('\n') + 1);
  const pos = { line, character: character + 1 };
  return (await s.client.sendRequest('textDocument/codeAction', {
    textDocument: { uri: uriOf(file) },
    range: { start: pos, end: pos },
    context: { diagnostics: [], ...(only ? { only } : {}) },
  })) as CodeAction[];
}

async function run(s: LspSession, action: CodeAction | Command): Promise<unknown> {
  const cmd = 'command' in action && typeof action.command === 'object' ? action.command : (action as Command);
  return s.client.sendRequest('workspace/executeCommand', { command: cmd.command, arguments: cmd.arguments });
}

const readPlan = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8'));

test('env variant: variable already set with the same value -> plan target + field rewritten', async () => {
  const dir = tempDir();
  const s = await startSession({ env: { OPENAI_API_KEY: 'sk-test-CANARY-CONVERT-1' } });
  try {
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, CONFIG);
    const actions = await actionsAt(s, file, `'sk-test-CANARY-CONVERT-1'`);
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, [
      'Convert to SecretRef: env OPENAI_API_KEY (already set: rewrite models.providers.openai.apiKey)',
      'Convert to SecretRef: file /models/providers/openai/apiKey in a new provider "localfile" (secrets.json, 0600)',
      'Ignore this finding',
      'Convert all plaintext in this file (2)',
    ]);
    const after = s.nextDiagnostics(file, (d) => d.length === 1);
    const result = (await run(s, actions[0])) as { rewritten: boolean; planPath: string; refKey: string };
    assert.equal(result.rewritten, true);
    assert.equal(result.refKey, 'env:default:OPENAI_API_KEY');
    assert.equal(
      s.text(file),
      CONFIG.replace(`'sk-test-CANARY-CONVERT-1'`, "{ source: 'env', provider: 'default', id: 'OPENAI_API_KEY' }"),
    );
    const plan = readPlan(path.join(dir, 'openclaw.secrets-plan.json'));
    assert.equal(validateSecretsPlan(plan).ok, true);
    assert.deepEqual(plan.targets, [
      {
        type: 'models.providers.apiKey',
        path: 'models.providers.openai.apiKey',
        pathSegments: ['models', 'providers', 'openai', 'apiKey'],
        ref: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' },
        providerId: 'openai',
      },
    ]);
    assert.equal(fs.statSync(path.join(dir, 'openclaw.secrets-plan.json')).mode & 0o777, 0o600);
    assert.ok(!fs.readFileSync(path.join(dir, 'openclaw.secrets-plan.json'), 'utf8').includes('CANARY'));
    const { diagnostics } = await after;
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['PLAINTEXT_FOUND'],
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('env variant: variable not set -> only the plan is written, the field keeps its value; plans merge', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, CONFIG);
    await run(s, (await actionsAt(s, file, `'sk-test-CANARY-CONVERT-1'`))[0]);
    const second = (await run(s, (await actionsAt(s, file, `'sk-test-CANARY-CONVERT-2'`))[0])) as {
      rewritten: boolean;
    };
    assert.equal(second.rewritten, false);
    assert.equal(s.text(file), CONFIG);
    assert.equal(s.appliedEdits.length, 0);
    const plan = readPlan(path.join(dir, 'openclaw.secrets-plan.json'));
    assert.deepEqual(
      plan.targets.map((t: { path: string; ref: { id: string } }) => [t.path, t.ref.id]),
      [
        ['models.providers.openai.apiKey', 'OPENAI_API_KEY'],
        ['gateway.auth.token', 'GATEWAY_AUTH_TOKEN'],
      ],
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('file variant: the value is stored at the pointer (0600, atomic) before the field is rewritten', async () => {
  const dir = tempDir();
  const secrets = path.join(dir, 'secrets.json');
  fs.writeFileSync(secrets, JSON.stringify({ other: 'kept' }));
  fs.chmodSync(secrets, 0o600);
  const text = `{ "secrets": { "providers": { "vaultfile": { "source": "file", "path": ${JSON.stringify(secrets)}, "mode": "json" } } },\n  "gateway": { "auth": { "token": "sk-test-CANARY-FILE-1" } } }\n`;
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, text);
    const actions = await actionsAt(s, file, '"sk-test-CANARY-FILE-1"', ['quickfix']);
    const fileAction = actions.find((a) => a.title.startsWith('Convert to SecretRef: file vaultfile'))!;
    assert.equal(
      fileAction.title,
      'Convert to SecretRef: file vaultfile /gateway/auth/token (store the value in secrets.json, 0600)',
    );
    assert.equal(fileAction.isPreferred, true);
    const clean = s.nextDiagnostics(file, (d) => d.length === 0);
    const result = (await run(s, fileAction)) as { rewritten: boolean; storedIn: string };
    assert.equal(result.rewritten, true);
    assert.deepEqual(JSON.parse(fs.readFileSync(secrets, 'utf8')), {
      other: 'kept',
      gateway: { auth: { token: 'sk-test-CANARY-FILE-1' } },
    });
    assert.equal(fs.statSync(secrets).mode & 0o777, 0o600);
    assert.equal(
      s.text(file),
      text.replace(
        '"sk-test-CANARY-FILE-1"',
        '{ "source": "file", "provider": "vaultfile", "id": "/gateway/auth/token" }',
      ),
    );
    await clean; // the new ref resolves from the file
    const plan = readPlan(path.join(dir, 'openclaw.secrets-plan.json'));
    assert.deepEqual(plan.targets[0].ref, { source: 'file', provider: 'vaultfile', id: '/gateway/auth/token' });
    assert.equal(plan.targets[0].type, 'gateway.auth.token');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('file variant with no file provider declares one (config edit + plan upsert) and creates the payload 0600', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, CONFIG);
    const action = (await actionsAt(s, file, `'sk-test-CANARY-CONVERT-1'`)).find((a) =>
      a.title.includes('new provider'),
    )!;
    await run(s, action);
    const payload = path.join(dir, 'secrets.json');
    assert.deepEqual(JSON.parse(fs.readFileSync(payload, 'utf8')), {
      models: { providers: { openai: { apiKey: 'sk-test-CANARY-CONVERT-1' } } },
    });
    assert.equal(fs.statSync(payload).mode & 0o777, 0o600);
    const text = s.text(file);
    assert.ok(text.includes('// JSON5 with a comment that must survive'));
    // Written in the file's style: bare keys, single quotes, the root's trailing comma kept.
    assert.ok(
      text.includes(
        `\n  secrets: { providers: { localfile: { source: 'file', path: '${payload}', mode: 'json' } } },\n}`,
      ),
      text,
    );
    assert.ok(
      text.includes(`apiKey: { source: 'file', provider: 'localfile', id: '/models/providers/openai/apiKey' }`),
    );
    const plan = readPlan(path.join(dir, 'openclaw.secrets-plan.json'));
    assert.deepEqual(plan.providerUpserts, { localfile: { source: 'file', path: payload, mode: 'json' } });
    assert.equal(validateSecretsPlan(plan).ok, true);
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('exec variant: declared exec provider -> plan only, the field is never rewritten', async () => {
  const dir = tempDir();
  const text = `{ "secrets": { "providers": { "vault": { "source": "exec", "command": "/usr/local/bin/vault-resolver" } } }, "talk": { "providers": { "el": { "apiKey": "sk-test-CANARY-EXEC-1" } } } }`;
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, text);
    const action = (await actionsAt(s, file, '"sk-test-CANARY-EXEC-1"')).find((a) =>
      a.title.startsWith('Convert to SecretRef: exec'),
    )!;
    assert.equal(action.title, 'Convert to SecretRef: exec vault talk/providers/el/apiKey (add to apply plan)');
    const result = (await run(s, action)) as { rewritten: boolean };
    assert.equal(result.rewritten, false);
    assert.equal(s.text(file), text);
    const plan = readPlan(path.join(dir, 'openclaw.secrets-plan.json'));
    assert.deepEqual(plan.targets[0].ref, { source: 'exec', provider: 'vault', id: 'talk/providers/el/apiKey' });
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an invalid existing plan is never overwritten', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    fs.writeFileSync(path.join(dir, 'openclaw.secrets-plan.json'), '{"version": 7}');
    await s.open(file, CONFIG);
    await assert.rejects(
      run(s, (await actionsAt(s, file, `'sk-test-CANARY-CONVERT-1'`))[0]),
      /openclaw\.secrets-plan\.json exists but is not a valid plan; not overwriting it/,
    );
    assert.equal(fs.readFileSync(path.join(dir, 'openclaw.secrets-plan.json'), 'utf8'), '{"version": 7}');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('convert all (source.fixAll), declare provider, add to allowlist, restrict permissions, ignore', async () => {
  const dir = tempDir();
  const secrets = path.join(dir, 's.json');
  fs.writeFileSync(secrets, '{}');
  fs.chmodSync(secrets, 0o644);
  const text = `{ "secrets": { "providers": { "envp": { "source": "env", "allowlist": ["A_KEY"] }, "fp": { "source": "file", "path": ${JSON.stringify(secrets)} } } },
  "models": { "providers": { "a": { "apiKey": { "source": "env", "provider": "envp", "id": "B_KEY" } }, "b": { "apiKey": { "source": "exec", "provider": "vault", "id": "k" } } } } }`;
  const s = await startSession({ autoResolve: false });
  try {
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, text);
    const allow = (await actionsAt(s, file, '"B_KEY"')).find((a) => a.title.startsWith('Add B_KEY'))!;
    assert.equal(allow.title, 'Add B_KEY to secrets.providers.envp.allowlist');
    assert.deepEqual(
      Object.values(allow.edit!.changes!)[0].map((e) => e.newText),
      ['["A_KEY", "B_KEY"]'],
    );
    const declare = (await actionsAt(s, file, '"vault"')).find((a) => a.title.startsWith('Declare provider'))!;
    assert.equal(declare.title, 'Declare provider "vault" (source exec)');
    assert.match(
      Object.values(declare.edit!.changes!)[0][0].newText,
      /"vault": \{ "source": "exec", "command": ".*vault-resolver" \}/,
    );
    const chmod = (await actionsAt(s, file, JSON.stringify(secrets))).find((a) => a.title.startsWith('Restrict'))!;
    const clean = s.nextDiagnostics(file, (d) => !d.some((x) => x.code === 'PROVIDER_PATH_INSECURE'));
    await run(s, chmod);
    assert.equal(fs.statSync(secrets).mode & 0o777, 0o600);
    await clean;

    const plainFile = path.join(dir, 'other', 'openclaw.json');
    fs.mkdirSync(path.dirname(plainFile));
    await s.open(plainFile, CONFIG);
    const fixAll = (await actionsAt(s, plainFile, `'sk-test-CANARY-CONVERT-2'`, ['source.fixAll'])) as CodeAction[];
    assert.deepEqual(
      fixAll.map((a) => [a.title, a.kind]),
      [['Convert all plaintext in this file (2)', 'source.fixAll']],
    );
    const results = (await run(s, fixAll[0])) as Array<{ jsonPath: string; refKey: string; rewritten: boolean }>;
    assert.deepEqual(
      results.map((r) => [r.jsonPath, r.refKey, r.rewritten]),
      [
        ['models.providers.openai.apiKey', 'file:localfile:/models/providers/openai/apiKey', true],
        ['gateway.auth.token', 'file:localfile:/gateway/auth/token', true],
      ],
    );
    assert.ok(!s.text(plainFile).includes('CANARY'));
    assert.equal((s.text(plainFile).match(/ localfile: \{/g) ?? []).length, 1);

    const ignore = (await actionsAt(s, file, '"B_KEY"')).find((a) => a.title === 'Ignore this finding');
    assert.equal(ignore, undefined, 'refs carry no fingerprint to ignore');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('quick fixes on a JSON5 file write in its style; an alias that is no identifier keeps its quotes', async () => {
  const dir = tempDir();
  const text = `{
  secrets: { providers: { envp: { source: 'env', allowlist: ['A_KEY'] } } },
  models: { providers: { a: { apiKey: { source: 'env', provider: 'envp', id: 'B_KEY' } }, b: { apiKey: { source: 'exec', provider: 'my-vault', id: 'k' } } } },
}
`;
  const s = await startSession({ autoResolve: false });
  try {
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, text);
    const allow = (await actionsAt(s, file, `'B_KEY'`)).find((a) => a.title.startsWith('Add B_KEY'))!;
    assert.deepEqual(
      Object.values(allow.edit!.changes!)[0].map((e) => e.newText),
      ["['A_KEY', 'B_KEY']"],
    );
    const declare = (await actionsAt(s, file, `'my-vault'`)).find((a) => a.title.startsWith('Declare provider'))!;
    assert.match(
      Object.values(declare.edit!.changes!)[0][0].newText,
      /^, 'my-vault': \{ source: 'exec', command: '[^']*my-vault-resolver' \}$/,
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('"Ignore this finding" is a client command carrying a fingerprint, never the value', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, CONFIG);
    const ignore = (await actionsAt(s, file, `'sk-test-CANARY-CONVERT-1'`)).find(
      (a) => a.title === 'Ignore this finding',
    )!;
    assert.equal(ignore.command!.command, 'openclawSecrets.ignoreFinding');
    assert.deepEqual(Object.keys(ignore.command!.arguments![0]), ['fingerprint']);
    assert.match(ignore.command!.arguments![0].fingerprint, /^models\.providers\.openai\.apiKey hmac:[0-9a-f]{8}$/);
    assert.ok(!JSON.stringify(ignore).includes('CANARY'));
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
