// "Configure secret providers...": a QuickPick flow that declares providers and maps plaintext fields to
// SecretRefs, then writes an OpenClaw apply plan with the bundled CLI's non-interactive `configure`.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AuditRequest } from '../../server/src/protocol';
import type { SecretsServer } from './languageClient';
import { planLocation } from './settings';

export const CLI_BUNDLE = 'dist/cli.js';
const PROVIDER_ALIAS = /^[a-z][a-z0-9_-]{0,63}$/;
const ENV_ID = /^[A-Z][A-Z0-9_]{0,127}$/;
const DEFAULT_ENV_PROVIDER = 'default';

type Source = 'env' | 'file' | 'exec';

export interface ProviderDeclaration {
  alias: string;
  source: Source;
  /** scalar provider settings, e.g. path, mode, command, jsonOnly */
  settings: Record<string, string>;
}

export interface FieldMapping {
  path: string;
  ref: { source: Source; provider: string; id: string };
}

export interface ConfigureResult {
  planUri: vscode.Uri;
  providers: ProviderDeclaration[];
  mappings: FieldMapping[];
}

/** Answers given up front (tests, other extensions): nothing is asked, and the same checks apply. */
export interface ConfigureChoices {
  providers: ProviderDeclaration[];
  /** each path must be a plaintext field of the config, mapped to the default env provider or a declared one */
  mappings: FieldMapping[];
}

export async function runConfigureFlow(
  configUri: vscode.Uri,
  server: SecretsServer,
  context: vscode.ExtensionContext,
  output: vscode.OutputChannel,
  given?: ConfigureChoices,
): Promise<ConfigureResult | undefined> {
  const choices = given ? await checkChoices(configUri, server, given) : await askChoices(configUri, server);
  if (!choices) return undefined;
  const { providers, mappings } = choices;
  if (providers.length === 0 && mappings.length === 0) {
    void vscode.window.showInformationMessage('OpenClaw configure: nothing to write.');
    return undefined;
  }

  const planUri = planLocation(configUri);
  await writePlanWithCli(context.asAbsolutePath(CLI_BUNDLE), configUri, planUri, providers, mappings, output);
  const written = `OpenClaw: plan written to ${vscode.workspace.asRelativePath(planUri)} (${mappings.length} field(s), ${providers.length} provider(s)).`;
  // A caller that gave its choices decides what comes next itself.
  if (given) {
    void vscode.window.showInformationMessage(written);
    return { planUri, providers, mappings };
  }
  const answer = await vscode.window.showInformationMessage(written, 'Apply plan...', 'Open plan');
  if (answer === 'Open plan') await vscode.window.showTextDocument(planUri);
  if (answer === 'Apply plan...') await vscode.commands.executeCommand('openclaw.applyPlan', { configUri, planUri });
  return { planUri, providers, mappings };
}

async function askChoices(configUri: vscode.Uri, server: SecretsServer): Promise<ConfigureChoices | undefined> {
  const providers: ProviderDeclaration[] = [];
  for (;;) {
    const declared = await declareProvider(providers);
    if (declared === 'done') break;
    if (declared === undefined) return undefined;
    providers.push(declared);
  }

  const fields = await plaintextFields(configUri, server);
  const mappings: FieldMapping[] = [];
  if (fields.length > 0) {
    const picked = await vscode.window.showQuickPick(
      fields.map((field) => ({ label: field, picked: true })),
      { title: 'OpenClaw: fields to move to SecretRefs', canPickMany: true, placeHolder: 'plaintext credential fields of this config' },
    );
    if (!picked) return undefined;
    for (const item of picked) {
      const mapping = await mapField(item.label, providers);
      if (!mapping) return undefined;
      mappings.push(mapping);
    }
  }
  return { providers, mappings };
}

