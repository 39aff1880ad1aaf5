// The id a conversion suggests for a credential field, one rule for the quick fix, the CLI's `configure`
// and the editor's configure flow: `OPENAI_API_KEY` for models.providers.openai.apiKey.
import { isValidEnvId, type SecretSource } from './secretRefContract';

export type FieldPath = readonly (string | number)[];

/** Segments that only say where a credential sits, not what it is for. */
const STRUCTURAL_SEGMENTS = new Set([
  'models',
  'providers',
  'entries',
  'channels',
  'plugins',
  'config',
  'accounts',
  'profiles',
]);

/** SNAKE_CASE of the path's meaningful segments. */
export function suggestEnvName(p: FieldPath): string {
  const words = p
    .map(String)
    .filter((s) => !STRUCTURAL_SEGMENTS.has(s))
    .map((s) =>
      s
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/[^A-Za-z0-9]+/g, '_')
        .toUpperCase(),
    )
    .filter(Boolean);
  let name = words.join('_').replace(/_+/g, '_').replace(/^_|_$/g, '');
  if (!/^[A-Z]/.test(name)) name = `OPENCLAW_${name}`;
  name = name.slice(0, 128).replace(/_$/, '');
  return isValidEnvId(name) ? name : 'OPENCLAW_SECRET';
}

/** The field's own path as a JSON pointer into a json-mode secrets file. */
export function suggestPointer(p: FieldPath): string {
  return '/' + p.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

export function suggestExecId(p: FieldPath): string {
  const id = p
    .map((s) =>
      String(s)
        .replace(/[^A-Za-z0-9._:#-]/g, '-')
        .replace(/^\.+$/, '-'),
    )
    .join('/');
  return /^[A-Za-z0-9]/.test(id) ? id.slice(0, 256) : `k${id}`.slice(0, 256);
}

export function suggestRefId(source: SecretSource, p: FieldPath): string {
  if (source === 'file') return suggestPointer(p);
  if (source === 'exec') return suggestExecId(p);
  return suggestEnvName(p);
}
