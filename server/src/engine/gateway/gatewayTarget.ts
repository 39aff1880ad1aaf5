// Which gateway a client talks to and with which credential, by OpenClaw's documented contract
// (docs/gateway/remote.md "Credential precedence", docs/gateway/index.md port precedence). A credential
// that is itself a SecretRef is resolved through our own provider engine. Credentials never leave this
// module except inside the returned target, which callers must not print.
import { isRecord } from '../config/jsonValue';
import { coerceSecretRef, secretRefKey, type SecretDefaults } from '../refs/secretRef';
import { resolveRefs } from '../resolve';
import { readConfigSecrets } from '../config/secretsConfig';

export const DEFAULT_GATEWAY_PORT = 18789;

export interface GatewayTargetOptions {
  /** --url */
  url?: string;
  /** --port */
  port?: string;
  /** --token */
  token?: string;
  /** --password */
  password?: string;
}

export interface GatewayTargetContext {
  /** the parsed openclaw.json (undefined when there is none) */
  config: unknown;
  configPath: string;
  /** the environment OpenClaw would see (process env plus the state dir's .env) */
  env: NodeJS.ProcessEnv;
  /** exec SecretRefs for the credential run only with consent */
  allowExec: boolean;
}

export type GatewayTargetSource =
  'cli --url' | 'env OPENCLAW_GATEWAY_URL' | 'config gateway.remote.url' | 'local loopback';

export interface GatewayTarget {
  url: string;
  source: GatewayTargetSource;
  configPath: string;
  /** where the credential came from (a flag, an env var name or a config path), never the credential */
  credentialSource?: string;
  token?: string;
  password?: string;
  /** gateway.remote.tlsFingerprint, for wss:// with a pinned self-signed certificate */
  tlsFingerprint?: string;
}

/** A bad target or credential: the message names paths, flags and ref keys, never a value. */
export class GatewayTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayTargetError';
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function portFrom(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value).trim()) ? Number(String(value).trim()) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new GatewayTargetError(`${what} must be a port number between 1 and 65535.`);
  return n;
}

