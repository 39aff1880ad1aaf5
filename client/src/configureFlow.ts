// "Configure secret providers...": a QuickPick flow that declares providers and maps plaintext fields to
// SecretRefs; the server lists the fields (with suggested ids) and writes the OpenClaw apply plan.
import * as vscode from 'vscode';
import { ConfigureFieldsRequest, ConfigurePlanRequest, type ConfigureField } from '../../server/src/protocol';
import type { ProviderConfig } from '../../server/src/engine/refs/secretRef';
import { DEFAULT_PROVIDER_ALIAS, type SecretSource } from '../../shared/src/secretRefContract';
import { absolutePathProblem, providerAliasProblem, refIdProblem } from './configureInput';
import type { SecretsServer } from './languageClient';
import { planLocation } from './settings';

type Source = SecretSource;

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
  await writePlanOnServer(server, configUri, planUri, providers, mappings, output);
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
      fields.map((field) => ({ label: field.path, field, picked: true })),
      {
        title: 'OpenClaw: fields to move to SecretRefs',
        canPickMany: true,
        placeHolder: 'plaintext credential fields of this config',
      },
    );
    if (!picked) return undefined;
    for (const item of picked) {
      const mapping = await mapField(item.field, providers);
      if (!mapping) return undefined;
      mappings.push(mapping);
    }
  }
  return { providers, mappings };
}

/** The checks the prompts make, applied to given choices; the error names the path or alias, never a value. */
async function checkChoices(
  configUri: vscode.Uri,
  server: SecretsServer,
  given: ConfigureChoices,
): Promise<ConfigureChoices> {
  for (const p of given.providers) {
    if (providerAliasProblem(p.alias)) throw new Error(`provider alias "${p.alias}" is not valid`);
    for (const key of ['path', 'command'] as const) {
      if (p.settings[key] !== undefined && absolutePathProblem(p.settings[key]))
        throw new Error(`provider "${p.alias}": ${key} must be an absolute path`);
    }
  }
  const fields = new Set((given.mappings.length ? await plaintextFields(configUri, server) : []).map((f) => f.path));
  for (const m of given.mappings) {
    if (!fields.has(m.path)) throw new Error(`${m.path} is not a plaintext credential field of this config`);
    const provider = given.providers.find((p) => p.alias === m.ref.provider);
    const known = provider
      ? provider.source === m.ref.source
      : m.ref.provider === DEFAULT_PROVIDER_ALIAS && m.ref.source === 'env';
    if (!known) throw new Error(`${m.path}: provider "${m.ref.provider}" (${m.ref.source}) is not declared`);
    const problem = refIdProblem(m.ref.id, m.ref.source);
    if (problem) throw new Error(`${m.path}: ${problem}`);
  }
  return given;
}

async function declareProvider(existing: ProviderDeclaration[]): Promise<ProviderDeclaration | 'done' | undefined> {
  const items: (vscode.QuickPickItem & { source?: Source })[] = [
    {
      label: existing.length ? '$(check) Done declaring providers' : '$(arrow-right) Use providers already declared',
      description: existing.map((p) => p.alias).join(', '),
    },
    { label: '$(symbol-variable) env provider', description: 'values from environment variables', source: 'env' },
    {
      label: '$(file) file provider',
      description: 'values from a JSON or single-value file (mode 0600)',
      source: 'file',
    },
    {
      label: '$(terminal) exec provider',
      description: 'values from a resolver command (runs only with your consent)',
      source: 'exec',
    },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'OpenClaw: declare a secret provider?' });
  if (!picked) return undefined;
  if (!picked.source) return 'done';
  const alias = await vscode.window.showInputBox({
    title: `OpenClaw: alias of the ${picked.source} provider`,
    value: picked.source === 'env' ? 'env' : picked.source === 'file' ? 'filemain' : 'vault',
    validateInput: providerAliasProblem,
  });
  if (!alias) return undefined;
  const settings: Record<string, string> = {};
  if (picked.source === 'file') {
    const filePath = await vscode.window.showInputBox({
      title: 'OpenClaw: absolute path of the secrets file',
      value: '~/.openclaw/secrets.json',
      validateInput: absolutePathProblem,
    });
    if (!filePath) return undefined;
    const mode = await vscode.window.showQuickPick(['json', 'singleValue'], { title: 'OpenClaw: file mode' });
    if (!mode) return undefined;
    Object.assign(settings, { path: filePath, mode });
  }
  if (picked.source === 'exec') {
    const command = await vscode.window.showInputBox({
      title: 'OpenClaw: absolute path of the resolver command (no arguments)',
      validateInput: absolutePathProblem,
    });
    if (!command) return undefined;
    Object.assign(settings, { command, jsonOnly: 'true' });
  }
  return { alias, source: picked.source, settings };
}

async function mapField(field: ConfigureField, declared: ProviderDeclaration[]): Promise<FieldMapping | undefined> {
  const choices = [
    { label: DEFAULT_PROVIDER_ALIAS, description: 'env (the default env provider)', source: 'env' as Source },
    ...declared.map((p) => ({ label: p.alias, description: p.source, source: p.source })),
  ];
  const provider =
    choices.length === 1
      ? choices[0]
      : await vscode.window.showQuickPick(choices, { title: `OpenClaw: provider for ${field.path}` });
  if (!provider) return undefined;
  const id = await vscode.window.showInputBox({
    title: `OpenClaw: ${provider.source} id for ${field.path}`,
    // The server's suggestion: the same id the quick fix and the CLI's configure offer.
    value: field.suggestedIds[provider.source],
    validateInput: (v) => refIdProblem(v, provider.source),
  });
  if (!id) return undefined;
  return { path: field.path, ref: { source: provider.source, provider: provider.label, id } };
}

/** Plaintext credential fields of this config, from the server (paths and suggested ids, no values). */
async function plaintextFields(configUri: vscode.Uri, server: SecretsServer): Promise<ConfigureField[]> {
  const client = await server.running();
  await vscode.workspace.openTextDocument(configUri);
  return (await client.sendRequest(ConfigureFieldsRequest, { uri: configUri.toString() })).fields;
}

const BOOLEAN_SETTINGS = new Set(['jsonOnly']);
const INTEGER_SETTINGS = new Set(['timeoutMs', 'noOutputTimeoutMs', 'maxBytes', 'maxOutputBytes']);

/** A declaration's string settings as the provider config the server checks against OpenClaw's schema. */
function providerConfigOf(p: ProviderDeclaration): ProviderConfig {
  const config: Record<string, unknown> = { source: p.source };
  for (const [key, raw] of Object.entries(p.settings)) {
    config[key] = BOOLEAN_SETTINGS.has(key) ? raw === 'true' : INTEGER_SETTINGS.has(key) ? Number(raw) : raw;
  }
  return config as unknown as ProviderConfig;
}

async function writePlanOnServer(
  server: SecretsServer,
  configUri: vscode.Uri,
  planUri: vscode.Uri,
  providers: ProviderDeclaration[],
  mappings: FieldMapping[],
  output: vscode.OutputChannel,
): Promise<void> {
  const client = await server.running();
  const declared = Object.fromEntries(providers.map((p) => [p.alias, providerConfigOf(p)]));
  output.appendLine(`Configure: ${providers.length} provider(s), ${mappings.length} field(s) -> ${planUri.fsPath}`);
  try {
    await client.sendRequest(ConfigurePlanRequest, {
      uri: configUri.toString(),
      planUri: planUri.toString(),
      providers: declared,
      mappings,
    });
  } catch (err) {
    throw new Error(`configure failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
