// Writes a recipe's exec wrapper (0700, owned by the user, in a folder OpenClaw's exec checks accept)
// and returns the matching OpenClaw exec provider. Same inputs give the same bytes: `changed: false`.
import { promises as fs, constants as fsc } from 'node:fs';
import * as path from 'node:path';
import { execProviderSchema } from '../../refs/secretRefSchemas';
import type { ToolPaths } from './findTools';
import type { Recipe } from './recipes';
import { WRAPPER_RUNTIME } from './wrapperRuntime';

/** The OpenClaw exec provider that runs a wrapper; valid for 2026.2.26 and 2026.9.6. */
export interface WrapperProvider {
  source: 'exec';
  command: string;
  passEnv: string[];
  trustedDirs: string[];
  timeoutMs: number;
  noOutputTimeoutMs: number;
  jsonOnly: true;
}

export interface WriteWrapperInput {
  /** folder for the wrapper; made 0700 when missing; must be the user's and not group/world-writable */
  dir: string;
  /** from findTools: `node` and every tool of the recipe, absolute */
  tools: ToolPaths;
  /** the recipe's options (region, vaultName, ...), each checked against its pattern */
  options?: Readonly<Record<string, string>>;
  /** file name; default `openclaw-<recipe>-resolver` (use another to keep two wrappers of one recipe) */
  fileName?: string;
  /** where `bakeEnv` locations (HOME, GNUPGHOME, ...) are read; default process.env */
  env?: NodeJS.ProcessEnv;
  /** the provider's timeoutMs (1000..120000); default the recipe's */
  timeoutMs?: number;
}

export interface WrittenWrapper {
  wrapperPath: string;
  provider: WrapperProvider;
  changed: boolean;
}

export type WrapperErrorReason = 'bad-options' | 'bad-tools' | 'bad-dir' | 'bad-target';

export class WrapperError extends Error {
  constructor(
    readonly reason: WrapperErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'WrapperError';
  }
}

// Linux reads at most 255 bytes of a shebang line (127 before 5.1); keep to the old limit.
const MAX_SHEBANG = 127;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/;

/** The recipe's options, each known and matching its pattern; throws WrapperError('bad-options') naming the option. */
export function checkedOptions(recipe: Recipe, given: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(given))
    if (!recipe.options.some((o) => o.key === key))
      throw new WrapperError('bad-options', `${recipe.label} has no option "${key}"`);
  for (const opt of recipe.options) {
    const value = Object.prototype.hasOwnProperty.call(given, opt.key) ? given[opt.key] : undefined;
    if (value === undefined || value === '') {
      if (opt.required)
        throw new WrapperError('bad-options', `${recipe.label} needs the option "${opt.key}" (${opt.label})`);
      continue;
    }
    if (typeof value !== 'string' || !new RegExp(opt.pattern).test(value))
      throw new WrapperError('bad-options', `option "${opt.key}" of ${recipe.label} must match ${opt.pattern}`);
    out[opt.key] = value;
  }
  return out;
}

function checkedTools(recipe: Recipe, tools: ToolPaths): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of ['node', ...recipe.tools]) {
    const p = Object.prototype.hasOwnProperty.call(tools, name) ? tools[name] : undefined;
    if (typeof p !== 'string' || !path.isAbsolute(p) || /[\s\0]/.test(p))
      throw new WrapperError('bad-tools', `${recipe.label} needs an absolute path for "${name}" (see findTools)`);
    out[name] = path.normalize(p);
  }
  if (`#!${out.node}`.length > MAX_SHEBANG)
    throw new WrapperError('bad-tools', `the node path is too long for a shebang line: ${out.node}`);
  return out;
}

/** Creates the folder when missing (0700) and checks what OpenClaw checks of a command's place. */
async function trustedDir(dir: string): Promise<string> {
  if (!path.isAbsolute(dir)) throw new WrapperError('bad-dir', `the wrapper folder must be absolute: ${dir}`);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const real = await fs.realpath(dir);
  const st = await fs.stat(real);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (!st.isDirectory()) throw new WrapperError('bad-dir', `not a folder: ${real}`);
  if (uid !== undefined && st.uid !== uid)
    throw new WrapperError('bad-dir', `the wrapper folder must be owned by the current user (uid=${uid}): ${real}`);
  if ((st.mode & 0o022) !== 0)
    throw new WrapperError('bad-dir', `the wrapper folder must not be group- or world-writable: ${real}`);
  return real;
}

