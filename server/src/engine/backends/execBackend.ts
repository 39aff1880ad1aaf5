// An exec-wrapper recipe (cloudwrappers' wrappers/) as a move backend: probe = its tools found on PATH
// (plus the local store's own precondition), check and read back = the generated wrapper run by our exec
// resolver exactly as OpenClaw runs it, store = the recipe's store argv with the value on stdin.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recipeById, findTools, writeWrapper, storeArgv, type Recipe, type RecipeId } from './wrappers';
import type { ToolPaths } from './wrappers';
import { resolveRefs } from '../resolve';
import { checkRefId, secretRefKey, type ProviderConfig, type SecretRef } from '../refs/secretRef';
import { homeDir } from '../config/configLocation';
import { suggestExecId } from '../../../../shared/src/suggestRefId';
import { lastLine, runChild } from './childRun';
import {
  BackendStepError,
  type BackendContext,
  type BackendProbe,
  type ExistingEntry,
  type SecretBackend,
} from './backendTypes';

/** Where generated wrappers live: beside the state, owned by the user, 0700 (OpenClaw's trustedDirs). */
export function wrapperDirFor(ctx: Pick<BackendContext, 'location'>): string {
  return path.join(ctx.location.stateDir, 'secret-wrappers');
}

/** The backend's own precondition beyond its tools (an initialised store, a session bus). */
function localPrecondition(recipe: Recipe, env: NodeJS.ProcessEnv): string | undefined {
  if (recipe.id === 'pass') {
    const dir = env.PASSWORD_STORE_DIR?.trim() || path.join(homeDir(env), '.password-store');
    if (!fs.existsSync(path.join(dir, '.gpg-id')))
      return `the password store ${dir} is not initialised (run: pass init <gpg-key-id>)`;
  }
  if (recipe.id === 'secret-tool' && !env.DBUS_SESSION_BUS_ADDRESS?.trim())
    return 'no D-Bus session bus for the Secret Service (DBUS_SESSION_BUS_ADDRESS is unset)';
  return undefined;
}

export function execRecipeBackend(recipeId: RecipeId, alias: string): SecretBackend {
  const found = recipeById(recipeId);
  if (!found) throw new Error(`no recipe ${recipeId}`);
  const recipe: Recipe = found;
  // One wrapper write per move (ctx), reused by check, store and read back.
  const wrappers = new WeakMap<BackendContext, Promise<{ tools: ToolPaths; provider: ProviderConfig }>>();
  const tools = async (ctx: BackendContext): Promise<ToolPaths> => {
    const t = await findTools(recipe, ctx.env);
    if (!t.ok) throw new BackendStepError('probe', `${t.missing.join(', ')} not found on PATH`);
    return t.tools;
  };
  const wrapper = (ctx: BackendContext) => {
    let pending = wrappers.get(ctx);
    if (!pending) {
      pending = (async () => {
        const t = await tools(ctx);
        try {
          const written = await writeWrapper(recipe, { dir: wrapperDirFor(ctx), tools: t, env: ctx.env });
          return { tools: t, provider: written.provider as ProviderConfig };
        } catch (err) {
          throw new BackendStepError(
            'wrapper',
            err instanceof Error ? err.message : 'the wrapper could not be written',
          );
        }
      })();
      wrappers.set(ctx, pending);
    }
    return pending;
  };
  /** The value the wrapper gives for `name`, through our exec resolver (OpenClaw's protocol and checks). */
  const readThroughWrapper = async (name: string, ctx: BackendContext) => {
    const { provider } = await wrapper(ctx);
    const ref: SecretRef = { source: 'exec', provider: alias, id: name };
    const outcomes = await resolveRefs([ref], { providers: { [alias]: provider } }, { env: ctx.env, allowExec: true });
    return outcomes.get(secretRefKey(ref));
  };

  return {
    id: recipe.id,
    label: recipe.label,
    source: 'exec',
    async probe(ctx): Promise<BackendProbe> {
      const t = await findTools(recipe, ctx.env);
      if (!t.ok) return { usable: false, reason: `${t.missing.join(', ')} not found on PATH` };
      const problem = localPrecondition(recipe, ctx.env);
      return problem
        ? { usable: false, reason: problem, tool: t.tools[recipe.tools[0]] }
        : { usable: true, tool: t.tools[recipe.tools[0]] };
    },
    refFor: (name) => ({ source: 'exec', provider: alias, id: name }),
    suggestName: (fieldPath) => `openclaw/${suggestExecId(fieldPath)}`,
    nameProblem: (name) => checkRefId('exec', name),
    async existing(name, value, ctx): Promise<ExistingEntry> {
      const outcome = await readThroughWrapper(name, ctx);
      if (outcome?.ok) return typeof outcome.value === 'string' && outcome.value === value ? 'same' : 'different';
      if (outcome?.error.code === 'SECRET_REF_NOT_FOUND') return 'absent';
      throw new BackendStepError(
        'check',
        `${recipe.label} could not be read through the wrapper: ${outcome?.error.message ?? 'no answer'}`,
      );
    },
    async store(name, value, ctx): Promise<void> {
      const { tools: t } = await wrapper(ctx);
      const cmd = storeArgv(recipe, t, name);
      if (cmd.kind !== 'stdin') throw new BackendStepError('store', cmd.instructions);
      const [command, ...args] = cmd.argv;
      // The CLI may be a script calling its siblings (pass -> gpg): their folders join a short PATH.
      const dirs = [...new Set(Object.values(t).map((p) => path.dirname(p)))];
      const env = { ...ctx.env, PATH: [ctx.env.PATH, ...dirs].filter(Boolean).join(path.delimiter) };
      const run = await runChild({
        command,
        args,
        env,
        stdin: value,
        timeoutMs: ctx.timeoutMs,
        redact: [value],
      });
      if (run.spawnError) throw new BackendStepError('store', `${command} could not be started (${run.spawnError})`);
      if (run.timedOut)
        throw new BackendStepError('store', `${path.basename(command)} did not finish within ${ctx.timeoutMs} ms`);
      if (run.exitCode !== 0) {
        const why = lastLine(run.stderr) || lastLine(run.stdout);
        throw new BackendStepError(
          'store',
          `${path.basename(command)} exited with code ${run.exitCode ?? run.signal}${why ? `: ${why}` : ''}`,
        );
      }
    },
    async provider(ctx) {
      const { provider } = await wrapper(ctx);
      return { alias, config: provider };
    },
  };
}
