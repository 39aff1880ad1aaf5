// An exec-wrapper recipe (cloudwrappers' wrappers/) as a move backend: probe = its tools found on PATH
// (plus the local store's own precondition; for a cloud recipe its options, a stdin store command and a
// login check), check and read back = the generated wrapper run by our exec resolver exactly as OpenClaw
// runs it, store = the recipe's store argv with the value on stdin (its update argv only where the name
// exists without the value, as the recipe's exists check says: a Vault path holding other fields).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  recipeById,
  findTools,
  writeWrapper,
  storeArgv,
  loginArgv,
  checkedOptions,
  backendName,
  type Recipe,
  type RecipeId,
} from './wrappers';
import type { ToolPaths } from './wrappers';
import { resolveRefs } from '../resolve';
import { checkRefId, secretRefKey, type ProviderConfig, type SecretRef } from '../refs/secretRef';
import { homeDir } from '../config/configLocation';
import { suggestExecId } from '../../../../shared/src/suggestRefId';
import { lastLine, runChild, type ChildRunResult } from './childRun';
import { withSecretFile } from './secretFile';
import { FILE_ARG } from './wrappers/storeArgv';
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

/** The login check's deadline: it answers in a second or two, or the CLI is waiting for something. */
export const LOGIN_PROBE_TIMEOUT_MS = 15_000;

/** The tools' folders join PATH: a CLI may be a script calling its siblings (pass -> gpg). */
function toolEnv(env: NodeJS.ProcessEnv, t: ToolPaths): NodeJS.ProcessEnv {
  const dirs = [...new Set(Object.values(t).map((p) => path.dirname(p)))];
  return { ...env, PATH: [env.PATH, ...dirs].filter(Boolean).join(path.delimiter) };
}

function argvText(argv: readonly string[]): string {
  return [path.basename(argv[0]), ...argv.slice(1)].join(' ');
}

/**
 * A cloud recipe's login check: undefined when it succeeded, else one line saying why not (the CLI's
 * output is matched against the recipe's failure rules, never shown beyond its last line).
 */
