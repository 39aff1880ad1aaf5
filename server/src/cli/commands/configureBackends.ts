// `openclaw-secrets configure --backend <id>`: move plaintext fields of openclaw.json into a secret backend
// (the engine's move flow: store on stdin, read back, then apply). Flags for CI (`--move <path>[=NAME]`,
// `--move-all`), questions on a TTY when no field is named; `--backend list` shows what is usable here.
import * as readline from 'node:readline';
import { parseConfigText } from '../../engine/config/configDocument';
import { locateConfig } from '../../engine/config/configLocation';
import { readRegularFile } from '../../engine/config/readRegularFile';
import { configurePlaintextFields } from '../../engine/plan/configure';
import { parsePlanPath } from '../../engine/plan/plan';
import { moveToBackend, type MoveField } from '../../engine/backends/moveToBackend';
import {
  BackendStepError,
  MoveError,
  type BackendContext,
  type SecretBackend,
} from '../../engine/backends/backendTypes';
import { allBackends, backendById, probeBackends } from '../../engine/backends/backendRegistry';
import { CliError, type CliIo } from '../io';
import { cloudBackend, isCloudBackend, planCloudMove } from '../../engine/backends/cloudPlan';
import { findTools, recipes } from '../../engine/backends/wrappers';
import type { ConfigLocation } from '../../engine/config/configLocation';
import * as path from 'node:path';

export interface BackendFlags {
  backend: string;
  /** where a cloud backend's plan goes (`--plan-out`) */
  planOut?: string;
  /** `--backend-option key=value` (region, vaultName, ...) */
  options: Record<string, string>;
  move: string[];
  moveAll: boolean;
  allowExec: boolean;
  json: boolean;
}

/** `path` or `path=NAME`: the name is what follows the last `=` when it looks like an entry name. */
function parseMoveSpec(spec: string): MoveField {
  const eq = spec.lastIndexOf('=');
  const pathText = eq > 0 ? spec.slice(0, eq).trim() : spec.trim();
  const name = eq > 0 ? spec.slice(eq + 1).trim() : undefined;
  let segments: (string | number)[];
  try {
    segments = parsePlanPath(pathText);
  } catch (err) {
    throw new CliError(`--move ${pathText}: ${(err as Error).message}`);
  }
  return name ? { path: segments, name } : { path: segments };
}

async function plaintextFields(io: CliIo) {
  const location = locateConfig(io.env);
  const text = await readRegularFile(location.configPath).catch(() => {
    throw new CliError(`cannot read ${location.configPath}`);
  });
  const doc = parseConfigText(text, location.configPath);
  if (doc.syntaxError) throw new CliError(`${location.configPath} does not parse`);
  return { location, config: doc.value, fields: configurePlaintextFields(doc.value) };
}

async function ask(lines: AsyncIterator<string>, io: CliIo, question: string, fallback = ''): Promise<string> {
  io.stdout(`${question}${fallback ? ` [${fallback}]` : ''}: `);
  const next = await lines.next();
  if (next.done) throw new CliError('Secrets configure cancelled.');
  return next.value.trim() || fallback;
}

export async function runConfigureBackend(io: CliIo, flags: BackendFlags): Promise<number> {
  const { location, config, fields } = await plaintextFields(io);
  const ctx: BackendContext = { location, env: io.env, config, timeoutMs: 60_000 };
  if (flags.backend === 'list') {
    const probed = await probeBackends(ctx);
    const listed = probed.map((p) => ({
      id: p.backend.id,
      label: p.backend.label,
      usable: p.probe.usable,
      ...(p.probe.reason !== undefined ? { reason: p.probe.reason } : {}),
    }));
    // Cloud backends: only whether their CLI is here. Listing runs no cloud CLI (a login check may reach the
    // network); the move checks the login and falls back to the plan when there is none.
    for (const recipe of recipes.filter((r) => r.kind === 'cloud')) {
      const found = await findTools(recipe, io.env);
      listed.push({
        id: recipe.id,
        label: recipe.label,
        usable: found.ok,
        reason: found.ok
          ? 'cloud: moves the value when the CLI is logged in, else writes the wrapper and a plan (--plan-out)'
          : `cloud: ${found.missing.join(', ')} not found on PATH; --plan-out writes the wrapper and a plan`,
      });
    }
    if (flags.json) io.stdout(`${JSON.stringify(listed, null, 2)}\n`);
    else
      for (const b of listed)
        io.stdout(`${b.id}\t${b.usable ? 'usable' : 'not usable'}${b.reason ? `: ${b.reason}` : ''}\t${b.label}\n`);
    return 0;
  }
  if (isCloudBackend(flags.backend)) return cloudMove(io, flags, ctx, fields);
  const backend = backendById(flags.backend);
  if (!backend)
    throw new CliError(
      `unknown backend "${flags.backend}"; one of: ${[
        ...allBackends().map((b) => b.id),
        ...recipes.filter((r) => r.kind === 'cloud').map((r) => r.id),
      ].join(', ')}, list`,
    );
  if (backend.source === 'exec' && !flags.allowExec)
    throw new CliError(`${backend.label} is read back through an exec provider: re-run with --allow-exec`);
  let moves: MoveField[] = flags.move.map(parseMoveSpec);
  if (flags.moveAll) moves = fields.map((f) => ({ path: f.segments }));
  if (!moves.length) {
    if (!io.isTty() || flags.json)
      throw new CliError('name the fields to move: --move <path>[=NAME] (repeatable) or --move-all');
    if (!fields.length) throw new CliError('openclaw.json holds no plaintext credential to move.');
    const rl = readline.createInterface({ input: io.openStdin(), terminal: false, crlfDelay: Infinity });
    const lines = rl[Symbol.asyncIterator]();
    try {
      fields.forEach((f, i) => io.stdout(`  ${i + 1}) ${f.path}\n`));
      const pick = await ask(lines, io, 'Fields to move (numbers, comma-separated, or "all")', 'all');
      const chosen =
        pick === 'all'
          ? fields
          : pick.split(',').map((n) => {
              const f = fields[Number(n.trim()) - 1];
              if (!/^\s*\d+\s*$/.test(n) || !f) throw new CliError(`no field numbered ${n.trim()}`);
              return f;
            });
      for (const f of chosen) {
        const name = await ask(lines, io, `Entry name for ${f.path}`, backend.suggestName(f.segments));
        moves.push({ path: f.segments, name });
      }
    } finally {
      rl.close();
    }
  }
  return runMove(io, backend, location, moves, flags.json);
}

