// Cloud secret managers (AWS, Aliyun, Vault, 1Password, Azure, Bitwarden). When the CLI is here, logged in
// and takes the value on stdin, `cloudBackend` is a real move backend (execRecipeBackend with the recipe's
// options). Otherwise they take part as a plan: the wrapper and provider are written and the apply plan
// names the field, but the value is stored by the person with the printed command (reading it from a file
// or stdin). The plan's apply then proves it: apply resolves the new ref and refuses to replace a
// plaintext that differs (the value-loss check).
import { checkRefId, type ProviderConfig, type SecretRef } from '../refs/secretRef';
import { mergeIntoPlanFile, planTargetForPath, type PlanTarget } from '../plan/plan';
import type { ConfigLocation } from '../config/configLocation';
import { recipeById, findTools, writeWrapper, storeArgv, type Recipe, type ToolPaths } from './wrappers';
import { execRecipeBackend, wrapperDirFor } from './execBackend';
import { BackendStepError, type SecretBackend } from './backendTypes';
import type { MoveField } from './moveToBackend';

/** Where a cloud CLI that is not installed yet is expected; the wrapper is regenerated idempotently once it is. */
export const CLOUD_CLI_DEFAULT_DIR = '/usr/local/bin';

export interface CloudPlanInput {
  recipeId: string;
  location: ConfigLocation;
  env: NodeJS.ProcessEnv;
  fields: readonly MoveField[];
  /** the recipe's options (region, vaultName, ...), checked by the wrapper writer */
  options: Readonly<Record<string, string>>;
  planPath: string;
}

export interface CloudPlanResult {
  backend: string;
  providerAlias: string;
  wrapperPath: string;
  /** tools that were not on PATH, and the absolute path the wrapper expects them at */
  expectedTools: Record<string, string>;
  planPath: string;
  /** per field: the ref it will hold and how to store its value (a command reading a file, or a manual step) */
  fields: { path: string; ref: SecretRef; store: string }[];
}

/**
 * The provider alias a cloud backend declares: its recipe id, except where that is no valid alias
 * (OpenClaw's aliases start with a letter: `1password` becomes `onepassword`).
 */
export function cloudProviderAlias(recipeId: string): string {
  return /^[a-z]/.test(recipeId) ? recipeId : recipeId === '1password' ? 'onepassword' : `p${recipeId}`;
}

export function isCloudBackend(id: string): boolean {
  return recipeById(id)?.kind === 'cloud';
}

/**
 * A cloud recipe as a move backend; its probe says whether the move can happen here (CLI found, options
 * valid, a store command, logged in) and why not. The provider alias is cloudProviderAlias, as in the plan.
 */
export function cloudBackend(recipeId: string, options: Readonly<Record<string, string>>): SecretBackend {
  const recipe = recipeById(recipeId);
  if (!recipe || recipe.kind !== 'cloud') throw new BackendStepError('probe', `"${recipeId}" is not a cloud backend`);
  return execRecipeBackend(recipe.id, cloudProviderAlias(recipe.id), options);
}

export async function planCloudMove(input: CloudPlanInput): Promise<CloudPlanResult> {
  const recipe: Recipe | undefined = recipeById(input.recipeId);
  if (!recipe || recipe.kind !== 'cloud')
    throw new BackendStepError('probe', `"${input.recipeId}" is not a cloud backend`);
  const found = await findTools(recipe, input.env);
  const tools: ToolPaths = Object.create(null) as ToolPaths;
  Object.assign(tools, found.tools);
  const expectedTools: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of found.ok ? [] : found.missing) {
    if (name === 'node') throw new BackendStepError('probe', 'node not found on PATH (the wrapper runs on it)');
    tools[name] = `${CLOUD_CLI_DEFAULT_DIR}/${name}`;
    expectedTools[name] = tools[name];
  }
  let provider: ProviderConfig;
  let wrapperPath: string;
  try {
    const written = await writeWrapper(recipe, {
      dir: wrapperDirFor({ location: input.location }),
      tools,
      options: input.options,
      env: input.env,
    });
    provider = written.provider as ProviderConfig;
    wrapperPath = written.wrapperPath;
  } catch (err) {
    throw new BackendStepError('wrapper', err instanceof Error ? err.message : 'the wrapper could not be written');
  }
  const alias = cloudProviderAlias(recipe.id);
  const backend = execRecipeBackend(recipe.id, alias, input.options);
  const targets: PlanTarget[] = [];
  const fields: CloudPlanResult['fields'] = [];
  for (const field of input.fields) {
    const id = field.name ?? backend.suggestName(field.path);
    const idProblem = checkRefId('exec', id);
    if (idProblem) throw new BackendStepError('check', `${field.path.join('.')}: ${idProblem}`);
    const ref: SecretRef = { source: 'exec', provider: alias, id };
    const target = planTargetForPath(field.path, ref);
    if (!target)
      throw new BackendStepError('check', `${field.path.join('.')} is not a credential field a plan can target`);
    targets.push(target);
    let command: ReturnType<typeof storeArgv>;
    try {
      command = storeArgv(recipe, tools, id, input.options);
    } catch (err) {
      throw new BackendStepError('check', `${field.path.join('.')}: ${err instanceof Error ? err.message : 'bad id'}`);
    }
    fields.push({
      path: target.path,
      ref,
      store: command.kind === 'manual' ? command.instructions : command.printable,
    });
  }
  await mergeIntoPlanFile(input.planPath, [{ providerUpserts: { [alias]: provider }, targets }]);
  return { backend: recipe.id, providerAlias: alias, wrapperPath, expectedTools, planPath: input.planPath, fields };
}
