// Writes into a json-mode file provider's payload for "Convert to SecretRef" (the value lands there
// before any field is rewritten), and the 0600 fix for a declared provider file.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { OpenClawSecretsError } from '../../../../shared/src/errors';
import { writeFileAtomic } from './atomicWrite';
import { isRecord } from '../config/jsonValue';
import { decodePointerToken } from '../resolve/jsonPointer';
import { fingerprint } from '../runtime/fingerprint';
import { readRegularFile, RegularFileError } from '../config/readRegularFile';
import { readSecretsConfig } from '../config/secretsConfig';

export class FileProviderStoreError extends OpenClawSecretsError {
  constructor(message: string) {
    super(message, 'FILE_PROVIDER_STORE');
  }
}

/** OpenClaw refuses `__proto__`, `prototype` and `constructor` as path segments; so do we, in paths and pointers. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/** Throws naming the first prototype key among the segments. */
export function refusePrototypeKeys(segments: readonly (string | number)[], where: string): void {
  const blocked = segments.find((s) => typeof s === 'string' && PROTOTYPE_KEYS.has(s));
  if (blocked !== undefined)
    throw new FileProviderStoreError(`${where} cannot be converted: path segment "${blocked}" is not allowed.`);
}

/** Read a JSON-mode provider payload (absent = empty), set the pointer, write 0600 atomically. Refuses to overwrite a different value. */
export async function storeInFileProvider(filePath: string, pointer: string, value: string): Promise<void> {
  let payload: Record<string, unknown> = Object.create(null);
  try {
    const parsed: unknown = JSON.parse(await readRegularFile(filePath, { noFollow: true }));
    if (!isRecord(parsed))
      throw new FileProviderStoreError(`${path.basename(filePath)} is not a JSON object; refusing to store into it.`);
    payload = parsed;
  } catch (err) {
    if (err instanceof FileProviderStoreError) throw err;
    if (!(err instanceof RegularFileError && err.problem === 'missing'))
      throw new FileProviderStoreError(`${path.basename(filePath)} cannot be read as JSON; refusing to store into it.`);
  }
  const tokens = pointer.slice(1).split('/').map(decodePointerToken);
  refusePrototypeKeys(tokens, `${pointer} in ${path.basename(filePath)}`);
  // Own keys only, and new levels defined as data properties: no read or write ever reaches a prototype.
  const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
  const put = (o: Record<string, unknown>, k: string, v: unknown) =>
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  let cur: Record<string, unknown> = payload;
  for (let i = 0; i < tokens.length - 1; i++) {
    const next = own(cur, tokens[i]);
    if (next === undefined) {
      const created: Record<string, unknown> = Object.create(null);
      put(cur, tokens[i], created);
      cur = created;
    } else if (isRecord(next)) cur = next;
    else
      throw new FileProviderStoreError(
        `${pointer} cannot be created in ${path.basename(filePath)}: a parent is not an object.`,
      );
  }
  const leaf = tokens[tokens.length - 1];
  const held = own(cur, leaf);
  if (held !== undefined && held !== value) {
    const heldPrint = typeof held === 'string' ? fingerprint(held) : typeof held;
    throw new FileProviderStoreError(
      `${pointer} already holds a different value (${heldPrint}; the field holds ${fingerprint(value)}) in ${path.basename(filePath)}; replacing it would lose that value: choose another pointer.`,
    );
  }
  if (held === value) return;
  put(cur, leaf, value);
  await writeFileAtomic(filePath, `${JSON.stringify(payload, null, 2)}\n`, 0o600);
}

/** chmod 0600 a file provider's file, only when the `secrets` block declares that path (`~` is the given home). */
export async function restrictFileProviderMode(
  secrets: unknown,
  filePath: string,
  home: string | undefined,
): Promise<void> {
  const declared = Object.values(readSecretsConfig(secrets).declared).some(
    (p) =>
      p.source === 'file' &&
      typeof p.path === 'string' &&
      path.resolve(p.path.replace(/^~(?=\/|$)/, home ?? '~')) === path.resolve(filePath),
  );
  if (!declared) throw new FileProviderStoreError('that file is not a declared file provider of this config');
  await fs.chmod(filePath, 0o600);
}
