// The CLI's `resolve` and the editor's resolve request collect the same refs: one config with a ref at
// every openclaw.json credential path of the target registry, plus refs outside the registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CREDENTIAL_TARGETS, materializeTargetPath } from '../../server/src/engine/targets/targetRegistry';
import { cli } from '../helpers/cli';
import { tempFixture } from '../helpers/tempDir';
import { startSession, uriOf } from './lspHarness';

const CANARY = 'sk-test-CANARY-refAgreement';

/** Build nested objects along `segments` (numeric segments make arrays); false when the spot is taken. */
function place(
  root: Record<string, unknown>,
  segments: readonly string[],
  value: unknown,
  refs: Set<unknown>,
): boolean {
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i];
    const nextIsIndex = /^\d+$/.test(segments[i + 1]);
    const existing = (node as Record<string, unknown>)[key];
    if (existing === undefined) {
      const created: Record<string, unknown> | unknown[] = nextIsIndex ? [] : {};
      (node as Record<string, unknown>)[key] = created;
      node = created;
    } else if (
      typeof existing === 'object' &&
      existing !== null &&
      !refs.has(existing) &&
      Array.isArray(existing) === nextIsIndex
    ) {
      node = existing as Record<string, unknown>;
    } else return false;
  }
  const last = segments[segments.length - 1];
  if ((node as Record<string, unknown>)[last] !== undefined) return false;
  (node as Record<string, unknown>)[last] = value;
  refs.add(value);
  return true;
}

/** One env ref per openclaw.json credential target (its sibling ref path where it has one). */
function configAtEveryCredentialPath(): {
  config: Record<string, unknown>;
  env: Record<string, string>;
  placed: number;
} {
  const config: Record<string, unknown> = {};
  const env: Record<string, string> = {};
  const refs = new Set<unknown>();
  let placed = 0;
  CREDENTIAL_TARGETS.filter((t) => t.configFile === 'openclaw.json').forEach((target, n) => {
    let w = 0;
    const captures = target.pathPattern
      .split('.')
      .filter((s) => s === '*' || s.endsWith('[]'))
      .map((s) => (s === '*' ? `w${w++}` : '0'));
    const { path, refPath } = materializeTargetPath(target, captures);
    const id = `SK_TEST_${n}`;
    if (place(config, refPath ?? path, { source: 'env', provider: 'default', id }, refs)) {
      env[id] = `${CANARY}-${n}`;
      placed++;
    }
  });
  // Refs outside the registry: OpenClaw resolves every exact ref object, and so must both of ours.
  place(config, ['tools', 'web', 'key'], { source: 'env', provider: 'default', id: 'SK_TEST_TOOLS' }, refs);
  place(config, ['custom', 'list', '0', 'token'], { source: 'env', provider: 'default', id: 'SK_TEST_LIST' }, refs);
  env.SK_TEST_TOOLS = `${CANARY}-tools`;
  env.SK_TEST_LIST = `${CANARY}-list`;
  return { config, env, placed };
}

test('the CLI and the editor resolve the same refs at every credential path and outside the registry', async (t) => {
  const f = tempFixture(t, 'ocs-ref-agreement-');
  const { config, env, placed } = configAtEveryCredentialPath();
  assert.ok(placed >= 40, `refs placed at ${placed} credential paths`);
  const text = JSON.stringify(config, null, 2);
  const configPath = f.write('openclaw.json', text);

  const run = await cli(
    ['resolve', '--json'],
    { ...env, OPENCLAW_CONFIG_PATH: configPath, HOME: f.dir },
    { cwd: f.dir },
  );
  assert.equal(run.stderr, '');
  const fromCli = (JSON.parse(run.stdout) as { results: { path: string; refKey: string; ok: boolean }[] }).results;

  const s = await startSession({ env, autoResolve: false });
  t.after(() => s.close());
  await s.open(configPath, text);
  const fromEditor = (
    (await s.client.sendRequest('openclawSecrets/resolve', { uri: uriOf(configPath), allowExec: false })) as {
      results: { path: string; refKey: string; ok: boolean }[];
    }
  ).results;

  const keys = (rs: { path: string; refKey: string }[]) => rs.map((r) => `${r.path} ${r.refKey}`).sort();
  assert.deepEqual(keys(fromEditor), keys(fromCli));
  assert.ok(keys(fromCli).includes('tools.web.key env:default:SK_TEST_TOOLS'));
  assert.equal(fromCli.length, placed + 2);
  assert.equal(s.serverOutput().includes(CANARY), false, 'no value on the wire');
});