function checkUrl(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GatewayTargetError(`${what} is not a URL; expected ws://host:port or wss://host:port.`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
    throw new GatewayTargetError(`${what} must use ws:// or wss:// (got ${parsed.protocol}//).`);
  if (parsed.username || parsed.password)
    throw new GatewayTargetError(`${what} must not carry credentials; use --token or --password.`);
  return url;
}

/** One config credential: a string as is, a SecretRef (object or ${VAR}) resolved through the engine. */
async function configCredential(
  config: unknown,
  pathSegments: string[],
  ctx: GatewayTargetContext,
): Promise<string | undefined> {
  let node: unknown = config;
  for (const segment of pathSegments) node = isRecord(node) && Object.hasOwn(node, segment) ? node[segment] : undefined;
  if (node === undefined || node === null || node === '') return undefined;
  const input = readConfigSecrets(config);
  const ref = coerceSecretRef(node, input.defaults as SecretDefaults | undefined);
  const where = pathSegments.join('.');
  if (!ref) {
    if (typeof node === 'string') return node;
    throw new GatewayTargetError(`${where} is neither a string nor a SecretRef.`);
  }
  if (ref.source === 'exec' && !ctx.allowExec) {
    throw new GatewayTargetError(
      `${where} is an exec SecretRef (${secretRefKey(ref)}); pass --allow-exec to run its provider, or pass --token/--password.`,
    );
  }
  const outcomes = await resolveRefs([ref], input, { env: ctx.env, allowExec: ctx.allowExec });
  const outcome = outcomes.get(secretRefKey(ref));
  if (!outcome || !outcome.ok) {
    const reason = outcome && !outcome.ok ? outcome.error.message : 'no outcome';
    throw new GatewayTargetError(`cannot resolve ${where} (${secretRefKey(ref)}): ${reason}`);
  }
  if (typeof outcome.value !== 'string' || !outcome.value)
    throw new GatewayTargetError(`${where} (${secretRefKey(ref)}) did not resolve to a non-empty string.`);
  return outcome.value;
}

/**
 * The gateway URL and credential, in OpenClaw's order: an explicit --url takes only explicit
 * credentials; OPENCLAW_GATEWAY_URL only env credentials; remote mode prefers gateway.remote.*; local
 * mode prefers gateway.auth.* over OPENCLAW_GATEWAY_TOKEN/PASSWORD over gateway.remote.*.
 */
export async function resolveGatewayTarget(
  opts: GatewayTargetOptions,
  ctx: GatewayTargetContext,
): Promise<GatewayTarget> {
  const gateway = isRecord(ctx.config) && isRecord(ctx.config.gateway) ? ctx.config.gateway : {};
  const auth = isRecord(gateway.auth) ? gateway.auth : {};
  const remote = isRecord(gateway.remote) ? gateway.remote : {};
  const tls = isRecord(gateway.tls) ? gateway.tls : {};
  const mode = text(gateway.mode) ?? 'local';
  const base = { configPath: ctx.configPath };
  const explicit = (): Pick<GatewayTarget, 'token' | 'password' | 'credentialSource'> => ({
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.password ? { password: opts.password } : {}),
    credentialSource: opts.token ? '--token' : opts.password ? '--password' : undefined,
  });

  if (opts.url !== undefined) {
    const url = checkUrl(opts.url.trim(), '--url');
    if (!opts.token && !opts.password) {
      throw new GatewayTargetError(
        '--url needs explicit credentials: pass --token or --password with it (a --url never reuses config or env credentials).',
      );
    }
    return { ...base, url, source: 'cli --url', ...explicit() };
  }

  const envUrl = text(ctx.env.OPENCLAW_GATEWAY_URL);
  if (envUrl) {
    const url = checkUrl(envUrl, 'OPENCLAW_GATEWAY_URL');
    if (opts.token || opts.password) return { ...base, url, source: 'env OPENCLAW_GATEWAY_URL', ...explicit() };
    const token = text(ctx.env.OPENCLAW_GATEWAY_TOKEN);
    const password = text(ctx.env.OPENCLAW_GATEWAY_PASSWORD);
    return {
      ...base,
      url,
      source: 'env OPENCLAW_GATEWAY_URL',
      ...(token ? { token } : {}),
      ...(password ? { password } : {}),
      credentialSource: token ? 'OPENCLAW_GATEWAY_TOKEN' : password ? 'OPENCLAW_GATEWAY_PASSWORD' : undefined,
    };
  }

  const remoteUrl = mode === 'remote' ? text(remote.url) : undefined;
  let url: string;
  let source: GatewayTargetSource;
  let tlsFingerprint: string | undefined;
  if (remoteUrl) {
    url = checkUrl(remoteUrl, 'gateway.remote.url');
    source = 'config gateway.remote.url';
    tlsFingerprint = text(remote.tlsFingerprint);
  } else {
    const port =
      portFrom(opts.port, '--port') ??
      portFrom(ctx.env.OPENCLAW_GATEWAY_PORT, 'OPENCLAW_GATEWAY_PORT') ??
      portFrom(gateway.port, 'gateway.port') ??
      DEFAULT_GATEWAY_PORT;
    // Every gateway.bind mode also listens on 127.0.0.1 for same-host clients (docs/gateway/config-gateway.md).
    url = `${tls.enabled === true ? 'wss' : 'ws'}://127.0.0.1:${port}`;
    source = 'local loopback';
  }
  const withTarget = { ...base, url, source, ...(tlsFingerprint ? { tlsFingerprint } : {}) };
  if (opts.token || opts.password) return { ...withTarget, ...explicit() };

  // Each candidate is tried in order; a SecretRef is resolved only when reached.
  type Candidate = { kind: 'token' | 'password'; from: string; get: () => Promise<string | undefined> };
  const fromConfig = (kind: 'token' | 'password', segments: string[]): Candidate => ({
    kind,
    from: segments.join('.'),
    get: () => configCredential(ctx.config, segments, ctx),
  });
  const fromEnv = (kind: 'token' | 'password', name: string): Candidate => ({
    kind,
    from: name,
    get: async () => text(ctx.env[name]),
  });
  const authMode = text(auth.mode);
  const tokenChain = remoteUrl
    ? [
        fromConfig('token', ['gateway', 'remote', 'token']),
        fromEnv('token', 'OPENCLAW_GATEWAY_TOKEN'),
        fromConfig('token', ['gateway', 'auth', 'token']),
      ]
    : [
        fromConfig('token', ['gateway', 'auth', 'token']),
        fromEnv('token', 'OPENCLAW_GATEWAY_TOKEN'),
        fromConfig('token', ['gateway', 'remote', 'token']),
      ];
  const passwordChain = remoteUrl
    ? [
        fromEnv('password', 'OPENCLAW_GATEWAY_PASSWORD'),
        fromConfig('password', ['gateway', 'remote', 'password']),
        fromConfig('password', ['gateway', 'auth', 'password']),
      ]
    : [
        fromConfig('password', ['gateway', 'auth', 'password']),
        fromEnv('password', 'OPENCLAW_GATEWAY_PASSWORD'),
        fromConfig('password', ['gateway', 'remote', 'password']),
      ];
  // The auth mode says which secret the gateway checks; try that kind first.
  const chain = authMode === 'password' ? [...passwordChain, ...tokenChain] : [...tokenChain, ...passwordChain];
  for (const candidate of chain) {
    const value = await candidate.get();
    if (value) return { ...withTarget, [candidate.kind]: value, credentialSource: candidate.from };
  }
  if (authMode === 'none') return withTarget;
  throw new GatewayTargetError(
    'no gateway credentials: set gateway.auth.token (or password) in the config, OPENCLAW_GATEWAY_TOKEN / OPENCLAW_GATEWAY_PASSWORD, or pass --token/--password.',
  );
}
