// Shared types of the provider engine: what a resolution is asked for and what it answers, per ref,
// with a typed error that carries a code and the ref key, never the value.
import { OpenClawSecretsError } from '../../../../shared/src/errors';
import type { ProviderConfig, SecretRef, SecretDefaults } from '../refs/secretRef';
import type { SecretStoreSnapshot } from '../store/secretStore';

/** OpenClaw 2026.9.6's error codes (REDACTED_VALUE: a placeholder such as `***` came back), plus SKIPPED for exec refs not run without consent and STORE_UNCHECKED when this runtime cannot read the secret store. */
export type SecretErrorCode =
  | 'SECRET_PROVIDER_NOT_CONFIGURED'
  | 'SECRET_PROVIDER_INVALID'
  | 'SECRET_PROVIDER_UNAVAILABLE'
  | 'SECRET_PROVIDER_PATH_SECURITY_UNVERIFIABLE'
  | 'SECRET_REF_NOT_FOUND'
  | 'SECRET_REF_INVALID'
  | 'SECRET_REF_POLICY_DENIED'
  | 'SECRET_REF_PROVIDER_ERROR'
  | 'SECRET_REF_REDACTED_VALUE'
  | 'SECRET_EXEC_SKIPPED'
  | 'SECRET_STORE_UNCHECKED';

/** Which configured limit ended a resolution, so the user sees why. */
export type SecretLimit =
  'timeoutMs' | 'noOutputTimeoutMs' | 'maxOutputBytes' | 'maxBytes' | 'maxRefsPerProvider' | 'maxBatchBytes';

export class SecretResolutionError extends OpenClawSecretsError {
  override readonly code: SecretErrorCode;
  readonly scope: 'provider' | 'ref';
  readonly refKey?: string;
  readonly provider?: string;
  readonly limit?: SecretLimit;
  constructor(
    message: string,
    opts: { code: SecretErrorCode; scope: 'provider' | 'ref'; refKey?: string; provider?: string; limit?: SecretLimit },
  ) {
    super(message, opts.code);
    this.name = opts.scope === 'provider' ? 'SecretProviderResolutionError' : 'SecretRefResolutionError';
    this.code = opts.code;
    this.scope = opts.scope;
    this.refKey = opts.refKey;
    this.provider = opts.provider;
    this.limit = opts.limit;
  }
}

export interface ResolutionLimits {
  maxProviderConcurrency: number;
  maxRefsPerProvider: number;
  maxBatchBytes: number;
}

export interface ResolveOptions {
  /** the environment providers read from (env values, exec passEnv); defaults to process.env */
  env?: NodeJS.ProcessEnv;
  /** exec providers run only with explicit consent */
  allowExec: boolean;
  limits?: Partial<ResolutionLimits>;
  /** called once per spawned exec process (for counting in tests and the bench) */
  onExecSpawn?: (providerAlias: string, ids: readonly string[]) => void;
  signal?: AbortSignal;
  /** the shared secret store for store refs; defaults to reading `<STATE_DIR>/state/openclaw.sqlite` once, lazily */
  secretStore?: () => Promise<SecretStoreSnapshot>;
  /** the state dir whose store is read when `secretStore` is not given (default: from env, as OpenClaw) */
  stateDir?: string;
}

export interface SecretsProvidersInput {
  providers: Record<string, ProviderConfig>;
  defaults?: SecretDefaults;
  /** alias -> the schema's message, for declared providers that fail it (see secretsConfig.ts) */
  invalidProviders?: ReadonlyMap<string, string>;
}

export type RefOutcome =
  | { ok: true; ref: SecretRef; value: unknown; elapsedMs: number }
  | { ok: false; ref: SecretRef; error: SecretResolutionError; elapsedMs: number; skipped?: boolean };

/** What one provider answers for a batch of ids; a provider-wide failure is thrown instead. */
export interface ProviderBatchResult {
  /** id -> raw value */
  values: Map<string, unknown>;
  /** id -> error for that id alone */
  refErrors: Map<string, SecretResolutionError>;
}

/** One ref's outcome as the user may see it (CLI and editor): masked, never the value. */
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
