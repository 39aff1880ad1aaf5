// Findings -> LSP diagnostics (source, stable code, link to docs/diagnostics.md, exact range), and the
// validation loop: debounced per document, a newer version cancels an older run, parse once per version.
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyzeAuthProfiles,
  analyzeConfigDocument,
  analyzeDotEnv,
  type Finding,
  type FindingData,
  type FindingSeverity,
} from '../engine/analyze/analyze';
import { analyzeProviderPaths } from '../engine/analyze/analyzeProviders';
import { STATUS_NOTIFICATION, type StatusNotification } from '../protocol';
import type { DocumentStore, ParsedDocument } from './documents';
import { collectRefs, dryRunRefs, resolutionEnv, type ResolutionState } from './resolutionState';
import type { SettingsStore } from './settings';
import { isRecord } from '../engine/config/jsonValue';
import { schemaFindings } from '../engine/openclawSchema/schemaCheck';
import type { SchemaService } from './openclawSchema';

export const DIAGNOSTIC_SOURCE = 'openclaw-secrets';
export const DIAGNOSTICS_DOC_URL =
  'https://github.com/openclaw-secrets/vscode-openclaw-secrets/blob/main/docs/diagnostics.md';

const SEVERITY: Record<FindingSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The diagnostic's `data`: what code actions need (path, fingerprint key), never a value. */
export type DiagnosticData = FindingData;

const codeDescriptions = new Map<string, { href: string }>();
function codeDescription(code: string): { href: string } {
  let d = codeDescriptions.get(code);
  if (!d) codeDescriptions.set(code, (d = { href: `${DIAGNOSTICS_DOC_URL}#${code.toLowerCase()}` }));
  return d;
}

// Exported for bench/run.mjs, which measures diagnostics without a connection.
export function toDiagnostic(f: Finding, doc: TextDocument): Diagnostic {
  return {
    range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) },
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: codeDescription(f.code),
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
    data: f.data,
  };
}

export interface DiagnosticsOptions {
  /** debounce after a change; 0 = next turn of the event loop */
  debounceMs: number;
  env: NodeJS.ProcessEnv;
  /** resolve env and file refs in the background after each validation */
  autoResolve: boolean;
  /** OpenClaw's config schema; without it only the secrets checks run */
  schemas?: SchemaService;
}

interface Pending {
  timer?: NodeJS.Timeout;
  controller: AbortController;
}

