// Requests shared by the client and the server, typed once (the client imports this file too).
// Every result here is masked: fingerprints and length classes, never a value.
import { RequestType } from 'vscode-languageserver-protocol';
import type { ResolvedRefResult } from './engine/resolve/types';
import type { AuditReport } from './engine/audit/audit';
import type { ApplyResult } from './engine/plan/apply';
import type { ProviderConfig, SecretRef, SecretSource } from './engine/refs/secretRef';

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

// The engine owns the shapes it returns; the protocol names them (the engine never imports this file).
export type { ResolvedRefResult } from './engine/resolve/types';
export type { AuditReport } from './engine/audit/audit';
export type { ApplyResult } from './engine/plan/apply';

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
  /** a plan file: answer for what applying it would run instead (its exec providers and refs) */
  planUri?: string;
}
export interface ExecCommandsResult {
  /** the absolute commands that a resolve with consent would run */
  commands: string[];
  /** for a plan: whether it holds exec refs or providers at all (OpenClaw then needs --allow-exec) */
  usesExec?: boolean;
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

/** A refused or failed apply: OpenClaw's message (paths and codes, never a value). */
export interface ApplyPlanFailure {
  ok: false;
  error: { type: 'cli_error'; message: string };
}
export type ApplyPlanResult = ApplyResult | ApplyPlanFailure | ApplyNeedsConfirmation;

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
  /** which OpenClaw schema validated the file ("OpenClaw 2026.9.6 schema, bundled snapshot"), if any */
  schema?: string;
}

export const ResolveRequest = new RequestType<ResolveParams, ResolveResult, void>('openclawSecrets/resolve');
export const ExecCommandsRequest = new RequestType<ExecCommandsParams, ExecCommandsResult, void>(
  'openclawSecrets/execCommands',
);
export const AuditRequest = new RequestType<AuditParams, AuditReport, void>('openclawSecrets/audit');
export const ApplyPlanRequest = new RequestType<ApplyPlanParams, ApplyPlanResult, void>('openclawSecrets/applyPlan');
export const ReloadRequest = new RequestType<ReloadParams, ReloadResult, void>('openclawSecrets/reload');
export const STATUS_NOTIFICATION = 'openclawSecrets/status';

export interface ConfigureFieldsParams {
  /** file URI of the openclaw.json */
  uri: string;
}
/** A plaintext credential field configure may move, with the id each source would suggest for it. */
export interface ConfigureField {
  /** the path as OpenClaw prints it */
  path: string;
  segments: (string | number)[];
  suggestedIds: Record<SecretSource, string>;
}
export interface ConfigureFieldsResult {
  fields: ConfigureField[];
}

export interface ConfigurePlanParams {
  uri: string;
  /** where the plan goes */
  planUri: string;
  /** providers to declare (alias -> full provider config) */
  providers: Record<string, ProviderConfig>;
  mappings: { path: string; ref: SecretRef }[];
}
export interface ConfigurePlanResult {
  planPath: string;
  targetCount: number;
  providerUpsertCount: number;
}

export const ConfigureFieldsRequest = new RequestType<ConfigureFieldsParams, ConfigureFieldsResult, void>(
  'openclawSecrets/configureFields',
);
export const ConfigurePlanRequest = new RequestType<ConfigurePlanParams, ConfigurePlanResult, void>(
  'openclawSecrets/configurePlan',
);

/** The running OpenClaw gateway the config names (gateway.port / gateway.remote.url / TLS / auth). */
export interface GatewayParams {
  /** file URI of the openclaw.json naming the gateway */
  uri: string;
}
export interface GatewayStatusResult {
  /** the gateway's WebSocket URL (no credential in it) */
  url: string;
  reachable: boolean;
  /** one line: why not reachable, or the gateway's version */
  message: string;
}
export interface GatewayReloadResult {
  url: string;
  /** unreachable: no gateway answered, nothing changed; failed: the gateway kept its last-known-good snapshot */
  state: 'ok' | 'failed' | 'unreachable';
  warningCount: number;
  message: string;
}
export const GatewayStatusRequest = new RequestType<GatewayParams, GatewayStatusResult, void>(
  'openclawSecrets/gatewayStatus',
);
export const GatewayReloadRequest = new RequestType<GatewayParams, GatewayReloadResult, void>(
  'openclawSecrets/gatewayReload',
);
