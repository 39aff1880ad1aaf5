// `openclaw-secrets audit`: OpenClaw's `secrets audit` report and exit codes, plus SARIF and a severity floor.
import {
  auditExitCode,
  formatAuditText,
  runSecretsAudit,
  type AuditReport,
  type AuditSeverity,
} from '../../engine/audit/audit';
import { configInvalidityReasons } from '../../engine/audit/auditConfigValidity';
import { chooseSchema, defaultCacheDir, type LoadedSchema } from '../../engine/openclawSchema/schemaSource';
import * as path from 'node:path';
import { formatPath } from '../../engine/config/configDocument';
import { locateConfig, type ConfigLocation } from '../../engine/config/configLocation';
import { loadConfigFile } from '../../engine/config/stateFiles';
import { auditToSarif } from '../../engine/audit/sarif';
import { CliError, parseFlags, type CliIo } from '../io';

const HELP = `Usage: openclaw-secrets audit [--check] [--json] [--allow-exec] [--format text|json|sarif] [--severity-min info|warn|error] [FILE...]

Audit plaintext secrets, unresolved refs and legacy residue in the OpenClaw config found through
OPENCLAW_CONFIG_PATH / OPENCLAW_STATE_DIR / OPENCLAW_HOME / HOME.
Exit: 2 when a ref is unresolved, 1 with --check and any finding (at or above --severity-min) or no config, else 0.
Exec providers run only with --allow-exec.
With FILE arguments (a pre-commit hook's staged files): only those openclaw.json, auth-profiles.json and .env
files, each checked on its own without resolving refs; findings print their fingerprint, never a value.
`;

function severityFrom(value: string | boolean | undefined): AuditSeverity {
  if (value === undefined) return 'info';
  if (value === 'warning') return 'warn';
  if (value === 'info' || value === 'warn' || value === 'error') return value;
  throw new CliError(`--severity-min must be info, warn or error (got '${String(value)}')`);
}

export async function runAudit(io: CliIo): Promise<number> {
  if (io.argv.includes('--help') || io.argv.includes('-h')) {
    io.stdout(HELP);
    return 0;
  }
  const { flags, positionals } = parseFlags(io.argv, {
    check: 'boolean',
    json: 'boolean',
    'allow-exec': 'boolean',
    format: 'string',
    'severity-min': 'string',
  });
  const format = (flags.format as string | undefined) ?? (flags.json ? 'json' : 'text');
  if (!['text', 'json', 'sarif'].includes(format))
    throw new CliError(`--format must be text, json or sarif (got '${format}')`);
  const severityMin = severityFrom(flags['severity-min']);
  // The per-file check (pre-commit) is imported only when asked for: it brings the editor's analysis and zod.
  if (positionals.length > 0)
    return (await import('./auditFiles.js')).runAuditFiles(io, positionals, {
      check: Boolean(flags.check),
      format,
      severityMin,
    });
  let report;
  const location = locateConfig(io.env);
  // The bundled 2026.9.6 schema, or the file OPENCLAW_SECRETS_SCHEMA names; a broken one is named on stderr.
  const choice = await chooseSchema({
    schemaPath: io.env.OPENCLAW_SECRETS_SCHEMA,
    schemaPathFrom: 'OPENCLAW_SECRETS_SCHEMA',
    useInstalled: false,
    env: io.env,
    // Compiled schema pieces are reused from the user's cache dir: most of a short audit was Ajv generating code.
    ...(io.env.OPENCLAW_SECRETS_CODE_CACHE === '0'
      ? {}
      : { pieceCacheFile: path.join(defaultCacheDir(io.env), 'ajv-pieces.json') }),
  });
  for (const problem of choice.problems)
    io.stderr(`warning: ${problem}; using ${choice.schema?.label ?? 'no schema'}\n`);
  const schema = choice.schema;
  try {
    report = await runSecretsAudit({
      location,
      env: io.env,
      allowExec: Boolean(flags['allow-exec']),
      ...(schema ? { schema } : {}),
    });
  } catch (err) {
    // OpenClaw exits 2 when the audit itself fails; the message names the problem, never a value.
    throw new CliError(`Secrets audit failed: ${err instanceof Error ? err.message : String(err)}`, 2);
  }
  if (format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
  else if (format === 'sarif') io.stdout(JSON.stringify(auditToSarif(report), null, 2) + '\n');
  else io.stdout(formatAuditText(report));
  explainInvalidConfig(report, location, io, schema);
  const exitCode = auditExitCode(report, Boolean(flags.check), severityMin);
  // OpenClaw calls a missing config clean; with --check a typo in the path must not pass CI.
  if (flags.check && exitCode === 0 && !loadConfigFile(location.configPath).exists) {
    io.stderr(`audit --check: config not found: ${location.configPath}; nothing was audited.\n`);
    return 1;
  }
  return exitCode;
}

/** OpenClaw only says "Config is invalid"; say where and why on stderr (stdout stays OpenClaw's report). */
function explainInvalidConfig(
  report: AuditReport,
  location: ConfigLocation,
  io: CliIo,
  schema: LoadedSchema | undefined,
): void {
  if (!report.findings.some((f) => f.jsonPath === '<root>' && f.file === location.configPath)) return;
  const loaded = loadConfigFile(location.configPath);
  const doc = loaded.document;
  if (!doc) {
    // A FIFO, directory or device at the config path: OpenClaw's "Config is invalid" is really "cannot read".
    if (loaded.readError) io.stderr(`why: ${loaded.readError}\n`);
    return;
  }
  if (doc.syntaxError) {
    const e = doc.syntaxError;
    io.stderr(`why: ${location.configPath}:${e.line}:${e.column}: ${e.message} (OpenClaw reads it as JSON5)\n`);
    return;
  }
  for (const p of configInvalidityReasons(doc.value, schema))
    io.stderr(`why: ${formatPath(p.path) || '<root>'}: ${p.message}\n`);
}
