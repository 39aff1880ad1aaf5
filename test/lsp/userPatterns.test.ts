// User regexes (openclawSecrets.detection.extraPatterns) cannot freeze the server: they run on RE2 (linear
// time). The catastrophic pattern is checked in a child process with a deadline, so a freeze fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePatterns, detectCredential } from '../../server/src/engine/analyze/credentialPatterns';
import { startSession, tempDir } from './lspHarness';

const MODULE = path.resolve(__dirname, '..', '..', 'server', 'src', 'engine', 'analyze', 'credentialPatterns.js');
const DEADLINE_MS = 10_000;

test("^(a+)+$ against 32 a's and a mismatch answers promptly (a backtracking engine takes minutes)", async () => {
  const script = `
    const { compilePatterns, detectCredential } = require(${JSON.stringify(MODULE)});
    const set = compilePatterns([{ name: 'evil', regex: '^(a+)+$' }]);
    const hit = detectCredential('a'.repeat(32) + '!', set);
    const match = detectCredential('a'.repeat(40), set);
    process.stdout.write(JSON.stringify({ hit: hit ? hit.kind : null, match: match ? match.kind : null }));
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const killed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(true);
    }, DEADLINE_MS);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  assert.equal(killed, false, `the pattern froze the matcher for over ${DEADLINE_MS}ms`);
  assert.deepEqual(JSON.parse(out), { hit: null, match: 'evil' });
});

test('patterns RE2 cannot run (lookbehind, backreference, syntax error) are settings errors naming the pattern', () => {
  const set = compilePatterns([
    { name: 'lookbehind', regex: '(?<=key=)[a-z]{20}' },
    { name: 'backref', regex: '(a)\\1' },
    { name: 'broken', regex: '(' },
    { name: 'fine', regex: '^itk_[a-z]{20}$' },
  ]);
  assert.deepEqual(set.invalid, ['lookbehind', 'backref', 'broken']);
  assert.equal(set.problems?.length, 3);
  for (const p of set.problems ?? []) {
    assert.match(
      p,
      /^openclawSecrets\.detection\.extraPatterns: pattern "(lookbehind|backref|broken)" is ignored: not a valid RE2 regex/,
    );
    assert.ok(p.endsWith('.') && !p.endsWith('..'), p);
  }
  assert.equal(detectCredential('itk_abcdefghijklmnopqrst', set)?.kind, 'fine');
});

test('over LSP: the evil pattern still yields diagnostics, and a bad pattern is shown once as a warning', async () => {
  const dir = tempDir();
  const s = await startSession({
    settings: {
      detection: {
        extraPatterns: [
          { name: 'evil', regex: '^(a+)+$' },
          { name: 'broken', regex: '(?<=x)y' },
        ],
      },
    },
  });
  try {
    const file = path.join(dir, 'openclaw.json');
    const text = JSON.stringify({ notes: { a: 'a'.repeat(32) + '!', b: 'a'.repeat(40) } });
    const { diagnostics } = await s.open(file, text);
    // `notes` is no key of OpenClaw's schema (CONFIG_SCHEMA_INVALID); what counts here is the user patterns' finding.
    assert.deepEqual(
      diagnostics.map((d) => d.code).filter((c) => c !== 'CONFIG_SCHEMA_INVALID'),
      ['KNOWN_CREDENTIAL_FORMAT'],
    );
    assert.match(
      diagnostics.find((d) => d.code === 'KNOWN_CREDENTIAL_FORMAT')?.message ?? '',
      /^notes\.b looks like evil/,
    );
    await s.change(file, text + ' ');
    const warnings = s.messages.filter(
      (m) =>
        m.method.startsWith('window/showMessage') &&
        String((m.params as { message: string }).message).includes('extraPatterns'),
    );
    assert.equal(warnings.length, 1, JSON.stringify(s.messages.map((m) => m.method)));
    assert.match(
      (warnings[0].params as { message: string }).message,
      /pattern "broken" is ignored: not a valid RE2 regex/,
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
