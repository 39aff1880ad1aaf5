// The editor's side of "Move to <backend>": quick fixes per plaintext field (usable backends first, the
// others disabled with their reason when the user asks explicitly), "Move all plaintext" per usable
// backend, and the command that runs the engine's move flow on the saved file. Thin: the engine does it all.
import {
  CodeActionKind,
  CodeActionTriggerKind,
  MessageType,
  ShowMessageNotification,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
} from 'vscode-languageserver/node';
import type { PathSegment } from '../engine/config/configDocument';
import type { ConfigLocation } from '../engine/config/configLocation';
import { probeBackends, backendById, type ProbedBackend } from '../engine/backends/backendRegistry';
import { moveToBackend, type MoveResult } from '../engine/backends/moveToBackend';
import { OpenClawSecretsError } from '../../../shared/src/errors';
import { MoveError } from '../engine/backends/backendTypes';
import { readRegularFile } from '../engine/config/readRegularFile';
import { cloudBackend, planCloudMove, type CloudPlanResult } from '../engine/backends/cloudPlan';
import { findTools, recipes, type Recipe, type RecipeOption } from '../engine/backends/wrappers';
import { planPathFor } from './codeActions';
import type { CommandContext } from './commands';

export const MOVE_COMMAND = 'openclawSecrets.moveToBackend';
export const CLOUD_PLAN_COMMAND = 'openclawSecrets.planCloudMove';
/**
 * The client's command behind every cloud quick fix: it asks for the recipe's required options (checked
 * against their patterns), shows progress, and forwards to `serverCommand`. It decides nothing itself.
 */
export const CLIENT_CLOUD_COMMAND = 'openclawSecrets.cloudMove';
/** a Source sub-kind, so "fix all on save" never moves values by itself */
export const MOVE_ALL_KIND = `${CodeActionKind.Source}.openclawSecrets.moveAll`;

const PROBE_TTL_MS = 10_000;
const probeCache = new Map<string, { at: number; probed: Promise<ProbedBackend[]> }>();

/** Probes are cheap but run tools for some backends: once per config and 10 s, shared by every request. */
export function probedBackends(location: ConfigLocation, config: unknown, env: NodeJS.ProcessEnv) {
  const key = `${location.configPath}\u0000${env.PATH ?? ''}`;
  const hit = probeCache.get(key);
  if (hit && Date.now() - hit.at < PROBE_TTL_MS) return hit.probed;
  const probed = probeBackends({ location, env, config, timeoutMs: 10_000 });
  probeCache.set(key, { at: Date.now(), probed });
  return probed;
}

export interface MoveActionInput {
  uri: string;
  version: number;
  path: PathSegment[];
  diagnostics: Diagnostic[];
}

/** Quick fixes for one plaintext field: [usable..., ] and [disabled...] (the latter only on explicit request). */
export function moveActionsFor(
  probed: readonly ProbedBackend[],
  input: MoveActionInput,
  params: CodeActionParams,
): { usable: CodeAction[]; unusable: CodeAction[] } {
  const usable: CodeAction[] = [];
  const unusable: CodeAction[] = [];
  for (const { backend, probe } of probed) {
    const title = `Move to ${backend.label}`;
    const action: CodeAction = {
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: input.diagnostics,
      command: {
        title,
        command: MOVE_COMMAND,
        arguments: [{ uri: input.uri, version: input.version, paths: [input.path], backendId: backend.id }],
      },
    };
    if (probe.usable) usable.push(action);
    else if (params.context.triggerKind === CodeActionTriggerKind.Invoked)
      unusable.push({ ...action, disabled: { reason: probe.reason ?? 'not usable here' } });
  }
  return { usable, unusable };
}

export function moveAllActions(
  probed: readonly ProbedBackend[],
  uri: string,
  version: number,
  paths: PathSegment[][],
): CodeAction[] {
  return probed
    .filter((p) => p.probe.usable)
    .map(({ backend }) => {
      const title = `Move all plaintext in this file to ${backend.label} (${paths.length})`;
      return {
        title,
        kind: MOVE_ALL_KIND,
        command: { title, command: MOVE_COMMAND, arguments: [{ uri, version, paths, backendId: backend.id }] },
      };
    });
}

