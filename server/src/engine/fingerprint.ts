// The one masking function: a secret is only ever shown as its kind, a length class and a short
// fingerprint (a salted-free SHA-256 prefix is enough to tell two values apart, never to recover one).
import * as crypto from 'node:crypto';

export type LengthClass = 'empty' | 'short' | 'medium' | 'long' | 'very-long';

export function lengthClass(value: string): LengthClass {
  const n = value.length;
  if (n === 0) return 'empty';
  if (n < 16) return 'short';
  if (n < 40) return 'medium';
  if (n < 128) return 'long';
  return 'very-long';
}

/** `sha256:` + 8 hex chars of the value's hash. */
// crypto.hash (Node >= 20.12) is a one-shot digest without a Hash object per call: 5,000 findings hash often.
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;
export function fingerprint(value: string): string {
  const hex = oneShot ? oneShot('sha256', value, 'hex') : crypto.createHash('sha256').update(value, 'utf8').digest('hex');
  return 'sha256:' + hex.slice(0, 8);
}

export interface MaskedValue {
  type: string;
  lengthClass?: LengthClass;
  fingerprint?: string;
}

/** What may be shown about a resolved or plaintext value. */
export function maskValue(value: unknown): MaskedValue {
  if (typeof value === 'string') return { type: 'string', lengthClass: lengthClass(value), fingerprint: fingerprint(value) };
  if (value === null) return { type: 'null' };
  if (Array.isArray(value)) return { type: 'array' };
  if (typeof value === 'object') return { type: 'object', fingerprint: fingerprint(JSON.stringify(value)) };
  return { type: typeof value };
}

export function describeMasked(m: MaskedValue): string {
  if (m.type !== 'string') return m.fingerprint ? `${m.type} ${m.fingerprint}` : m.type;
  return `${m.lengthClass} string ${m.fingerprint}`;
}