/** The wrapper's bytes: shebang, the recipe as data, the shared runtime. */
export function renderWrapper(
  recipe: Recipe,
  tools: Readonly<Record<string, string>>,
  options: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv,
  timeoutMs: number = recipe.timeoutMs,
): string {
  const baked: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const key of recipe.bakeEnv) {
    const v = env[key];
    if (typeof v === 'string' && path.isAbsolute(v)) baked[key] = v;
  }
  const dirs: string[] = [];
  for (const name of [...recipe.tools, 'node']) {
    const d = path.dirname(tools[name]);
    if (!dirs.includes(d)) dirs.push(d);
  }
  for (const d of ['/usr/local/bin', '/usr/bin', '/bin']) if (!dirs.includes(d)) dirs.push(d);
  const toolsForRecipe: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of recipe.tools) toolsForRecipe[name] = tools[name];
  const config = {
    recipe: recipe.id,
    label: recipe.label,
    tool: path.basename(tools[recipe.tools[0]]),
    tools: toolsForRecipe,
    options,
    env: baked,
    passEnv: recipe.passEnv,
    path: dirs.join(':'),
    // Answer before OpenClaw's own timeout, so a slow CLI becomes a per-id error instead of a killed run.
    toolTimeoutMs: timeoutMs - Math.min(2000, Math.floor(timeoutMs / 4)),
    read: recipe.read,
  };
  return [
    `#!${tools.node}`,
    `// OpenClaw exec wrapper for ${recipe.label}, generated by OpenClaw Secrets for VS Code.`,
    `// Protocol v1 on stdin/stdout. Regenerate it rather than editing: the provider expects these bytes.`,
    `// Setup and troubleshooting: ${recipe.docs}`,
    `const CONFIG = ${JSON.stringify(config, null, 2)};`,
    WRAPPER_RUNTIME,
  ].join('\n');
}

export function providerFor(
  recipe: Recipe,
  wrapperPath: string,
  dir: string,
  timeoutMs: number = recipe.timeoutMs,
): WrapperProvider {
  const provider: WrapperProvider = {
    source: 'exec',
    command: wrapperPath,
    passEnv: [...recipe.passEnv],
    trustedDirs: [dir],
    timeoutMs,
    // The wrapper prints once, at the end: silence until then is expected.
    noOutputTimeoutMs: timeoutMs,
    jsonOnly: true,
  };
  execProviderSchema.parse(provider);
  return provider;
}

async function sameFile(p: string, content: string): Promise<boolean> {
  let st;
  try {
    st = await fs.lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (!st.isFile()) throw new WrapperError('bad-target', `refusing to replace what is not a regular file: ${p}`);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if ((st.mode & 0o777) !== 0o700 || (uid !== undefined && st.uid !== uid) || st.nlink !== 1) return false;
  // O_NONBLOCK: a FIFO swapped in after the lstat must not make us wait for a writer.
  const handle = await fs.open(p, fsc.O_RDONLY | fsc.O_NOFOLLOW | (fsc.O_NONBLOCK ?? 0));
  try {
    const existing = await handle.readFile({ encoding: 'utf8' });
    return existing === content;
  } finally {
    await handle.close();
  }
}

/** Write (or keep) the wrapper and return its provider. Throws WrapperError on bad input or an unsafe folder. */
export async function writeWrapper(recipe: Recipe, input: WriteWrapperInput): Promise<WrittenWrapper> {
  const options = checkedOptions(recipe, input.options ?? {});
  const tools = checkedTools(recipe, input.tools);
  const fileName = input.fileName ?? `openclaw-${recipe.id}-resolver`;
  if (!FILE_NAME.test(fileName)) throw new WrapperError('bad-target', `not a plain file name: ${fileName}`);
  const timeoutMs = input.timeoutMs ?? recipe.timeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1000 || timeoutMs > 120_000)
    throw new WrapperError('bad-options', 'timeoutMs must be a whole number from 1000 to 120000');
  const dir = await trustedDir(input.dir);
  const wrapperPath = path.join(dir, fileName);
  const content = renderWrapper(recipe, tools, options, input.env ?? process.env, timeoutMs);
  const provider = providerFor(recipe, wrapperPath, dir, timeoutMs);
  if (await sameFile(wrapperPath, content)) return { wrapperPath, provider, changed: false };

  // Temp file beside it, then rename: OpenClaw never sees a half-written command.
  const tmp = path.join(dir, `.${fileName}.tmp-${process.pid}-${Math.random().toString(16).slice(2, 10)}`);
  const handle = await fs.open(tmp, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY | fsc.O_NOFOLLOW, 0o700);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.chmod(0o700);
    await handle.sync();
    await handle.close();
    await fs.rename(tmp, wrapperPath);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  return { wrapperPath, provider, changed: true };
}
