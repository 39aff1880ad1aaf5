// Which schema problems make 9.6's audit give up with "Config is invalid" at `<root>`: the `secrets` block
// (strict, removed keys included) and a malformed SecretRef object at a credential path. A ref naming an
// unconfigured provider or the wrong source is NOT one of them: the audit reports it per ref instead.
import { looksLikeRefObject, schemaProblems, secretRefSchema, secretsConfigSchema, type SchemaProblem } from './secretRef';
import { collectCredentialFields } from './targetRegistry';
import { isRecord } from './jsonValue';
import { configSchemaIssues } from './openclawSchema/schemaCheck';
import type { LoadedSchema } from './openclawSchema/schemaSource';

/** Problems that make OpenClaw reject the config before any secret is looked at; empty when none. */
export function validateSecretsSections(config: unknown): SchemaProblem[] {
  if (!isRecord(config)) return [{ path: [], message: 'Config must be an object.' }];
  const problems: SchemaProblem[] = [];
  if (config.secrets !== undefined) {
    const parsed = secretsConfigSchema.safeParse(config.secrets);
    if (!parsed.success) problems.push(...schemaProblems(parsed.error, ['secrets']));
  }
  for (const field of collectCredentialFields('openclaw.json', config)) {
    for (const [value, at] of [[field.value, field.path], [field.refValue, field.refPath]] as const) {
      if (!at || value === undefined) continue;
      // A secret input is a string or a ref: null, numbers, booleans and arrays fail as OpenClaw's "Invalid input".
      if (typeof value !== 'string' && !isRecord(value)) {
        problems.push({ path: [...at], message: 'Invalid input' });
        continue;
      }
      if (!isRecord(value)) continue;
      // Objects are plaintext on string-or-object fields unless they try to be a ref.
      if (field.target.expectedResolvedValue === 'string-or-object' && !looksLikeRefObject(value)) continue;
      const parsed = secretRefSchema.safeParse(value);
      if (!parsed.success) problems.push(...schemaProblems(parsed.error, [...at]));
    }
  }
  return problems;
}

/**
 * Everything that makes OpenClaw call the config invalid. With OpenClaw's schema the verdict is the schema's
 * plus the named cross-field rules (a 2026.9 key our secrets checks do not know yet stays valid), worded as
 * the secrets checks word it where both see the same place; without a schema, the secrets checks alone.
 */
export function configInvalidityReasons(config: unknown, schema: LoadedSchema | undefined): SchemaProblem[] {
  const ours = validateSecretsSections(config);
  if (!schema || !isRecord(config)) return ours;
  const worded = new Map(ours.map((p) => [p.path.join('\0'), p.message]));
  return configSchemaIssues(config, schema).map((issue) => ({ path: issue.path, message: worded.get(issue.path.join('\0')) ?? issue.message }));
}