export class MoveRefusedError extends OpenClawSecretsError {
  constructor(message: string) {
    super(message, 'MOVE_REFUSED');
  }
}

export interface MoveParams {
  uri: string;
  version: number;
  paths: PathSegment[][];
  backendId: string;
  names?: string[];
  /** a cloud backend's options (region, vaultName, ...), schema-checked against its recipe */
  options?: Record<string, string>;
}

/** A cloud move that could not start (its CLI is not logged in or not reachable): nothing was stored or written. */
export interface CloudNotMoved {
  notMoved: string;
}

/**
 * Run the move on the saved openclaw.json (apply writes the file; the editor reloads it). A cloud backend
 * whose login check fails answers `notMoved` with the reason, for the client to offer the plan instead.
 */
export async function moveFieldsToBackend(
  ctx: CommandContext,
  params: MoveParams,
): Promise<MoveResult | CloudNotMoved> {
  const doc = ctx.store.get(params.uri);
  if (!doc || doc.kind !== 'config') throw new MoveRefusedError('the document is not an open openclaw.json');
  if (doc.version !== params.version) throw new MoveRefusedError('the document changed; run the quick fix again');
  const location = ctx.store.locationFor(params.uri);
  if (!location) throw new MoveRefusedError('not a file on disk');
  // Moving runs tools (openclaw, pass, ...): never in a workspace the user has not trusted.
  if (!ctx.trusted()) throw new MoveRefusedError('moving a value runs external tools; trust this workspace first');
  const cloud = recipes.some((r) => r.kind === 'cloud' && r.id === params.backendId);
  const backend = cloud ? cloudBackend(params.backendId, params.options ?? {}) : backendById(params.backendId);
  if (!backend) throw new MoveRefusedError(`unknown backend "${params.backendId}"`);
  // Picking "Move to <exec backend>" is the consent to run the wrapper it generates, unless policy forbids exec.
  if (backend.source === 'exec' && (await ctx.settings.get(params.uri)).execPolicy === 'never')
    throw new MoveRefusedError(`${backend.label} is read back through an exec provider, and exec.policy is "never"`);
  // Read as every config read is: a regular file, through its descriptor, with a size cap.
  const onDisk = await readRegularFile(location.configPath).catch(() => undefined);
  if (onDisk !== doc.text.getText())
    throw new MoveRefusedError('save openclaw.json first: the move rewrites the file on disk');
  let result: MoveResult;
  try {
    result = await moveToBackend({
      backend,
      location,
      env: ctx.env,
      fields: params.paths.map((p, i) => (params.names?.[i] ? { path: p, name: params.names[i] } : { path: p })),
    });
  } catch (err) {
    if (cloud && err instanceof MoveError && err.step === 'probe') return { notMoved: err.message };
    throw err;
  }
  await ctx.connection
    .sendNotification(ShowMessageNotification.type, {
      type: MessageType.Info,
      message: `Moved ${result.moved.map((m) => `${m.path} -> ${m.refKey}`).join(', ')} (read back ${result.moved
        .map((m) => m.fingerprint)
        .join(', ')}).`,
    })
    .catch(() => undefined);
  return result;
}

/** A cloud secret manager whose CLI is here: whether its quick fix moves the value, and why not. */
export interface CloudOffer {
  recipe: Recipe;
  /** its CLI can take the value (stdin or a 0600 file): the quick fix moves it once the login check passes */
  canMove: boolean;
  reason?: string;
}

const cloudProbeCache = new Map<string, { at: number; found: Promise<CloudOffer[]> }>();

/**
 * Cloud secret managers whose CLI is on PATH here. Offering them runs nothing: the login check (which may
 * reach the network) runs when the person picks the move, and a failed one offers the plan instead.
 */
