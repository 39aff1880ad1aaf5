// OpenClaw's files on disk: openclaw.json (through the one parser front-end), each agent's auth stores,
// the config dir's `.env` (with offsets of every key and value) and the retired JSON auth sources.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfigText, type ConfigDocument } from './configDocument';
import { parsePlainJsonValue } from './plainJsonValue';
import { readRegularFileSync, RegularFileError } from './readRegularFile';
import type { ConfigLocation } from './configLocation';

export interface LoadedConfig {
  path: string;
  exists: boolean;
  /** undefined when the file is missing or unreadable */
  document: ConfigDocument | undefined;
  /** why it could not be read: `cannot read <path>: it is a FIFO.` and the like */
  readError?: string;
}

/** Read and parse openclaw.json. A syntax error keeps its position in `document.syntaxError`. */
export function loadConfigFile(configPath: string): LoadedConfig {
  const loaded = readConfigText(configPath);
  if (loaded.text === undefined)
    return {
      path: configPath,
      exists: loaded.exists,
      document: undefined,
      ...(loaded.readError ? { readError: loaded.readError } : {}),
    };
  return { path: configPath, exists: true, document: parseConfigText(loaded.text, configPath) };
}

/** The config's text; a missing file is `exists: false`, any other failure a readError naming the cause. */
function readConfigText(configPath: string): { exists: boolean; text?: string; readError?: string } {
  try {
    return { exists: true, text: readRegularFileSync(configPath) };
  } catch (err) {
    if (err instanceof RegularFileError && err.problem === 'missing') return { exists: false };
    return { exists: true, readError: err instanceof RegularFileError ? err.message : `cannot read ${configPath}.` };
  }
}

/**
 * Only the config's value (the audit needs no locations): plain JSON through the native parser, anything
 * else through the JSON5 parser. `value` is undefined when the file does not parse; `exists` as above.
 */
export function loadConfigValue(configPath: string): { exists: boolean; value: unknown } {
  const loaded = readConfigText(configPath);
  if (loaded.text === undefined) return { exists: loaded.exists, value: undefined };
  const fast = parsePlainJsonValue(loaded.text);
  return { exists: true, value: fast !== undefined ? fast : parseConfigText(loaded.text, configPath).value };
}

export interface DotEnvEntry {
  key: string;
  /** the value with surrounding whitespace and one pair of matching quotes removed */
  value: string;
  line: number; // 0-based
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

const DOTENV_LINE = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$/;

/** Parse `.env` text the way OpenClaw's audit reads it: `[export] KEY = value`, quotes stripped. */
export function parseDotEnv(text: string): DotEnvEntry[] {
  const entries: DotEnvEntry[] = [];
  let offset = 0;
  const lines = text.split(/\r?\n/);
  // Track real line starts, since \r\n and \n differ in length.
  const lineBreaks = text.match(/\r?\n/g) ?? [];
  lines.forEach((line, index) => {
    const m = DOTENV_LINE.exec(line);
    if (m) {
      const keyStart = offset + m[1].length;
      const keyEnd = keyStart + m[2].length;
      const rawStart = keyEnd + m[3].length;
      const raw = m[4];
      const leading = raw.length - raw.trimStart().length;
      let valueStart = rawStart + leading;
      let trimmed = raw.trim();
      if (
        trimmed.length >= 2 &&
        ((trimmed.startsWith('"') && trimmed.endsWith('"')) || (trimmed.startsWith("'") && trimmed.endsWith("'")))
      ) {
        trimmed = trimmed.slice(1, -1);
        valueStart += 1;
      }
      entries.push({
        key: m[2],
        value: trimmed,
        line: index,
        keyStart,
        keyEnd,
        valueStart,
        valueEnd: valueStart + trimmed.length,
      });
    }
    offset += line.length + (lineBreaks[index]?.length ?? 0);
  });
  return entries;
}

/** The environment OpenClaw resolves with: the process env, plus `.env` entries for names it lacks (first file wins). */
export function mergeDotEnv(
  base: NodeJS.ProcessEnv,
  dotEnvTexts: ReadonlyArray<string | undefined>,
): NodeJS.ProcessEnv {
  // Nothing to merge: the env itself (read only by every caller); copying process.env costs about 1 ms.
  if (dotEnvTexts.every((text) => text === undefined)) return base;
  const merged: NodeJS.ProcessEnv = { ...base };
  for (const text of dotEnvTexts) {
    if (text === undefined) continue;
    for (const entry of parseDotEnv(text)) if (merged[entry.key] === undefined) merged[entry.key] = entry.value;
  }
  return merged;
}

/** The `.env` files OpenClaw reads secrets from: `<stateDir>/.env` and `<configDir>/.env`, deduplicated. */
export function dotEnvPaths(location: ConfigLocation): string[] {
  const candidates = [path.join(location.stateDir, '.env'), path.join(location.configDir, '.env')];
  return [...new Map(candidates.map((c) => [path.resolve(c), c])).values()];
}

export function mainAgentDir(stateDir: string): string {
  return path.join(stateDir, 'agents', 'main', 'agent');
}

/** Every `<stateDir>/agents/<id>/agent` directory that exists, plus the main agent's, sorted. */
export function listAgentDirs(stateDir: string): string[] {
  const dirs = new Set<string>([mainAgentDir(stateDir)]);
  const root = path.join(stateDir, 'agents');
  try {
    for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.add(path.join(root, entry.name, 'agent'));
    }
  } catch {
    // no agents folder: only the main agent's (possibly missing) dir
  }
  return [...dirs].sort();
}

