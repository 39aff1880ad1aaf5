// Move plaintext fields of openclaw.json into a secret backend, one flow for the CLI and the editor:
// read -> probe -> check (never overwrite another value) -> store (stdin) -> wrapper/provider (exec)
// -> verify (read back through our resolvers, the ones audit and apply use; fingerprints must match)
// -> apply (the ordinary apply path: transaction, value-loss check, .env scrub). Any failure leaves
// openclaw.json untouched and names the step; no message carries a value.
import { readRegularFile } from '../config/readRegularFile';
import { findNode, parseConfigText, type PathSegment } from '../config/configDocument';
import type { ConfigLocation } from '../config/configLocation';
import { readConfigSecrets } from '../config/secretsConfig';
import { matchCredentialPath, formatConfigPath } from '../targets/targetRegistry';
import { classifyCredentialValue } from '../audit/auditClassify';
import { planTargetForPath } from '../plan/plan';
import { buildConfigurePlan } from '../plan/configure';
import { applySecretsPlan, ApplyError } from '../plan/apply';
import { resolveRefs } from '../resolve';
import { secretRefKey, type ProviderConfig, type SecretRef } from '../refs/secretRef';
import { fingerprint } from '../runtime/fingerprint';
import { OpenClawSecretsError } from '../../../../shared/src/errors';
import { BackendStepError, MoveError, type BackendContext, type MoveStep, type SecretBackend } from './backendTypes';

export interface MoveField {
  /** the field in openclaw.json, as segments */
  path: readonly PathSegment[];
  /** the entry name in the backend (default: the backend's suggestion for the path) */
  name?: string;
}

export interface MoveOptions {
  backend: SecretBackend;
  location: ConfigLocation;
  env: NodeJS.ProcessEnv;
  fields: readonly MoveField[];
  /** per child process (default 60 s: OpenClaw's CLI takes seconds to start) */
  timeoutMs?: number;
  /** told as each step starts (the CLI prints it, the editor shows progress) */
  onStep?: (step: MoveStep) => void;
}

export interface MovedField {
  path: string;
  name: string;
  refKey: string;
  /** `stored`: written now; `already-held`: the backend held the same value under that name */
  stored: 'stored' | 'already-held';
  /** of the value, as read back */
  fingerprint: string;
}

export interface MoveResult {
  backendId: string;
  moved: MovedField[];
  changedFiles: string[];
  /** the exec provider declared for the backend, if any */
  provider?: string;
}

interface PendingField {
  segments: string[];
  display: string;
  name: string;
  value: string;
  ref: SecretRef;
  stored?: MovedField['stored'];
}

const UNCHANGED = 'openclaw.json is unchanged';

function fail(backend: SecretBackend, step: MoveStep, why: string): never {
  throw new MoveError(step, backend.id, `Move to ${backend.label} failed at step "${step}": ${why}; ${UNCHANGED}.`);
}

/** Read each field's plaintext (in memory only) and the ref it will become. */
async function readFields(opts: MoveOptions, ctxBase: Omit<BackendContext, 'config'>) {
  const { backend } = opts;
  let text: string;
  try {
    text = await readRegularFile(opts.location.configPath);
  } catch (err) {
    fail(backend, 'read', err instanceof OpenClawSecretsError || err instanceof Error ? err.message : 'unreadable');
  }
  const doc = parseConfigText(text);
  if (!doc.root || doc.syntaxError) fail(backend, 'read', `${opts.location.configPath} does not parse`);
  const config = doc.value;
  const ctx: BackendContext = { ...ctxBase, config };
  const defaults = readConfigSecrets(config).defaults;
  const pending: PendingField[] = [];
  const byName = new Map<string, PendingField>();
  if (!opts.fields.length) fail(backend, 'read', 'no field to move');
  for (const field of opts.fields) {
    const segments = field.path.map(String);
    const display = formatConfigPath(field.path, config);
    const match = matchCredentialPath('openclaw.json', field.path);
    if (!match) fail(backend, 'read', `${display} is not a credential field`);
    const node = findNode(doc.root, field.path);
    const value = node?.type === 'string' ? (node.value as string) : undefined;
    if (value === undefined || classifyCredentialValue(value, match.target, defaults, field.path) !== 'plaintext')
      fail(backend, 'read', `${display} holds no plaintext to move`);
    const name = field.name ?? backend.suggestName(field.path);
    const problem = backend.nameProblem(name);
    if (problem) fail(backend, 'read', `entry name "${name}" for ${display}: ${problem}`);
    const ref = backend.refFor(name, ctx);
    if (!planTargetForPath(field.path, ref)) fail(backend, 'read', `${display} cannot be migrated by an apply plan`);
    const same = byName.get(name);
    if (same && same.value !== value)
      fail(backend, 'read', `${same.display} and ${display} hold different values but would share the name "${name}"`);
    const p: PendingField = { segments, display, name, value, ref };
    byName.set(name, p);
    pending.push(p);
  }
  return { ctx, pending, config };
}

function why(err: unknown): string {
  return err instanceof OpenClawSecretsError ? err.message : `unexpected ${err instanceof Error ? err.name : 'error'}`;
}

