// Exec providers with `pluginIntegration` (2026.9.6): the command comes from the installed plugin's
// manifest, which only OpenClaw loads. We never guess a command: we say why the ref is not resolved here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { locateConfig } from '../config/configLocation';
import { SecretResolutionError } from './types';

export interface PluginIntegrationRef {
  pluginId: string;
  integrationId: string;
}

/** Where OpenClaw installs a plugin: `<STATE_DIR>/extensions/<pluginId>/` with its manifest. */
export function pluginManifestPath(stateDir: string, pluginId: string): string {
  return path.join(stateDir, 'extensions', pluginId, 'openclaw.plugin.json');
}

export function pluginIsInstalled(stateDir: string, pluginId: string): boolean {
  // A plugin id with path separators can never name an installed plugin folder.
  if (pluginId.includes('/') || pluginId.includes('\\') || pluginId === '.' || pluginId === '..') return false;
  try {
    return fs.statSync(pluginManifestPath(stateDir, pluginId)).isFile();
  } catch {
    return false;
  }
}

/** The provider-wide error for a plugin-managed exec provider, worded as OpenClaw when the plugin is missing. */
export function pluginIntegrationError(
  alias: string,
  integration: PluginIntegrationRef,
  stateDir: string | undefined,
  env: NodeJS.ProcessEnv,
): SecretResolutionError {
  const dir = stateDir ?? locateConfig(env).stateDir;
  const message = pluginIsInstalled(dir, integration.pluginId)
    ? `Secret provider "${alias}" takes its command from plugin "${integration.pluginId}" (integration "${integration.integrationId}"), which only OpenClaw loads; check it with openclaw secrets audit --allow-exec.`
    : `Secret provider "${alias}" plugin integration is unavailable: plugin "${integration.pluginId}" is not installed.`;
  return new SecretResolutionError(message, {
    code: 'SECRET_PROVIDER_UNAVAILABLE',
    scope: 'provider',
    provider: alias,
  });
}
