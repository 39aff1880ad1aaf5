// Finds a recipe's tools (and the node that will run the wrapper) as absolute, realpath'd files at
// generation time: OpenClaw runs exec providers with no PATH, and 9.6 refuses symlinked commands.
import { promises as fs, constants as fsc } from 'node:fs';
import * as path from 'node:path';
import type { Recipe } from './recipes';

/** tool name -> absolute real path; always has `node` when found */
export type ToolPaths = Record<string, string>;

export type FoundTools = { ok: true; tools: ToolPaths } | { ok: false; tools: ToolPaths; missing: string[] };

// Common install places tried after PATH: a GUI-started VS Code often has a short PATH.
const FALLBACK_DIRS = ['/usr/local/bin', '/usr/bin', '/bin', '/opt/homebrew/bin', '/snap/bin'];

async function executableFile(candidate: string): Promise<string | undefined> {
  try {
    const real = await fs.realpath(candidate);
    const st = await fs.stat(real);
    if (!st.isFile()) return undefined;
    await fs.access(real, fsc.X_OK);
    return real;
  } catch {
    return undefined;
  }
}

/** The first executable `name` on PATH (then the fallback folders), realpath'd. */
export async function findExecutable(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return undefined;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d));
  for (const dir of [...dirs, ...FALLBACK_DIRS]) {
    const found = await executableFile(path.join(dir, name));
    if (found) return found;
  }
  return undefined;
}

/**
 * The node that runs the wrapper: this process when it is plain Node (not VS Code's Electron, whose
 * binary would open an editor), else `node` on PATH.
 */
export async function findNode(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!process.versions.electron) {
    const self = await executableFile(process.execPath);
    if (self) return self;
  }
  return findExecutable('node', env);
}

/**
 * Absolute real paths of the recipe's tools and of `node`; `missing` names what was not found.
 * `overrides` (tool -> path) wins, e.g. a CLI installed outside PATH.
 */
export async function findTools(
  recipe: Recipe,
  env: NodeJS.ProcessEnv = process.env,
  overrides: Readonly<Record<string, string>> = {},
): Promise<FoundTools> {
  const tools: ToolPaths = Object.create(null) as ToolPaths;
  const missing: string[] = [];
  for (const name of ['node', ...recipe.tools]) {
    const override = Object.prototype.hasOwnProperty.call(overrides, name) ? overrides[name] : undefined;
    const found =
      override !== undefined
        ? path.isAbsolute(override)
          ? await executableFile(override)
          : undefined
        : name === 'node'
          ? await findNode(env)
          : await findExecutable(name, env);
    if (found) tools[name] = found;
    else missing.push(name);
  }
  return missing.length === 0 ? { ok: true, tools } : { ok: false, tools, missing };
}
