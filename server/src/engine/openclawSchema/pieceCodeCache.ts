// Compiled schema pieces kept between runs: Ajv's standalone code for each piece, by the piece's schema (its
// JSON text: exact, and no hashing to load node:crypto for), in one file in the user's cache dir. Ajv spends
// most of a short CLI run generating code; a piece seen before is instantiated from its code instead, and from
// V8's code cache of that code once a run has made one (V8 checks it and refuses a stale or damaged one). The
// code comes from the schema only, never from a config.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { readRegularFileSync } from '../config/readRegularFile';
import { isRecord } from '../config/jsonValue';

/** Bumped when the file's shape or the Ajv options that shape the code change (3: V8 code caches beside the code). */
const CACHE_FORMAT = 3;
/** A cache larger than this is ignored (and replaced by what this run compiles). */
export const MAX_PIECE_CACHE_BYTES = 32 * 1024 * 1024;

/** Ajv's runtime helpers the standalone code requires, bundled with us (the CLI ships no node_modules). */
const RUNTIME: Record<string, () => unknown> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- standalone code names these modules
  'ajv/dist/runtime/equal': () => require('ajv/dist/runtime/equal'),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'ajv/dist/runtime/ucs2length': () => require('ajv/dist/runtime/ucs2length'),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'ajv/dist/runtime/uri': () => require('ajv/dist/runtime/uri'),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'ajv/dist/runtime/validation_error': () => require('ajv/dist/runtime/validation_error'),
};

function runtimeRequire(id: string): unknown {
  const load = Object.hasOwn(RUNTIME, id) ? RUNTIME[id] : undefined;
  if (!load) throw new Error(`cached schema code requires ${id}`);
  return load();
}

function ajvVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only the version string
  return String((require('ajv/package.json') as { version?: unknown }).version);
}

export class PieceCodeCache {
  private codes?: Map<string, string>;
  /** V8's code cache of a piece's code (base64), made by a run that loaded it: bytecode instead of a compile */
  private readonly compiled = new Map<string, string>();
  /** pieces this run loaded without a usable code cache: theirs is made once the validation has run them */
  private readonly uncompiled = new Map<string, vm.Script>();
  private dirty = false;
  private readonly keys = new WeakMap<object, string>();

  constructor(readonly file: string) {}

  private key(shell: object): string {
    let k = this.keys.get(shell);
    if (!k) this.keys.set(shell, (k = JSON.stringify(shell)));
    return k;
  }

  private entries(): Map<string, string> {
    if (this.codes) return this.codes;
    this.codes = new Map();
    try {
      const parsed: unknown = JSON.parse(readRegularFileSync(this.file, { maxBytes: MAX_PIECE_CACHE_BYTES }));
      // The Ajv version is checked when the file is read: its code calls that version's runtime helpers.
      if (isRecord(parsed) && parsed.format === CACHE_FORMAT && parsed.ajv === ajvVersion() && isRecord(parsed.pieces))
        for (const [k, code] of Object.entries(parsed.pieces)) {
          if (typeof code !== 'string') continue;
          this.codes.set(k, code);
          const v8 = isRecord(parsed.compiled) ? parsed.compiled[k] : undefined;
          if (typeof v8 === 'string') this.compiled.set(k, v8);
        }
    } catch {
      // none yet, or not ours: compile and write a fresh one
    }
    return this.codes;
  }

  /** The validator of a shell compiled before; undefined when not cached or its code does not load. */
  load(shell: object): ValidateFunction | undefined {
    const key = this.key(shell);
    const code = this.entries().get(key);
    if (code === undefined) return undefined;
    try {
      const v8 = this.compiled.get(key);
      const cachedData = v8 === undefined ? undefined : Buffer.from(v8, 'base64');
      const script = new vm.Script(`(function (require, module, exports) {${code}\n})`, {
        filename: 'openclaw-schema-piece.js',
        ...(cachedData ? { cachedData } : {}),
      });
      if (!cachedData || script.cachedDataRejected) {
        this.compiled.delete(key);
        this.uncompiled.set(key, script);
      }
      const module: { exports: unknown } = { exports: {} };
      (script.runInThisContext() as (...args: unknown[]) => void)(runtimeRequire, module, module.exports);
      return typeof module.exports === 'function' ? (module.exports as ValidateFunction) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Keeps a freshly compiled shell's code for the next run (written by `save`). */
  store(shell: object, ajv: Ajv, validate: ValidateFunction): void {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a piece was compiled
      const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
      this.entries().set(this.key(shell), standaloneCode(ajv, validate));
      this.dirty = true;
    } catch {
      // a piece Ajv cannot write out is compiled again next time
    }
  }

  /** Writes the pieces compiled in this run, atomically, readable by the user only. */
  save(): void {
    if (!this.codes) return;
    // Not after a run that compiled pieces (its code is Ajv's, and such a run is slow anyway): the next one makes them.
    if (!this.dirty) {
      if (!this.uncompiled.size) return;
      for (const [k, script] of this.uncompiled) this.compiled.set(k, script.createCachedData().toString('base64'));
    }
    this.uncompiled.clear();
    this.dirty = false;
    const pieces: Record<string, string> = Object.create(null);
    const compiled: Record<string, string> = Object.create(null);
    for (const [k, code] of this.codes) {
      pieces[k] = code;
      const v8 = this.compiled.get(k);
      if (v8 !== undefined) compiled[k] = v8;
    }
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ format: CACHE_FORMAT, ajv: ajvVersion(), pieces, compiled }), {
        mode: 0o600,
      });
      fs.renameSync(tmp, this.file);
    } catch {
      // a cache we cannot write only costs the next run the compile time
    }
  }
}
