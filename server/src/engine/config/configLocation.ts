// Where OpenClaw looks for its config and state: OPENCLAW_CONFIG_PATH, OPENCLAW_STATE_DIR,
// OPENCLAW_HOME / HOME -> ~/.openclaw/openclaw.json.
import * as os from 'node:os';
import * as path from 'node:path';

export interface ConfigLocation {
  configPath: string;
  stateDir: string;
  /** the folder holding openclaw.json, where OpenClaw reads `.env` */
  configDir: string;
}

export function expandHome(p: string, env: NodeJS.ProcessEnv = process.env): string {
  if (p === '~' || p.startsWith('~/')) return path.join(homeDir(env), p.slice(1));
  return p;
}

export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.OPENCLAW_HOME?.trim() || env.HOME?.trim() || os.homedir();
}

export function locateConfig(env: NodeJS.ProcessEnv = process.env): ConfigLocation {
  const stateDir = env.OPENCLAW_STATE_DIR?.trim()
    ? path.resolve(expandHome(env.OPENCLAW_STATE_DIR.trim(), env))
    : path.join(homeDir(env), '.openclaw');
  const configPath = env.OPENCLAW_CONFIG_PATH?.trim()
    ? path.resolve(expandHome(env.OPENCLAW_CONFIG_PATH.trim(), env))
    : path.join(stateDir, 'openclaw.json');
  return { configPath, stateDir, configDir: path.dirname(configPath) };
}

/** For a config opened from an editor: its own folder is both config dir and state dir. */
export function locationForConfigFile(configPath: string, env: NodeJS.ProcessEnv = process.env): ConfigLocation {
  const located = locateConfig(env);
  const abs = path.resolve(configPath);
  if (abs === located.configPath) return located;
  return { configPath: abs, stateDir: path.dirname(abs), configDir: path.dirname(abs) };
}
