// Quick fixes: "Convert to SecretRef" (env / file / exec variants, each added to an OpenClaw apply plan),
// "Convert all plaintext in this file", "Declare provider", "Add id to allowlist", "Restrict file
// permissions to 0600" and "Ignore this finding". A conversion never loses the value: the field is only
// rewritten once the value sits in the chosen provider; otherwise only the plan is written.
import { OpenClawSecretsError } from '../../../shared/src/errors';
import * as path from 'node:path';
import {
  CodeActionKind,
  CodeActionTriggerKind,
  MessageType,
  ShowMessageNotification,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { findNode, type ConfigDocument, type PathSegment } from '../engine/config/configDocument';
import { insertMemberEdit, replaceValueEdit, type TextEdit } from '../engine/config/textEdits';
import { detectJsonStyle } from '../engine/config/jsonStyle';
import { secretsView, type Finding, type SecretsView } from '../engine/analyze/analyze';
import { classifyCredentialValue } from '../engine/audit/auditClassify';
import { matchCredentialPath, type CredentialConfigFile } from '../engine/targets/targetRegistry';
import { mergeIntoPlanFile, planTargetForPath, validateSecretsPlan, type SecretsPlan } from '../engine/plan/plan';
import { decodePointerToken } from '../engine/resolve/jsonPointer';
import { refusePrototypeKeys, restrictFileProviderMode, storeInFileProvider } from '../engine/plan/fileProviderStore';
import { suggestEnvName, suggestExecId, suggestPointer } from '../../../shared/src/suggestRefId';
import {
  defaultProviderAlias,
  secretRefKey,
  type ProviderConfig,
  type SecretRef,
  type SecretSource,
} from '../engine/refs/secretRef';
import { fingerprint } from '../engine/runtime/fingerprint';
import type { ConfigLocation } from '../engine/config/configLocation';
import type { DocumentStore, ParsedDocument } from './documents';
import { uriToPath } from './documents';
import type { DiagnosticsService } from './diagnostics';
import { resolutionEnv } from './resolutionState';
import type { SettingsStore } from './settings';
import { displayString, isRecord } from '../engine/config/jsonValue';
import { cloudPlanActionsFor, cloudRecipesHere, moveActionsFor, moveAllActions, probedBackends } from './backends';

export const CONVERT_COMMAND = 'openclawSecrets.convertToSecretRef';
export const CONVERT_ALL_COMMAND = 'openclawSecrets.convertAllPlaintext';
export const RESTRICT_PERMISSIONS_COMMAND = 'openclawSecrets.restrictFilePermissions';
/** executed by the client (it stores the fingerprint in settings); the server never registers it */
export const IGNORE_COMMAND = 'openclawSecrets.ignoreFinding';

/** Alias used when a file variant has to declare its own provider. */
export const NEW_FILE_PROVIDER_ALIAS = 'localfile';
export const NEW_FILE_PROVIDER_FILE = 'secrets.json';

export interface CodeActionDeps {
  connection: Connection;
  store: DocumentStore;
  diagnostics: DiagnosticsService;
  settings: SettingsStore;
  env: NodeJS.ProcessEnv;
}

export interface ConvertArgs {
  uri: string;
  version: number;
  path: PathSegment[];
  ref: SecretRef;
  /** a file provider this conversion declares (in the config and as a plan upsert) */
  declare?: { alias: string; config: ProviderConfig };
}

export interface ConvertResult {
  planPath: string;
  refKey: string;
  jsonPath: string;
  /** true when the field now holds the ref (the value was already stored in the provider) */
  rewritten: boolean;
  /** for the file source: where the value was stored */
  storedIn?: string;
}

export function planPathFor(location: ConfigLocation, planLocation: string): string {
  if (!planLocation) return path.join(location.configDir, 'openclaw.secrets-plan.json');
  return path.isAbsolute(planLocation) ? planLocation : path.join(location.configDir, planLocation);
}

export interface ConversionVariant {
  title: string;
  args: ConvertArgs;
  preferred: boolean;
}

function credentialFileOf(doc: ParsedDocument): CredentialConfigFile {
  return doc.kind === 'authProfiles' ? 'auth-profiles.json' : 'openclaw.json';
}

/** The usable variants for a plaintext field: env always; file per json-mode file provider (or a new one); exec per declared exec provider. */
export function conversionVariants(
  doc: ParsedDocument,
  fieldPath: PathSegment[],
  view: SecretsView,
  env: NodeJS.ProcessEnv,
  location: ConfigLocation | undefined,
  value: string | undefined,
): ConversionVariant[] {
  const out: ConversionVariant[] = [];
  const base = { uri: doc.uri, version: doc.version, path: fieldPath };
  const jsonPath = fieldPath.map(String).join('.');
  const envAlias = defaultProviderAlias(view.defaults, 'env');
  const envName = suggestEnvName(fieldPath);
  const inEnv = value !== undefined && env[envName] === value;
  const held = env[envName];
  // A variable holding another value would lose the plaintext: say so with both fingerprints, never a value.
  const differs = value !== undefined && typeof held === 'string' && held !== '' && held !== value;
  const envNote = inEnv
    ? ` (already set: rewrite ${jsonPath})`
    : differs
      ? ` (add to apply plan; ${envName} holds a different value: ${fingerprint(held)}, the field ${fingerprint(value)}; apply refuses until they match)`
      : ' (add to apply plan; set the variable, then apply)';
  out.push({
    title: `Convert to SecretRef: env ${envName}${envNote}`,
    args: { ...base, ref: { source: 'env', provider: envAlias, id: envName } },
    preferred: false,
  });
  const fileProviders = Object.entries(view.providers).filter(
    ([, p]) => p.source === 'file' && p.mode !== 'singleValue' && typeof p.path === 'string',
  );
  const pointer = suggestPointer(fieldPath);
  for (const [alias, p] of fileProviders) {
    out.push({
      title: `Convert to SecretRef: file ${alias} ${pointer} (store the value in ${path.basename(displayString(p.path))}, 0600)`,
      args: { ...base, ref: { source: 'file', provider: alias, id: pointer } },
      preferred: out.length === 1,
    });
  }
  if (
    !fileProviders.length &&
    location &&
    doc.kind === 'config' &&
    !Object.hasOwn(view.providers, NEW_FILE_PROVIDER_ALIAS)
  ) {
    const filePath = path.join(location.configDir, NEW_FILE_PROVIDER_FILE);
    out.push({
      title: `Convert to SecretRef: file ${pointer} in a new provider "${NEW_FILE_PROVIDER_ALIAS}" (${NEW_FILE_PROVIDER_FILE}, 0600)`,
      args: {
        ...base,
        ref: { source: 'file', provider: NEW_FILE_PROVIDER_ALIAS, id: pointer },
        declare: { alias: NEW_FILE_PROVIDER_ALIAS, config: { source: 'file', path: filePath, mode: 'json' } },
      },
      preferred: false,
    });
  }
  for (const [alias] of Object.entries(view.providers).filter(([, p]) => p.source === 'exec')) {
    out.push({
      title: `Convert to SecretRef: exec ${alias} ${suggestExecId(fieldPath)} (add to apply plan)`,
      args: { ...base, ref: { source: 'exec', provider: alias, id: suggestExecId(fieldPath) } },
      preferred: false,
    });
  }
  if (!out.some((v) => v.preferred)) out[0].preferred = true;
  return out;
}

function lspEdits(doc: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({
    range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) },
    newText: e.newText,
  }));
}

