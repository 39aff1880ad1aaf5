// `openclaw-secrets resolve`: a dry run of every SecretRef in openclaw.json through the real providers,
// printing per ref its status, timing, the limit that fired and a fingerprint, never the value.
import * as path from 'node:path';
import { auditEnvironment } from '../../engine/audit/audit';
import { locateConfig, locationForConfigFile } from '../../engine/config/configLocation';
import { resolveConfigRefs, type ConfigResolveReport } from '../../engine/resolve/resolveConfig';
import { loadConfigFile } from '../../engine/config/stateFiles';
import type { ResolvedRefResult } from '../../protocol';
import { CliError, parseFlags, type CliIo } from '../io';

const HELP = `Usage: openclaw-secrets resolve [--dry-run] [--json] [--allow-exec] [--config <path>]

Resolve every SecretRef in openclaw.json (found through OPENCLAW_CONFIG_PATH / OPENCLAW_STATE_DIR /
OPENCLAW_HOME / HOME unless --config is given) through its provider, and print per ref: the path, the
ref key, ok with a length class and fingerprint or the error code and message, the time taken and the
limit that fired. Values are never printed. Resolution is always a dry run: nothing is written.
Exec providers run only with --allow-exec.
Exit: 0 when every checked ref resolved, 2 when any did not, 1 on a usage or config error.
`;

function resultLine(r: ResolvedRefResult): string {
  const status = r.ok ? ['ok', r.lengthClass, r.fingerprint].filter(Boolean).join(' ') : `${r.code} ${r.message}`;
  const parts = [r.path, r.refKey, status, `${r.elapsedMs}ms`];
  if (r.limit) parts.push(`limit=${r.limit}`);
  return parts.join('  ');
}

export function formatResolveText(report: ConfigResolveReport): string {
  const lines = report.results.map(resultLine);
  const { total, ok, unresolved, skippedExec } = report.summary;
  if (total === 0) lines.push('No SecretRefs found.');
  else
    lines.push(`Resolved ${ok} of ${total} ref(s): ${ok} ok, ${unresolved} unresolved, ${skippedExec} exec skipped.`);
  if (skippedExec > 0)
    lines.push(
      `Skipped ${skippedExec} exec SecretRef(s): exec providers run only with --allow-exec (commands: ${report.execCommands.join(', ') || 'none'}).`,
    );
  const unchecked = report.results.find((r) => r.code === 'SECRET_STORE_UNCHECKED');
  if (unchecked)
    lines.push(
      `Not checked: ${report.summary.uncheckedStore} store SecretRef(s): ${unchecked.message ?? 'the secret store could not be read here'}`,
    );
  return lines.join('\n') + '\n';
}

export async function runResolve(io: CliIo): Promise<number> {
  if (io.argv.includes('--help') || io.argv.includes('-h')) {
    io.stdout(HELP);
    return 0;
  }
  const { flags, positionals } = parseFlags(io.argv, {
    json: 'boolean',
    'allow-exec': 'boolean',
    'dry-run': 'boolean',
    config: 'string',
  });
  if (positionals.length > 0) throw new CliError(`unexpected argument '${positionals[0]}'`);
  const location =
    typeof flags.config === 'string'
      ? locationForConfigFile(path.resolve(io.cwd, flags.config), io.env)
      : locateConfig(io.env);
  const loaded = loadConfigFile(location.configPath);
  if (!loaded.exists) throw new CliError(`config not found: ${location.configPath}`);
  if (!loaded.document) throw new CliError(loaded.readError ?? `cannot read ${location.configPath}.`);
  const syntax = loaded.document.syntaxError;
  if (syntax) throw new CliError(`${location.configPath}:${syntax.line}:${syntax.column}: ${syntax.message}`);

  const report = await resolveConfigRefs(loaded.document.value, {
    env: auditEnvironment(location, io.env),
    allowExec: Boolean(flags['allow-exec']),
    stateDir: location.stateDir,
  });
  if (flags.json)
    io.stdout(
      JSON.stringify(
        { version: 1, configPath: location.configPath, results: report.results, summary: report.summary },
        null,
        2,
      ) + '\n',
    );
  else io.stdout(formatResolveText(report));
  return report.summary.unresolved > 0 ? 2 : 0;
}
