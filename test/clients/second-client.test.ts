// Second real LSP clients: Neovim (headless) and Emacs eglot (batch) open a config, receive the diagnostic,
// apply the "Convert to SecretRef" quick fix and run a server command, against the bundled server over stdio.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SERVER_BUNDLE = path.join(REPO, 'dist', 'server.js');
const SOURCE_DIR = path.join(REPO, 'test', 'clients');
const CANARY = 'sk-test-CANARY-clients-0123456789abcdef';
const FIXTURE = `{
  "models": {
    "mode": "merge",
    "providers": {
      "openai": {
        "baseUrl": "https://api.openai.com/v1",
        "api": "openai-responses",
        "models": [{ "id": "gpt-test", "name": "GPT Test" }],
        "apiKey": "${CANARY}"
      }
    }
  }
}
`;

interface ClientReport {
  client: string;
  version: string;
  range: { startLine: number; startCharacter: number; endLine: number; endCharacter: number } | null;
  checks: { name: string; ok: boolean; detail: unknown }[];
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this dir
    }
  }
  return undefined;
}

function runClient(
  binary: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(binary, args, { cwd, env, timeout: 90_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error
        ? typeof (error as { code?: unknown }).code === 'number'
          ? (error as { code: number }).code
          : 1
        : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** The value's range in the fixture, with or without its quotes (the server may give either). */
function expectedValueRange(): { line: number; quoted: number; unquoted: number } {
  const lines = FIXTURE.split('\n');
  const line = lines.findIndex((l) => l.includes(CANARY));
  const quoted = lines[line].indexOf(`"${CANARY}"`);
  return { line, quoted, unquoted: quoted + 1 };
}

const CLIENTS = [
  {
    name: 'Neovim',
    binary: 'nvim',
    install: 'apt-get install neovim',
    args: (dir: string) => [
      '--headless',
      '-u',
      'NONE',
      '-i',
      'NONE',
      '-n',
      '-c',
      `luafile ${path.join(dir, 'nvim', 'lsp-test.lua')}`,
    ],
  },
  {
    name: 'Emacs eglot',
    binary: 'emacs',
    install: 'apt-get install emacs-nox elpa-eglot',
    args: (dir: string) => ['--batch', '-Q', '-l', path.join(dir, 'emacs', 'eglot-test.el')],
  },
];

for (const client of CLIENTS) {
  test(`${client.name}: diagnostic, quick fix "Convert to SecretRef", executeCommand`, async (t) => {
    const binary = onPath(client.binary);
    if (!binary) {
      t.skip(`${client.binary} is not installed (${client.install})`);
      return;
    }
    assert.ok(fs.existsSync(SERVER_BUNDLE), `${SERVER_BUNDLE} is missing: run npm run build`);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `openclaw-${client.binary}-`));
    try {
      const ws = path.join(root, 'ws');
      const home = path.join(root, 'home');
      fs.mkdirSync(ws);
      fs.mkdirSync(home);
      fs.writeFileSync(path.join(ws, 'openclaw.json'), FIXTURE);
      const out = path.join(root, 'result.json');
      const env = {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, '.config'),
        XDG_DATA_HOME: path.join(home, '.local', 'share'),
        XDG_STATE_HOME: path.join(home, '.local', 'state'),
        TERM: 'dumb',
        WS: ws,
        SERVER: SERVER_BUNDLE,
        OUT: out,
        // The server finds the value already stored under the suggested env id, so the fix rewrites the field.
        OPENAI_API_KEY: CANARY,
      };
      const run = await runClient(binary, client.args(SOURCE_DIR), root, env);
      assert.ok(fs.existsSync(out), `${client.name} wrote no result (exit ${run.code}): ${run.output.slice(-2000)}`);
      const report = JSON.parse(fs.readFileSync(out, 'utf8')) as ClientReport;
      const failed = report.checks.filter((c) => !c.ok);
      assert.deepEqual(failed, [], `${client.name} ${report.version}: failed checks`);
      const names = report.checks.map((c) => c.name);
      for (const required of [
        'diagnostic PLAINTEXT_FOUND received',
        'code action "Convert to SecretRef" offered',
        'edit applied: the field is a SecretRef',
        'diagnostic cleared after the edit',
        'plan written beside the config',
        'workspace/executeCommand openclawSecrets.resolve answers',
      ]) {
        assert.ok(names.includes(required), `${client.name} ran the check "${required}"`);
      }
      const expected = expectedValueRange();
      assert.ok(report.range, 'the diagnostic range was recorded');
      assert.equal(report.range.startLine, expected.line);
      assert.ok(
        [expected.quoted, expected.unquoted].includes(report.range.startCharacter),
        `range starts at the value (got ${report.range.startCharacter})`,
      );
      const plan = fs.readFileSync(path.join(ws, 'openclaw.secrets-plan.json'), 'utf8');
      assert.ok(!plan.includes(CANARY), 'the plan never holds the value');
      assert.ok(!run.output.includes(CANARY), `${client.name}'s output never shows the value`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}
