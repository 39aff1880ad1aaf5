// Cloud CLIs for the move tests. Vault and Azure are stand-ins (test/fixtures/cloud-cli/, labelled as such,
// replaying the vendors' documented outputs) with a stateful store in the test's temp dir and a login
// switch; AWS is Debian's real /usr/bin/aws (behind a shim that logs its argv) against a local endpoint
// speaking Secrets Manager's JSON protocol and STS's query protocol.
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { REPO_ROOT } from '../compat/oracle';
import type { MoveError } from '../../server/src/engine/backends/backendTypes';
import { moveRefusal } from './backendSandbox';

export const AWS_CLI = '/usr/bin/aws';
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'cloud-cli');

/** A stand-in CLI at `<binDir>/<tool>/<tool>`, run by an absolute node; its store (secrets.json) beside it. */
export function installStandIn(binDir: string, tool: string, secrets: Record<string, string> = {}): string {
  const dir = path.join(binDir, tool);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.copyFileSync(path.join(FIXTURES, 'standin-lib.js'), path.join(dir, 'standin-lib.js'));
  const target = path.join(dir, tool);
  const body = fs.readFileSync(path.join(FIXTURES, `${tool}.js`), 'utf8');
  fs.writeFileSync(target, `#!${fs.realpathSync(process.execPath)}\n${body}`, { mode: 0o700 });
  // base64: the shared /tmp is scanned for canaries, and a stand-in's store is not encrypted like a real one.
  const encoded = Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  fs.writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify(encoded), { mode: 0o600 });
  return target;
}

/** `aws` in `<binDir>/aws/`: logs its argv, then runs the real CLI. */
export function installAwsShim(binDir: string): string {
  const dir = path.join(binDir, 'aws');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, 'aws');
  const log = path.join(dir, 'argv.log');
  fs.writeFileSync(target, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec ${AWS_CLI} "$@"\n`, { mode: 0o700 });
  return target;
}

export function standInDir(binDir: string, tool: string): string {
  return path.join(binDir, tool);
}

/** The stand-in's store, decoded. */
export function standInStore(binDir: string, tool: string): Record<string, string> {
  const raw = JSON.parse(fs.readFileSync(path.join(binDir, tool, 'secrets.json'), 'utf8')) as Record<string, string>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** Every argv the CLI at `<binDir>/<tool>/` was called with, as text lines. */
export function argvLog(binDir: string, tool: string): string {
  const file = path.join(binDir, tool, 'argv.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

export function setLoggedIn(binDir: string, tool: string, loggedIn: boolean): void {
  const file = path.join(binDir, tool, 'logged-out');
  if (loggedIn) fs.rmSync(file, { force: true });
  else fs.writeFileSync(file, '');
}

export function setStoreMode(binDir: string, tool: string, mode: 'ok' | 'fail' | 'mangle'): void {
  const file = path.join(binDir, tool, 'store-mode');
  if (mode === 'ok') fs.rmSync(file, { force: true });
  else fs.writeFileSync(file, mode);
}

/** A move that must be refused while the stand-in's store fails or mangles: its refusal; the mode is reset after. */
export async function refusalWhileStore(
  binDir: string,
  tool: string,
  mode: 'fail' | 'mangle',
  move: () => Promise<unknown>,
): Promise<MoveError> {
  setStoreMode(binDir, tool, mode);
  try {
    return await moveRefusal(move());
  } finally {
    setStoreMode(binDir, tool, 'ok');
  }
}

export interface AwsCall {
  accessKeyId: string;
  target: string;
  body: Record<string, unknown>;
}

export interface AwsEndpoint {
  url: string;
  calls: AwsCall[];
  secrets: Map<string, string>;
  /** STS answers InvalidClientTokenId (the credentials are not valid) */
  loggedOut: boolean;
  close(): Promise<void>;
}

/** Secrets Manager (JSON 1.1: X-Amz-Target, errors with __type) and STS GetCallerIdentity (query, XML). */
export async function startAwsEndpoint(): Promise<AwsEndpoint> {
  const state: Omit<AwsEndpoint, 'url' | 'close'> = { calls: [], secrets: new Map(), loggedOut: false };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString('utf8')));
    req.on('end', () => {
      const accessKeyId = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target && /Action=GetCallerIdentity/.test(raw)) {
        state.calls.push({ accessKeyId, target: 'sts.GetCallerIdentity', body: {} });
        res.writeHead(state.loggedOut ? 403 : 200, { 'content-type': 'text/xml' });
        res.end(
          state.loggedOut
            ? '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>0</RequestId></ErrorResponse>'
            : '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ocs-test</Arn><UserId>AIDAOCSTEST</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>0</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
        );
        return;
      }
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      state.calls.push({ accessKeyId, target, body });
      const id = String(body.SecretId ?? body.Name ?? '');
      const reply = (status: number, doc: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(doc));
      };
      const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}-AbCdEf`;
      if (target === 'secretsmanager.CreateSecret') {
        if (state.secrets.has(id))
          return reply(400, {
            __type: 'ResourceExistsException',
            Message: `The operation failed because the secret ${id} already exists.`,
          });
        state.secrets.set(id, String(body.SecretString));
        return reply(200, { ARN: arn, Name: id });
      }
      if (target === 'secretsmanager.GetSecretValue') {
        const value = state.secrets.get(id);
        if (value === undefined)
          return reply(400, {
            __type: 'ResourceNotFoundException',
            Message: "Secrets Manager can't find the specified secret.",
          });
        return reply(200, { ARN: arn, Name: id, SecretString: value, VersionStages: ['AWSCURRENT'] });
      }
      return reply(400, { __type: 'InvalidAction', Message: `not replayed here: ${target}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
