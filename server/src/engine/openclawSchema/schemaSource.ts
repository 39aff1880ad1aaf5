// Where OpenClaw's config schema comes from: a file the person names, the installed `openclaw` (its
// `config schema` output, cached per `openclaw --version`), or the snapshot of 2026.9.6 we ship. Any
// problem with one source is reported by cause and the next source is used; nothing here throws.
import { spawn } from 'node:child_process';
import { constants as fsConstants, existsSync, promises as fs, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareSchema, restorePrepared, SchemaFormatError, serializePrepared, type JsonSchema } from './prepareSchema';
import { readRegularFileBytesSync } from '../config/readRegularFile';
import { ConfigSchemaValidator } from './schemaValidator';
import { fileIdentityKey } from '../runtime/fileIdentity';
import { noteColdWork } from '../runtime/coldWork';

/** zlib, loaded on first use: a warm CLI run reads the prepared schema from its cache and never decompresses. */
function zlib(): typeof import('node:zlib') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred: loading zlib costs every start-up
  return require('node:zlib') as typeof import('node:zlib');
}

export const SNAPSHOT_VERSION = '2026.9.6';
export const SNAPSHOT_FILE = `openclaw-config-${SNAPSHOT_VERSION}.schema.json.br`;
/** A schema file larger than this is refused (OpenClaw's is 2.4 MB pretty-printed). */
export const MAX_SCHEMA_BYTES = 32 * 1024 * 1024;
export const VERSION_TIMEOUT_MS = 10_000;
export const SCHEMA_TIMEOUT_MS = 60_000;

export type SchemaOrigin = 'file' | 'installed' | 'snapshot';

export interface LoadedSchema {
  validator: ConfigSchemaValidator;
  origin: SchemaOrigin;
  /** OpenClaw version the schema belongs to (`unknown` for a file without one) */
  version: string;
  /** one line for the status bar / hover: "OpenClaw 2026.9.6 schema, bundled snapshot" */
  label: string;
}

export interface SchemaChoice {
  schema: LoadedSchema | undefined;
  /** why a preferred source was not used (each names its cause), in the order tried */
  problems: string[];
}

export interface SchemaSourceOptions {
  /** `openclawSecrets.schema.path`: a schema file to use instead of OpenClaw's */
  schemaPath?: string;
  /** where schemaPath came from, for messages (default: the setting's name) */
  schemaPathFrom?: string;
  /** run the `openclaw` found on PATH for its schema (only where running programs is allowed) */
  useInstalled?: boolean;
  env?: NodeJS.ProcessEnv;
  /** where installed schemas are cached; default: the user's cache dir */
  cacheDir?: string;
  /** the shipped snapshot; default: found beside the bundle */
  snapshotFile?: string;
  versionTimeoutMs?: number;
  schemaTimeoutMs?: number;
  /** keep compiled schema pieces as code in this file between runs (the CLI; see pieceCodeCache.ts) */
  pieceCacheFile?: string;
}

/** The per-user cache dir for schemas (never inside a workspace). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OPENCLAW_SECRETS_CACHE_DIR) return env.OPENCLAW_SECRETS_CACHE_DIR;
  const home = env.HOME || os.homedir();
  if (process.platform === 'win32')
    return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'openclaw-secrets', 'schemas');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'openclaw-secrets', 'schemas');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'openclaw-secrets', 'schemas');
}

/** The snapshot beside the bundle (dist/ -> schemas/) or the compiled sources (out/server/src/...). */
export function findSnapshotFile(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'schemas', SNAPSHOT_FILE);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

function errnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}` : e instanceof Error ? e.message : String(err);
}

/** Reads a regular file through its descriptor, with a size cap; decompresses brotli/gzip by extension or magic. */
export async function readSchemaFile(filePath: string): Promise<unknown> {
  return decodeSchemaBytes(await readSchemaBytes(filePath), filePath);
}

/** A schema file's bytes as stored (compressed or not), through its descriptor, with a size cap. */
async function readSchemaBytes(filePath: string): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: a FIFO named as the schema file must not make us wait for a writer (the stat refuses it).
    handle = await fs.open(
      filePath,
      fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0),
    );
  } catch (err) {
    throw new SchemaFormatError(`cannot open ${filePath} (${errnoText(err)})`);
  }
  let bytes: Buffer;
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new SchemaFormatError(`${filePath} is not a regular file`);
    if (st.size > MAX_SCHEMA_BYTES) throw new SchemaFormatError(`${filePath} is larger than ${MAX_SCHEMA_BYTES} bytes`);
    bytes = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const { bytesRead } = await handle.read(bytes, read, st.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    bytes = bytes.subarray(0, read);
  } finally {
    await handle.close();
  }
  return bytes;
}

function decodeSchemaBytes(bytes: Buffer, filePath: string): unknown {
  let text: string;
  try {
    if (filePath.endsWith('.br'))
      text = zlib().brotliDecompressSync(bytes, { maxOutputLength: MAX_SCHEMA_BYTES }).toString('utf8');
    else if (bytes[0] === 0x1f && bytes[1] === 0x8b)
      text = zlib().gunzipSync(bytes, { maxOutputLength: MAX_SCHEMA_BYTES }).toString('utf8');
    else text = bytes.toString('utf8');
  } catch (err) {
    throw new SchemaFormatError(`${filePath} is not valid compressed data (${errnoText(err)})`);
  }
  return parseSchemaJson(text, filePath);
}

function parseSchemaJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    // JSON.parse's message quotes the text (and differs across Node versions); a wrongly named file may hold secrets.
    throw new SchemaFormatError(`${where} is not JSON`);
  }
}

function loaded(
  raw: unknown,
  origin: SchemaOrigin,
  version: string,
  label: string,
  pieceCacheFile?: string,
): LoadedSchema {
  return loadedPrepared(prepareSchema(raw), origin, version, label, pieceCacheFile);
}

function loadedPrepared(
  prepared: JsonSchema,
  origin: SchemaOrigin,
  version: string,
  label: string,
  pieceCacheFile?: string,
): LoadedSchema {
  const validator = new ConfigSchemaValidator(prepared, pieceCacheFile ? { pieceCacheFile } : {});
  return { validator, origin, version, label };
}

/**
 * The snapshot prepared for validation only (no titles or descriptions), kept in `cacheDir` under the shipped
 * file's identity, one JSON line per large top-level key (serializePrepared): a warm CLI run reads neither the
 * snapshot nor the whole prepared schema, only the parts its config reaches.
 */
async function preparedSnapshot(snapshotFile: string, cacheDir: string): Promise<JsonSchema> {
  let identity: string | undefined;
  try {
    identity = fileIdentityKey(statSync(snapshotFile, { bigint: true }), 32);
  } catch {
    // no snapshot to name: readSchemaBytes below says why
  }
  const cacheFile = identity && path.join(cacheDir, `validation-${SNAPSHOT_VERSION}-${identity}.jsonl`);
  let fresh: JsonSchema | undefined;
  const prepare = (bytes: Buffer) => {
    noteColdWork();
    return (fresh ??= prepareSchema(decodeSchemaBytes(bytes, snapshotFile), { validationOnly: true }));
  };
  if (cacheFile) {
    try {
      // A member damaged since it was written comes from the snapshot, and the next run writes a whole new file.
      return restorePrepared(readRegularFileBytesSync(cacheFile, { maxBytes: MAX_SCHEMA_BYTES }), (name) => {
        try {
          rmSync(cacheFile, { force: true });
        } catch {
          // left in place, it is prepared again on each run that reaches the damaged key
        }
        const bytes = readRegularFileBytesSync(snapshotFile, { maxBytes: MAX_SCHEMA_BYTES });
        return (prepare(bytes).properties as Record<string, unknown>)[name];
      });
    } catch {
      // not cached yet, or not ours: prepare it now and keep it
    }
  }
  const prepared = prepare(await readSchemaBytes(snapshotFile));
  if (!cacheFile) return prepared;
  try {
    await fs.mkdir(cacheDir, { recursive: true, mode: 0o700 });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    await fs.writeFile(tmp, serializePrepared(prepared), { mode: 0o600 });
    await fs.rename(tmp, cacheFile);
    // Another installation's snapshot goes once a week old (an upgrade leaves its predecessor's).
    for (const name of await fs.readdir(cacheDir)) {
      // (`prepared-` and `.json` files are the forms earlier builds kept)
      if (!/^(prepared|validation)-.*\.jsonl?$/.test(name) || name === path.basename(cacheFile)) continue;
      const other = path.join(cacheDir, name);
      if (Date.now() - (await fs.lstat(other)).mtimeMs > 7 * 24 * 60 * 60 * 1000) await fs.rm(other, { force: true });
    }
  } catch {
    // a cache we cannot write only costs the next run the preparation
  }
  return prepared;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  /** why the run was cut short, if it was */
  stopped?: 'timeout' | 'output-limit' | 'spawn-error';
}

/** Runs a program without a shell in its own process group; the whole group is killed on timeout. */
export function runProgram(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  maxBytes = MAX_SCHEMA_BYTES,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: process.platform !== 'win32',
      windowsHide: true,
      cwd: os.tmpdir(),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stopped: ProcessResult['stopped'];
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      stopped = 'timeout';
      kill();
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        stopped ??= 'output-limit';
        kill();
      } else chunks.push(c);
    });
    child.on('error', () => {
      stopped ??= 'spawn-error';
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      // Whatever the program left running in its group goes too: nothing we started outlives the answer.
      kill();
      resolve({ code, stdout: Buffer.concat(chunks).toString('utf8'), ...(stopped ? { stopped } : {}) });
    });
  });
}

/** `openclaw` on PATH: an absolute, executable regular file. */
export async function findOpenClawOnPath(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const names = process.platform === 'win32' ? ['openclaw.cmd', 'openclaw.exe', 'openclaw'] : ['openclaw'];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        const st = await fs.stat(candidate);
        if (!st.isFile()) continue;
        await fs.access(candidate, fsConstants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

function stoppedText(r: ProcessResult, timeoutMs: number): string {
  if (r.stopped === 'timeout') return `did not finish within ${timeoutMs} ms and was stopped`;
  if (r.stopped === 'output-limit') return `printed more than ${MAX_SCHEMA_BYTES} bytes and was stopped`;
  if (r.stopped === 'spawn-error') return 'could not be started';
  return `exited with code ${r.code}`;
}

/** The installed OpenClaw's schema, from the cache when its version was seen before. */
export async function installedOpenClawSchema(opts: SchemaSourceOptions): Promise<LoadedSchema> {
  const env = opts.env ?? process.env;
  const bin = await findOpenClawOnPath(env);
  if (!bin) throw new SchemaFormatError('no `openclaw` on PATH');
  const versionTimeout = opts.versionTimeoutMs ?? VERSION_TIMEOUT_MS;
  const v = await runProgram(bin, ['--version'], env, versionTimeout, 64 * 1024);
  if (v.stopped || v.code !== 0) throw new SchemaFormatError(`\`${bin} --version\` ${stoppedText(v, versionTimeout)}`);
  const version = /\b(\d{4}\.\d{1,2}\.\d{1,3}(?:-[\w.]+)?)\b/.exec(v.stdout)?.[1];
  if (!version) throw new SchemaFormatError(`\`${bin} --version\` printed no OpenClaw version`);
  const cacheFile = path.join(opts.cacheDir ?? defaultCacheDir(env), `openclaw-config-${version}.schema.json.br`);
  const label = `OpenClaw ${version} schema, from the installed openclaw`;
  try {
    return loaded(await readSchemaFile(cacheFile), 'installed', version, label, opts.pieceCacheFile);
  } catch {
    // not cached yet (or a broken cache entry): ask openclaw
  }
  const schemaTimeout = opts.schemaTimeoutMs ?? SCHEMA_TIMEOUT_MS;
  const r = await runProgram(bin, ['config', 'schema'], env, schemaTimeout);
  if (r.stopped || r.code !== 0)
    throw new SchemaFormatError(`\`${bin} config schema\` ${stoppedText(r, schemaTimeout)}`);
  const raw = parseSchemaJson(r.stdout, `the output of \`${bin} config schema\``);
  const result = loaded(raw, 'installed', version, label, opts.pieceCacheFile);
  await writeCache(cacheFile, JSON.stringify(raw));
  return result;
}

