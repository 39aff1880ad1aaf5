// `openclaw-secrets reload`: asks the running OpenClaw gateway to re-resolve its secrets (`secrets.reload`)
// over OpenClaw's own gateway client; same flags, env vars, output and exit codes as
// `openclaw secrets reload`, no `openclaw` binary needed. The credential is never printed.
import { auditEnvironment } from '../../engine/audit/audit';
import { locateConfig } from '../../engine/config/configLocation';
import { GatewayCallError } from '../../engine/gateway/gatewayCall';
import { GatewayTargetError, resolveGatewayTarget, type GatewayTarget } from '../../engine/gateway/gatewayTarget';
import { describeReloadFailure, parseTimeoutMs, reloadGatewaySecrets } from '../../engine/gateway/secretsReload';
import { describeRefsFailingHere, refsFailingHere } from '../../engine/gateway/reloadDiagnosis';
import { loadConfigFile } from '../../engine/config/stateFiles';
import { CliError, parseFlags, type CliIo } from '../io';

export const RELOAD_HELP = `Usage: openclaw-secrets reload [options]

Re-resolve secret references in the running OpenClaw gateway and atomically swap its runtime snapshot
(gateway RPC secrets.reload; on failure the gateway keeps its last-known-good snapshot)

Options:
  --allow-exec           Run an exec provider when the gateway credential is an exec SecretRef (default: false)
  --expect-final         Wait for final response (agent) (default: false)
  -h, --help             Display help for command
  --json                 Output JSON (default: false)
  --password <password>  Gateway password (if required)
  --port <port>          Local Gateway port
  --timeout <ms>         Timeout in ms (default: "30000")
  --token <token>        Gateway token (if required)
  --url <url>            Gateway WebSocket URL (defaults to gateway.remote.url when configured)

Target: --url, else OPENCLAW_GATEWAY_URL, else gateway.remote.url in remote mode, else
ws://127.0.0.1:<--port | OPENCLAW_GATEWAY_PORT | gateway.port | 18789> (wss:// with gateway.tls.enabled).
Credential: --token/--password, else gateway.auth.* / OPENCLAW_GATEWAY_TOKEN / OPENCLAW_GATEWAY_PASSWORD /
gateway.remote.* in OpenClaw's order; a SecretRef there is resolved through this tool's providers.
Exit codes: 0 reloaded (possibly with warnings), 1 failed.
`;

function targetLines(target: GatewayTarget): string {
  return `\nGateway target: ${target.url}\nSource: ${target.source}\nConfig: ${target.configPath}`;
}

export async function runReload(io: CliIo): Promise<number> {
  const argv = io.argv.map((a) => (a === '-h' ? '--help' : a));
  const { flags, positionals } = parseFlags(argv, {
    json: 'boolean',
    'expect-final': 'boolean',
    'allow-exec': 'boolean',
    help: 'boolean',
    url: 'string',
    token: 'string',
    password: 'string',
    port: 'string',
    timeout: 'string',
  });
  if (flags.help) {
    io.stdout(RELOAD_HELP);
    return 0;
  }
  if (positionals.length)
    throw new CliError(`too many arguments for 'reload'. Expected 0 arguments but got ${positionals.length}.`);
  const json = flags.json === true;
  const str = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const fail = (message: string): number => {
    if (json) io.stdout(`${JSON.stringify({ ok: false, error: { type: 'cli_error', message } }, null, 2)}\n`);
    else io.stderr(`Secrets reload failed: ${message}\n`);
    return 1;
  };

  let timeoutMs: number;
  try {
    timeoutMs = parseTimeoutMs(str('timeout'));
  } catch (err) {
    return fail((err as Error).message);
  }
  const location = locateConfig(io.env);
  const loaded = loadConfigFile(location.configPath);
  if (loaded.exists && !loaded.document)
    return fail(`cannot read ${location.configPath} (${loaded.readError ?? 'unreadable'})`);
  const syntax = loaded.document?.syntaxError;
  if (syntax) return fail(`${location.configPath}:${syntax.line}:${syntax.column}: ${syntax.message}`);

  let target: GatewayTarget;
  const env = auditEnvironment(location, io.env);
  const allowExec = flags['allow-exec'] === true;
  try {
    target = await resolveGatewayTarget(
      { url: str('url'), port: str('port'), token: str('token'), password: str('password') },
      { config: loaded.document?.value, configPath: location.configPath, env, allowExec },
    );
  } catch (err) {
    if (err instanceof GatewayTargetError) return fail(`${err.message}\nConfig: ${location.configPath}`);
    throw err;
  }
  try {
    const { result } = await reloadGatewaySecrets(target, { timeoutMs, expectFinal: flags['expect-final'] === true });
    if (json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else
      io.stdout(
        result.warningCount > 0 ? `Secrets reloaded with ${result.warningCount} warning(s).\n` : 'Secrets reloaded.\n',
      );
    return 0;
  } catch (err) {
    if (!(err instanceof GatewayCallError)) throw err;
    if (err.kind !== 'rpc') return fail(`${err.message}${targetLines(target)}`);
    // A local gateway reads this same config: name what fails here, as the gateway's log would.
    const local =
      target.source === 'local loopback'
        ? describeRefsFailingHere(await refsFailingHere(loaded.document?.value, env, allowExec))
        : '';
    return fail(`${describeReloadFailure(err)}${local}`);
  }
}
