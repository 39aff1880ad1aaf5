// One RPC to a running OpenClaw gateway over OpenClaw's own published client (@openclaw/gateway-client,
// protocol v4 from @openclaw/gateway-protocol): connect, wait for hello-ok, one request, close. One
// deadline covers all of it; the client's automatic reconnects are cut off at the first failure.
// Every message we build is scrubbed of the credential.
import type { GatewayTarget } from './gatewayTarget';

export type GatewayFailureKind = 'unreachable' | 'tls' | 'auth' | 'protocol' | 'timeout' | 'closed' | 'config' | 'rpc';

/** A failed gateway call: what kind, OpenClaw's reason where the gateway gave one, never a credential. */
export class GatewayCallError extends Error {
  constructor(
    readonly kind: GatewayFailureKind,
    message: string,
    /** the gateway's error code (e.g. UNAVAILABLE, INVALID_REQUEST) or details.code, when it answered */
    readonly gatewayCode?: string,
  ) {
    super(message);
    this.name = 'GatewayCallError';
  }
}

export interface GatewayCallOptions {
  /** the whole call: connect, handshake and the request */
  timeoutMs: number;
  expectFinal?: boolean;
  /** our version, sent as client.version */
  clientVersion?: string;
}

export interface GatewayHelloSummary {
  protocol: number;
  serverVersion?: string;
  methods: string[];
}

const TLS_CODES = new Set([
  'EPROTO',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ECONNRESET_TLS',
]);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'EAI_AGAIN',
]);

