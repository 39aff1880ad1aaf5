// Every plan the "Convert to SecretRef" variants write is accepted by the real OpenClaw 2026.9.6:
// `openclaw secrets apply --from <plan> --dry-run --json` on the config as the editor left it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { ensureOracle, networkIsolation, type Oracle } from '../compat/oracle';
import { startSession, tempDir, uriOf, type LspSession } from './lspHarness';

const MODEL = `baseUrl: 'https://api.openai.com/v1', api: 'openai-responses', models: [{ id: 'gpt-test', name: 'GPT Test' }]`;

async function actionsAt(s: LspSession, file: string, snippet: string): Promise<CodeAction[]> {
  const text = s.text(file);
  const at = text.indexOf(snippet);
  const before = text.slice(0, at);
  const pos = { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) + 1 };
  return (await s.client.sendRequest('textDocument/codeAction', {
    textDocument: { uri: uriOf(file) },
    range: { start: pos, end: pos },
    context: { diagnostics: [], only: ['quickfix'] },
  })) as CodeAction[];
}

function runOracle(
  oracle: Oracle,
  dir: string,
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = path.join(dir, 'home');
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const childEnv = {
    PATH: `${path.dirname(oracle.nodeBin)}:/usr/bin:/bin`,
    HOME: home,
    OPENCLAW_HOME: home,
    OPENCLAW_STATE_DIR: dir,
    OPENCLAW_CONFIG_PATH: path.join(dir, 'openclaw.json'),
    OPENCLAW_OFFLINE: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    NO_COLOR: '1',
    ...env,
  };
  const iso = networkIsolation();
  const [bin, ...rest] = [...iso, oracle.nodeBin, oracle.openclawMjs, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, rest, { cwd: home, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

interface Variant {
  name: string;
  /** the action title starts with this */
  title: string;
  config: (dir: string) => string;
  prepare?: (dir: string) => void;
  env: Record<string, string>;
  args: string[];
  rewritten: boolean;
}

const VARIANTS: Variant[] = [
  {
    name: 'env, variable already set: field rewritten',
    title: 'Convert to SecretRef: env OPENAI_API_KEY',
    config: () =>
      `{\n  // JSON5\n  models: { mode: 'merge', providers: { openai: { ${MODEL}, apiKey: 'sk-test-CANARY-PLAN-ENV' } } },\n}\n`,
    env: { OPENAI_API_KEY: 'sk-test-CANARY-PLAN-ENV' },
    args: [],
    rewritten: true,
  },
  {
    name: 'env, variable not set yet: plan only',
    title: 'Convert to SecretRef: env OPENAI_API_KEY',
    config: () =>
      `{\n  models: { mode: 'merge', providers: { openai: { ${MODEL}, apiKey: 'sk-test-CANARY-PLAN-ENV2' } } },\n}\n`,
    // What the user does before apply: put the variable where OpenClaw runs.
    env: { OPENAI_API_KEY: 'sk-test-CANARY-PLAN-ENV2' },
    args: [],
    rewritten: false,
  },
  {
    name: 'file, declared provider',
    title: 'Convert to SecretRef: file vaultfile',
    prepare: (dir) => {
      fs.writeFileSync(path.join(dir, 'secrets.json'), '{}');
      fs.chmodSync(path.join(dir, 'secrets.json'), 0o600);
    },
    config: (dir) =>
      `{\n  secrets: { providers: { vaultfile: { source: 'file', path: ${JSON.stringify(path.join(dir, 'secrets.json'))}, mode: 'json' } } },\n  gateway: { auth: { mode: 'token', token: 'sk-test-CANARY-PLAN-FILE' } },\n}\n`,
    env: {},
    args: [],
    rewritten: true,
  },
  {
    name: 'file, new provider declared by the fix (plan upsert)',
    title: 'Convert to SecretRef: file /models/providers/openai/apiKey in a new provider',
    config: () =>
      `{\n  models: { mode: 'merge', providers: { openai: { ${MODEL}, apiKey: 'sk-test-CANARY-PLAN-NEWFILE' } } },\n}\n`,
    env: {},
    args: [],
    rewritten: true,
  },
  {
    name: 'exec, declared provider: plan only',
    title: 'Convert to SecretRef: exec vault',
    prepare: (dir) => {
      const script = path.join(dir, 'resolver.sh');
      fs.writeFileSync(
        script,
        `#!/bin/sh\n/bin/cat >/dev/null\nprintf '{"protocolVersion":1,"values":{"models/providers/openai/apiKey":"sk-test-CANARY-PLAN-EXEC"}}'\n`,
      );
      fs.chmodSync(script, 0o700);
    },
    config: (dir) =>
      `{\n  secrets: { providers: { vault: { source: 'exec', command: ${JSON.stringify(path.join(dir, 'resolver.sh'))} } } },\n  models: { mode: 'merge', providers: { openai: { ${MODEL}, apiKey: 'sk-test-CANARY-PLAN-EXEC' } } },\n}\n`,
    env: {},
    args: ['--allow-exec'],
    rewritten: false,
  },
];

let oracle: Oracle | undefined;
const oracleOnce = () => (oracle ??= ensureOracle());

for (const v of VARIANTS) {
  test(`the real openclaw accepts the plan of: ${v.name}`, async () => {
    const dir = fs.realpathSync(tempDir());
    fs.chmodSync(dir, 0o700);
    v.prepare?.(dir);
    const file = path.join(dir, 'openclaw.json');
    const s = await startSession({ env: v.rewritten && v.title.includes(' env ') ? v.env : {}, trusted: true });
    try {
      await s.open(file, v.config(dir));
      const actions = await actionsAt(s, file, 'sk-test-CANARY-PLAN');
      const action = actions.find((a) => a.title.startsWith(v.title));
      assert.ok(action, `no action "${v.title}" among: ${actions.map((a) => a.title).join(' | ')}`);
      const result = (await s.client.sendRequest('workspace/executeCommand', {
        command: action.command!.command,
        arguments: action.command!.arguments,
      })) as { rewritten: boolean; planPath: string };
      assert.equal(result.rewritten, v.rewritten);
      // The user saves the buffer; the plan is already on disk beside it.
      fs.writeFileSync(file, s.text(file));
      fs.chmodSync(file, 0o600);
      const plan = path.join(dir, 'openclaw.secrets-plan.json');
      assert.ok(!fs.readFileSync(plan, 'utf8').includes('CANARY'), 'the plan holds no value');
      const r = await runOracle(oracleOnce(), dir, v.env, [
        'secrets',
        'apply',
        '--from',
        plan,
        '--dry-run',
        '--json',
        ...v.args,
      ]);
      assert.equal(r.code, 0, `openclaw rejected the plan: ${r.stdout}${r.stderr}`);
      const out = JSON.parse(r.stdout) as { mode: string; checks: { resolvability: boolean } };
      assert.equal(out.mode, 'dry-run');
      assert.equal(out.checks.resolvability, true);
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
