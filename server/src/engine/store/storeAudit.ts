// The audit's two store checks (2026.9.6): STORE_PLAINTEXT_RESIDUE, a config plaintext equal to a live team
// entry's value, and PLACEHOLDER_VALUE, an entry holding a redaction placeholder that no store ref uses.
// Values are compared in memory; findings name entries and paths only.
import type { AuditFinding } from '../audit/audit';
import type { SecretStoreSnapshot } from './secretStore';

export interface PlaintextAssignment {
  file: string;
  jsonPath: string;
  value: string;
}

export interface ResidueResult {
  findings: AuditFinding[];
  /** set when the check could not be complete here */
  note?: string;
}

export function storeResidueFindings(
  store: SecretStoreSnapshot,
  plaintexts: readonly PlaintextAssignment[],
): ResidueResult {
  const findings: AuditFinding[] = [];
  for (const p of plaintexts) {
    for (const name of store.namesHolding(p.value)) {
      findings.push({
        code: 'STORE_PLAINTEXT_RESIDUE',
        severity: 'warn',
        file: p.file,
        jsonPath: p.jsonPath,
        message: `${p.jsonPath} duplicates team secret store entry "${name}"; replace the plaintext with a store SecretRef.`,
      });
    }
  }
  if (store.problem) return { findings, note: `store residue not checked: ${store.problem}` };
  if (!store.valuesReadable && store.names().some((n) => store.kindOf(n) === 'secret')) {
    return {
      findings,
      note: 'store residue checked against env-kind entries only: secret-kind values are readable only through node:sqlite (Node >= 22.13).',
    };
  }
  return { findings };
}

export function storePlaceholderFindings(
  store: SecretStoreSnapshot,
  referencedNames: ReadonlySet<string>,
  isPlaceholder: (value: string) => boolean,
): AuditFinding[] {
  return store
    .redactedNames(isPlaceholder)
    .filter((name) => !referencedNames.has(name))
    .map((name) => ({
      code: 'PLACEHOLDER_VALUE' as const,
      severity: 'error' as const,
      file: store.databasePath,
      jsonPath: `secret_store_entries.${name}`,
      message: `Secret store entry "${name}" contains a redaction placeholder and is unavailable. Run openclaw doctor --fix to repair a store-backed Gateway token; replace other entries with real credentials.`,
    }));
}