export interface AuthProfileStoreFile {
  path: string;
  agentDir: string;
  document: ConfigDocument;
}

/** Every readable `agents/*\/agent/auth-profiles.json` (retired by 9.6, still read by plans and the editor). */
export function loadAuthProfileStores(stateDir: string): AuthProfileStoreFile[] {
  const stores: AuthProfileStoreFile[] = [];
  for (const agentDir of listAgentDirs(stateDir)) {
    const file = path.join(agentDir, 'auth-profiles.json');
    let text: string;
    try {
      text = readRegularFileSync(file);
    } catch {
      continue;
    }
    stores.push({ path: file, agentDir, document: parseConfigText(text, file) });
  }
  return stores;
}

export type LegacyAuthSourceKind = 'auth-profiles' | 'auth-state' | 'legacy-auth' | 'legacy-oauth';

export interface LegacyAuthSource {
  kind: LegacyAuthSourceKind;
  path: string;
  /** true for `<name>.migrated-*` / `<name>.sqlite-import.*.bak` archives left by a migration */
  archive: boolean;
}

const LEGACY_FILES: Array<[string, LegacyAuthSourceKind]> = [
  ['auth-profiles.json', 'auth-profiles'],
  ['auth-state.json', 'auth-state'],
  ['auth.json', 'legacy-auth'],
];

export function legacyOAuthPath(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.OPENCLAW_OAUTH_DIR?.trim() ? env.OPENCLAW_OAUTH_DIR.trim() : path.join(stateDir, 'credentials');
  return path.join(dir, 'oauth.json');
}

/**
 * The JSON auth files 9.6 has retired into its SQLite store (each present one is LEGACY_RESIDUE), then the
 * archives a migration left behind; in OpenClaw's order (per agent dir, then archives).
 */
export function listLegacyAuthSources(stateDir: string, env: NodeJS.ProcessEnv = process.env): LegacyAuthSource[] {
  const out: LegacyAuthSource[] = [];
  const seen = new Set<string>();
  const main = mainAgentDir(stateDir);
  const agentDirs = listAgentDirs(stateDir);
  const add = (s: LegacyAuthSource) => {
    if (seen.has(s.path)) return;
    seen.add(s.path);
    out.push(s);
  };
  // OpenClaw lists the shared main dir first, then other agents in directory order.
  const ordered = [main, ...agentDirs.filter((d) => d !== main)];
  for (const agentDir of ordered) {
    for (const [name, kind] of LEGACY_FILES) {
      const file = path.join(agentDir, name);
      if (fs.existsSync(file)) add({ kind, path: file, archive: false });
    }
    if (agentDir === main) {
      const oauth = legacyOAuthPath(stateDir, env);
      if (fs.existsSync(oauth)) add({ kind: 'legacy-oauth', path: oauth, archive: false });
    }
  }
  const archiveCandidates: Array<[string, LegacyAuthSourceKind]> = [];
  for (const agentDir of ordered)
    for (const [name, kind] of LEGACY_FILES) archiveCandidates.push([path.join(agentDir, name), kind]);
  archiveCandidates.push([legacyOAuthPath(stateDir, env), 'legacy-oauth']);
  for (const [file, kind] of archiveCandidates) {
    const base = path.basename(file);
    let names: string[];
    try {
      names = fs.readdirSync(path.dirname(file));
    } catch {
      continue;
    }
    for (const name of names) {
      if (
        name.startsWith(`${base}.migrated-`) ||
        (name.startsWith(`${base}.sqlite-import.`) && name.endsWith('.bak'))
      ) {
        add({ kind, path: path.join(path.dirname(file), name), archive: true });
      }
    }
  }
  return out;
}