/** The checks the prompts make, applied to given choices; the error names the path or alias, never a value. */
async function checkChoices(configUri: vscode.Uri, server: SecretsServer, given: ConfigureChoices): Promise<ConfigureChoices> {
  for (const p of given.providers) {
    if (!PROVIDER_ALIAS.test(p.alias)) throw new Error(`provider alias "${p.alias}" is not valid`);
    for (const key of ['path', 'command'] as const) {
      if (p.settings[key] !== undefined && absoluteOrHome(p.settings[key])) throw new Error(`provider "${p.alias}": ${key} must be an absolute path`);
    }
  }
  const fields = new Set(given.mappings.length ? await plaintextFields(configUri, server) : []);
  for (const m of given.mappings) {
    if (!fields.has(m.path)) throw new Error(`${m.path} is not a plaintext credential field of this config`);
    const provider = given.providers.find((p) => p.alias === m.ref.provider);
    const known = provider ? provider.source === m.ref.source : m.ref.provider === DEFAULT_ENV_PROVIDER && m.ref.source === 'env';
    if (!known) throw new Error(`${m.path}: provider "${m.ref.provider}" (${m.ref.source}) is not declared`);
    const problem = validateRefId(m.ref.id, m.ref.source);
    if (problem) throw new Error(`${m.path}: ${problem}`);
  }
  return given;
}

async function declareProvider(existing: ProviderDeclaration[]): Promise<ProviderDeclaration | 'done' | undefined> {
  const items: (vscode.QuickPickItem & { source?: Source })[] = [
    { label: existing.length ? '$(check) Done declaring providers' : '$(arrow-right) Use providers already declared', description: existing.map((p) => p.alias).join(', ') },
    { label: '$(symbol-variable) env provider', description: 'values from environment variables', source: 'env' },
    { label: '$(file) file provider', description: 'values from a JSON or single-value file (mode 0600)', source: 'file' },
    { label: '$(terminal) exec provider', description: 'values from a resolver command (runs only with your consent)', source: 'exec' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'OpenClaw: declare a secret provider?' });
  if (!picked) return undefined;
  if (!picked.source) return 'done';
  const alias = await vscode.window.showInputBox({
    title: `OpenClaw: alias of the ${picked.source} provider`,
    value: picked.source === 'env' ? 'env' : picked.source === 'file' ? 'filemain' : 'vault',
    validateInput: (v) => (PROVIDER_ALIAS.test(v) ? undefined : 'lowercase letters, digits, _ or -, starting with a letter (max 64)'),
  });
  if (!alias) return undefined;
  const settings: Record<string, string> = {};
  if (picked.source === 'file') {
    const filePath = await vscode.window.showInputBox({ title: 'OpenClaw: absolute path of the secrets file', value: '~/.openclaw/secrets.json', validateInput: absoluteOrHome });
    if (!filePath) return undefined;
    const mode = await vscode.window.showQuickPick(['json', 'singleValue'], { title: 'OpenClaw: file mode' });
    if (!mode) return undefined;
    Object.assign(settings, { path: filePath, mode });
  }
  if (picked.source === 'exec') {
    const command = await vscode.window.showInputBox({ title: 'OpenClaw: absolute path of the resolver command (no arguments)', validateInput: absoluteOrHome });
    if (!command) return undefined;
    Object.assign(settings, { command, jsonOnly: 'true' });
  }
  return { alias, source: picked.source, settings };
}

function absoluteOrHome(value: string): string | undefined {
  return value.startsWith('/') || value.startsWith('~/') || /^[A-Za-z]:[\\/]/.test(value) ? undefined : 'must be an absolute path';
}

async function mapField(field: string, declared: ProviderDeclaration[]): Promise<FieldMapping | undefined> {
  const choices = [
    { label: DEFAULT_ENV_PROVIDER, description: 'env (the default env provider)', source: 'env' as Source },
    ...declared.map((p) => ({ label: p.alias, description: p.source, source: p.source })),
  ];
  const provider = choices.length === 1 ? choices[0] : await vscode.window.showQuickPick(choices, { title: `OpenClaw: provider for ${field}` });
  if (!provider) return undefined;
  const id = await vscode.window.showInputBox({
    title: `OpenClaw: ${provider.source} id for ${field}`,
    value: suggestRefId(field, provider.source),
    validateInput: (v) => validateRefId(v, provider.source),
  });
  if (!id) return undefined;
  return { path: field, ref: { source: provider.source, provider: provider.label, id } };
}

