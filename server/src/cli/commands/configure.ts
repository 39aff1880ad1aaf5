// `openclaw-secrets configure`: declare providers and map credential fields to SecretRefs, preflight the
// plan with a dry-run apply, write it (--plan-out) and optionally apply it. Flags make it scriptable;
// without mapping flags on a TTY it asks, one line at a time.
import * as path from 'node:path';
import * as readline from 'node:readline';
import { applySecretsPlan, authStorePathFor, agentDirFor, type ApplyResult } from '../../engine/plan/apply';
import { parseConfigText } from '../../engine/config/configDocument';
import { locateConfig, type ConfigLocation } from '../../engine/config/configLocation';
import {
  buildConfigurePlan,
  configuredProviders,
  listConfigureCandidates,
  parseMappingSpec,
  parseProviderSpec,
  planHasChanges,
  suggestedEnvId,
  suggestedProviderAlias,
  type ConfigureMapping,
} from '../../engine/plan/configure';
import { writePlanFile, type SecretsPlan } from '../../engine/plan/plan';
import {
  isValidProviderAlias,
  schemaProblems,
  SECRET_SOURCES,
  type ProviderConfig,
  type SecretSource,
} from '../../engine/refs/secretRef';
import { providerSchema } from '../../engine/refs/secretRefSchemas';
import { validateSecretsSections } from '../../engine/audit/auditConfigValidity';
import { CliError, type CliIo } from '../io';
import { jsonError } from './apply';
import { readRegularFile, RegularFileError } from '../../engine/config/readRegularFile';
import { runConfigureBackend } from './configureBackends';

export const CONFIGURE_HELP = `Usage: openclaw-secrets configure [options]

Secrets helper (provider setup + SecretRef mapping + preflight), interactive on a TTY or driven by flags

Options:
  --agent <id>               Agent id for auth-profiles targets (default: main)
  --allow-exec               Allow exec SecretRef preflight checks (may execute provider commands) (default: false)
  --apply                    Apply changes immediately after preflight (default: false)
  --force                    Replace plaintexts even where the new ref resolves to a different value (default: false)
  -h, --help                 Display help for command
  --json                     Output JSON (default: false)
  --plan-out <path>          Write generated plan JSON to a file (max 16 MiB)
  --providers-only           Configure secrets.providers only, skip credential mapping (default: false)
  --skip-provider-setup      Skip provider setup and only map credential fields to existing providers (default: false)
  --yes                      Skip apply confirmation prompt (default: false)

Non-interactive (any of these skips the prompts; each may repeat):
  --provider <alias=source[,key=value...]>
                             Declare or replace a provider, e.g. vault=exec,command=/opt/bin/resolver,args=["--json"],passEnv=PATH
  --delete-provider <alias>  Remove a provider
  --map <path>=<source>:<provider>:<id>
                             Map a credential field to a SecretRef, e.g. models.providers.openai.apiKey=env:default:OPENAI_API_KEY
                             (<source>:<id> uses the suggested provider for that source)

Move plaintext into a secret backend (stdin or a 0600 temp file, read back, then applied):
  --backend <id|list>        openclaw-store (OpenClaw's own store), ...; "list" shows which are usable here
                             cloud: aws, vault, azure, 1password, aliyun move the value when their CLI is
                             logged in (with --allow-exec); otherwise (and for bitwarden, whose CLI takes
                             values only in argv) wrapper, provider and plan (--plan-out) are written and
                             the command that stores each value is printed, with the reason; then apply
  --backend-option <k=v>     a cloud backend's option (region, vaultName, ...), repeatable
  --move <path>[=NAME]       A plaintext field to move, with its entry name (repeatable; a TTY asks when none is given)
  --move-all                 Every plaintext credential field of openclaw.json

Environment: OPENCLAW_CONFIG_PATH, OPENCLAW_STATE_DIR, OPENCLAW_HOME, HOME locate openclaw.json.
Exit codes: 0 done, 1 on any error or cancel.
`;

