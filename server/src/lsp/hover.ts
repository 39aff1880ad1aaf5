// Hover on a SecretRef: what its provider is, and the last dry-run outcome (fingerprint, length class,
// timing, time; or the error code and message). Never a value.
import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { formatConfigPath } from '../engine/targets/targetRegistry';
import { secretsView, type RefResolutionStatus } from '../engine/analyze/analyze';
import { DEFAULTS } from '../engine/refs/secretRef';
import type { DocumentStore } from './documents';
import type { ResolutionState } from './resolutionState';
import { refAtOffset } from './refAtCursor';
import { displayString, isRecord } from '../engine/config/jsonValue';
import type { SchemaService } from './openclawSchema';
import { schemaHover } from './schemaAssist';
import { describeExecProvider, type ProviderBackend } from '../engine/backends/wrappers';
import { nodeAtOffset } from '../engine/config/configDocument';

function providerSummary(
  alias: string,
  source: string | undefined,
  providers: Record<string, Record<string, unknown>>,
  defaultEnvAlias: string,
  defaultStoreAlias = 'default',
  backend?: ProviderBackend,
): string {
  const p = Object.hasOwn(providers, alias) ? providers[alias] : undefined;
  const storeLine = `the shared secret store (\`state/openclaw.sqlite\`, team scope; values are never shown)`;
  if (source === 'store' && alias === defaultStoreAlias && p?.source !== 'store')
    return `Provider \`${alias}\`: implicit store provider: ${storeLine}.`;
  if (!p) {
    if (source === 'env' && alias === defaultEnvAlias)
      return `Provider \`${alias}\`: implicit env provider (reads the environment, no allowlist).`;
    return `Provider \`${alias}\` is not declared under \`secrets.providers\`.`;
  }
  if (p.source === 'env')
    return `Provider \`${alias}\`: env${Array.isArray(p.allowlist) ? `, allowlist of ${p.allowlist.length}` : ', no allowlist'}.`;
  if (p.source === 'file')
    return `Provider \`${alias}\`: file \`${displayString(p.path)}\` (${p.mode === 'singleValue' ? 'singleValue' : 'json'} mode, maxBytes ${p.maxBytes ?? DEFAULTS.fileMaxBytes}, timeout ${p.timeoutMs ?? DEFAULTS.fileTimeoutMs} ms).`;
  if (p.source === 'store') return `Provider \`${alias}\`: store: ${storeLine}.`;
  if (p.source === 'exec' && isRecord(p.pluginIntegration)) {
    return `Provider \`${alias}\`: exec from plugin \`${displayString(p.pluginIntegration.pluginId)}\` (integration \`${displayString(p.pluginIntegration.integrationId)}\`): OpenClaw takes the command from the installed plugin's manifest.`;
  }
  if (p.source === 'exec') {
    const args = Array.isArray(p.args) ? p.args.length : 0;
    const talksTo = backend
      ? ` Backend: **${backend.recipe.label}** (${backend.via === 'wrapper' ? 'generated wrapper' : 'its own CLI'}; setup and troubleshooting: \`${backend.recipe.docs}\`).`
      : '';
    return `Provider \`${alias}\`: exec \`${displayString(p.command)}\` (${args} arg(s), timeout ${p.timeoutMs ?? DEFAULTS.execTimeoutMs} ms, ${p.jsonOnly === false ? 'plain text allowed' : 'JSON only'}; runs only with your consent).${talksTo}`;
  }
  return `Provider \`${alias}\`: unknown source.`;
}

function describeStatus(status: RefResolutionStatus | undefined): string {
  if (!status) return 'Not resolved yet: run **OpenClaw: Resolve (dry-run)**.';
  const when = status.at ? ` at ${status.at}` : '';
  if (status.skipped && status.code === 'SECRET_STORE_UNCHECKED')
    return `Last dry-run: not checked here: ${status.message ?? 'the secret store could not be read'}${when}.`;
  if (status.skipped) return `Last dry-run: skipped (exec needs your consent)${when}.`;
  if (status.ok && status.lengthClass === 'withheld')
    return `Last dry-run: the store entry exists (a protected secret: its value is not readable here)${when}.`;
  if (status.ok)
    return `Last dry-run: resolved, ${status.lengthClass ?? ''} string ${status.fingerprint ?? ''} in ${status.elapsedMs ?? 0} ms${when}.`.replace(
      /\s+/g,
      ' ',
    );
  return `Last dry-run: **${status.code ?? 'failed'}**: ${status.message ?? ''}${status.limit ? ` (limit: ${status.limit})` : ''}${when}.`;
}

