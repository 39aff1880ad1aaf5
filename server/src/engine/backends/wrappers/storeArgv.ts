// The command that puts a value into a backend, with the value on stdin (never in argv), or the
// manual step when the backend's CLI only takes values as arguments. Also a printable form of it.
import type { ToolPaths } from './findTools';
import type { Recipe } from './recipes';

export type StoreCommand =
  | {
      kind: 'stdin';
      /** run with the value written to stdin, then stdin closed */
      argv: string[];
      /** adds the value to a name that exists (Vault `kv patch`), chosen by `existsArgv`; never replaces a value */
      updateArgv?: string[];
      /** run without the value: does the name exist (exit 0), or not (output matching `absentPattern`)? */
      existsArgv?: string[];
      absentPattern?: string;
      /** one shell line that reads the value from a file (never a literal value), to print for the person */
      printable: string;
    }
  | { kind: 'manual'; instructions: string };

// `cat` copies stdin into a real pipe for CLIs that open /dev/stdin by name; "$0" "$@" is the CLI's argv.
const PIPE_BRIDGE = ['/bin/sh', '-c', '/bin/cat | "$0" "$@"'];

const ID_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/;

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.split("'").join("'\\''")}'`;
}

/** The backend name and field a SecretRef id stands for (as the wrapper reads it). */
export function backendName(recipe: Recipe, id: string): { name: string; field: string } {
  const prefix = recipe.read.namePrefix ?? '';
  const hash = id.indexOf('#');
  const field = recipe.read.defaultField ?? '';
  if (recipe.read.hash === 'none' || hash < 0) return { name: prefix + id, field };
  if (recipe.read.hash === 'field') return { name: prefix + id.slice(0, hash), field: id.slice(hash + 1) };
  return { name: prefix + id.slice(0, hash), field };
}

function fill(
  template: readonly string[],
  extras: readonly { option: string; argv: string[] }[],
  tools: ToolPaths,
  options: Readonly<Record<string, string>>,
  name: string,
  field: string,
): string[] {
  const one = (a: string): string =>
    a
      .split('{name}')
      .join(name)
      .split('{field}')
      .join(field)
      .replace(/\{tool:([A-Za-z0-9_-]+)\}/g, (_, t: string) => tools[t] ?? t)
      .replace(/\{opt:([A-Za-z0-9_-]+)\}/g, (_, k: string) => options[k] ?? '');
  const argv = template.map(one);
  for (const extra of extras) if (typeof options[extra.option] === 'string') argv.push(...extra.argv.map(one));
  return argv;
}

/**
 * How to store the value for SecretRef id `id`. `tools` may lack the CLI (not installed here): the
 * printable line then names it by its command name. A JSON-bundle id (`name#key`) cannot be stored
 * key by key: the whole JSON secret is the unit, so that is a manual step.
 */
export function storeArgv(
  recipe: Recipe,
  tools: ToolPaths,
  id: string,
  options: Readonly<Record<string, string>> = {},
): StoreCommand {
  if (!ID_NAME.test(id)) throw new Error('not a valid exec SecretRef id');
  if (recipe.read.hash === 'json' && id.includes('#'))
    return {
      kind: 'manual',
      instructions: `"${id.slice(0, id.indexOf('#'))}" is a JSON secret holding several keys: add the key "${id.slice(id.indexOf('#') + 1)}" to it with ${recipe.label}'s console, or use an id without "#" to store one value per secret.`,
    };
  if (!recipe.store.argv) return { kind: 'manual', instructions: recipe.store.manual ?? 'store the value by hand' };
  const { name, field } = backendName(recipe, id);
  const extras = recipe.store.optionalArgv ?? [];
  const argv = fill(recipe.store.argv, extras, tools, options, name, field);
  const updateArgv = recipe.store.updateArgv
    ? fill(recipe.store.updateArgv, extras, tools, options, name, field)
    : undefined;
  // A shell redirect from a file works as is; a spawned process's stdin may be a socket, hence the bridge.
  const printable = `${argv.map(shellQuote).join(' ')} < /path/to/value-file`;
  const run = (a: string[]): string[] => (recipe.store.opensStdinByPath ? [...PIPE_BRIDGE, ...a] : a);
  const probe = recipe.store.existsProbe;
  return {
    kind: 'stdin',
    argv: run(argv),
    ...(updateArgv ? { updateArgv: run(updateArgv) } : {}),
    ...(probe
      ? { existsArgv: fill(probe.argv, extras, tools, options, name, field), absentPattern: probe.absentPattern }
      : {}),
    printable,
  };
}

/** The recipe's login check as an argv (absolute tool path, options filled in), or undefined when it has none. */
export function loginArgv(
  recipe: Recipe,
  tools: ToolPaths,
  options: Readonly<Record<string, string>> = {},
): string[] | undefined {
  if (!recipe.login) return undefined;
  return fill(recipe.login.argv, recipe.login.optionalArgv ?? [], tools, options, '', '');
}