/** Declare a provider in the config, creating `secrets` / `secrets.providers` as needed. */
export function declareProviderEdit(config: ConfigDocument, alias: string, provider: ProviderConfig): TextEdit {
  const root = config.root;
  const style = detectJsonStyle(config.text, root);
  if (findNode(root, ['secrets', 'providers'])?.type === 'object')
    return insertMemberEdit(config.text, root, ['secrets', 'providers'], alias, provider, style);
  if (findNode(root, ['secrets'])?.type === 'object')
    return insertMemberEdit(config.text, root, ['secrets'], 'providers', { [alias]: provider }, style);
  return insertMemberEdit(config.text, root, [], 'secrets', { providers: { [alias]: provider } }, style);
}

function providerTemplate(source: SecretSource, alias: string, location: ConfigLocation | undefined): ProviderConfig {
  if (source === 'env') return { source: 'env' };
  if (source === 'file')
    return { source: 'file', path: path.join(location?.configDir ?? '~/.openclaw', `${alias}.json`), mode: 'json' };
  return { source: 'exec', command: path.join(location?.configDir ?? '/usr/local/bin', 'bin', `${alias}-resolver`) };
}

export async function provideCodeActions(params: CodeActionParams, deps: CodeActionDeps): Promise<CodeAction[]> {
  const doc = deps.store.get(params.textDocument.uri);
  if (!doc) return [];
  const actions: CodeAction[] = [];
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const location = deps.store.locationFor(doc.uri);
  const governing = doc.kind === 'config' ? doc.config : deps.store.configFor(doc.uri);
  const view = secretsView(isRecord(governing?.value) ? governing!.value.secrets : undefined);
  const env = resolutionEnv(deps.env, location ? deps.store.dotEnvTextFor(location) : undefined);
  const last = deps.diagnostics.lastFindings.get(doc.uri);
  const findings: Finding[] =
    last && last.version === doc.version ? last.findings : await deps.diagnostics.findingsFor(doc);
  const start = doc.text.offsetAt(params.range.start);
  const end = doc.text.offsetAt(params.range.end);
  const touching = findings.filter((f) => f.start <= end && f.end >= start);
  const diagnosticsFor = (f: Finding) =>
    params.context.diagnostics.filter((d) => d.code === f.code && doc.text.offsetAt(d.range.start) === f.start);
  // Backends a plaintext can move into (usable ones first); probed only when openclaw.json has plaintext.
  const movable = findings.filter((f) => f.code === 'PLAINTEXT_FOUND');
  const probed =
    doc.kind === 'config' && location && doc.config && movable.length
      ? await probedBackends(location, doc.config.value, deps.env)
      : [];
  const cloud =
    doc.kind === 'config' && movable.length && params.context.triggerKind === CodeActionTriggerKind.Invoked
      ? await cloudRecipesHere(deps.env)
      : [];

  if (wants(CodeActionKind.QuickFix)) {
    for (const f of touching) {
      const diags = diagnosticsFor(f);
      if ((f.code === 'PLAINTEXT_FOUND' || f.code === 'AUTH_PROFILE_PLAINTEXT') && doc.config) {
        const node = findNode(doc.config.root, f.path);
        const value = node?.type === 'string' ? (node.value as string) : undefined;
        const moves =
          f.code === 'PLAINTEXT_FOUND'
            ? moveActionsFor(probed, { uri: doc.uri, version: doc.version, path: f.path, diagnostics: diags }, params)
            : { usable: [], unusable: [] };
        actions.push(...moves.usable);
        for (const v of conversionVariants(doc, f.path, view, env, location, value)) {
          actions.push({
            title: v.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: diags,
            isPreferred: v.preferred,
            command: { title: v.title, command: CONVERT_COMMAND, arguments: [v.args] },
          });
        }
        // After the conversions: Enter on Ctrl+. keeps meaning the first conversion; cloud moves write files.
        if (f.code === 'PLAINTEXT_FOUND')
          actions.push(
            ...cloudPlanActionsFor(
              cloud,
              { uri: doc.uri, version: doc.version, path: f.path, diagnostics: diags },
              params,
            ),
          );
        actions.push(...moves.unusable);
      }
      if (
        (f.code === 'REF_PROVIDER_NOT_DECLARED' || f.code === 'PROVIDERS_BLOCK_MISSING') &&
        f.data.providerAlias &&
        f.data.source &&
        governing &&
        governing === doc.config &&
        doc.config.root
      ) {
        const alias = f.data.providerAlias;
        const edit = declareProviderEdit(doc.config, alias, providerTemplate(f.data.source, alias, location));
        actions.push({
          title: `Declare provider "${alias}" (source ${f.data.source})`,
          kind: CodeActionKind.QuickFix,
          diagnostics: diags,
          isPreferred: true,
          edit: { changes: { [doc.uri]: lspEdits(doc.text, [edit]) } },
        });
      }
      if (
        f.code === 'REF_ENV_NOT_ALLOWLISTED' &&
        f.data.providerAlias &&
        f.data.envName &&
        doc.config &&
        doc.kind === 'config'
      ) {
        const listPath = ['secrets', 'providers', f.data.providerAlias, 'allowlist'];
        const list = findNode(doc.config.root, listPath);
        if (list?.type === 'array') {
          const current = list.items
            .map((i) => (i.type === 'string' ? i.value : null))
            .filter((x): x is string => typeof x === 'string');
          const edit = replaceValueEdit(
            doc.config.root,
            listPath,
            [...current, f.data.envName],
            detectJsonStyle(doc.config.text, doc.config.root),
          );
          actions.push({
            title: `Add ${f.data.envName} to secrets.providers.${f.data.providerAlias}.allowlist`,
            kind: CodeActionKind.QuickFix,
            diagnostics: diags,
            isPreferred: true,
            edit: { changes: { [doc.uri]: lspEdits(doc.text, [edit]) } },
          });
        }
      }
      if (f.code === 'PROVIDER_PATH_INSECURE' && f.data.resolutionCode === 'permissions' && f.data.filePath) {
        actions.push({
          title: `Restrict file permissions to 0600 (${path.basename(f.data.filePath)})`,
          kind: CodeActionKind.QuickFix,
          diagnostics: diags,
          isPreferred: true,
          command: {
            title: 'Restrict file permissions to 0600',
            command: RESTRICT_PERMISSIONS_COMMAND,
            arguments: [{ uri: doc.uri, filePath: f.data.filePath }],
          },
        });
      }
      if (f.data.ignoreKey) {
        actions.push({
          title: 'Ignore this finding',
          kind: CodeActionKind.QuickFix,
          diagnostics: diags,
          command: {
            title: 'Ignore this finding',
            command: IGNORE_COMMAND,
            arguments: [{ fingerprint: f.data.ignoreKey }],
          },
        });
      }
    }
  }
  const plaintext = findings.filter((f) => f.code === 'PLAINTEXT_FOUND' || f.code === 'AUTH_PROFILE_PLAINTEXT');
  if (plaintext.length && (wants(CodeActionKind.SourceFixAll) || (only?.includes(CodeActionKind.Source) ?? false))) {
    actions.push(
      ...moveAllActions(
        probed,
        doc.uri,
        doc.version,
        movable.map((f) => f.path),
      ),
    );
    const title = `Convert all plaintext in this file (${plaintext.length})`;
    actions.push({
      title,
      kind: CodeActionKind.SourceFixAll,
      command: { title, command: CONVERT_ALL_COMMAND, arguments: [{ uri: doc.uri, version: doc.version }] },
    });
  }
  return actions;
}

