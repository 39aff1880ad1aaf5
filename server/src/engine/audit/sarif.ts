// The audit report as SARIF 2.1.0 for code-scanning UIs: one rule per finding code, each result placed on
// the value's line and column (from the located tree), never carrying the value itself.
import { pathToFileURL } from 'node:url';
import type { AuditCode, AuditFinding, AuditReport, AuditSeverity } from './audit';
import {
  findMemberAt,
  findNode,
  offsetToPosition,
  parseConfigText,
  type ConfigDocument,
} from '../config/configDocument';
import { collectCredentialFields } from '../targets/targetRegistry';
import { parseDotEnv } from '../config/stateFiles';
import { readRegularFileSync } from '../config/readRegularFile';

const RULES: Record<AuditCode, string> = {
  PLAINTEXT_FOUND: 'A credential is stored as plaintext; move it behind a SecretRef.',
  REF_UNRESOLVED: 'A SecretRef does not resolve (or the config cannot be checked).',
  PLACEHOLDER_VALUE: 'A SecretRef resolves to a redaction placeholder, not a credential.',
  REF_SHADOWED: 'An auth profile takes precedence over this config ref.',
  STORE_PLAINTEXT_RESIDUE: 'The secret store still holds a plaintext copy.',
  LEGACY_RESIDUE: 'A retired or legacy auth file may still hold credentials.',
};

const LEVEL: Record<AuditSeverity, 'note' | 'warning' | 'error'> = { info: 'note', warn: 'warning', error: 'error' };

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

function regionFor(text: string, start: number, end: number): Region {
  const a = offsetToPosition(text, start);
  const b = offsetToPosition(text, end);
  return { startLine: a.line + 1, startColumn: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 };
}

/** Where a finding's value sits in its file, when the file can be read and the path found. */
function locate(
  finding: AuditFinding,
  cache: Map<string, { text: string; doc?: ConfigDocument } | null>,
): Region | undefined {
  let entry = cache.get(finding.file);
  if (entry === undefined) {
    try {
      const text = readRegularFileSync(finding.file);
      entry = finding.jsonPath.startsWith('$env.') ? { text } : { text, doc: parseConfigText(text, finding.file) };
    } catch {
      entry = null;
    }
    cache.set(finding.file, entry);
  }
  if (!entry) return undefined;
  if (finding.jsonPath.startsWith('$env.')) {
    const key = finding.jsonPath.slice(5);
    const hit = parseDotEnv(entry.text).find((e) => e.key === key);
    return hit ? regionFor(entry.text, hit.keyStart, hit.keyEnd) : undefined;
  }
  const doc = entry.doc;
  if (!doc?.root) return undefined;
  if (finding.jsonPath === '<root>') return regionFor(entry.text, doc.root.start, doc.root.start);
  const configFile = finding.file.endsWith('auth-profiles.json') ? 'auth-profiles.json' : 'openclaw.json';
  const field = collectCredentialFields(configFile, doc.value).find((f) => f.jsonPath === finding.jsonPath);
  const segments = field?.path ?? finding.jsonPath.split('.');
  const node = findNode(doc.root, segments);
  if (!node) return undefined;
  // The key range marks the finding: pointing at the value's text would be fine too, but the key is what users scan for.
  const member = findMemberAt(doc.root, segments);
  return member ? regionFor(entry.text, member.keyStart, node.end) : regionFor(entry.text, node.start, node.end);
}

export interface SarifLog {
  version: '2.1.0';
  $schema: string;
  runs: unknown[];
}

export function auditToSarif(report: AuditReport, toolVersion = '0.1.0'): SarifLog {
  const codes = Object.keys(RULES) as AuditCode[];
  const cache = new Map<string, { text: string; doc?: ConfigDocument } | null>();
  const results = report.findings.map((f) => {
    const region = locate(f, cache);
    return {
      ruleId: f.code,
      ruleIndex: codes.indexOf(f.code),
      level: LEVEL[f.severity],
      message: { text: `${f.jsonPath}: ${f.message}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: pathToFileURL(f.file).href }, ...(region ? { region } : {}) },
          logicalLocations: [{ fullyQualifiedName: f.jsonPath, kind: 'member' }],
        },
      ],
      ...(f.provider ? { properties: { provider: f.provider } } : {}),
    };
  });
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'openclaw-secrets',
            version: toolVersion,
            informationUri: 'https://docs.openclaw.ai/cli/secrets',
            rules: codes.map((code) => ({ id: code, name: code, shortDescription: { text: RULES[code] } })),
          },
        },
        results,
        properties: { status: report.status, summary: report.summary, resolution: report.resolution },
      },
    ],
  };
}
