// When the gateway rejects a reload it answers only "secrets.reload failed" (the reason stays in its log).
// Resolving the same config with our engine names the refs that fail here: paths, ref keys and reasons,
// never a value. Exec refs are checked only with consent.
import { resolveConfigRefs } from '../resolve/resolveConfig';

export async function refsFailingHere(config: unknown, env: NodeJS.ProcessEnv, allowExec: boolean): Promise<string[]> {
  if (config === undefined) return [];
  const report = await resolveConfigRefs(config, { env, allowExec });
  return report.results
    .filter((r) => !r.ok && !r.skipped)
    .map((r) => `${r.path} (${r.refKey}): ${r.message ?? r.code ?? 'unresolved'}`);
}

/** The line appended to a failed reload's message, or '' when every ref resolves here. */
export function describeRefsFailingHere(failures: readonly string[]): string {
  return failures.length ? ` Resolving the same config here, these refs fail: ${failures.join('; ')}` : '';
}
