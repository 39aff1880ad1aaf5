// Writes into a json-mode file provider's payload for "Convert to SecretRef" (the value lands there
// before any field is rewritten), and the 0600 fix for a declared provider file.
import { fingerprint } from './fingerprint';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { OpenClawSecretsError } from '../../../shared/src/errors';
import { writeFileAtomic } from './atomicWrite';
import { isRecord } from './jsonValue';
import { decodePointerToken } from './resolve/jsonPointer';
import { readSecretsConfig } from './secretsConfig';

export class FileProviderStoreError extends OpenClawSecretsError {
  constructor(message: string) {
    super(message, 'FILE_PROVIDER_STORE');
  }
}

/** Read a JSON-mode provider payload (absent = empty), set the pointer, write 0600 atomically. Refuses to overwrite a different value. */
export async function storeInFileProvider(filePath: string, pointer: string, value: string): Promise<void> {
  let payload: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(filePath, 'utf8'));
    if (!isRecord(parsed)) throw new FileProviderStoreError(`${path.basename(filePath)} is not a JSON object; refusing to store into it.`);
    payload = parsed;
  } catch (err) {
    if (err instanceof FileProviderStoreError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new FileProviderStoreError(`${path.basename(filePath)} cannot be read as JSON; refusing to store into it.`);
  }
  const tokens = pointer.slice(1).split('/').map(decodePointerToken);
  let cur: Record<string, unknown> = payload;
  for (let i = 0; i < tokens.length - 1; i++) {
    const next = cur[tokens[i]];
    if (next === undefined) cur = cur[tokens[i]] = {};
    else if (isRecord(next)) cur = next;
    else throw new FileProviderStoreError(`${pointer} cannot be created in ${path.basename(filePath)}: a parent is not an object.`);
  }
  const leaf = tokens[tokens.length - 1];
  const held = cur[leaf];
  if (held !== undefined && held !== value) {
    const heldPrint = typeof held === 'string' ? fingerprint(held) : typeof held;
    throw new FileProviderStoreError(`${pointer} already holds a different value (${heldPrint}; the field holds ${fingerprint(value)}) in ${path.basename(filePath)}; replacing it would lose that value: choose another pointer.`);
  }
  if (cur[leaf] === value) return;
  cur[leaf] = value;
  await writeFileAtomic(filePath, `${JSON.stringify(payload, null, 2)}\n`, 0o600);
}

/** chmod 0600 a file provider's file, only when the `secrets` block declares that path (`~` is the given home). */
export async function restrictFileProviderMode(secrets: unknown, filePath: string, home: string | undefined): Promise<void> {
  const declared = Object.values(readSecretsConfig(secrets).declared).some(
    (p) => p.source === 'file' && typeof p.path === 'string' && path.resolve(p.path.replace(/^~(?=\/|$)/, home ?? '~')) === path.resolve(filePath),
  );
  if (!declared) throw new FileProviderStoreError('that file is not a declared file provider of this config');
  await fs.chmod(filePath, 0o600);
}
