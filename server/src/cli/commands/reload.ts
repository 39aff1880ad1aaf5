import { CliError, type CliIo } from '../io';

// Placeholder until the command lands: says so plainly and exits non-zero.
export async function runReload(_io: CliIo): Promise<number> {
  throw new CliError('reload is not implemented yet', 1);
}
