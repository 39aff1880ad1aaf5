// The one plain-object test every module reading parsed JSON needs.
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OpenClaw's test for a usable secret string: blank (whitespace-only) counts as missing. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** What String() gives for a parsed JSON value, without throwing on objects that have no prototype. */
export function displayString(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => (v === null || v === undefined ? '' : displayString(v))).join(',');
  if (typeof value === 'object' && value !== null) return '[object Object]';
  return String(value);
}
