// Effective limits of a file or exec provider after OpenClaw's defaulting (9.6: noOutputTimeoutMs
// defaults to the effective timeoutMs, not to 2000 as in 2.26).
import { DEFAULTS, type ExecProviderConfig, type FileProviderConfig } from '../refs/secretRef';

/** OpenClaw's normalizePositiveInt: a finite number is floored and clamped to at least 1; anything else takes the fallback. */
export function positiveInt(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.max(1, Math.floor(value));
  return Math.max(1, Math.floor(fallback));
}

export interface FileProviderSettings {
  mode: 'json' | 'singleValue';
  timeoutMs: number;
  maxBytes: number;
}

export function fileProviderSettings(config: FileProviderConfig): FileProviderSettings {
  return {
    mode: config.mode ?? DEFAULTS.fileMode,
    timeoutMs: positiveInt(config.timeoutMs, DEFAULTS.fileTimeoutMs),
    maxBytes: positiveInt(config.maxBytes, DEFAULTS.fileMaxBytes),
  };
}

export interface ExecProviderSettings {
  args: string[];
  timeoutMs: number;
  noOutputTimeoutMs: number;
  maxOutputBytes: number;
  jsonOnly: boolean;
}

export function execProviderSettings(config: ExecProviderConfig): ExecProviderSettings {
  const timeoutMs = positiveInt(config.timeoutMs, DEFAULTS.execTimeoutMs);
  return {
    args: config.args ?? [],
    timeoutMs,
    noOutputTimeoutMs: positiveInt(config.noOutputTimeoutMs, timeoutMs),
    maxOutputBytes: positiveInt(config.maxOutputBytes, DEFAULTS.execMaxOutputBytes),
    jsonOnly: config.jsonOnly ?? DEFAULTS.execJsonOnly,
  };
}
