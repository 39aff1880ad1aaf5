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
  | {
      kind: 'file';
      /** run with `{file}` (one whole argument) replaced by the path of a 0600 temp file holding `fileContent` */
      argv: string[];
      /** what the file holds for a value (the value itself, or a document around it) */
      fileContent(value: string): string;
      existsArgv?: string[];
      absentPattern?: string;
      /** the command and what its file holds (with a placeholder for the value), to print for the person */
      printable: string;
    }
  | { kind: 'manual'; instructions: string };

/** The argument a `file` store command's runner replaces with the temp file's path. */
export const FILE_ARG = '{file}';

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
  segments: readonly string[] = [],
): string[] {
  const one = (a: string): string =>
    a
      .split('{name}')
      .join(name)
      .split('{field}')
      .join(field)
      .replace(/\{seg:([0-9])\}/g, (_, i: string) => segments[Number(i)] ?? '')
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
  if (recipe.store.valueFile) {
    const payload = recipe.store.valueFile.payload;
    const ref = payload === '1password-item' ? onePasswordRef(id) : undefined;
    const segments = ref ? [ref.vault, ref.item] : [];
    const argv = fill(recipe.store.argv, extras, tools, options, name, field, segments);
    const probe = recipe.store.existsProbe;
    const fileContent = (value: string) => (ref ? onePasswordItemTemplate(ref, value) : value);
    const shown = ref ? fileContent('<the value>') : '<the value>';
    return {
      kind: 'file',
      argv,
      fileContent,
      ...(probe
        ? {
            existsArgv: fill(probe.argv, extras, tools, options, name, field, segments),
            absentPattern: probe.absentPattern,
          }
        : {}),
      printable: `${argv
        .map((a) => (a === FILE_ARG ? '/path/to/value-file' : shellQuote(a)))
        .join(' ')}   (value-file: mode 0600, holding ${shown}; delete it afterwards)`,
    };
  }
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

/** A 1Password secret reference without `op://`: vault/item/field or vault/item/section/field. */
export interface OnePasswordRef {
  vault: string;
  item: string;
  section?: string;
  field: string;
}

const OP_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The parts of a 1Password id; throws naming the rule when it is not one `op item create` can make. */
export function onePasswordRef(id: string): OnePasswordRef {
  const parts = id.split('/');
  if (parts.length !== 3 && parts.length !== 4)
    throw new Error('a 1Password id is vault/item/field or vault/item/section/field');
  const bad = parts.find((p) => !OP_PART.test(p));
  if (bad !== undefined)
    throw new Error(
      `"${bad}" is not a 1Password name the move can create (letters, digits, ".", "_", "-"; starting with a letter or digit)`,
    );
  if (parts[parts.length - 1].toLowerCase() === 'notesplain')
    throw new Error('"notesPlain" is the item\'s built-in notes field; pick another field name');
  return parts.length === 3
    ? { vault: parts[0], item: parts[1], field: parts[2] }
    : { vault: parts[0], item: parts[1], section: parts[2], field: parts[3] };
}

/**
 * The item JSON template `op item create --template` reads (1Password's documented item template keys):
 * an API Credential item titled `item` whose concealed field `field` (id and label; `credential` is the
 * category's own field) holds the value, inside section `section` when the id names one.
 */
export function onePasswordItemTemplate(ref: OnePasswordRef, value: string): string {
  const field: Record<string, unknown> = { id: ref.field, label: ref.field, type: 'CONCEALED', value };
  if (ref.section) field.section = { id: ref.section, label: ref.section };
  return JSON.stringify({
    title: ref.item,
    category: 'API_CREDENTIAL',
    ...(ref.section ? { sections: [{ id: ref.section, label: ref.section }] } : {}),
    fields: [field],
  });
}
