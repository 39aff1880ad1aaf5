// `openclaw-secrets audit FILE...`: the named files only, each read on its own and checked without resolving
// anything (what a pre-commit hook passes: the staged openclaw.json, auth-profiles.json and .env files).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyzeAuthProfiles,
  analyzeConfigDocument,
  analyzeDotEnv,
  type Finding,
  type FindingSeverity,
} from '../../engine/analyze/analyze';
import { offsetToPosition, parseConfigText } from '../../engine/config/configDocument';
import type { AuditSeverity } from '../../engine/audit/audit';
import { isRecord } from '../../engine/config/jsonValue';
import { CliError, type CliIo } from '../io';

// Same cap as the audit's models.json read: a config or .env larger than this is not something to parse in a hook.
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export type StagedFileKind = 'config' | 'auth-profiles' | 'dotenv';

export interface FileFinding {
  file: string;
  line: number;
  column: number;
  code: string;
  severity: FindingSeverity;
  jsonPath: string;
  message: string;
  /** `sha256:` + 8 hex of the value (what "Ignore this finding" stores beside the path); never the value */
  fingerprint?: string;
}

/** `.env`, `.env.local`, `prod.env` are dotenv files; `auth-profiles.json` an agent store; anything else a config. */
export function fileKind(file: string): StagedFileKind {
  const base = path.basename(file);
  if (base === '.env' || base.startsWith('.env.') || base.endsWith('.env')) return 'dotenv';
  if (base === 'auth-profiles.json') return 'auth-profiles';
  return 'config';
}

/** Read a regular file through its descriptor, refusing anything else or anything over the cap. */
function readRegularFile(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'open failed'}`, 2);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new CliError(`${file} is not a regular file`, 2);
    if (st.size > MAX_FILE_BYTES) throw new CliError(`${file} exceeds ${MAX_FILE_BYTES} bytes`, 2);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** The `secrets` block of the nearest openclaw.json at or above `dir` (auth-profiles live in agents/<id>/agent/). */
function nearbySecretsBlock(dir: string): unknown {
  let current = path.resolve(dir);
  for (let depth = 0; depth < 4; depth++) {
    const candidate = path.join(current, 'openclaw.json');
    if (fs.existsSync(candidate)) {
      const value = parseConfigText(readRegularFile(candidate), candidate).value;
      return isRecord(value) ? value.secrets : undefined;
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return undefined;
}

/** Findings for one file, positions 1-based; never a value, only its fingerprint. */
export function auditFile(file: string): FileFinding[] {
  const text = readRegularFile(file);
  const kind = fileKind(file);
  let findings: Finding[];
  if (kind === 'dotenv') findings = analyzeDotEnv(text);
  else if (kind === 'auth-profiles')
    findings = analyzeAuthProfiles(parseConfigText(text, file), { secrets: nearbySecretsBlock(path.dirname(file)) });
  else findings = analyzeConfigDocument(parseConfigText(text, file));
  return findings.map((f) => {
    const pos = offsetToPosition(text, f.start);
    const fp = f.data.ignoreKey?.slice(f.data.ignoreKey.lastIndexOf(' ') + 1);
    return {
      file,
      line: pos.line + 1,
      column: pos.character + 1,
      code: f.code,
      severity: f.severity,
      jsonPath: f.data.jsonPath,
      message: f.message,
      ...(fp ? { fingerprint: fp } : {}),
    };
  });
}

const RANK: Record<FindingSeverity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
const FLOOR: Record<AuditSeverity, number> = { info: 1, warn: 2, error: 3 };

export function runAuditFiles(
  io: CliIo,
  files: readonly string[],
  opts: { check: boolean; format: string; severityMin: AuditSeverity },
): number {
  if (opts.format === 'sarif') throw new CliError('--format sarif audits the whole config; omit the file arguments');
  const findings: FileFinding[] = [];
  for (const file of files) findings.push(...auditFile(path.resolve(io.cwd, file)).map((f) => ({ ...f, file })));
  const failing = findings.filter((f) => RANK[f.severity] >= FLOOR[opts.severityMin]);
  const status = findings.length === 0 ? 'clean' : 'findings';
  if (opts.format === 'json') {
    io.stdout(JSON.stringify({ version: 1, status, filesScanned: [...files], findings }, null, 2) + '\n');
  } else {
    const lines = [`Secrets audit: ${status}. ${findings.length} finding(s) in ${files.length} file(s).`];
    for (const f of findings) {
      lines.push(
        `${f.file}:${f.line}:${f.column}: ${f.severity} [${f.code}] ${f.message}${f.fingerprint ? ` (fingerprint ${f.jsonPath} ${f.fingerprint})` : ''}`,
      );
    }
    io.stdout(lines.join('\n') + '\n');
  }
  return opts.check && failing.length > 0 ? 1 : 0;
}