/** OPENAI_API_KEY for models.providers.openai.apiKey; a pointer or slash path for file and exec. */
export function suggestRefId(field: string, source: Source): string {
  const segments = field.split('.').filter(Boolean);
  if (source === 'file') return '/' + segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  if (source === 'exec') return segments.join('/').replace(/[^A-Za-z0-9._:/-]/g, '_');
  const words = segments.slice(-2).join('_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^[A-Z]/.test(words) ? words.slice(0, 128) : `SECRET_${words}`.slice(0, 128);
}

function validateRefId(id: string, source: Source): string | undefined {
  if (source === 'env') return ENV_ID.test(id) ? undefined : 'env ids are UPPER_SNAKE_CASE: ^[A-Z][A-Z0-9_]{0,127}$';
  if (source === 'file') return id === 'value' || id.startsWith('/') ? undefined : 'a JSON pointer such as /providers/openai/apiKey, or "value" for singleValue files';
  return /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,255}$/.test(id) && !id.split('/').some((s) => s === '.' || s === '..') ? undefined : 'letters, digits and . _ : / -, no . or .. segments';
}

/** Paths of this config's plaintext findings, from the server's audit (paths only, no values). */
async function plaintextFields(configUri: vscode.Uri, server: SecretsServer): Promise<string[]> {
  const client = await server.running();
  await vscode.workspace.openTextDocument(configUri);
  const audit = (await client.sendRequest(AuditRequest, { uri: configUri.toString(), allowExec: false })) as {
    findings?: { code?: string; file?: string; jsonPath?: string }[];
  };
  const paths = (audit?.findings ?? [])
    .filter((f) => f.code === 'PLAINTEXT_FOUND' && typeof f.jsonPath === 'string' && !f.jsonPath.startsWith('$'))
    .filter((f) => !f.file || path.resolve(f.file) === path.resolve(configUri.fsPath))
    .map((f) => f.jsonPath as string);
  return [...new Set(paths)];
}

export function configureCliArgs(planPath: string, providers: ProviderDeclaration[], mappings: FieldMapping[]): string[] {
  const args = ['configure'];
  for (const p of providers) {
    const settings = Object.entries(p.settings).map(([k, v]) => `,${k}=${v}`).join('');
    args.push('--provider', `${p.alias}=${p.source}${settings}`);
  }
  for (const m of mappings) args.push('--map', `${m.path}=${m.ref.source}:${m.ref.provider}:${m.ref.id}`);
  // No --yes: with it the CLI would also apply; here the person applies later, after the preview.
  args.push('--plan-out', planPath, '--json');
  if (mappings.length === 0) args.push('--providers-only');
  return args;
}

async function writePlanWithCli(
  cliPath: string,
  configUri: vscode.Uri,
  planUri: vscode.Uri,
  providers: ProviderDeclaration[],
  mappings: FieldMapping[],
  output: vscode.OutputChannel,
): Promise<void> {
  const args = configureCliArgs(planUri.fsPath, providers, mappings);
  output.appendLine(`Configure: openclaw-secrets ${args.join(' ')}`);
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      {
        // The extension host may be Electron: run it as plain Node. The config opened is the one configured.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', OPENCLAW_CONFIG_PATH: configUri.fsPath, OPENCLAW_STATE_DIR: path.dirname(configUri.fsPath) },
        cwd: path.dirname(configUri.fsPath),
        timeout: 60_000,
        maxBuffer: 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (stdout.trim()) output.appendLine(stdout.trimEnd());
        if (stderr.trim()) output.appendLine(stderr.trimEnd());
        if (error) reject(new Error(`configure failed: ${cliErrorMessage(stdout) ?? (stderr.trim().split('\n').pop() || `exit ${error.code}`)}`));
        else resolve();
      },
    );
  });
}

/** With --json the CLI reports failures on stdout as {ok:false, error:{message}}. */
function cliErrorMessage(stdout: string): string | undefined {
  try {
    const parsed = JSON.parse(stdout) as { ok?: boolean; error?: { message?: unknown } };
    return parsed.ok === false && typeof parsed.error?.message === 'string' ? parsed.error.message : undefined;
  } catch {
    return undefined;
  }
}
