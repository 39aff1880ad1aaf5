// The running gateway, for the editor: is it reachable, and `secrets.reload` on it. A thin adapter over
// engine/gateway; the target and credential come from the config the request names (the editor's text),
// its .env and the server's environment. Results carry the URL and OpenClaw's reason, never a credential.
import { ResponseError, ErrorCodes } from 'vscode-languageserver/node';
import { callGateway, GatewayCallError } from '../engine/gateway/gatewayCall';
import { GatewayTargetError, resolveGatewayTarget, type GatewayTarget } from '../engine/gateway/gatewayTarget';
import { describeReloadFailure, reloadGatewaySecrets } from '../engine/gateway/secretsReload';
import { describeRefsFailingHere, refsFailingHere } from '../engine/gateway/reloadDiagnosis';
import type { GatewayParams, GatewayReloadResult, GatewayStatusResult } from '../protocol';
import { uriToPath, type DocumentStore } from './documents';
import { resolutionEnv } from './resolutionState';

/** A probe is a quick question; a reload gets OpenClaw's own default budget. */
export const GATEWAY_PROBE_TIMEOUT_MS = 5_000;
export const GATEWAY_RELOAD_TIMEOUT_MS = 30_000;

export interface GatewayContext {
  store: DocumentStore;
  env: NodeJS.ProcessEnv;
}

type TargetOrProblem =
  | { ok: true; target: GatewayTarget; config: unknown; env: NodeJS.ProcessEnv }
  | { ok: false; url: string; message: string };

// The argument was checked against its schema by the handler table (requestParams.ts) before it got here.
async function targetFor(ctx: GatewayContext, { uri }: GatewayParams): Promise<TargetOrProblem> {
  const configPath = uriToPath(uri);
  if (!configPath) throw new ResponseError(ErrorCodes.InvalidParams, `not a file URI: ${uri}`);
  const location = ctx.store.locationFor(uri);
  const config = ctx.store.configFor(uri);
  if (!location || !config) throw new ResponseError(ErrorCodes.InvalidParams, `cannot read ${configPath}`);
  if (config.syntaxError)
    return {
      ok: false,
      url: '',
      message: `${configPath} does not parse (line ${config.syntaxError.line}); cannot tell which gateway it names.`,
    };
  try {
    const env = resolutionEnv(ctx.env, ctx.store.dotEnvTextFor(location));
    // Exec providers never run for this: the editor asks no exec consent for a credential lookup.
    const target = await resolveGatewayTarget(
      {},
      { config: config.value, configPath: location.configPath, env, allowExec: false },
    );
    return { ok: true, target, config: config.value, env };
  } catch (err) {
    if (err instanceof GatewayTargetError) return { ok: false, url: '', message: err.message };
    throw err;
  }
}

export async function gatewayStatus(ctx: GatewayContext, params: GatewayParams): Promise<GatewayStatusResult> {
  const t = await targetFor(ctx, params);
  if (!t.ok) return { url: t.url, reachable: false, message: t.message };
  try {
    const { hello } = await callGateway(t.target, 'health', {}, { timeoutMs: GATEWAY_PROBE_TIMEOUT_MS });
    return {
      url: t.target.url,
      reachable: true,
      message: `OpenClaw gateway${hello.serverVersion ? ` ${hello.serverVersion}` : ''} at ${t.target.url} (protocol v${hello.protocol}).`,
    };
  } catch (err) {
    if (err instanceof GatewayCallError) return { url: t.target.url, reachable: false, message: err.message };
    throw err;
  }
}

export async function gatewayReload(ctx: GatewayContext, params: GatewayParams): Promise<GatewayReloadResult> {
  const t = await targetFor(ctx, params);
  if (!t.ok) return { url: t.url, state: 'unreachable', warningCount: 0, message: t.message };
  try {
    const { result } = await reloadGatewaySecrets(t.target, { timeoutMs: GATEWAY_RELOAD_TIMEOUT_MS });
    const message =
      result.warningCount > 0 ? `Secrets reloaded with ${result.warningCount} warning(s).` : 'Secrets reloaded.';
    return { url: t.target.url, state: 'ok', warningCount: result.warningCount, message };
  } catch (err) {
    if (!(err instanceof GatewayCallError)) throw err;
    // Only an answer from the gateway itself means it tried and kept its last-known-good snapshot.
    if (err.kind === 'rpc') {
      const local =
        t.target.source === 'local loopback'
          ? describeRefsFailingHere(await refsFailingHere(t.config, t.env, false))
          : '';
      return { url: t.target.url, state: 'failed', warningCount: 0, message: `${describeReloadFailure(err)}${local}` };
    }
    return { url: t.target.url, state: 'unreachable', warningCount: 0, message: err.message };
  }
}