const BOOLEAN_FLAGS = new Set([
  'allow-exec',
  'apply',
  'force',
  'help',
  'json',
  'providers-only',
  'skip-provider-setup',
  'yes',
  'move-all',
]);
const STRING_FLAGS = new Set(['agent', 'plan-out', 'backend']);
const REPEATED_FLAGS = new Set(['provider', 'map', 'delete-provider', 'move', 'backend-option']);

interface ConfigureFlags {
  bool: Set<string>;
  agent?: string;
  planOut?: string;
  provider: string[];
  map: string[];
  deleteProvider: string[];
  backend?: string;
  move: string[];
  /** `--backend-option key=value`, a null-prototype map (keys come from argv) */
  backendOptions: Record<string, string>;
}

function parseConfigureFlags(argv: readonly string[]): ConfigureFlags {
  const flags: ConfigureFlags = {
    bool: new Set(),
    provider: [],
    map: [],
    deleteProvider: [],
    move: [],
    backendOptions: Object.create(null) as Record<string, string>,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] === '-h' ? '--help' : argv[i];
    if (!arg.startsWith('--'))
      throw new CliError(`too many arguments for 'configure'. Expected 0 arguments but got 1.`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq >= 0) throw new CliError(`option '--${name}' takes no value`);
      flags.bool.add(name);
      continue;
    }
    if (!STRING_FLAGS.has(name) && !REPEATED_FLAGS.has(name)) throw new CliError(`unknown option '--${name}'`);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new CliError(`option '--${name} <value>' argument missing`);
    if (name === 'agent') flags.agent = value;
    else if (name === 'plan-out') flags.planOut = value;
    else if (name === 'provider') flags.provider.push(value);
    else if (name === 'map') flags.map.push(value);
    else if (name === 'backend') flags.backend = value;
    else if (name === 'move') flags.move.push(value);
    else if (name === 'backend-option') {
      const at = value.indexOf('=');
      if (at <= 0) throw new CliError(`--backend-option ${value}: expected key=value`);
      flags.backendOptions[value.slice(0, at)] = value.slice(at + 1);
    } else flags.deleteProvider.push(value);
  }
  return flags;
}

/** Line-by-line questions over io.stdin; EOF means the user walked away (cancel). */
class Prompter {
  private readonly lines: AsyncIterator<string>;
  constructor(private readonly io: CliIo) {
    const rl = readline.createInterface({ input: io.openStdin(), terminal: false, crlfDelay: Infinity });
    this.lines = rl[Symbol.asyncIterator]();
  }
  async ask(question: string, fallback = ''): Promise<string> {
    this.io.stdout(`${question}${fallback ? ` [${fallback}]` : ''}: `);
    const next = await this.lines.next();
    if (next.done) throw new CliError('Secrets configure cancelled.');
    const answer = next.value.trim();
    return answer || fallback;
  }
  async confirm(question: string, initial: boolean): Promise<boolean> {
    for (;;) {
      const answer = (await this.ask(`${question} (${initial ? 'Y/n' : 'y/N'})`)).toLowerCase();
      if (!answer) return initial;
      if (answer === 'y' || answer === 'yes') return true;
      if (answer === 'n' || answer === 'no') return false;
    }
  }
  async choose<T extends string>(question: string, choices: readonly T[], fallback: T): Promise<T> {
    for (;;) {
      const answer = await this.ask(`${question} (${choices.join('/')})`, fallback);
      if ((choices as readonly string[]).includes(answer)) return answer as T;
      this.io.stdout(`Choose one of: ${choices.join(', ')}.\n`);
    }
  }
}