/** The engine's move flow, its steps on stderr, what moved on stdout (names, refs, fingerprints: no value). */
async function runMove(
  io: CliIo,
  backend: SecretBackend,
  location: ConfigLocation,
  moves: MoveField[],
  json: boolean,
  extra: Record<string, unknown> = {},
): Promise<number> {
  try {
    const result = await moveToBackend({
      backend,
      location,
      env: io.env,
      fields: moves,
      onStep: json ? undefined : (step) => io.stderr(`${backend.id}: ${step}\n`),
    });
    if (json) io.stdout(`${JSON.stringify({ ...extra, ...result }, null, 2)}\n`);
    else {
      for (const m of result.moved)
        io.stdout(
          `${m.path} -> ${m.refKey} (${m.stored === 'stored' ? 'stored' : 'already held'}, read back ${m.fingerprint})\n`,
        );
      io.stdout(
        `Moved ${result.moved.length} value(s) to ${backend.label}; updated ${result.changedFiles.length} file(s).\n`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof MoveError) throw new CliError(err.message);
    throw err;
  }
}

/**
 * A cloud backend: the real move when its CLI is here, logged in and takes the value on stdin (and
 * --allow-exec consents to reading it back through the wrapper); otherwise the plan, with the reason.
 */
async function cloudMove(
  io: CliIo,
  flags: BackendFlags,
  ctx: BackendContext,
  fields: ReturnType<typeof configurePlaintextFields>,
): Promise<number> {
  let moves: MoveField[] = flags.move.map(parseMoveSpec);
  if (flags.moveAll) moves = fields.map((f) => ({ path: f.segments }));
  if (!moves.length) throw new CliError('name the fields to move: --move <path>[=NAME] (repeatable) or --move-all');
  const backend = cloudBackend(flags.backend, flags.options);
  if (!flags.json) io.stderr(`${backend.id}: probe\n`);
  const probe = await backend.probe(ctx);
  if (probe.usable && flags.allowExec) return runMove(io, backend, ctx.location, moves, flags.json, { mode: 'moved' });
  const reason = probe.usable
    ? `logged in, but --allow-exec was not given (the move reads the value back through the exec wrapper)`
    : (probe.reason ?? 'not usable here');
  if (!flags.planOut)
    throw new CliError(
      `${backend.id} cannot store the value now (${reason}): name the plan to write with --plan-out <path>${
        probe.usable ? ', or re-run with --allow-exec to move it now' : ''
      }`,
    );
  return planCloudBackend(io, { ...flags, planOut: flags.planOut }, ctx.location, moves, reason);
}

/** A cloud backend: wrapper, provider and plan are written; the person stores the value, then applies the plan. */
async function planCloudBackend(
  io: CliIo,
  flags: BackendFlags & { planOut: string },
  location: ConfigLocation,
  moves: MoveField[],
  reason: string,
): Promise<number> {
  const planPath = path.resolve(io.cwd, flags.planOut);
  try {
    const result = await planCloudMove({
      recipeId: flags.backend,
      location,
      env: io.env,
      fields: moves,
      options: flags.options,
      planPath,
    });
    if (flags.json) {
      io.stdout(`${JSON.stringify({ mode: 'plan', notMoved: reason, ...result }, null, 2)}\n`);
      return 0;
    }
    io.stdout(`Not moved: ${reason}.\nWrapper: ${result.wrapperPath} (provider "${result.providerAlias}")\n`);
    for (const [tool, at] of Object.entries(result.expectedTools))
      io.stdout(
        `${tool} is not on PATH: the wrapper expects it at ${at} (re-run this command once it is installed elsewhere)\n`,
      );
    io.stdout(`Plan: ${result.planPath}\nNothing was stored and openclaw.json is unchanged. Next:\n`);
    for (const f of result.fields) io.stdout(`  ${f.path} -> exec:${f.ref.provider}:${f.ref.id}\n    ${f.store}\n`);
    io.stdout(
      `Then: openclaw-secrets apply --from ${flags.planOut} --allow-exec (it reads each value back before rewriting a field)\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof BackendStepError)
      throw new CliError(`${flags.backend} failed at step "${err.step}": ${err.message}`);
    throw err;
  }
}
