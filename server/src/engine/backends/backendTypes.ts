// What a secret backend is to the move flow: a probe (usable here? why not), a store step that hands the
// value to the backend's own CLI on stdin, and the ref (plus, for exec backends, the provider) that reads it back.
import { OpenClawSecretsError } from '../../../../shared/src/errors';
import type { ConfigLocation } from '../config/configLocation';
import type { ProviderConfig, SecretRef } from '../refs/secretRef';

/** The steps of a move, named in every failure so the user knows how far it got. */
export type MoveStep = 'read' | 'probe' | 'check' | 'store' | 'wrapper' | 'verify' | 'apply';

export interface BackendContext {
  location: ConfigLocation;
  /** the environment the backend's CLI runs with (PATH finds the tools; HOME/GNUPGHOME etc. pass through) */
  env: NodeJS.ProcessEnv;
  /** the parsed openclaw.json as it is now */
  config: unknown;
  /** deadline for each child process we start */
  timeoutMs: number;
}

export interface BackendProbe {
  usable: boolean;
  /** why not, naming the tool or the step (never a value) */
  reason?: string;
  /** the absolute path of the CLI the backend uses, when found */
  tool?: string;
}

/** What the backend already holds under a name: nothing, the same value, another value, or it cannot tell. */
export type ExistingEntry = 'absent' | 'same' | 'different' | 'unknown';

export interface SecretBackend {
  /** stable id for flags and commands: `openclaw-store`, `pass`, `secret-service`, ... */
  readonly id: string;
  /** what the quick fix says after "Move to " */
  readonly label: string;
  readonly source: SecretRef['source'];
  probe(ctx: BackendContext): Promise<BackendProbe>;
  /** the ref the field will hold for an entry name */
  refFor(name: string, ctx: BackendContext): SecretRef;
  /** the name a field's value goes under unless the user picks one */
  suggestName(fieldPath: readonly (string | number)[]): string;
  /** checks a name before anything is written (syntax, backend rules); returns the problem or undefined */
  nameProblem(name: string): string | undefined;
  /** whether `name` already holds something, compared in memory (a different value must not be overwritten) */
  existing(name: string, value: string, ctx: BackendContext): Promise<ExistingEntry>;
  /** hand the value to the backend (stdin only); throws BackendStepError('store', ...) */
  store(name: string, value: string, ctx: BackendContext): Promise<void>;
  /**
   * read the value back where the generic resolver cannot see it in this runtime (the store on Node 20);
   * `same` proves the backend holds it. Undefined: the flow resolves the ref through our resolvers.
   */
  readBack?(name: string, value: string, ref: SecretRef, ctx: BackendContext): Promise<ReadBack | undefined>;
  /** exec backends: write the wrapper and return the provider to declare; store backends return undefined */
  provider?(ctx: BackendContext): Promise<{ alias: string; config: ProviderConfig } | undefined>;
}

export interface ReadBack {
  state: ExistingEntry;
  problem?: string;
}

/** A failure inside one step; the move flow turns it into a MoveError naming the backend and the step. */
export class BackendStepError extends OpenClawSecretsError {
  constructor(
    readonly step: MoveStep,
    message: string,
  ) {
    super(message, 'BACKEND_STEP_FAILED');
  }
}

/** A move that did not happen: the config is untouched; the message names the backend, the step and why. */
export class MoveError extends OpenClawSecretsError {
  constructor(
    readonly step: MoveStep,
    readonly backendId: string,
    message: string,
  ) {
    super(message, 'MOVE_FAILED');
  }
}