export class DiagnosticsService {
  private readonly pending = new Map<string, Pending>();
  /** the last findings per document (code actions read them) */
  readonly lastFindings = new Map<string, { version: number; findings: Finding[] }>();
  /** which schema validated each config (for the status notification) */
  private readonly schemaLabels = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly store: DocumentStore,
    private readonly settings: SettingsStore,
    private readonly resolution: ResolutionState,
    private readonly options: DiagnosticsOptions,
  ) {}

  /** Validate after the debounce; a newer call for the same document cancels this one. */
  schedule(uri: string, delayMs = this.options.debounceMs): void {
    this.cancel(uri);
    const controller = new AbortController();
    const entry: Pending = { controller };
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void this.validate(uri, controller.signal).catch((err) => {
        try {
          this.connection.console.error(`validation of ${uri} failed: ${(err as Error).name}`);
        } catch {
          // the client has gone away
        }
      });
    }, delayMs);
    this.pending.set(uri, entry);
  }

  cancel(uri: string): void {
    const p = this.pending.get(uri);
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    p.controller.abort();
    this.pending.delete(uri);
  }

  /** Re-validate every open document (settings or a related file changed). */
  scheduleAll(): void {
    for (const d of this.store.documents.all()) if (this.store.get(d.uri)) this.schedule(d.uri);
  }

  clear(uri: string): void {
    this.cancel(uri);
    this.lastFindings.delete(uri);
    this.schemaLabels.delete(uri);
    this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(ignoreClosed);
  }

  /** Findings for the document's current version (static checks, then provider file checks). */
  async findingsFor(doc: ParsedDocument): Promise<Finding[]> {
    const s = await this.settings.get(doc.uri);
    if (!s.enable) return [];
    const ctx = { patterns: s.patterns, ignored: s.ignored, resolution: this.resolution.get(doc.uri) };
    if (doc.kind === 'dotenv') return analyzeDotEnv(doc.text.getText(), ctx);
    const config = doc.config!;
    if (doc.kind === 'authProfiles') {
      const governing = this.store.configFor(doc.uri);
      const secrets = isRecord(governing?.value) ? governing.value.secrets : undefined;
      return analyzeAuthProfiles(config, { ...ctx, secrets });
    }
    const findings = analyzeConfigDocument(config, ctx);
    if (config.root) {
      const pathFindings = await analyzeProviderPaths(config, this.options.env);
      findings.push(...pathFindings.filter((f) => !f.data.ignoreKey || !s.ignored.has(f.data.ignoreKey)));
      if (this.options.schemas) {
        const choice = await this.options.schemas.forDocument(doc.uri);
        if (choice.schema) this.schemaLabels.set(doc.uri, choice.schema.label);
        findings.push(...schemaFindings(config, choice, findings));
      }
    }
    return findings.sort((a, b) => a.start - b.start);
  }

  async validate(uri: string, signal?: AbortSignal): Promise<void> {
    const doc = this.store.get(uri);
    if (!doc) return;
    const findings = await this.findingsFor(doc);
    if (signal?.aborted || this.store.get(uri)?.version !== doc.version) return;
    this.publish(doc, findings);
    if (this.options.autoResolve && doc.kind !== 'dotenv' && doc.config?.root) await this.autoResolve(doc, signal);
  }

  private publish(doc: ParsedDocument, findings: Finding[]): void {
    this.lastFindings.set(doc.uri, { version: doc.version, findings });
    this.connection
      .sendDiagnostics({
        uri: doc.uri,
        version: doc.version,
        diagnostics: findings.map((f) => toDiagnostic(f, doc.text)),
      })
      .catch(ignoreClosed);
    const status: StatusNotification = {
      uri: doc.uri,
      plaintextCount: findings.filter(
        (f) => f.code === 'PLAINTEXT_FOUND' || f.code === 'AUTH_PROFILE_PLAINTEXT' || f.code === 'DOTENV_PLAINTEXT',
      ).length,
      resolution: resolutionSummary(findings, this.resolution.get(doc.uri)),
      ...(this.schemaLabels.has(doc.uri) ? { schema: this.schemaLabels.get(doc.uri) } : {}),
    };
    this.connection.sendNotification(STATUS_NOTIFICATION, status).catch(ignoreClosed);
  }

  /** Env, file and store refs are cheap and run nothing: resolve them in the background, republish on change. */
  private async autoResolve(doc: ParsedDocument, signal?: AbortSignal): Promise<void> {
    const loc = this.store.locationFor(doc.uri);
    const governing = doc.kind === 'config' ? doc.config : this.store.configFor(doc.uri);
    const secrets = isRecord(governing?.value) ? governing.value.secrets : undefined;
    const refs = collectRefs(doc.config!, doc.kind === 'config' ? 'openclaw.json' : 'auth-profiles.json', secrets);
    if (!refs.length) return;
    const env = resolutionEnv(this.options.env, loc ? this.store.dotEnvTextFor(loc) : undefined);
    // Store refs are a read-only lookup in openclaw.sqlite: cheap and safe, so they are checked here too.
    const results = await dryRunRefs(refs, secrets, {
      env,
      allowExec: false,
      sources: new Set(['env', 'file', 'store']),
      ...(signal ? { signal } : {}),
      ...(loc ? { stateDir: loc.stateDir } : {}),
    });
    if (signal?.aborted || this.store.get(doc.uri)?.version !== doc.version) return;
    if (!this.resolution.record(doc.uri, results)) return;
    const fresh = await this.findingsFor(doc);
    if (signal?.aborted || this.store.get(doc.uri)?.version !== doc.version) return;
    this.publish(doc, fresh);
  }
}

function resolutionSummary(
  findings: Finding[],
  state: ReadonlyMap<string, { ok: boolean; skipped?: boolean }> | undefined,
): StatusNotification['resolution'] {
  if (!state || state.size === 0) return 'not-checked';
  if (findings.some((f) => f.code === 'REF_UNRESOLVED')) return 'failed';
  return 'ok';
}

/** The client may be gone by the time a background validation publishes. */
const ignoreClosed = (): void => undefined;
