// The server's view of the client settings (section `openclawSecrets`), pulled per document and cached.
import type { Connection } from 'vscode-languageserver/node';
import { compilePatterns, type ExtraPattern, type PatternSet } from '../engine/analyze/credentialPatterns';
import { isRecord } from '../engine/config/jsonValue';

export interface ServerSettings {
  enable: boolean;
  execPolicy: 'never' | 'ask';
  /** where plans go; empty = `openclaw.secrets-plan.json` beside the config */
  planLocation: string;
  extraPatterns: ExtraPattern[];
  ignoredFingerprints: string[];
  /** `schema.path`: a JSON Schema file to validate openclaw.json with instead of OpenClaw's */
  schemaPath: string;
  /** `schema.fromInstalledOpenClaw`: ask the `openclaw` on PATH for its schema (trusted workspaces only) */
  schemaFromInstalled: boolean;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  enable: true,
  execPolicy: 'ask',
  planLocation: '',
  extraPatterns: [],
  ignoredFingerprints: [],
  schemaPath: '',
  schemaFromInstalled: true,
};

/** Accepts both the nested (`exec: { policy }`) and the flat (`"exec.policy"`) shapes clients send. */
function normalizeSettings(raw: unknown): ServerSettings {
  if (!isRecord(raw)) return { ...DEFAULT_SETTINGS };
  const pick = (dotted: string): unknown => {
    if (dotted in raw) return raw[dotted];
    let cur: unknown = raw;
    for (const seg of dotted.split('.')) cur = isRecord(cur) ? cur[seg] : undefined;
    return cur;
  };
  const extra = pick('detection.extraPatterns');
  const ignored = pick('ignoredFingerprints');
  return {
    enable: pick('enable') !== false,
    execPolicy: pick('exec.policy') === 'never' ? 'never' : 'ask',
    planLocation: typeof pick('plan.location') === 'string' ? (pick('plan.location') as string).trim() : '',
    extraPatterns: Array.isArray(extra)
      ? extra.filter((p): p is ExtraPattern => isRecord(p) && typeof p.name === 'string' && typeof p.regex === 'string')
      : [],
    ignoredFingerprints: Array.isArray(ignored) ? ignored.filter((s): s is string => typeof s === 'string') : [],
    schemaPath: typeof pick('schema.path') === 'string' ? (pick('schema.path') as string).trim() : '',
    schemaFromInstalled: pick('schema.fromInstalledOpenClaw') !== false,
  };
}

export interface EffectiveSettings extends ServerSettings {
  patterns: PatternSet;
  ignored: ReadonlySet<string>;
}

function effective(s: ServerSettings): EffectiveSettings {
  return { ...s, patterns: compilePatterns(s.extraPatterns), ignored: new Set(s.ignoredFingerprints) };
}

/** Pulls `workspace/configuration` when the client supports it; otherwise the defaults (plus init options). */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<EffectiveSettings>>();
  private fallback: EffectiveSettings = effective(DEFAULT_SETTINGS);
  /** settings errors already shown, so a bad pattern is reported once, not per document */
  private readonly reported = new Set<string>();
  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
  ) {}

  /** A user pattern that does not compile is a settings error the person sees, not a silent no-op. */
  private reportProblems(settings: EffectiveSettings): EffectiveSettings {
    for (const problem of settings.patterns.problems ?? []) {
      if (this.reported.has(problem)) continue;
      this.reported.add(problem);
      void this.connection.window.showWarningMessage(problem);
    }
    return settings;
  }

  setFallback(raw: unknown): void {
    this.fallback = this.reportProblems(effective(normalizeSettings(raw)));
    this.cache.clear();
  }

  clear(): void {
    this.cache.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  get(uri: string): Promise<EffectiveSettings> {
    if (!this.canPull()) return Promise.resolve(this.fallback);
    let p = this.cache.get(uri);
    if (!p) {
      p = Promise.resolve()
        .then(() => this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'openclawSecrets' }))
        .then((raw: unknown) => (raw == null ? this.fallback : this.reportProblems(effective(normalizeSettings(raw)))))
        .catch(() => this.fallback);
      this.cache.set(uri, p);
    }
    return p;
  }
}