/** Replaces every occurrence of the credential (and its URL-encoded form) with ***. */
export function scrubCredential(message: string, target: Pick<GatewayTarget, 'token' | 'password'>): string {
  let out = message;
  for (const secret of [target.token, target.password]) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function detailCode(err: unknown): string | undefined {
  const details = typeof err === 'object' && err !== null ? (err as { details?: unknown }).details : undefined;
  const code = typeof details === 'object' && details !== null ? (details as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** Sorts a connect-time failure into a kind with a message that says what to do. */
export function classifyConnectError(err: unknown, target: GatewayTarget): GatewayCallError {
  const raw = err instanceof Error ? err.message : String(err);
  const code = errorCode(err);
  const detail = detailCode(err);
  const gatewayCode =
    typeof (err as { gatewayCode?: unknown })?.gatewayCode === 'string'
      ? (err as { gatewayCode: string }).gatewayCode
      : undefined;
  if (gatewayCode) {
    if (detail === 'PROTOCOL_MISMATCH' || /protocol mismatch/i.test(raw)) {
      return new GatewayCallError(
        'protocol',
        `The gateway at ${target.url} does not speak protocol v4 (this client's version): ${raw}`,
        detail ?? gatewayCode,
      );
    }
    if (detail?.startsWith('AUTH_') || /unauthori[sz]ed/i.test(raw)) {
      return new GatewayCallError(
        'auth',
        `The gateway at ${target.url} refused the credential${target.credentialSource ? ` from ${target.credentialSource}` : ''}: ${raw}`,
        detail ?? gatewayCode,
      );
    }
    return new GatewayCallError(
      'closed',
      `The gateway at ${target.url} refused the connection: ${raw}`,
      detail ?? gatewayCode,
    );
  }
  if (code && UNREACHABLE_CODES.has(code)) {
    return new GatewayCallError(
      'unreachable',
      `No gateway reachable at ${target.url} (${code}). Is it running? Start it with 'openclaw gateway run'.`,
      code,
    );
  }
  if ((code && TLS_CODES.has(code)) || /SSL|TLS|certificate|fingerprint/i.test(raw)) {
    const hint = /wrong version number|packet length too long/i.test(raw)
      ? `the listener does not speak TLS: use ws:// instead of wss://`
      : /self[- ]signed|unable to verify|fingerprint/i.test(raw)
        ? `the certificate is not trusted: pin it with gateway.remote.tlsFingerprint or use a trusted certificate`
        : 'TLS handshake failed';
    return new GatewayCallError(
      'tls',
      `TLS to the gateway at ${target.url} failed (${hint}): ${raw.split('\n')[0].trim()}`,
      code,
    );
  }
  if (
    /plaintext ws:\/\/|requires wss:\/\/|fingerprint/i.test(raw) ||
    err?.constructor?.name === 'GatewayWebSocketTransportConfigurationError'
  ) {
    return new GatewayCallError('config', raw, code);
  }
  return new GatewayCallError('closed', `The connection to the gateway at ${target.url} failed: ${raw}`, code);
}

type GatewayClientModule = typeof import('@openclaw/gateway-client', { with: { 'resolution-mode': 'import' } });
type ProtocolVersionModule = typeof import('@openclaw/gateway-protocol/version', {
  with: { 'resolution-mode': 'import' },
});
let modules: Promise<[GatewayClientModule, ProtocolVersionModule]> | undefined;
function loadModules(): Promise<[GatewayClientModule, ProtocolVersionModule]> {
  // ESM-only packages: loaded once, on first use (the CLI's other commands never pay for them).
  modules ??= Promise.all([import('@openclaw/gateway-client'), import('@openclaw/gateway-protocol/version')]);
  return modules;
}

/**
 * Connects, checks the negotiated protocol, sends one request and closes. Resolves with the result, or
 * rejects with a GatewayCallError within timeoutMs (plus the client's short close grace).
 */
export async function callGateway<T = unknown>(
  target: GatewayTarget,
  method: string,
  params: unknown,
  opts: GatewayCallOptions,
): Promise<{ result: T; hello: GatewayHelloSummary }> {
  const [{ GatewayClient }, { PROTOCOL_VERSION }] = await loadModules();
  const scrub = (e: GatewayCallError) =>
    new GatewayCallError(e.kind, scrubCredential(e.message, target), e.gatewayCode);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let settled = false;
    let client: InstanceType<GatewayClientModule['GatewayClient']> | undefined;
    const finish = (
      outcome: { ok: true; value: { result: T; hello: GatewayHelloSummary } } | { ok: false; error: GatewayCallError },
    ) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      // Close the socket and cancel reconnects before answering: nothing of ours is left running.
      const stopped = client ? client.stopAndWait({ timeoutMs: 500 }).catch(() => undefined) : Promise.resolve();
      void stopped.then(() => {
        if (outcome.ok) resolve(outcome.value);
        else reject(scrub(outcome.error));
      });
    };
    const deadline = setTimeout(() => {
      finish({
        ok: false,
        error: new GatewayCallError(
          'timeout',
          `The gateway at ${target.url} did not answer within ${opts.timeoutMs}ms (--timeout).`,
        ),
      });
    }, opts.timeoutMs);
    try {
      client = new GatewayClient({
        url: target.url,
        ...(target.token ? { token: target.token } : {}),
        ...(target.password ? { password: target.password } : {}),
        ...(target.tlsFingerprint ? { tlsFingerprint: target.tlsFingerprint } : {}),
        clientVersion: opts.clientVersion ?? '0.1.0',
        clientDisplayName: 'openclaw-secrets',
        minProtocol: PROTOCOL_VERSION,
        maxProtocol: PROTOCOL_VERSION,
        connectChallengeTimeoutMs: opts.timeoutMs,
        requestTimeoutMs: opts.timeoutMs,
        // The library's logs may quote frames; we report failures ourselves, scrubbed.
        hostDeps: { logDebug: () => undefined, logError: () => undefined },
        onHelloOk: (hello) => {
          if (settled) return;
          if (hello.protocol !== PROTOCOL_VERSION) {
            finish({
              ok: false,
              error: new GatewayCallError(
                'protocol',
                `The gateway at ${target.url} answered with protocol v${String(hello.protocol)}; this client speaks v${PROTOCOL_VERSION} only.`,
                'PROTOCOL_MISMATCH',
              ),
            });
            return;
          }
          const summary: GatewayHelloSummary = {
            protocol: hello.protocol,
            ...(typeof hello.server?.version === 'string' ? { serverVersion: hello.server.version } : {}),
            methods: Array.isArray(hello.features?.methods)
              ? hello.features.methods.filter((m): m is string => typeof m === 'string')
              : [],
          };
          const remaining = Math.max(1, opts.timeoutMs - (Date.now() - started));
          client!
            .request<T>(method, params, { timeoutMs: remaining, ...(opts.expectFinal ? { expectFinal: true } : {}) })
            .then(
              (result) => finish({ ok: true, value: { result, hello: summary } }),
              (err: unknown) => {
                const gatewayCode =
                  typeof (err as { gatewayCode?: unknown })?.gatewayCode === 'string'
                    ? (err as { gatewayCode: string }).gatewayCode
                    : undefined;
                const message = err instanceof Error ? err.message : String(err);
                if (errorCode(err) === 'CLIENT_TIMEOUT')
                  finish({
                    ok: false,
                    error: new GatewayCallError(
                      'timeout',
                      `The gateway at ${target.url} did not answer ${method} within ${opts.timeoutMs}ms (--timeout).`,
                    ),
                  });
                else if (gatewayCode)
                  finish({ ok: false, error: new GatewayCallError('rpc', message, detailCode(err) ?? gatewayCode) });
                else
                  finish({
                    ok: false,
                    error: new GatewayCallError(
                      'closed',
                      `The gateway at ${target.url} closed before answering ${method}: ${message}`,
                    ),
                  });
              },
            );
        },
        onConnectError: (err) => finish({ ok: false, error: classifyConnectError(err, target) }),
        onClose: (code, reason, info) => {
          if (settled) return;
          const cause = info?.connectError;
          if (cause) finish({ ok: false, error: classifyConnectError(cause, target) });
          else
            finish({
              ok: false,
              error: new GatewayCallError(
                'closed',
                `The gateway at ${target.url} closed the connection (${code}${reason ? `: ${reason}` : ''}).`,
              ),
            });
        },
      });
      client.start();
    } catch (err) {
      finish({ ok: false, error: classifyConnectError(err, target) });
    }
  });
}
