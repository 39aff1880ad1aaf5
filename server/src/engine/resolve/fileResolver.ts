// File provider: one secure read of the provider's file per resolution, then JSON pointers or the single value.
import { constants as fsConstants } from 'node:fs';
import * as fd from '../runtime/fsCallbacks';
import type { FileProviderConfig } from '../refs/secretRef';
import { readJsonPointer } from './jsonPointer';
import { checkSecurePath } from './pathSecurity';
import { fileProviderSettings } from './providerSettings';
import { SecretResolutionError, type ProviderBatchResult, type SecretLimit } from './types';
import { isRecord } from '../config/jsonValue';

export const SINGLE_VALUE_ID = 'value';

function providerError(alias: string, message: string, limit?: SecretLimit): SecretResolutionError {
  return new SecretResolutionError(message, {
    code: 'SECRET_PROVIDER_UNAVAILABLE',
    scope: 'provider',
    provider: alias,
    limit,
  });
}

/**
 * Reads at most maxBytes + 1 bytes so an oversized file is detected without reading all of it; stops before its
 * next read once `reading.stopped` is set (the provider timed out).
 */
async function readBounded(descriptor: number, maxBytes: number, reading: { stopped: boolean }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    if (reading.stopped) break;
    const want = Math.min(64 * 1024, maxBytes + 1 - total);
    if (want <= 0) break;
    const buf = Buffer.alloc(want);
    const bytesRead = await fd.read(descriptor, buf, 0, want);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}

/**
 * The provider's payload: the text (singleValue, one trailing newline and a BOM removed) or the parsed
 * JSON object. Throws a provider-scoped SecretResolutionError; no message ever quotes the file's content.
 */
export async function readFileProviderPayload(
  alias: string,
  config: FileProviderConfig,
  env: NodeJS.ProcessEnv,
): Promise<string | Record<string, unknown>> {
  const settings = fileProviderSettings(config);
  const label = `secrets.providers.${alias}.path`;
  // 9.6 resolves a relative file path against its working directory.
  const checked = await checkSecurePath(label, config.path, 'file', {
    env,
    provider: alias,
    relativeTo: process.cwd(),
  });
  if (!checked.ok) throw checked.error;

  let descriptor: number;
  try {
    // O_NOFOLLOW closes the gap between the lstat above and this open.
    descriptor = await fd.open(
      checked.path,
      fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0),
    );
  } catch {
    throw providerError(alias, `${label} is not readable: ${checked.path}`);
  }
  let buffer: Buffer;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<Buffer> | undefined;
  const reading = { stopped: false, timedOut: false };
  try {
    const st = await fd.fstat(descriptor);
    if (!st.isFile()) throw providerError(alias, `${label} must be a file: ${checked.path}`);
    const tooLarge = () => providerError(alias, `${label} exceeded maxBytes (${settings.maxBytes}).`, 'maxBytes');
    if (st.size > settings.maxBytes) throw tooLarge();
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reading.timedOut = true;
        reject(providerError(alias, `File provider "${alias}" timed out after ${settings.timeoutMs}ms.`, 'timeoutMs'));
      }, settings.timeoutMs);
    });
    inFlight = readBounded(descriptor, settings.maxBytes, reading);
    buffer = await Promise.race([inFlight, timedOut]);
    if (buffer.length > settings.maxBytes) throw tooLarge();
  } finally {
    if (timer) clearTimeout(timer);
    reading.stopped = true;
    // Closed only once no read is in flight on it: a number closed under a pending read can be given to the
    // next open (another provider's file or pipe). After a timeout that wait happens behind the answer.
    const close = () => fd.close(descriptor).catch(() => undefined);
    const settled = inFlight?.then(close, close) ?? close();
    if (!reading.timedOut) await settled;
  }

  const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
  if (settings.mode === 'singleValue') return text.replace(/\r?\n$/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not the parser's message: Node quotes part of the text in it, and the text is the secret.
    throw providerError(alias, `File provider "${alias}" payload is not valid JSON.`);
  }
  if (!isRecord(parsed)) throw providerError(alias, `File provider "${alias}" payload is not a JSON object.`);
  return parsed;
}

export async function resolveFileRefs(
  alias: string,
  config: FileProviderConfig,
  ids: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ProviderBatchResult> {
  const payload = await readFileProviderPayload(alias, config, env);
  const values = new Map<string, unknown>();
  const refErrors = new Map<string, SecretResolutionError>();
  for (const id of ids) {
    const refKey = `file:${alias}:${id}`;
    if (typeof payload === 'string') {
      if (id === SINGLE_VALUE_ID) values.set(id, payload);
      else
        refErrors.set(
          id,
          new SecretResolutionError(`singleValue file provider "${alias}" expects ref id "${SINGLE_VALUE_ID}".`, {
            code: 'SECRET_REF_INVALID',
            scope: 'ref',
            refKey,
            provider: alias,
          }),
        );
      continue;
    }
    try {
      values.set(id, readJsonPointer(payload, id));
    } catch (err) {
      refErrors.set(
        id,
        new SecretResolutionError((err as Error).message, {
          code: 'SECRET_REF_NOT_FOUND',
          scope: 'ref',
          refKey,
          provider: alias,
        }),
      );
    }
  }
  return { values, refErrors };
}
