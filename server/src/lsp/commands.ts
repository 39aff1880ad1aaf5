// The typed `openclawSecrets/*` requests and the same operations as `workspace/executeCommand` commands:
// resolve dry-run, exec command listing, audit, apply plan, reload. Exec runs only with the request's
// consent and never in an untrusted workspace. Results are masked.
import * as path from 'node:path';
import { ResponseError, ErrorCodes, type Connection } from 'vscode-languageserver/node';
import { runSecretsAudit } from '../engine/audit/audit';
import type { SchemaService } from './openclawSchema';
import { applySecretsPlan, ValueLossError } from '../engine/plan/apply';
import { readPlanFile } from '../engine/plan/plan';
import { prepareSecretsSnapshot, reloadWithoutValues, SecretsRuntime } from '../engine/runtime/runtimeSnapshot';
import { locationForConfigFile } from '../engine/config/configLocation';
import type {
  ApplyNeedsConfirmation,
  ApplyPlanParams,
  ApplyPlanResult,
  AuditParams,
  AuditReport,
  ConfigureFieldsParams,
  ConfigureFieldsResult,
  ConfigurePlanParams,
  ConfigurePlanResult,
  ExecCommandsResult,
  ReloadParams,
  ReloadResult,
  ResolveParams,
  ResolveResult,
  StatusNotification,
} from '../protocol';
import { buildConfigurePlan, configurePlaintextFields, ConfigureError, planHasChanges } from '../engine/plan/configure';
import { writePlanFile } from '../engine/plan/plan';
import { STATUS_NOTIFICATION } from '../protocol';
import type { DocumentStore } from './documents';
import { uriToPath } from './documents';
import {
  collectRefs,
  dryRunRefs,
  execCommandsFor,
  providersInput,
  resolutionEnv,
  summarize,
  type ResolutionState,
} from './resolutionState';
import type { DiagnosticsService } from './diagnostics';
import type { SettingsStore } from './settings';
import { isRecord } from '../engine/config/jsonValue';
import { describeError } from '../../../shared/src/errors';

export interface CommandContext {
  connection: Connection;
  store: DocumentStore;
  diagnostics: DiagnosticsService;
  resolution: ResolutionState;
  settings: SettingsStore;
  env: NodeJS.ProcessEnv;
  /** false when the client said the workspace is untrusted: exec never runs then */
  trusted: () => boolean;
  /** the active snapshot per config, kept across reloads (last-known-good) */
  runtimes: Map<string, SecretsRuntime>;
  /** OpenClaw's config schema, so the editor's audit calls a config invalid exactly when the CLI does */
  schemas?: SchemaService;
}

function badParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

/** The config a request names: the open buffer or the file on disk, with its location and env. */
function loadTarget(ctx: CommandContext, uri: string) {
  const configPath = uriToPath(uri);
  if (!configPath) throw badParams(`not a file URI: ${uri}`);
  const location = ctx.store.locationFor(uri) ?? locationForConfigFile(configPath, ctx.env);
  const config = ctx.store.configFor(uri);
  if (!config) throw badParams(`cannot read ${configPath}`);
  if (config.syntaxError)
    throw badParams(
      `${path.basename(configPath)} does not parse (line ${config.syntaxError.line}, column ${config.syntaxError.column})`,
    );
  const secrets = isRecord(config.value) ? config.value.secrets : undefined;
  const env = resolutionEnv(ctx.env, ctx.store.dotEnvTextFor(location));
  return { location, config, secrets, env };
}

/** Consent, trust and policy; and when the client names the commands it asked about, only those may run. */
async function allowExecFor(
  ctx: CommandContext,
  uri: string,
  requested: unknown,
  allowedCommands?: unknown,
  commandsNow?: readonly string[],
): Promise<boolean> {
  if (requested !== true || !ctx.trusted()) return false;
  if (Array.isArray(allowedCommands) && commandsNow && !commandsNow.every((c) => allowedCommands.includes(c)))
    return false;
  const s = await ctx.settings.get(uri);
  return s.execPolicy !== 'never';
}

export async function resolveDryRun(ctx: CommandContext, params: ResolveParams): Promise<ResolveResult> {
  const { location, config, secrets, env } = loadTarget(ctx, params.uri);
  const refs = collectRefs(config, 'openclaw.json', secrets);
  const commands = execCommandsFor(refs, secrets, ctx.env);
  const allowExec = await allowExecFor(ctx, params.uri, params.allowExec, params.allowedCommands, commands);
  const results = await dryRunRefs(refs, secrets, { env, allowExec, stateDir: location.stateDir });
  ctx.resolution.record(params.uri, results);
  ctx.diagnostics.schedule(params.uri, 0);
  return summarize(params.uri, results, commands);
}

export async function execCommands(
  ctx: CommandContext,
  params: { uri: string; planUri?: string },
): Promise<ExecCommandsResult> {
  if (params.planUri !== undefined) return execCommandsOfPlan(params.planUri);
  const { config, secrets } = loadTarget(ctx, params.uri);
  return { commands: execCommandsFor(collectRefs(config, 'openclaw.json', secrets), secrets, ctx.env) };
}