function csv(text: string): string[] | undefined {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

async function askProvider(
  p: Prompter,
  io: CliIo,
  existing: Record<string, ProviderConfig>,
): Promise<{ alias: string; provider: ProviderConfig }> {
  const source = await p.choose('Provider source', SECRET_SOURCES, 'env');
  let alias: string;
  for (;;) {
    alias = await p.ask('Provider alias', existing.default ? '' : 'default');
    if (!isValidProviderAlias(alias)) io.stdout('Alias must match /^[a-z][a-z0-9_-]{0,63}$/.\n');
    else if (alias in existing) io.stdout(`Provider "${alias}" already exists.\n`);
    else break;
  }
  for (;;) {
    const provider: Record<string, unknown> = { source };
    if (source === 'env') {
      const allowlist = csv(await p.ask('Allowlist of env var names (comma-separated, blank for any)'));
      if (allowlist) provider.allowlist = allowlist;
    } else if (source === 'file') {
      provider.path = await p.ask('Secrets file path (absolute)');
      provider.mode = await p.choose('Mode', ['json', 'singleValue'] as const, 'json');
    } else {
      provider.command = await p.ask('Resolver command (absolute path)');
      const args = await p.ask('Args as a JSON string array', '[]');
      try {
        provider.args = JSON.parse(args);
      } catch {
        provider.args = args;
      }
      if (Array.isArray(provider.args) && provider.args.length === 0) delete provider.args;
      if (!(await p.confirm('Require JSON-only response?', true))) provider.jsonOnly = false;
      const passEnv = csv(await p.ask('Env vars to pass to the command (comma-separated)'));
      if (passEnv) provider.passEnv = passEnv;
      const trustedDirs = csv(await p.ask('Trusted dirs for the command (absolute, comma-separated)'));
      if (trustedDirs) provider.trustedDirs = trustedDirs;
    }
    const parsed = providerSchema.safeParse(provider);
    if (parsed.success) return { alias, provider: parsed.data };
    const problem = schemaProblems(parsed.error, ['secrets', 'providers', alias])[0];
    io.stdout(`${problem.path.join('.')}: ${problem.message} Try again.\n`);
  }
}

interface Selection {
  providers: Record<string, ProviderConfig>;
  deletes: string[];
  mappings: ConfigureMapping[];
}

async function interactiveSelection(
  io: CliIo,
  p: Prompter,
  config: unknown,
  authStore: { agentId: string; store: unknown } | undefined,
  opts: { providersOnly: boolean; skipProviderSetup: boolean },
): Promise<Selection> {
  const working: Record<string, ProviderConfig> = { ...configuredProviders(config) };
  const selection: Selection = { providers: {}, deletes: [], mappings: [] };
  if (!opts.skipProviderSetup) {
    for (;;) {
      const names = Object.keys(working);
      io.stdout(`Providers: ${names.length ? names.map((n) => `${n} (${working[n].source})`).join(', ') : 'none'}\n`);
      const action = await p.choose('Provider setup', ['add', 'remove', 'continue'] as const, 'continue');
      if (action === 'continue') break;
      if (action === 'add') {
        const { alias, provider } = await askProvider(p, io, working);
        working[alias] = provider;
        selection.providers[alias] = provider;
      } else {
        const alias = await p.ask('Alias to remove');
        if (!(alias in working)) io.stdout(`No provider "${alias}".\n`);
        else {
          delete working[alias];
          delete selection.providers[alias];
          selection.deletes.push(alias);
        }
      }
    }
  }
  if (opts.providersOnly) return selection;
  const projected = {
    ...(config as Record<string, unknown>),
    secrets: { ...((config as { secrets?: object }).secrets ?? {}), providers: working },
  };
  const candidates = listConfigureCandidates(config, authStore);
  if (candidates.length === 0) throw new CliError('No configurable secret-bearing fields found in openclaw.json.');
  const sources = SECRET_SOURCES.filter((s) => s === 'env' || Object.values(working).some((w) => w.source === s));
  do {
    candidates.forEach((c, i) =>
      io.stdout(
        `  ${i + 1}) ${c.configFile === 'auth-profiles.json' ? `[agent ${c.agentId}] ` : ''}${c.path.join('.')} (${c.state})\n`,
      ),
    );
    const pick = await p.ask('Field to map (number, blank to finish)');
    if (!pick) break;
    const candidate = candidates[Number(pick) - 1];
    if (!/^\d+$/.test(pick) || !candidate) {
      io.stdout('No such field.\n');
      continue;
    }
    const source = (await p.choose('Secret source', sources, 'env')) as SecretSource;
    let alias: string;
    for (;;) {
      alias = await p.ask('Provider alias', suggestedProviderAlias(projected, source));
      if (isValidProviderAlias(alias)) break;
      io.stdout('Alias must match /^[a-z][a-z0-9_-]{0,63}$/.\n');
    }
    const id = await p.ask(
      source === 'env' ? 'Env var name' : source === 'file' ? 'JSON pointer (or "value")' : 'Ref id',
      source === 'env' ? suggestedEnvId(candidate) : '',
    );
    if (!id) {
      io.stdout('The ref id must not be empty.\n');
      continue;
    }
    selection.mappings.push({ path: candidate.path, ref: { source, provider: alias, id }, agentId: candidate.agentId });
  } while (await p.confirm('Configure another credential?', false));
  return selection;
}

async function readConfig(location: ConfigLocation): Promise<unknown> {
  let text: string;
  try {
    text = await readRegularFile(location.configPath);
  } catch (err) {
    if (err instanceof RegularFileError && err.problem === 'missing') return {};
    throw new CliError(err instanceof RegularFileError ? err.message : `cannot read ${location.configPath}.`);
  }
  const doc = parseConfigText(text, location.configPath);
  if (doc.syntaxError || validateSecretsSections(doc.value).length > 0)
    throw new CliError('Cannot run secrets configure because config is invalid.');
  return doc.value;
}

async function readAuthStore(
  config: unknown,
  location: ConfigLocation,
  agentId: string,
  env: NodeJS.ProcessEnv,
): Promise<unknown> {
  try {
    return JSON.parse(await readRegularFile(authStorePathFor(agentDirFor(config, agentId, location.stateDir, env))));
  } catch {
    return undefined;
  }
}

function preflightLines(plan: SecretsPlan, preflight: ApplyResult, planOut: string | undefined): string {
  const lines = [
    `Preflight: changed=${preflight.changed}, files=${preflight.changedFiles.length}, warnings=${preflight.warningCount}.`,
  ];
  for (const w of preflight.warnings) lines.push(`- warning: ${w}`);
  if (!preflight.checks.resolvabilityComplete && preflight.skippedExecRefs > 0) {
    lines.push(
      `Preflight note: skipped ${preflight.skippedExecRefs} exec SecretRef resolvability check(s). Re-run with --allow-exec to execute exec providers during preflight.`,
    );
  }
  lines.push(
    `Plan: targets=${plan.targets.length}, providerUpserts=${Object.keys(plan.providerUpserts ?? {}).length}, providerDeletes=${plan.providerDeletes?.length ?? 0}.`,
  );
  if (planOut) lines.push(`Plan written to ${planOut}`);
  return lines.join('\n') + '\n';
}

export async function runConfigure(io: CliIo): Promise<number> {
  const flags = parseConfigureFlags(io.argv);
  if (flags.bool.has('help')) {
    io.stdout(CONFIGURE_HELP);
    return 0;
  }
  const json = flags.bool.has('json');
  const fail = (message: string): number => {
    if (json) io.stdout(jsonError(message));
    else
      io.stderr(
        `Secrets configure failed: ${message.replace(/\.+$/, '')}. Re-run openclaw-secrets audit before applying changes.\n`,
      );
    return 1;
  };
  if (flags.backend !== undefined || flags.move.length || flags.bool.has('move-all')) {
    if (flags.backend === undefined) return fail('--move and --move-all need --backend <id>.');
    try {
      return await runConfigureBackend(io, {
        backend: flags.backend,
        ...(flags.planOut ? { planOut: flags.planOut } : {}),
        options: flags.backendOptions,
        move: flags.move,
        moveAll: flags.bool.has('move-all'),
        allowExec: flags.bool.has('allow-exec'),
        json,
      });
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
  }
  const providersOnly = flags.bool.has('providers-only');
  const skipProviderSetup = flags.bool.has('skip-provider-setup');
  if (providersOnly && skipProviderSetup) return fail('Cannot combine --providers-only with --skip-provider-setup.');
  const scripted = flags.provider.length > 0 || flags.map.length > 0 || flags.deleteProvider.length > 0;
  if (!scripted && !io.isTty()) return fail('secrets configure requires an interactive TTY.');
  const allowExec = flags.bool.has('allow-exec');
  const location = locateConfig(io.env);
  const agentId = flags.agent?.trim() || 'main';
  // One reader for every question: a second readline on the same stream would lose buffered lines.
  const ask = !json && io.isTty() ? new Prompter(io) : undefined;
  try {
    const config = await readConfig(location);
    let selection: Selection;
    if (scripted) {
      selection = { providers: {}, deletes: flags.deleteProvider, mappings: [] };
      for (const spec of flags.provider) {
        const { alias, provider } = parseProviderSpec(spec);
        selection.providers[alias] = provider;
      }
      if (!providersOnly) {
        const projected = {
          ...(config as Record<string, unknown>),
          secrets: {
            ...((config as { secrets?: object }).secrets ?? {}),
            providers: { ...configuredProviders(config), ...selection.providers },
          },
        };
        for (const spec of flags.map) {
          const { path: fieldPath, ref } = parseMappingSpec(spec, projected);
          selection.mappings.push({
            path: fieldPath,
            ref,
            agentId: fieldPath.trim().startsWith('profiles.') ? agentId : undefined,
          });
        }
      }
    } else {
      const authStore = providersOnly ? undefined : await readAuthStore(config, location, agentId, io.env);
      selection = await interactiveSelection(
        io,
        ask ?? new Prompter(io),
        config,
        authStore === undefined ? undefined : { agentId, store: authStore },
        { providersOnly, skipProviderSetup },
      );
    }
    const plan = buildConfigurePlan({
      config,
      providers: selection.providers,
      deletes: selection.deletes,
      mappings: selection.mappings,
    });
    if (!planHasChanges(plan)) throw new CliError('No secrets changes were selected.');
    const preflight = await applySecretsPlan({
      plan,
      planPath: flags.planOut ?? '<configure>',
      location,
      env: io.env,
      dryRun: true,
      allowExec,
      force: flags.bool.has('force'),
      refuseValueLossInDryRun: true,
    });
    if (flags.planOut) await writePlanFile(path.resolve(io.cwd, flags.planOut), plan);
    if (!json) io.stdout(preflightLines(plan, preflight, flags.planOut));
    let shouldApply = flags.bool.has('apply') || flags.bool.has('yes');
    if (!shouldApply && ask) shouldApply = await ask.confirm('Apply this plan now?', true);
    if (shouldApply && !flags.bool.has('yes') && !json) {
      if (!ask) throw new CliError('Applying is one-way for migrated plaintext values: re-run with --yes to confirm');
      if (!(await ask.confirm('This migration is one-way for migrated plaintext values. Continue with apply?', true))) {
        io.stdout('Apply cancelled.\n');
        return 0;
      }
    }
    if (!shouldApply) {
      if (json) io.stdout(`${JSON.stringify({ plan, preflight }, null, 2)}\n`);
      return 0;
    }
    const result = await applySecretsPlan({
      plan,
      planPath: flags.planOut ?? '<configure>',
      location,
      env: io.env,
      dryRun: false,
      allowExec,
      force: flags.bool.has('force'),
      onNotice: (line) => io.stderr(`${line}\n`),
    });
    io.stdout(
      json
        ? `${JSON.stringify(result, null, 2)}\n`
        : result.changed
          ? `Secrets applied. Updated ${result.changedFiles.length} file(s).\n`
          : 'Secrets apply: no changes.\n',
    );
    return 0;
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}
