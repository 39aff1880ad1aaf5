// Which refs a config holds: the one rule the CLI's resolve, the editor (diagnostics, dry-run, reload),
// audit and apply share. A credential field's sibling ref wins over its inline value, as at runtime.
import { coerceSecretRef, isSecretRef, type SecretDefaults, type SecretRef } from './secretRef';
import {
  collectCredentialFields,
  formatConfigPath,
  type CredentialConfigFile,
  type CredentialField,
} from '../targets/targetRegistry';
import type { ExpectedValue } from '../runtime/runtimeSnapshot';
import { isRecord } from '../config/jsonValue';
import { readConfigSecrets } from '../config/secretsConfig';

export interface ConfigRefUse {
  /** display path of the ref itself, as OpenClaw prints it */
  path: string;
  /** where the ref sits (the sibling ref's path when the field has one) */
  segments: (string | number)[];
  ref: SecretRef;
  /** set for registry credential fields; refs found elsewhere have no type rule */
  expected?: ExpectedValue;
}

/** The ref a credential field holds (its sibling ref first), and where it sits; undefined for plaintext. */
export function refOfField(
  field: CredentialField,
  defaults: SecretDefaults | undefined,
): { ref: SecretRef; at: string[]; fromSibling: boolean } | undefined {
  const sibling = field.refPath && field.refValue !== undefined ? coerceSecretRef(field.refValue, defaults) : undefined;
  if (sibling && field.refPath) return { ref: sibling, at: field.refPath, fromSibling: true };
  const inline = coerceSecretRef(field.value, defaults);
  return inline ? { ref: inline, at: field.path, fromSibling: false } : undefined;
}

/**
 * Refs on the registry's credential fields (ref objects, the legacy `{source,id}` form and `${VAR}` /
 * `$VAR` strings), then every other exact SecretRef object anywhere outside `secrets`.
 * `secrets` is the governing block (auth-profiles.json takes it from the openclaw.json beside it).
 */
export function collectConfigRefs(
  config: unknown,
  file: CredentialConfigFile = 'openclaw.json',
  secrets?: unknown,
): ConfigRefUse[] {
  const { defaults } = secrets === undefined ? readConfigSecrets(config) : readConfigSecrets({ secrets });
  const uses: ConfigRefUse[] = [];
  const covered = new Set<string>();
  for (const field of collectCredentialFields(file, config)) {
    if (field.refPath) covered.add(JSON.stringify(field.refPath));
    covered.add(JSON.stringify(field.path));
    const found = refOfField(field, defaults);
    if (!found) continue;
    const path = found.fromSibling ? formatConfigPath(found.at, config) : field.jsonPath;
    uses.push({ path, segments: found.at, ref: found.ref, expected: field.target.expectedResolvedValue });
  }
  const walk = (node: unknown, segments: (string | number)[]) => {
    if (isSecretRef(node)) {
      if (!covered.has(JSON.stringify(segments.map(String)))) {
        uses.push({
          path: formatConfigPath(segments, config),
          segments,
          ref: { source: node.source, provider: node.provider, id: node.id },
        });
      }
      return;
    }
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...segments, i]));
    else if (isRecord(node))
      for (const [k, v] of Object.entries(node))
        if (!(segments.length === 0 && k === 'secrets')) walk(v, [...segments, k]);
  };
  walk(config, []);
  return uses;
}