export class ConvertError extends OpenClawSecretsError {
  constructor(message: string) {
    super(message, 'CONVERT_FAILED');
    this.name = 'ConvertError';
  }
}

interface PreparedConversion {
  result: ConvertResult;
  edits: TextEdit[];
  planAddition: Partial<SecretsPlan>;
}

async function prepareConversion(
  deps: CodeActionDeps,
  doc: ParsedDocument,
  args: ConvertArgs,
  env: NodeJS.ProcessEnv,
  view: SecretsView,
  planPath: string,
): Promise<PreparedConversion> {
  const config = doc.config;
  if (!config?.root) throw new ConvertError('the document does not parse');
  const node = findNode(config.root, args.path);
  const jsonPath = args.path.map(String).join('.');
  const match = matchCredentialPath(credentialFileOf(doc), args.path);
  if (!node || !match) throw new ConvertError(`${jsonPath} is not a credential field`);
  const value = node.type === 'string' ? (node.value as string) : undefined;
  if (value === undefined || classifyCredentialValue(value, match.target, view.defaults, args.path) !== 'plaintext')
    throw new ConvertError(`${jsonPath} holds no plaintext to convert`);
  const agentId = doc.kind === 'authProfiles' ? deps.store.agentIdFor(doc.uri) : undefined;
  refusePrototypeKeys(args.path, jsonPath);
  const target = planTargetForPath(args.path, args.ref, agentId ? { agentId } : {});
  if (!target) throw new ConvertError(`${jsonPath} cannot be migrated by an apply plan`);
  // The plan OpenClaw will read must be valid before anything is stored: never store for a refused plan.
  const targetCheck = validateSecretsPlan({ version: 1, protocolVersion: 1, targets: [target] });
  if (!targetCheck.ok) throw new ConvertError(`${jsonPath} cannot be converted: ${targetCheck.reason}.`);
  if (args.ref.source === 'file' && args.ref.id.startsWith('/'))
    refusePrototypeKeys(args.ref.id.slice(1).split('/').map(decodePointerToken), `${args.ref.id}`);
  const planAddition: Partial<SecretsPlan> = { targets: [target] };
  const declared = Object.hasOwn(view.providers, args.ref.provider) ? view.providers[args.ref.provider] : undefined;
  let stored = false;
  let storedIn: string | undefined;
  const edits: TextEdit[] = [];
  if (args.ref.source === 'env') {
    stored = env[args.ref.id] === value;
    const allowlist =
      declared?.source === 'env' && Array.isArray(declared.allowlist) ? (declared.allowlist as string[]) : undefined;
    if (allowlist && !allowlist.includes(args.ref.id)) {
      planAddition.providerUpserts = {
        [args.ref.provider]: { ...(declared as object), allowlist: [...allowlist, args.ref.id] } as ProviderConfig,
      };
      stored = false; // the config's allowlist must change first; apply does that from the plan
    }
  } else if (args.ref.source === 'file') {
    const providerConfig = args.declare?.config ?? (declared as ProviderConfig | undefined);
    if (!providerConfig || providerConfig.source !== 'file')
      throw new ConvertError(`file provider "${args.ref.provider}" is not declared`);
    const filePath = path.isAbsolute(providerConfig.path)
      ? providerConfig.path
      : path.resolve(path.dirname(planPath), providerConfig.path);
    await storeInFileProvider(filePath.replace(/^~(?=\/|$)/, env.HOME ?? '~'), args.ref.id, value);
    stored = true;
    storedIn = filePath;
    if (args.declare) {
      planAddition.providerUpserts = { [args.declare.alias]: args.declare.config };
      edits.push(declareProviderEdit(config, args.declare.alias, args.declare.config));
    }
  }
  // Sibling-ref shapes (auth profiles, Google Chat) move the field; apply does that from the plan.
  if (stored && match.target.secretShape === 'secret_input')
    edits.push(replaceValueEdit(config.root, args.path, args.ref, detectJsonStyle(config.text, config.root)));
  return {
    result: {
      planPath,
      refKey: secretRefKey(args.ref),
      jsonPath,
      rewritten: edits.some((e) => e.start === node.start),
      ...(storedIn ? { storedIn } : {}),
    },
    edits,
    planAddition,
  };
}

