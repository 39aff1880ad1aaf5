import { CliError, type CliIo } from '../io';

// Placeholder until the command lands: says so plainly and exits non-zero.
export async function runAudit(_io: CliIo): Promise<number> {
  throw new CliError('audit is not implemented yet', 1);
}
