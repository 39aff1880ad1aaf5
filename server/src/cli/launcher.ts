// The `openclaw-secrets` executable: runs the CLI bundle (cli-payload.js beside it, written by scripts/build.mjs)
// through V8's code cache, one per command in the user's cache dir, so a repeated command skips parsing and
// compiling the functions it ran last time. Node 20's loader has no compile cache, and Node 22's keeps only
// what compiled before the first run ended; this one is written after the run, so it holds the command's own
// code. The bundle is read as a file, not embedded: V8 scanned a 1 MB string literal on every start.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { fileIdentityKey } from '../engine/runtime/fileIdentity';

/** The bundle's file name, beside this launcher (in dist/ and in the npm package). */
export const PAYLOAD_FILE = 'cli-payload.js';
/** The bundle is about 600 KB; anything past this is not ours. */
const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

/** Commands with a cache of their own; anything else shares one. */
const CACHED_COMMANDS = new Set(['audit', 'resolve', 'apply', 'configure', 'reload']);
/** A cache larger than this is not ours (V8's for this bundle is about 1 MB). */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** Another build's cache older than this is removed when this build writes its own. */
export const STALE_CACHE_MS = 7 * 24 * 60 * 60 * 1000;

/** The per-user cache dir (never inside a workspace), as for the schema cache. */
export function codeCacheDir(env: NodeJS.ProcessEnv): string {
  const home = env.HOME || os.homedir();
  if (process.platform === 'win32')
    return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'openclaw-secrets', 'code');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'openclaw-secrets', 'code');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'openclaw-secrets', 'code');
}

/** A regular file's bytes and identity through its descriptor, with a size cap; undefined when there is none to use. */
function readRegular(file: string, maxBytes: number): { bytes: Buffer; st: fs.BigIntStats } | undefined {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO planted here must not wait for a writer (fstat then refuses it).
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
    const st = fs.fstatSync(fd, { bigint: true });
    if (!st.isFile() || st.size > BigInt(maxBytes)) return undefined;
    const size = Number(st.size);
    // Every byte is read below before any is used (a short read is cut off): no need to zero-fill first.
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = fs.readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { bytes: bytes.subarray(0, read), st };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeCache(file: string, data: Buffer, payloadKey: string): void {
  try {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
    // Other builds' caches go once a week old (an upgrade leaves its predecessor's; two installed builds keep theirs).
    for (const name of fs.readdirSync(dir)) {
      if (!/^cli-[0-9a-f]{16}-/.test(name) || name.startsWith(`cli-${payloadKey}-`)) continue;
      const other = path.join(dir, name);
      if (Date.now() - fs.lstatSync(other).mtimeMs > STALE_CACHE_MS) fs.rmSync(other, { force: true });
    }
  } catch {
    // a cache we cannot write only costs the next run its compile time
  }
}

function launch(): void {
  const env = process.env;
  const command = process.argv[2] ?? '';
  const payloadPath = path.join(__dirname, PAYLOAD_FILE);
  const payloadFile = readRegular(payloadPath, MAX_PAYLOAD_BYTES);
  if (!payloadFile) {
    process.stderr.write(
      `openclaw-secrets: ${payloadPath} is missing or not a regular file; reinstall openclaw-secrets\n`,
    );
    process.exit(1);
  }
  // The bundle's own identity (not the launcher's build), the Node version and the command name the entry: V8
  // itself checks only version and length, and a launcher beside another or an edited bundle must not reuse its code.
  const payloadKey = fileIdentityKey(payloadFile.st);
  const cacheFile =
    env.OPENCLAW_SECRETS_CODE_CACHE === '0'
      ? undefined
      : path.join(
          codeCacheDir(env),
          `cli-${payloadKey}-${process.version}-${process.arch}-${CACHED_COMMANDS.has(command) ? command : 'other'}.v8`,
        );
  const cachedData = cacheFile ? readRegular(cacheFile, MAX_CACHE_BYTES)?.bytes : undefined;
  const filename = __filename;
  // scripts/build.mjs wrapped the bundle as a CommonJS module function (exports, require, module, __filename,
  // __dirname) already: no concatenation of the whole bundle here.
  const script = new vm.Script(payloadFile.bytes.toString('utf8'), {
    filename,
    ...(cachedData ? { cachedData } : {}),
  });
  // The bundle is the main module of this process: its `require.main === module` starts the CLI.
  const payloadModule = { exports: {}, id: '.', filename, loaded: false, children: [], paths: [] };
  // Not from a run that prepared the schema (main.ts's codeCacheWorthKeeping): the next, warm run writes it.
  if (cacheFile && (!cachedData || script.cachedDataRejected))
    process.once('exit', () => {
      const worthKeeping = (payloadModule.exports as { codeCacheWorthKeeping?: () => boolean }).codeCacheWorthKeeping;
      if (worthKeeping?.() !== false) writeCache(cacheFile, script.createCachedData(), payloadKey);
    });
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const payloadRequire = createRequire(filename);
  (payloadRequire as { main: unknown }).main = payloadModule;
  run.call(
    payloadModule.exports,
    payloadModule.exports,
    payloadRequire,
    payloadModule,
    filename,
    path.dirname(filename),
  );
}

launch();
