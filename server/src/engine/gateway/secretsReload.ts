// `secrets.reload` on the running gateway: it re-resolves every SecretRef and swaps its runtime snapshot
// atomically; on a strict failure it keeps the last-known-good snapshot and answers an error.
import * as z from 'zod/mini';
import { callGateway, GatewayCallError, type GatewayHelloSummary } from './gatewayCall';
import type { GatewayTarget } from './gatewayTarget';

export const SECRETS_RELOAD_METHOD = 'secrets.reload';
export const DEFAULT_GATEWAY_TIMEOUT_MS = 30_000;

/** What the gateway answers on success (extra fields are kept out: we print only these). */
const reloadResultSchema = z.object({
  ok: z.literal(true),
  warningCount: z.optional(z.number().check(z.int(), z.nonnegative())),
});

export interface SecretsReloadResult {
  ok: true;
  warningCount: number;
}

export async function reloadGatewaySecrets(
  target: GatewayTarget,
  opts: { timeoutMs: number; expectFinal?: boolean; clientVersion?: string },
): Promise<{ result: SecretsReloadResult; hello: GatewayHelloSummary }> {
  const { result, hello } = await callGateway<unknown>(target, SECRETS_RELOAD_METHOD, {}, opts);
  const parsed = reloadResultSchema.safeParse(result);
  if (!parsed.success)
    throw new GatewayCallError(
      'protocol',
      `The gateway at ${target.url} answered ${SECRETS_RELOAD_METHOD} with an unexpected result shape.`,
    );
  return { result: { ok: true, warningCount: parsed.data.warningCount ?? 0 }, hello };
}

/** The one line a person reads when a reload fails: for a gateway-side failure, what the gateway kept. */
export function describeReloadFailure(err: GatewayCallError): string {
  if (err.kind === 'rpc')
    return `The gateway rejected the reload and stays on its last-known-good secrets snapshot. OpenClaw's reason: ${err.message}`;
  return err.message;
}

/** Parses --timeout as OpenClaw does: milliseconds, a positive integer. */
export function parseTimeoutMs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_GATEWAY_TIMEOUT_MS;
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new RangeError(`--timeout must be a positive number of milliseconds (got "${value}").`);
  return n;
}
