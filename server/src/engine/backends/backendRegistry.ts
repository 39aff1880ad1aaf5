// Every backend the move flow knows, and the probe that orders them: usable ones first (quick fix,
// "Convert all", `configure --backend list`), each unusable one with the reason it gave.
import { openclawStoreBackend } from './openclawStoreBackend';
import { execRecipeBackend } from './execBackend';
import type { BackendContext, BackendProbe, SecretBackend } from './backendTypes';

// The local stores the flow can write and read back; cloud recipes need a login and the network.
const BACKENDS: SecretBackend[] = [
  openclawStoreBackend,
  execRecipeBackend('pass', 'pass'),
  execRecipeBackend('secret-tool', 'keyring'),
];

/** Add a backend (exec recipes register here); an id registered twice keeps the first. */
export function registerBackend(backend: SecretBackend): void {
  if (!BACKENDS.some((b) => b.id === backend.id)) BACKENDS.push(backend);
}

export function allBackends(): readonly SecretBackend[] {
  return BACKENDS;
}

export function backendById(id: string): SecretBackend | undefined {
  return BACKENDS.find((b) => b.id === id);
}

export interface ProbedBackend {
  backend: SecretBackend;
  probe: BackendProbe;
}

/** Probe all backends at once; usable first, registration order otherwise. A probe that throws is "not usable". */
export async function probeBackends(ctx: BackendContext): Promise<ProbedBackend[]> {
  const probed = await Promise.all(
    BACKENDS.map(async (backend) => {
      try {
        return { backend, probe: await backend.probe(ctx) };
      } catch (err) {
        return {
          backend,
          probe: { usable: false, reason: `probe failed (${err instanceof Error ? err.name : 'error'})` },
        };
      }
    }),
  );
  return [...probed.filter((p) => p.probe.usable), ...probed.filter((p) => !p.probe.usable)];
}
