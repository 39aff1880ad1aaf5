// `openclaw-secrets apply --from <plan> [--dry-run] [--json] [--allow-exec]`: the same flags, output and
// exit codes as `openclaw secrets apply`, writing without any backup file.
import * as path from 'node:path';
import { applySecretsPlan, type ApplyResult } from '../../engine/plan/apply';
import { locateConfig } from '../../engine/config/configLocation';
import { PlanFileError, readPlanFile } from '../../engine/plan/plan';
import { CliError, parseFlags, type CliIo } from '../io';

export const APPLY_HELP = `Usage: openclaw-secrets apply [options]

Apply a previously generated secrets plan (no backup file holding old plaintext is left behind)

Options:
  --allow-exec   Allow exec SecretRef checks (may execute provider commands) (default: false)
  --dry-run      Validate/preflight only (default: false)
  --force        Replace plaintexts even where the new ref resolves to a different value (default: false)
  --from <path>  Path to plan JSON (max 16 MiB)
  -h, --help     Display help for command
  --json         Output JSON (default: false)

Environment: OPENCLAW_CONFIG_PATH, OPENCLAW_STATE_DIR, OPENCLAW_HOME, HOME locate openclaw.json.
Exit codes: 0 applied or would apply, 1 on any error.
Applies are serialized by a lock in the state dir; an apply killed half-way is finished or rolled back by the
next apply, audit, resolve or configure (said on stderr). A plaintext whose new ref resolves to a different
value is never replaced without --force (the message names both fingerprints).
`;

/** OpenClaw's `--json` error body: `{ ok: false, error: { type: "cli_error", message } }`. */
export function jsonError(message: string): string {
  return `${JSON.stringify({ ok: false, error: { type: 'cli_error', message } }, null, 2)}\n`;
}

export function formatApplyText(result: ApplyResult): string {
  const lines: string[] = [];
  if (result.mode === 'dry-run') {
    lines.push(
      result.changed
        ? `Secrets apply dry run: ${result.changedFiles.length} file(s) would change.`
        : 'Secrets apply dry run: no changes.',
    );
    if (!result.checks.resolvabilityComplete && result.skippedExecRefs > 0) {
      lines.push(
        `Secrets apply dry-run note: skipped ${result.skippedExecRefs} exec SecretRef resolvability check(s). Re-run with --allow-exec to execute exec providers during dry-run.`,
      );
    }
  } else {
    lines.push(
      result.changed ? `Secrets applied. Updated ${result.changedFiles.length} file(s).` : 'Secrets apply: no changes.',
    );
  }
  for (const w of result.warnings) lines.push(`- warning: ${w}`);
  return lines.join('\n') + '\n';
}

export async function runApply(io: CliIo): Promise<number> {
  const argv = io.argv.map((a) => (a === '-h' ? '--help' : a));
  const { flags, positionals } = parseFlags(argv, {
    from: 'string',
    'dry-run': 'boolean',
    json: 'boolean',
    'allow-exec': 'boolean',
    help: 'boolean',
    force: 'boolean',
  });
  if (flags.help) {
    io.stdout(APPLY_HELP);
    return 0;
  }
  if (positionals.length)
    throw new CliError(`too many arguments for 'apply'. Expected 0 arguments but got ${positionals.length}.`);
  const from = flags.from;
  if (typeof from !== 'string' || !from) throw new CliError("required option '--from <path>' not specified");
  const json = flags.json === true;
  try {
    const plan = await readPlanFile(path.resolve(io.cwd, from)).catch((err: unknown) => {
      // Report the path as the user typed it, as OpenClaw does.
      if (err instanceof PlanFileError)
        throw new PlanFileError(err.message.split(path.resolve(io.cwd, from)).join(from), from, err.reason);
      throw err;
    });
    const result = await applySecretsPlan({
      plan,
      planPath: from,
      location: locateConfig(io.env),
      env: io.env,
      dryRun: flags['dry-run'] === true,
      allowExec: flags['allow-exec'] === true,
      force: flags.force === true,
      onNotice: (line) => io.stderr(`${line}\n`),
    });
    io.stdout(json ? `${JSON.stringify(result, null, 2)}\n` : formatApplyText(result));
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (json) io.stdout(jsonError(message));
    else {
      // OpenClaw prints ".." when the message already ends in a period; one period is enough.
      io.stderr(
        `Secrets apply failed: ${message.replace(/\.+$/, '')}. Re-run openclaw-secrets apply --from <path> --dry-run to inspect the plan without writing.\n`,
      );
      if (err instanceof PlanFileError && err.reason) io.stderr(`Reason: ${err.reason}\n`);
    }
    return 1;
  }
}