/** The whole flow; throws MoveError (config untouched) or returns what moved and which files changed. */
export async function moveToBackend(opts: MoveOptions): Promise<MoveResult> {
  const { backend } = opts;
  const ctxBase = { location: opts.location, env: opts.env, timeoutMs: opts.timeoutMs ?? 60_000 };
  opts.onStep?.('read');
  const { ctx, pending, config } = await readFields(opts, ctxBase);

  opts.onStep?.('probe');
  const probe = await backend.probe(ctx);
  if (!probe.usable) fail(backend, 'probe', `${backend.label} is not usable here: ${probe.reason ?? 'unknown reason'}`);

  opts.onStep?.('check');
  const unique = [...new Map(pending.map((p) => [p.name, p])).values()];
  for (const p of unique) {
    let state;
    try {
      state = await backend.existing(p.name, p.value, ctx);
    } catch (err) {
      fail(backend, err instanceof BackendStepError ? err.step : 'check', why(err));
    }
    if (state === 'different')
      fail(
        backend,
        'check',
        `"${p.name}" already holds a different value; pick another name (nothing was overwritten)`,
      );
    if (state === 'unknown')
      fail(
        backend,
        'check',
        `cannot tell whether "${p.name}" already holds another value (the backend could not be read)`,
      );
    p.stored = state === 'same' ? 'already-held' : undefined;
  }

  opts.onStep?.('store');
  for (const p of unique) {
    if (p.stored) continue;
    try {
      await backend.store(p.name, p.value, ctx);
    } catch (err) {
      fail(backend, err instanceof BackendStepError ? err.step : 'store', why(err));
    }
    p.stored = 'stored';
  }

  let provider: { alias: string; config: ProviderConfig } | undefined;
  if (backend.provider) {
    opts.onStep?.('wrapper');
    try {
      provider = await backend.provider(ctx);
    } catch (err) {
      fail(backend, 'wrapper', why(err));
    }
  }

  opts.onStep?.('verify');
  const secrets = readConfigSecrets(config);
  const providers = { ...secrets.providers, ...(provider ? { [provider.alias]: provider.config } : {}) };
  const fingerprints = new Map<string, string>();
  const toResolve: PendingField[] = [];
  for (const p of unique) {
    let back;
    try {
      back = backend.readBack ? await backend.readBack(p.name, p.value, p.ref, ctx) : undefined;
    } catch (err) {
      fail(backend, 'verify', why(err));
    }
    if (!back) {
      toResolve.push(p);
      continue;
    }
    if (back.state !== 'same')
      fail(
        backend,
        'verify',
        back.state === 'unknown'
          ? `${p.name} was stored but could not be read back: ${back.problem ?? 'unknown reason'}`
          : `${p.name} reads back ${back.state === 'absent' ? 'as missing' : 'a different value'}; the backend does not hold the value of ${p.display}`,
      );
    fingerprints.set(p.name, fingerprint(p.value, opts.env));
  }
  const outcomes = toResolve.length
    ? await resolveRefs(
        toResolve.map((p) => p.ref),
        { providers, defaults: secrets.defaults },
        { env: opts.env, allowExec: backend.source === 'exec', stateDir: opts.location.stateDir },
      )
    : new Map();
  for (const p of toResolve) {
    const key = secretRefKey(p.ref);
    const outcome = outcomes.get(key);
    if (!outcome?.ok)
      fail(
        backend,
        'verify',
        `${p.name} was stored but reading it back through ${key} failed: ${outcome?.error.message ?? 'no answer'}`,
      );
    const held = fingerprint(p.value, opts.env);
    const got = typeof outcome.value === 'string' ? fingerprint(outcome.value, opts.env) : `a ${typeof outcome.value}`;
    if (got !== held)
      fail(
        backend,
        'verify',
        `${key} reads back ${got} but ${p.display} holds ${held}; the backend does not hold the same value`,
      );
    fingerprints.set(p.name, held);
  }

  opts.onStep?.('apply');
  let changedFiles: string[];
  try {
    const plan = buildConfigurePlan({
      config,
      providers: provider ? { [provider.alias]: provider.config } : undefined,
      mappings: pending.map((p) => ({ path: p.segments, ref: p.ref })),
    });
    const result = await applySecretsPlan({
      plan,
      planPath: `move to ${backend.id}`,
      location: opts.location,
      env: opts.env,
      dryRun: false,
      allowExec: backend.source === 'exec',
    });
    changedFiles = result.changedFiles;
  } catch (err) {
    fail(backend, 'apply', err instanceof ApplyError || err instanceof OpenClawSecretsError ? err.message : why(err));
  }
  const storedBy = new Map(unique.map((p) => [p.name, p.stored ?? 'stored']));
  return {
    backendId: backend.id,
    moved: pending.map((p) => ({
      path: p.display,
      name: p.name,
      refKey: secretRefKey(p.ref),
      stored: storedBy.get(p.name) ?? 'stored',
      fingerprint: fingerprints.get(p.name) ?? '',
    })),
    changedFiles,
    ...(provider ? { provider: provider.alias } : {}),
  };
}
