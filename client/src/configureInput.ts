// What the configure flow's prompts accept, by the shared SecretRef contract (no vscode here, so tests
// check it in plain Node): an input box shows the returned message, undefined means accepted.
import { checkRefId, isValidProviderAlias, MESSAGES, type SecretSource } from '../../shared/src/secretRefContract';

export function providerAliasProblem(alias: string): string | undefined {
  return isValidProviderAlias(alias) ? undefined : MESSAGES.providerAlias;
}

export function refIdProblem(id: string, source: SecretSource): string | undefined {
  return checkRefId(source, id);
}

/** Provider paths and commands: absolute, or under the home folder (`~/`), which OpenClaw expands. */
export function absolutePathProblem(value: string): string | undefined {
  return value.startsWith('/') || value.startsWith('~/') || /^[A-Za-z]:[\\/]/.test(value)
    ? undefined
    : 'must be an absolute path';
}

/** A cloud backend's option as typed (region, vault name): required, and matching the recipe's pattern. */
export function backendOptionProblem(value: string, option: { label: string; pattern: string }): string | undefined {
  if (!value.trim()) return `${option.label} is required`;
  return new RegExp(option.pattern).test(value.trim()) ? undefined : `${option.label} must match ${option.pattern}`;
}
