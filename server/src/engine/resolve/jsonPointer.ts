import { OpenClawSecretsError } from '../../../../shared/src/errors';
import { isRecord } from '../config/jsonValue';
// RFC 6901 JSON Pointer reads for file-backed refs, with OpenClaw 2026.9.6's rules and messages.

export const POINTER_NOT_ABSOLUTE =
  'File-backed secret ids must be absolute JSON pointers (for example: "/providers/openai/apiKey").';

// 9.6 accepts only canonical array indexes (`0`, `12`, not `01` or `1x`), up to 100000.
const CANONICAL_INDEX = /^(0|[1-9]\d*)$/;
const MAX_ARRAY_INDEX = 100_000;

export class JsonPointerError extends OpenClawSecretsError {
  constructor(message: string) {
    super(message, 'JSON_POINTER_INVALID');
    this.name = 'JsonPointerError';
  }
}

/** Decode one token: `~1` before `~0`, so `~01` becomes `~1` and not `/`. */
export function decodePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function encodePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function arrayIndex(token: string): number | undefined {
  if (!CANONICAL_INDEX.test(token)) return undefined;
  const n = Number(token);
  return Number.isSafeInteger(n) && n <= MAX_ARRAY_INDEX ? n : undefined;
}

/**
 * The value at `pointer` in `payload`; any JSON type can come back. Throws a JsonPointerError whose
 * message names the segment (never a value). `/` addresses the key "".
 */
export function readJsonPointer(payload: unknown, pointer: string): unknown {
  if (!pointer.startsWith('/')) throw new JsonPointerError(POINTER_NOT_ABSOLUTE);
  let current = payload;
  for (const token of pointer.slice(1).split('/').map(decodePointerToken)) {
    if (Array.isArray(current)) {
      const i = arrayIndex(token);
      if (i === undefined || i >= current.length)
        throw new JsonPointerError(`JSON pointer segment "${token}" is out of bounds.`);
      current = current[i];
      continue;
    }
    // Own keys only: `/constructor` or `/__proto__` must not reach Object.prototype.
    if (!isRecord(current) || !Object.hasOwn(current, token))
      throw new JsonPointerError(`JSON pointer segment "${token}" does not exist.`);
    current = current[token];
  }
  return current;
}
