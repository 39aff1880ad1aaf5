// Which schema problems make 9.6's audit give up with "Config is invalid" at `<root>`: the `secrets` block
// (strict, removed keys included) and a malformed SecretRef object at a credential path. A ref naming an
// unconfigured provider or the wrong source is NOT one of them: the audit reports it per ref instead.
import { isWellFormedRef, looksLikeRefObject, schemaProblems, type SchemaProblem } from '../refs/secretRef';
import { collectCredentialFields, type CredentialField } from '../targets/targetRegistry';
import { isRecord } from '../config/jsonValue';
import { isWellFormedSecretsBlock, secretRefSchemas } from '../refs/wellFormedSecrets';
import { configSchemaIssues } from '../openclawSchema/schemaCheck';
import type { LoadedSchema } from '../openclawSchema/schemaSource';

/**
 * Problems that make OpenClaw reject the config before any secret is looked at; empty when none.
 * `fields`: the config's credential fields when the caller already collected them (the audit walks them once).
 */
export function validateSecretsSections(config: unknown, fields?: readonly CredentialField[]): SchemaProblem[] {
  if (!isRecord(config)) return [{ path: [], message: 'Config must be an object.' }];
  const problems: SchemaProblem[] = [];
  if (config.secrets !== undefined) {
    const parsed = isWellFormedSecretsBlock(config.secrets)
      ? undefined
      : secretRefSchemas().secretsConfigSchema.safeParse(config.secrets);
    if (parsed && !parsed.success) problems.push(...schemaProblems(parsed.error, ['secrets']));
  }
  const checkInput = (field: CredentialField, value: unknown, at: readonly (string | number)[] | undefined) => {
    if (!at || value === undefined) return;
    // A secret input is a string or a ref: null, numbers, booleans and arrays fail as OpenClaw's "Invalid input".
    if (typeof value !== 'string' && !isRecord(value)) {
      problems.push({ path: [...at], message: 'Invalid input' });
      return;
    }
    if (!isRecord(value)) return;
    // Objects are plaintext on string-or-object fields unless they try to be a ref.
    if (field.target.expectedResolvedValue === 'string-or-object' && !looksLikeRefObject(value)) return;
    if (isWellFormedRef(value)) return;
    const parsed = secretRefSchemas().secretRefSchema.safeParse(value);
    if (!parsed.success) problems.push(...schemaProblems(parsed.error, [...at]));
  };
  // Two calls per field, no [value, path] pairs to iterate: this runs for every credential field, cold.
  const all = fields ?? collectCredentialFields('openclaw.json', config);
  for (let i = 0; i < all.length; i++) {
    checkInput(all[i], all[i].value, all[i].path);
    checkInput(all[i], all[i].refValue, all[i].refPath);
  }
  return problems;
}

/** Shape complaints (unknown key, wrong type/variant): with OpenClaw's schema at hand, the schema judges those. */
const STRUCTURAL = /^(Unrecognized key|Invalid input)/;

/**
 * Everything that makes OpenClaw call the config invalid. With OpenClaw's schema: the schema and the named
 * cross-field rules judge the shape (so a 2026.9 key our secrets checks do not know stays valid), and the
 * secrets checks add the refinements a schema cannot express (`command must be an absolute path`), worded
 * as OpenClaw words them. Without a schema, the secrets checks alone.
 */
export function configInvalidityReasons(
  config: unknown,
  schema: LoadedSchema | undefined,
  fields?: readonly CredentialField[],
): SchemaProblem[] {
  const ours = validateSecretsSections(config, fields);
  if (!schema || !isRecord(config)) return ours;
  const problems = ours.filter((p) => !STRUCTURAL.test(p.message));
  const seen = new Set(problems.map((p) => p.path.join('\0')));
  for (const issue of configSchemaIssues(config, schema)) {
    const key = issue.path.join('\0');
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path: issue.path, message: issue.message });
  }
  return problems;
}