function contextFor(deps: CodeActionDeps, uri: string, version: number) {
  const doc = deps.store.get(uri);
  if (!doc) throw new ConvertError('the document is not open');
  if (doc.version !== version) throw new ConvertError('the document changed; run the quick fix again');
  const location = deps.store.locationFor(uri);
  if (!location) throw new ConvertError('not a file on disk');
  const governing = doc.kind === 'config' ? doc.config : deps.store.configFor(uri);
  const view = secretsView(isRecord(governing?.value) ? governing!.value.secrets : undefined);
  const env = resolutionEnv(deps.env, deps.store.dotEnvTextFor(location));
  return { doc, location, view, env };
}

async function applyEdits(
  deps: CodeActionDeps,
  doc: ParsedDocument,
  edits: TextEdit[],
  label: string,
): Promise<boolean> {
  if (!edits.length) return true;
  const edit: WorkspaceEdit = { changes: { [doc.uri]: lspEdits(doc.text, edits) } };
  const answer = await deps.connection.workspace.applyEdit({ label, edit });
  return answer.applied;
}

/** Store (file), write the plan (merged), then rewrite the field when the value is safe in the provider. */
export async function convertToSecretRef(deps: CodeActionDeps, args: ConvertArgs): Promise<ConvertResult> {
  const { doc, location, view, env } = contextFor(deps, args.uri, args.version);
  const settings = await deps.settings.get(args.uri);
  const planPath = planPathFor(location, settings.planLocation);
  const prepared = await prepareConversion(deps, doc, args, env, view, planPath);
  await mergeIntoPlanFile(planPath, [prepared.planAddition]);
  const applied = await applyEdits(deps, doc, prepared.edits, `Convert ${prepared.result.jsonPath} to a SecretRef`);
  const result = { ...prepared.result, rewritten: prepared.result.rewritten && applied };
  await deps.connection
    .sendNotification(ShowMessageNotification.type, {
      type: MessageType.Info,
      message: `${result.jsonPath} -> ${result.refKey} added to ${path.basename(planPath)}${result.rewritten ? '; field rewritten' : '; the field keeps its value until you run apply'}.`,
    })
    .catch(() => undefined);
  return result;
}

