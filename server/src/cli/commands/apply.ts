import { CliError, type CliIo } from '../io';

// Placeholder until the command lands: says so plainly and exits non-zero.
export async function runApply(_io: CliIo): Promise<number> {
  throw new CliError('apply is not implemented yet', 1);
}
