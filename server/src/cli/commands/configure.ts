import { CliError, type CliIo } from '../io';

// Placeholder until the command lands: says so plainly and exits non-zero.
export async function runConfigure(_io: CliIo): Promise<number> {
  throw new CliError('configure is not implemented yet', 1);
}
