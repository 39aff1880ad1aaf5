// Which backend an exec provider talks to, for hovers and for "usable backends first": a wrapper we
// generated names its recipe in its CONFIG; a provider that runs a vendor CLI directly is known by its name.
import * as path from 'node:path';
import { readRegularFile } from '../../config/readRegularFile';
import { recipeById, recipes, type Recipe } from './recipes';

export interface ProviderBackend {
  recipe: Recipe;
  /** `wrapper`: a wrapper generated from the recipe; `cli`: the provider runs the backend's CLI itself */
  via: 'wrapper' | 'cli';
  /** the recipe options baked into the wrapper (region, vault name...: never secrets) */
  options: Record<string, string>;
  /** tool name -> absolute path the wrapper calls */
  tools: Record<string, string>;
}

// Generated wrappers are about 10 KiB; anything far larger is not one of ours.
const WRAPPER_MAX_BYTES = 256 * 1024;
const CONFIG_START = '\nconst CONFIG = ';
const CONFIG_END = ";\n'use strict';";

function stringMap(v: unknown): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  if (v && typeof v === 'object')
    for (const [k, s] of Object.entries(v as Record<string, unknown>)) if (typeof s === 'string') out[k] = s;
  return out;
}

/** The backend behind an exec provider's `command`, or undefined when it is neither a wrapper of ours nor a known CLI. */
export async function describeExecProvider(command: string): Promise<ProviderBackend | undefined> {
  if (!path.isAbsolute(command)) return undefined;
  const base = path.basename(command);
  const cli = recipes.find((r) => r.tools[0] === base);
  if (cli) return { recipe: cli, via: 'cli', options: Object.create(null) as Record<string, string>, tools: {} };
  let text: string;
  try {
    text = await readRegularFile(command, { maxBytes: WRAPPER_MAX_BYTES, noFollow: true });
  } catch {
    return undefined;
  }
  const start = text.indexOf(CONFIG_START);
  const end = start < 0 ? -1 : text.indexOf(CONFIG_END, start);
  if (start < 0 || end < 0 || !text.startsWith('#!')) return undefined;
  let config: unknown;
  try {
    config = JSON.parse(text.slice(start + CONFIG_START.length, end));
  } catch {
    return undefined;
  }
  const c = config as { recipe?: unknown; options?: unknown; tools?: unknown };
  const recipe = typeof c.recipe === 'string' ? recipeById(c.recipe) : undefined;
  if (!recipe) return undefined;
  return { recipe, via: 'wrapper', options: stringMap(c.options), tools: stringMap(c.tools) };
}
