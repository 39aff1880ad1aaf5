// File providers as OpenClaw 2026.9.6 reads them (checked against the real CLI): a relative `path` is resolved
// against the working directory, and its "not readable" / "must be a file" errors end in ` | ENOENT ...` and
// ` | not-file`. Plus 9.6's talk rule: a set `${VAR}` that is only whitespace on talk.providers.*.apiKey is dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OUR_CLI } from '../compat/oracle';

function sandbox(config: (stateDir: string) => string) {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-filepaths-')));
  const stateDir = path.join(root, 'home', '.openclaw');
  const cwd = path.join(root, 'cwd');
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(cwd);
  fs.writeFileSync(path.join(stateDir, 'openclaw.json'), config(stateDir), { mode: 0o600 });
  const env = { PATH: '/usr/bin:/bin', HOME: path.join(root, 'home'), OPENCLAW_STATE_DIR: stateDir };
  const audit = (extraEnv: Record<string, string> = {}) => {
    const run = spawnSync(process.execPath, [OUR_CLI, 'audit', '--json'], {
      cwd,
      env: { ...env, ...extraEnv },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return {
      code: run.status,
      report: JSON.parse(run.stdout) as {
        status: string;
        findings: Array<{ code: string; jsonPath: string; message: string }>;
      },
    };
  };
  return { root, stateDir, cwd, audit, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}

const model = (name: string, apiKey: unknown) => ({
  baseUrl: `https://${name}.example/v1`,
  api: 'openai-responses',
  models: [{ id: 'c', name: 'C' }],
  apiKey,
});

test('a relative file-provider path is read from the working directory', () => {
  const s = sandbox(() =>
    JSON.stringify({
      secrets: { providers: { rel: { source: 'file', path: 'secrets/rel.json' } } },
      models: { mode: 'merge', providers: { a1: model('a1', { source: 'file', provider: 'rel', id: '/k' }) } },
    }),
  );
  try {
    fs.mkdirSync(path.join(s.cwd, 'secrets'));
    fs.writeFileSync(path.join(s.cwd, 'secrets', 'rel.json'), JSON.stringify({ k: 'sk-test-CANARY-relative-1' }), {
      mode: 0o600,
    });
    const { code, report } = s.audit();
    assert.deepEqual([code, report.status, report.findings], [0, 'clean', []]);
  } finally {
    s.dispose();
  }
});

test("missing file and directory: OpenClaw's messages, with ` | ENOENT ...` and ` | not-file`", () => {
  const s = sandbox((stateDir) =>
    JSON.stringify({
      secrets: {
        providers: {
          relmissing: { source: 'file', path: 'nope/rel2.json' },
          absmissing: { source: 'file', path: `${stateDir}/missing.json` },
          dirf: { source: 'file', path: `${stateDir}/adir` },
        },
      },
      models: {
        mode: 'merge',
        providers: {
          a2: model('a2', { source: 'file', provider: 'relmissing', id: '/k' }),
          a3: model('a3', { source: 'file', provider: 'absmissing', id: '/k' }),
          a4: model('a4', { source: 'file', provider: 'dirf', id: '/k' }),
        },
      },
    }),
  );
  try {
    fs.mkdirSync(path.join(s.stateDir, 'adir'));
    const { code, report } = s.audit();
    assert.equal(code, 2);
    const messages = Object.fromEntries(report.findings.map((f) => [f.jsonPath, f.message]));
    const rel = path.join(s.cwd, 'nope', 'rel2.json');
    const abs = path.join(s.stateDir, 'missing.json');
    // Exactly what `openclaw secrets audit --json` 2026.9.6 printed for the same layout.
    assert.deepEqual(messages, {
      'models.providers.a2.apiKey': `Failed to resolve file:relmissing:/k (secrets.providers.relmissing.path is not readable: ${rel} | ENOENT: no such file or directory, lstat '${rel}' | ENOENT | not-found | ENOENT).`,
      'models.providers.a3.apiKey': `Failed to resolve file:absmissing:/k (secrets.providers.absmissing.path is not readable: ${abs} | ENOENT: no such file or directory, lstat '${abs}' | ENOENT | not-found | ENOENT).`,
      'models.providers.a4.apiKey': `Failed to resolve file:dirf:/k (secrets.providers.dirf.path must be a file: ${path.join(s.stateDir, 'adir')} | not-file).`,
    });
  } finally {
    s.dispose();
  }
});

test('talk.providers.*.apiKey: a set ${VAR} of only whitespace is dropped; an unset one and other fields are still reported', () => {
  const s = sandbox(() =>
    JSON.stringify({
      talk: {
        provider: 'elevenlabs',
        providers: { elevenlabs: { apiKey: '${WS_ONLY}' }, other: { apiKey: '${UNSET_VAR_X}' } },
      },
      models: { mode: 'merge', providers: { a1: model('a1', '${WS_ONLY}') } },
    }),
  );
  try {
    const { report } = s.audit({ WS_ONLY: '   ' });
    assert.deepEqual(report.findings.map((f) => [f.code, f.jsonPath]).sort(), [
      ['REF_UNRESOLVED', 'models.providers.a1.apiKey'],
      ['REF_UNRESOLVED', 'talk.providers.other.apiKey'],
    ]);
  } finally {
    s.dispose();
  }
});
