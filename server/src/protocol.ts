// Requests shared by the client and the server, typed once (the client imports this file too).
// Every result here is masked: fingerprints and length classes, never a value.
import { RequestType } from 'vscode-languageserver-protocol';

export interface ResolveParams {
  /** file URI of the openclaw.json to resolve */
  uri: string;
  /** the user's consent for exec providers in this workspace */
  allowExec: boolean;
  /**
   * The exec commands the user was shown and allowed. When given, exec runs only if the config's exec
   * commands are all among them (the config may have changed since the question was asked).
   */
  allowedCommands?: string[];
}

export interface ResolvedRefResult {
  path: string;
  refKey: string;
  ok: boolean;
  code?: string;
  message?: string;
  elapsedMs: number;
  limit?: string;
  fingerprint?: string;
  lengthClass?: string;
  skipped?: boolean;
}

export interface ResolveResult {
  uri: string;
  results: ResolvedRefResult[];
  okCount: number;
  errorCount: number;
  skippedExecCount: number;
  execCommands: string[];
}

export interface ExecCommandsParams {
  uri: string;
}
export interface ExecCommandsResult {
  /** the absolute commands that a resolve with consent would run */
  commands: string[];
}

export interface AuditParams {
  uri: string;
  allowExec: boolean;
  /** as in ResolveParams */
  allowedCommands?: string[];
}

export interface ApplyPlanParams {
  uri: string;
  planUri: string;
  dryRun: boolean;
  allowExec: boolean;
  /** the person confirmed replacing plaintexts whose new ref resolves to a different value */
  force?: boolean;
}

/** applyPlan's answer when a write would lose a value: the client asks, then resends with `force`. */
export interface ApplyNeedsConfirmation {
  ok: false;
  needsConfirmation: 'value-loss';
  error: { type: 'value_loss'; message: string };
  /** per target: its path, the new ref, and fingerprints of the plaintext held and of the ref's value */
  conflicts: Array<{ path: string; refKey: string; held: string; resolved: string }>;
}

export interface ReloadParams {
  uri: string;
  allowExec: boolean;
  /** as in ResolveParams */
  allowedCommands?: string[];
}
export interface ReloadResult {
  state: 'ok' | 'degraded' | 'recovered' | 'failed';
  message: string;
  warningCount: number;
}

export interface StatusNotification {
  uri: string;
  plaintextCount: number;
  resolution: 'ok' | 'degraded' | 'failed' | 'not-checked';
}

export const ResolveRequest = new RequestType<ResolveParams, ResolveResult, void>('openclawSecrets/resolve');
export const ExecCommandsRequest = new RequestType<ExecCommandsParams, ExecCommandsResult, void>('openclawSecrets/execCommands');
export const AuditRequest = new RequestType<AuditParams, unknown, void>('openclawSecrets/audit');
export const ApplyPlanRequest = new RequestType<ApplyPlanParams, unknown, void>('openclawSecrets/applyPlan');
export const ReloadRequest = new RequestType<ReloadParams, ReloadResult, void>('openclawSecrets/reload');
export const STATUS_NOTIFICATION = 'openclawSecrets/status';