/** What applying a plan would run, read the way apply reads it (regular file, size cap, strict check). */
async function execCommandsOfPlan(planUri: string): Promise<ExecCommandsResult> {
  const planPath = uriToPath(planUri);
  if (!planPath) throw badParams(`not a file URI: ${planUri}`);
  let plan;
  try {
    plan = await readPlanFile(planPath);
  } catch {
    // An unreadable or invalid plan is apply's to report, with OpenClaw's message.
    return { commands: [], usesExec: false };
  }
  const upserts = Object.values(plan.providerUpserts ?? {}).filter((p) => p.source === 'exec');
  const commands = upserts.flatMap((p) => (p.source === 'exec' && typeof p.command === 'string' ? [p.command] : []));
  const usesExec = upserts.length > 0 || plan.targets.some((t) => t.ref.source === 'exec');
  return { commands: [...new Set(commands)], usesExec };
}

export async function audit(ctx: CommandContext, params: AuditParams): Promise<AuditReport> {
  const { location, config, secrets } = loadTarget(ctx, params.uri);
  const commands = execCommandsFor(collectRefs(config, 'openclaw.json', secrets), secrets, ctx.env);
  const schema = ctx.schemas ? (await ctx.schemas.forDocument(params.uri)).schema : undefined;
  return runSecretsAudit({
    location,
    env: ctx.env,
    allowExec: await allowExecFor(ctx, params.uri, params.allowExec, params.allowedCommands, commands),
    ...(schema ? { schema } : {}),
  });
}

export async function applyPlan(ctx: CommandContext, params: ApplyPlanParams): Promise<ApplyPlanResult> {
  const { location } = loadTarget(ctx, params.uri);
  const planPath = uriToPath(params.planUri);
  if (!planPath) throw badParams(`not a file URI: ${params.planUri}`);
  try {
    const plan = await readPlanFile(planPath);
    const result = await applySecretsPlan({
      plan,
      planPath,
      location,
      env: ctx.env,
      dryRun: params.dryRun !== false,
      allowExec: await allowExecFor(ctx, params.uri, params.allowExec),
      force: params.force === true,
    });
    if (result.mode === 'write') ctx.diagnostics.scheduleAll();
    return result;
  } catch (err) {
    if (err instanceof ValueLossError) {
      const answer: ApplyNeedsConfirmation = {
        ok: false,
        needsConfirmation: 'value-loss',
        error: { type: 'value_loss', message: err.message },
        conflicts: err.conflicts,
      };
      return answer;
    }
    // Engine errors carry OpenClaw's message (paths and codes, never values); anything else only its class.
    return { ok: false, error: { type: 'cli_error', message: describeError(err, 'apply').message } };
  }
}

/** Re-resolve every ref and swap the snapshot only on success (last-known-good kept); status notified. */
export async function reload(ctx: CommandContext, params: ReloadParams): Promise<ReloadResult> {
  const { config, secrets, env } = loadTarget(ctx, params.uri);
  const commands = execCommandsFor(collectRefs(config, 'openclaw.json', secrets), secrets, ctx.env);
  const allowExec = await allowExecFor(ctx, params.uri, params.allowExec, params.allowedCommands, commands);
  const assignments = collectRefs(config, 'openclaw.json', secrets).map((r) => ({
    path: r.path,
    ref: r.ref,
    expected: r.expected ?? 'string-or-object',
  }));
  let runtime = ctx.runtimes.get(params.uri);
  if (!runtime) ctx.runtimes.set(params.uri, (runtime = new SecretsRuntime()));
  // The editor shows states and fingerprints only: the runtime it keeps per file holds no value.
  const outcome = await reloadWithoutValues(runtime, () =>
    prepareSecretsSnapshot(assignments, providersInput(secrets), { env, allowExec }),
  );
  const result: ReloadResult = { state: outcome.state, message: outcome.message, warningCount: outcome.warningCount };
  const status: StatusNotification = {
    uri: params.uri,
    plaintextCount: (ctx.diagnostics.lastFindings.get(params.uri)?.findings ?? []).filter(
      (f) => f.code === 'PLAINTEXT_FOUND',
    ).length,
    resolution:
      result.state === 'ok' || result.state === 'recovered'
        ? 'ok'
        : result.state === 'degraded'
          ? 'degraded'
          : 'failed',
  };
  ctx.connection.sendNotification(STATUS_NOTIFICATION, status).catch(() => undefined);
  return result;
}

/** Plaintext fields of the config the configure flow may move, with the ids the engine suggests for each source. */
export function configureFields(ctx: CommandContext, params: ConfigureFieldsParams): ConfigureFieldsResult {
  const { config } = loadTarget(ctx, params.uri);
  return { fields: configurePlaintextFields(config.value) };
}

/** The editor's configure flow: the plan `configure` would write, checked by an apply dry-run, written to planUri. */
export async function configurePlan(ctx: CommandContext, params: ConfigurePlanParams): Promise<ConfigurePlanResult> {
  const { location, config } = loadTarget(ctx, params.uri);
  const planPath = uriToPath(params.planUri);
  if (!planPath) throw badParams(`not a file URI: ${params.planUri}`);
  const plan = buildConfigurePlan({ config: config.value, providers: params.providers, mappings: params.mappings });
  if (!planHasChanges(plan)) throw new ConfigureError('No secrets changes were selected.');
  // The same preflight as the CLI's configure: without exec consent, as the plan is only written here.
  await applySecretsPlan({ plan, planPath, location, env: ctx.env, dryRun: true, allowExec: false });
  await writePlanFile(planPath, plan);
  return {
    planPath,
    targetCount: plan.targets.length,
    providerUpsertCount: Object.keys(plan.providerUpserts ?? {}).length,
  };
}