export function cloudRecipesHere(env: NodeJS.ProcessEnv): Promise<CloudOffer[]> {
  const key = env.PATH ?? '';
  const hit = cloudProbeCache.get(key);
  if (hit && Date.now() - hit.at < PROBE_TTL_MS) return hit.found;
  const found = Promise.all(
    recipes
      .filter((recipe) => recipe.kind === 'cloud')
      .map(async (recipe): Promise<CloudOffer | undefined> => {
        const tools = await findTools(recipe, env);
        if (!tools.ok) return undefined;
        return recipe.store.argv ? { recipe, canMove: true } : { recipe, canMove: false, reason: recipe.store.manual };
      }),
  ).then((offers) => offers.filter((o): o is CloudOffer => o !== undefined));
  cloudProbeCache.set(key, { at: Date.now(), found });
  return found;
}

/** What the client's cloud command receives: the server command to forward to, its params, what to ask. */
export interface CloudMoveArgs {
  serverCommand: typeof MOVE_COMMAND | typeof CLOUD_PLAN_COMMAND;
  title: string;
  params: { uri: string; version: number; paths: PathSegment[][]; backendId: string };
  /** required options the client asks for (showInputBox, validated against `pattern`) */
  ask: RecipeOption[];
}

/**
 * Quick fixes for one field, only when the user asks (Ctrl+.): picking one runs the cloud CLI and writes
 * files. "Move to <cloud>" (the real move, after its login check) when its CLI can take the value, else
 * "(wrapper + plan; you store the value)".
 */
export function cloudPlanActionsFor(
  cloud: readonly CloudOffer[],
  input: MoveActionInput,
  params: CodeActionParams,
): CodeAction[] {
  if (params.context.triggerKind !== CodeActionTriggerKind.Invoked) return [];
  return cloud.map(({ recipe, canMove }) => {
    const title = canMove ? `Move to ${recipe.label}` : `Move to ${recipe.label} (wrapper + plan; you store the value)`;
    const args: CloudMoveArgs = {
      serverCommand: canMove ? MOVE_COMMAND : CLOUD_PLAN_COMMAND,
      title,
      params: { uri: input.uri, version: input.version, paths: [input.path], backendId: recipe.id },
      ask: recipe.options.filter((o) => o.required || o.ask),
    };
    return {
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: input.diagnostics,
      command: { title, command: CLIENT_CLOUD_COMMAND, arguments: [args] },
    };
  });
}

/** Write the cloud wrapper, provider and plan for saved fields; openclaw.json is not touched. */
export async function planCloudMoveForEditor(ctx: CommandContext, params: MoveParams): Promise<CloudPlanResult> {
  const doc = ctx.store.get(params.uri);
  if (!doc || doc.kind !== 'config') throw new MoveRefusedError('the document is not an open openclaw.json');
  if (doc.version !== params.version) throw new MoveRefusedError('the document changed; run the quick fix again');
  const location = ctx.store.locationFor(params.uri);
  if (!location) throw new MoveRefusedError('not a file on disk');
  // It writes an executable wrapper: never in a workspace the user has not trusted.
  if (!ctx.trusted()) throw new MoveRefusedError('this writes an exec wrapper; trust this workspace first');
  const settings = await ctx.settings.get(params.uri);
  let result: CloudPlanResult;
  try {
    result = await planCloudMove({
      recipeId: params.backendId,
      location,
      env: ctx.env,
      fields: params.paths.map((p, i) => (params.names?.[i] ? { path: p, name: params.names[i] } : { path: p })),
      options: params.options ?? {},
      planPath: planPathFor(location, settings.planLocation),
    });
  } catch (err) {
    throw new MoveRefusedError(err instanceof OpenClawSecretsError ? err.message : 'the plan could not be written');
  }
  const steps = result.fields.map((f) => `${f.path} -> exec:${f.ref.provider}:${f.ref.id}: ${f.store}`).join(' ');
  await ctx.connection
    .sendNotification(ShowMessageNotification.type, {
      type: MessageType.Info,
      message: `Wrote the ${result.backend} wrapper and added ${result.fields.length} field(s) to ${result.planPath}; openclaw.json is unchanged. Store each value, then apply the plan (it reads each value back first). ${steps}`,
    })
    .catch(() => undefined);
  return result;
}