async function writeCache(file: string, json: string): Promise<void> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, zlib().brotliCompressSync(Buffer.from(json, 'utf8')), { mode: 0o600 });
    await fs.rename(tmp, file);
  } catch {
    // a cache we cannot write only costs the next start a run of openclaw
  }
}

export async function snapshotSchema(
  snapshotFile = findSnapshotFile(),
  pieceCacheFile?: string,
): Promise<LoadedSchema> {
  if (!snapshotFile)
    throw new SchemaFormatError(`the bundled schema snapshot ${SNAPSHOT_FILE} is missing from the installation`);
  const label = `OpenClaw ${SNAPSHOT_VERSION} schema, bundled snapshot`;
  // Where compiled pieces are kept, the prepared snapshot is kept too.
  if (pieceCacheFile)
    return loadedPrepared(
      await preparedSnapshot(snapshotFile, path.dirname(pieceCacheFile)),
      'snapshot',
      SNAPSHOT_VERSION,
      label,
      pieceCacheFile,
    );
  return loaded(await readSchemaFile(snapshotFile), 'snapshot', SNAPSHOT_VERSION, label);
}

/** The schema to use: the named file, else the installed openclaw's (when allowed), else the snapshot. */
export async function chooseSchema(opts: SchemaSourceOptions): Promise<SchemaChoice> {
  const problems: string[] = [];
  const attempt = async (what: string, load: () => Promise<LoadedSchema>): Promise<LoadedSchema | undefined> => {
    try {
      return await load();
    } catch (err) {
      const cause =
        err instanceof SchemaFormatError
          ? err.message
          : `${(err as Error)?.name ?? 'error'}: ${String((err as Error)?.message ?? err).slice(0, 200)}`;
      problems.push(`${what}: ${cause}`);
      return undefined;
    }
  };
  const file = opts.schemaPath?.trim();
  if (file) {
    const s = await attempt(`Schema file from ${opts.schemaPathFrom ?? 'openclawSecrets.schema.path'}`, async () => {
      const raw = await readSchemaFile(file);
      const r = raw as { $id?: unknown; version?: unknown };
      const version = typeof r.version === 'string' ? r.version : 'unknown';
      return loaded(raw, 'file', version, `schema file ${path.basename(file)}`, opts.pieceCacheFile);
    });
    if (s) return { schema: s, problems };
  }
  if (opts.useInstalled) {
    const env = opts.env ?? process.env;
    if (await findOpenClawOnPath(env)) {
      const s = await attempt('Installed openclaw', () => installedOpenClawSchema(opts));
      if (s) return { schema: s, problems };
    }
  }
  const snap = await attempt('Bundled schema snapshot', () =>
    snapshotSchema(opts.snapshotFile ?? findSnapshotFile(), opts.pieceCacheFile),
  );
  return { schema: snap, problems };
}