/** source.fixAll: every plaintext field, through the first declared json file provider if any, else env. */
export async function convertAllPlaintext(
  deps: CodeActionDeps,
  args: { uri: string; version: number },
): Promise<ConvertResult[]> {
  const { doc, location, view, env } = contextFor(deps, args.uri, args.version);
  const settings = await deps.settings.get(args.uri);
  const planPath = planPathFor(location, settings.planLocation);
  const findings = (await deps.diagnostics.findingsFor(doc)).filter(
    (f) => f.code === 'PLAINTEXT_FOUND' || f.code === 'AUTH_PROFILE_PLAINTEXT',
  );
  const prepared: PreparedConversion[] = [];
  let declaredNew = false;
  for (const f of findings) {
    const node = findNode(doc.config?.root, f.path);
    const value = node?.type === 'string' ? (node.value as string) : undefined;
    if (value === undefined) continue;
    const variants = conversionVariants(doc, f.path, view, env, location, value);
    let chosen = variants.find((v) => v.args.ref.source === 'file') ?? variants[0];
    if (chosen.args.declare && declaredNew) chosen = { ...chosen, args: { ...chosen.args, declare: undefined } };
    const p = await prepareConversion(
      deps,
      doc,
      chosen.args,
      env,
      chosen.args.declare || !declaredNew ? view : withProvider(view, NEW_FILE_PROVIDER_ALIAS, variants),
      planPath,
    );
    if (chosen.args.declare) declaredNew = true;
    prepared.push(p);
  }
  await mergeIntoPlanFile(
    planPath,
    prepared.map((p) => p.planAddition),
  );
  const applied = await applyEdits(
    deps,
    doc,
    prepared.flatMap((p) => p.edits),
    'Convert all plaintext to SecretRefs',
  );
  return prepared.map((p) => ({ ...p.result, rewritten: p.result.rewritten && applied }));
}

function withProvider(view: SecretsView, alias: string, variants: ConversionVariant[]): SecretsView {
  const declare = variants.find((v) => v.args.declare?.alias === alias)?.args.declare;
  if (!declare) return view;
  return { ...view, providers: { ...view.providers, [alias]: declare.config as unknown as Record<string, unknown> } };
}

/** chmod 0600 a file provider's file, only when an open config declares that path. */
export async function restrictFilePermissions(
  deps: CodeActionDeps,
  args: { uri: string; filePath: string },
): Promise<{ ok: true; filePath: string }> {
  const doc = deps.store.get(args.uri);
  await restrictFileProviderMode(
    isRecord(doc?.config?.value) ? doc.config.value.secrets : undefined,
    args.filePath,
    deps.env.HOME,
  );
  deps.diagnostics.schedule(args.uri, 0);
  return { ok: true, filePath: args.filePath };
}

export { uriToPath };
