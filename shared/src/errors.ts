// One error base for everything we throw on purpose: a stable code, and whether the message may be shown
// (ours are built from codes, paths and ref keys, never values). Anything else is shown by class only.

export class OpenClawSecretsError extends Error {
  readonly code: string;
  /** false for messages that could carry input text; those are replaced by the code */
  readonly safeToShow: boolean;
  constructor(message: string, code: string, options: { safeToShow?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.safeToShow = options.safeToShow ?? true;
  }
}

export interface ShownError {
  code: string;
  message: string;
}

/** What a user may see of any thrown thing: our message and code, or only the class of anything else. */
export function describeError(err: unknown, action = 'request'): ShownError {
  if (err instanceof OpenClawSecretsError)
    return err.safeToShow
      ? { code: err.code, message: err.message }
      : { code: err.code, message: `${action} failed (${err.code})` };
  const name = err instanceof Error ? err.name : typeof err;
  return { code: 'INTERNAL', message: `${action} failed (${name})` };
}