/** SecretRef hover first; elsewhere in openclaw.json, the schema's title and description of the key. */
export async function provideHover(
  params: HoverParams,
  store: DocumentStore,
  resolution: ResolutionState,
  schemas?: SchemaService,
): Promise<Hover | null> {
  const backend = await execBackendAt(params, store);
  const hover = provideExecProviderHover(params, store, backend) ?? provideRefHover(params, store, resolution, backend);
  const doc = store.get(params.textDocument.uri);
  if (hover || !schemas || doc?.kind !== 'config' || !doc.config?.root) return hover;
  const choice = await schemas.forDocument(doc.uri);
  return choice.schema ? schemaHover(doc.config, doc.text, doc.text.offsetAt(params.position), choice.schema) : null;
}

/** The exec provider under the cursor (its declaration, or a ref naming it) and the backend it talks to. */
async function execBackendAt(params: HoverParams, store: DocumentStore): Promise<ProviderBackend | undefined> {
  const doc = store.get(params.textDocument.uri);
  if (!doc?.config?.root) return undefined;
  const governing = doc.kind === 'config' ? doc.config : store.configFor(doc.uri);
  const view = secretsView(isRecord(governing?.value) ? governing!.value.secrets : undefined);
  const offset = doc.text.offsetAt(params.position);
  const at = doc.kind === 'config' ? nodeAtOffset(doc.config.root, offset) : undefined;
  const alias =
    at && at.path.length >= 3 && at.path[0] === 'secrets' && at.path[1] === 'providers'
      ? String(at.path[2])
      : refAtOffset(doc.config, offset, view.defaults)?.provider;
  const p = alias && Object.hasOwn(view.providers, alias) ? view.providers[alias] : undefined;
  if (p?.source !== 'exec' || typeof p.command !== 'string') return undefined;
  return describeExecProvider(p.command);
}

/** On a declared exec provider whose backend is known: which backend it talks to. */
export function provideExecProviderHover(
  params: HoverParams,
  store: DocumentStore,
  backend: ProviderBackend | undefined,
): Hover | null {
  const doc = store.get(params.textDocument.uri);
  if (!backend || doc?.kind !== 'config' || !doc.config?.root) return null;
  const at = nodeAtOffset(doc.config.root, doc.text.offsetAt(params.position));
  if (!at || at.path.length < 3 || at.path[0] !== 'secrets' || at.path[1] !== 'providers') return null;
  const alias = String(at.path[2]);
  const view = secretsView(isRecord(doc.config.value) ? doc.config.value.secrets : undefined);
  return {
    contents: {
      kind: 'markdown',
      value: providerSummary(
        alias,
        'exec',
        view.providers,
        view.defaults.env ?? 'default',
        view.defaults.store ?? 'default',
        backend,
      ),
    },
  };
}

export function provideRefHover(
  params: HoverParams,
  store: DocumentStore,
  resolution: ResolutionState,
  backend?: ProviderBackend,
): Hover | null {
  const doc = store.get(params.textDocument.uri);
  if (!doc?.config?.root) return null;
  const governing = doc.kind === 'config' ? doc.config : store.configFor(doc.uri);
  const view = secretsView(isRecord(governing?.value) ? governing!.value.secrets : undefined);
  const ref = refAtOffset(doc.config, doc.text.offsetAt(params.position), view.defaults);
  if (!ref || !ref.source) return null;
  const jsonPath = formatConfigPath(ref.path, doc.config.value);
  const key = `${ref.source}:${ref.provider ?? '?'}:${ref.id ?? '?'}`;
  const lines = [`**SecretRef** \`${key}\` at \`${jsonPath}\``, ''];
  if (ref.provider)
    lines.push(
      providerSummary(
        ref.provider,
        ref.source,
        view.providers,
        view.defaults.env ?? 'default',
        view.defaults.store ?? 'default',
        backend,
      ),
      '',
    );
  lines.push(describeStatus(resolution.get(doc.uri)?.get(jsonPath)));
  const range = ref.object ?? ref.stringNode;
  return {
    contents: { kind: 'markdown', value: lines.join('\n') },
    ...(range ? { range: { start: doc.text.positionAt(range.start), end: doc.text.positionAt(range.end) } } : {}),
  };
}