export async function loginProblem(
  recipe: Recipe,
  t: ToolPaths,
  options: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<string | undefined> {
  const argv = loginArgv(recipe, t, options);
  if (!argv) return undefined;
  const deadline = Math.min(timeoutMs, LOGIN_PROBE_TIMEOUT_MS);
  const run = await runChild({ command: argv[0], args: argv.slice(1), env: toolEnv(env, t), timeoutMs: deadline });
  const checked = `checked with \`${argvText(argv)}\``;
  if (run.spawnError) return `${path.basename(argv[0])} could not be started (${run.spawnError})`;
  if (run.timedOut) return `the login check did not answer within ${deadline} ms (${checked})`;
  if (run.exitCode === 0) return undefined;
  const text = `${run.stderr}\n${run.stdout}`;
  const rule = recipe.read.failures.find(
    (r) =>
      r.pattern !== '' &&
      (r.exitCode === undefined || r.exitCode === run.exitCode) &&
      new RegExp(r.pattern, 'i').test(text),
  );
  const why = rule
    ? rule.cause
    : `${path.basename(argv[0])} exited with code ${run.exitCode ?? run.signal}${lastLine(run.stderr, 120) ? `: ${lastLine(run.stderr, 120)}` : ''}`;
  return `not logged in or not reachable: ${why} (${checked})`;
}

/**
 * @param options the recipe's options (region, vaultName, ...): baked into the wrapper, the store and
 * login commands; checked against the recipe's patterns by the probe and the wrapper writer.
 */
export function execRecipeBackend(
  recipeId: RecipeId,
  alias: string,
  options: Readonly<Record<string, string>> = {},
): SecretBackend {
  const found = recipeById(recipeId);
  if (!found) throw new Error(`no recipe ${recipeId}`);
  const recipe: Recipe = found;
  // One wrapper write per move (ctx), reused by check, store and read back.
  const wrappers = new WeakMap<BackendContext, Promise<{ tools: ToolPaths; provider: ProviderConfig }>>();
  // Per move: backend names (a Vault path) that exist without the value, or were created by this move:
  // stored with the update argv, so a second field of one path never replaces the first.
  const existingNames = new WeakMap<BackendContext, Set<string>>();
  // Per move: the exists probes run so far (argv) and the id each was run for.
  const probedNames = new WeakMap<BackendContext, Map<string, string>>();
  const markExisting = (ctx: BackendContext, id: string) => {
    let names = existingNames.get(ctx);
    if (!names) existingNames.set(ctx, (names = new Set()));
    names.add(backendName(recipe, id).name);
  };
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
          const written = await writeWrapper(recipe, { dir: wrapperDirFor(ctx), tools: t, options, env: ctx.env });
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
      const tool = t.tools[recipe.tools[0]];
      try {
        checkedOptions(recipe, options);
      } catch (err) {
        return { usable: false, reason: err instanceof Error ? err.message : 'bad options', tool };
      }
      if (!recipe.store.argv)
        return { usable: false, reason: recipe.store.manual ?? 'its CLI cannot take a value on stdin', tool };
      const problem =
        localPrecondition(recipe, ctx.env) ?? (await loginProblem(recipe, t.tools, options, ctx.env, ctx.timeoutMs));
      return problem ? { usable: false, reason: problem, tool } : { usable: true, tool };
    },
    refFor: (name) => ({ source: 'exec', provider: alias, id: name }),
    suggestName: (fieldPath) =>
      recipe.id === '1password'
        ? // vault/item/field: one new item per field (an existing item is never edited); op's default vault
          `${options.vault || 'Private'}/${`openclaw-${suggestExecId(fieldPath)}`.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100)}/credential`
        : `openclaw/${suggestExecId(fieldPath)}`,
    nameProblem: (name) => {
      const problem = checkRefId('exec', name);
      if (problem) return problem;
      try {
        const cmd = storeArgv(recipe, Object.create(null) as ToolPaths, name, options);
        return cmd.kind === 'manual' ? cmd.instructions : undefined;
      } catch (err) {
        return err instanceof Error ? err.message : 'not a valid exec SecretRef id';
      }
    },
    async existing(name, value, ctx): Promise<ExistingEntry> {
      const outcome = await readThroughWrapper(name, ctx);
      if (outcome?.ok) return typeof outcome.value === 'string' && outcome.value === value ? 'same' : 'different';
      if (outcome?.error.code !== 'SECRET_REF_NOT_FOUND')
        throw new BackendStepError(
          'check',
          `${recipe.label} could not be read through the wrapper: ${outcome?.error.message ?? 'no answer'}`,
        );
      // The value is absent; does its name exist with other content (a Vault path with other fields)?
      const { tools: t } = await wrapper(ctx);
      const cmd = storeArgv(recipe, t, name, options);
      if (cmd.kind === 'manual' || !cmd.existsArgv) return 'absent';
      const updateArgv = cmd.kind === 'stdin' ? cmd.updateArgv : undefined;
      // Two ids of one move that the same probe answers (two fields of one 1Password item) cannot both be
      // created without an update command: the second create would make a second item of that name.
      const probeKey = cmd.existsArgv.join('\0');
      let probes = probedNames.get(ctx);
      if (!probes) probedNames.set(ctx, (probes = new Map()));
      const sibling = probes.get(probeKey);
      if (sibling !== undefined && sibling !== name && !updateArgv)
        throw new BackendStepError(
          'check',
          `"${sibling}" and "${name}" are in one ${recipe.label} entry, which the move can create with one value only; move them in separate runs with different entry names (nothing was stored)`,
        );
      probes.set(probeKey, name);
      const probe = await runChild({
        command: cmd.existsArgv[0],
        args: cmd.existsArgv.slice(1),
        env: toolEnv(ctx.env, t),
        timeoutMs: ctx.timeoutMs,
      });
      if (probe.exitCode === 0) {
        if (!updateArgv)
          throw new BackendStepError(
            'check',
            `"${name}": ${recipe.store.existsManual ?? `its entry exists in ${recipe.label}; storing would replace it`} (nothing was stored)`,
          );
        markExisting(ctx, name);
        return 'absent';
      }
      if (!probe.timedOut && new RegExp(cmd.absentPattern ?? '(?!)', 'i').test(`${probe.stderr}\n${probe.stdout}`))
        return 'absent';
      const said = probe.timedOut ? '' : lastLine(probe.stderr, 160);
      throw new BackendStepError(
        'check',
        `cannot tell whether "${name}" exists in ${recipe.label} (\`${argvText(cmd.existsArgv)}\` ${
          probe.timedOut ? 'did not answer' : `exited with code ${probe.exitCode ?? probe.signal}`
        }${said ? `: ${said}` : ''}); nothing was stored`,
      );
    },
    async store(name, value, ctx): Promise<void> {
      const { tools: t } = await wrapper(ctx);
      const cmd = storeArgv(recipe, t, name, options);
      if (cmd.kind === 'manual') throw new BackendStepError('store', cmd.instructions);
      // An existing name without the value is added to (kv patch), never replaced (kv put would drop fields).
      const update = existingNames.get(ctx)?.has(backendName(recipe, name).name) === true;
      const updateArgv = cmd.kind === 'stdin' ? cmd.updateArgv : undefined;
      if (update && !updateArgv)
        throw new BackendStepError('store', `"${name}" exists in ${recipe.label}; storing would replace it`);
      const [command, ...args] = update && updateArgv ? updateArgv : cmd.argv;
      const env = toolEnv(ctx.env, t);
      let run: ChildRunResult;
      try {
        run =
          cmd.kind === 'file'
            ? // The value only in a 0600 temp file named in argv, removed as soon as the CLI has exited.
              await withSecretFile(cmd.fileContent(value), (file) =>
                runChild({
                  command,
                  args: args.map((a) => (a === FILE_ARG ? file : a)),
                  env,
                  stdinNull: true,
                  timeoutMs: ctx.timeoutMs,
                  redact: [value],
                }),
              )
            : await runChild({ command, args, env, stdin: value, timeoutMs: ctx.timeoutMs, redact: [value] });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException | undefined)?.code;
        throw new BackendStepError('store', `the value file could not be written (${code ?? 'unknown error'})`);
      }
      const cli = path.basename(t[recipe.tools[0]] ?? command);
      if (run.spawnError) throw new BackendStepError('store', `${cli} could not be started (${run.spawnError})`);
      if (run.timedOut) throw new BackendStepError('store', `${cli} did not finish within ${ctx.timeoutMs} ms`);
      if (run.exitCode !== 0) {
        const why = lastLine(run.stderr) || lastLine(run.stdout);
        // AWS, Aliyun: the check read the name as absent, yet it exists (pending deletion, or created meanwhile).
        const exists = /ResourceExistsException|Rejected\.ResourceExist/.test(run.stderr)
          ? '; a secret with this name exists (possibly scheduled for deletion): nothing was overwritten, pick another name or restore it'
          : '';
        throw new BackendStepError(
          'store',
          `${cli} exited with code ${run.exitCode ?? run.signal}${why ? `: ${why}` : ''}${exists}`,
        );
      }
      if (recipe.store.existsProbe) markExisting(ctx, name);
    },
    async provider(ctx) {
      const { provider } = await wrapper(ctx);
      return { alias, config: provider };
    },
  };
}
