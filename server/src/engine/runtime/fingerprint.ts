// The one masking function: a secret is only ever shown as its kind, a length class and a short keyed
// fingerprint: an HMAC-SHA256 under a per-user random key kept outside any workspace, so a fingerprint
// in a committed settings file tells two values apart but cannot confirm a guessed value.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let cryptoModule: typeof import('node:crypto') | undefined;
/** node:crypto, loaded on first use: the CLI's audit fingerprints nothing and never pays for loading it. */
function nodeCrypto(): typeof import('node:crypto') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred: loading crypto costs every start-up
  return (cryptoModule ??= require('node:crypto') as typeof import('node:crypto'));
}

/** Points at the key file instead of the default (CI, tests, a shared machine's private dir). */
export const FINGERPRINT_KEY_ENV = 'OPENCLAW_SECRETS_FINGERPRINT_KEY';
const KEY_BYTES = 32;
const KEY_FILE_CAP = 4096;

/** `$OPENCLAW_SECRETS_FINGERPRINT_KEY`, else `$XDG_CONFIG_HOME/openclaw-secrets/fingerprint.key`, else `~/.config/...`. */
export function fingerprintKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[FINGERPRINT_KEY_ENV]?.trim();
  if (explicit) return path.resolve(explicit);
  const xdg = env.XDG_CONFIG_HOME?.trim();
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME?.trim() || os.homedir(), '.config');
  return path.join(base, 'openclaw-secrets', 'fingerprint.key');
}

/** Read the key through the open descriptor: a regular file, small, 64 hex digits. */
function readKeyFile(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > KEY_FILE_CAP) throw new Error(`${file} is not a small regular file`);
    const buf = Buffer.alloc(st.size);
    const n = fs.readSync(fd, buf, 0, st.size, 0);
    const hex = buf.subarray(0, n).toString('utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file} does not hold a fingerprint key`);
    return Buffer.from(hex, 'hex');
  } finally {
    fs.closeSync(fd);
  }
}

/** Create the key (0600, in a 0700 dir): written beside it, then linked into place so no reader sees half a key. */
function createKeyFile(file: string): Buffer {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const draft = `${file}.${process.pid}.tmp`;
  const key = nodeCrypto().randomBytes(KEY_BYTES);
  const fd = fs.openSync(draft, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600);
  try {
    fs.writeSync(fd, `${key.toString('hex')}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(draft, file);
    return key;
  } catch (err) {
    // Another process made it first: use theirs, so every process agrees.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file) ?? key;
    throw err;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

const keys = new Map<string, Buffer>();

/**
 * The fingerprint key for `env` (made on first use). When it can be neither read nor made (a read-only home),
 * a random key for this process only: fingerprints then differ between runs but still confirm nothing.
 */
export function fingerprintKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const file = fingerprintKeyPath(env);
  let key = keys.get(file);
  if (key) return key;
  try {
    key = readKeyFile(file) ?? createKeyFile(file);
  } catch {
    key = nodeCrypto().randomBytes(KEY_BYTES);
  }
  keys.set(file, key);
  return key;
}

export type LengthClass = 'empty' | 'short' | 'medium' | 'long' | 'very-long';

export function lengthClass(value: string): LengthClass {
  const n = value.length;
  if (n === 0) return 'empty';
  if (n < 16) return 'short';
  if (n < 40) return 'medium';
  if (n < 128) return 'long';
  return 'very-long';
}

/** `hmac:` + 8 hex chars of HMAC-SHA256(per-user key, value). */
export function fingerprint(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return fingerprintWithKey(value, fingerprintKey(env));
}

function fingerprintWithKey(value: string, key: Buffer): string {
  return 'hmac:' + nodeCrypto().createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 8);
}

/** `fingerprint` with the key looked up once, for one pass over many values (a large config's analysis). */
export function fingerprinter(env: NodeJS.ProcessEnv = process.env): (value: string) => string {
  const key = fingerprintKey(env);
  return (value) => fingerprintWithKey(value, key);
}

/** The unkeyed format of earlier versions, only to recognise old `ignoredFingerprints` entries. */
export function legacyFingerprint(value: string): string {
  const crypto = nodeCrypto();
  // crypto.hash (Node >= 20.12) is a one-shot digest without a Hash object per call.
  const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;
  const hex = oneShot
    ? oneShot('sha256', value, 'hex')
    : crypto.createHash('sha256').update(value, 'utf8').digest('hex');
  return 'sha256:' + hex.slice(0, 8);
}

export interface MaskedValue {
  type: string;
  lengthClass?: LengthClass;
  fingerprint?: string;
}

/** What may be shown about a resolved or plaintext value. */
export function maskValue(value: unknown): MaskedValue {
  if (typeof value === 'string')
    return { type: 'string', lengthClass: lengthClass(value), fingerprint: fingerprint(value) };
  if (value === null) return { type: 'null' };
  if (Array.isArray(value)) return { type: 'array' };
  if (typeof value === 'object') return { type: 'object', fingerprint: fingerprint(JSON.stringify(value)) };
  return { type: typeof value };
}

export function describeMasked(m: MaskedValue): string {
  if (m.type !== 'string') return m.fingerprint ? `${m.type} ${m.fingerprint}` : m.type;
  return `${m.lengthClass} string ${m.fingerprint}`;
}
