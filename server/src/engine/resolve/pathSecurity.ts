// The path checks OpenClaw 2026.9.6 runs before it reads a file provider's file or runs an exec command.
// 9.6 always refuses symlinks (no allowSymlinkCommand / allowInsecurePath bypass any more).
import type { Stats } from 'node:fs';
import * as path from 'node:path';
import { expandHome } from '../config/configLocation';
import { SecretResolutionError } from './types';
import { lstat } from '../runtime/fsCallbacks';

export type PathSecurityReason =
  'relative' | 'unreadable' | 'directory' | 'symlink' | 'outside-trusted-dirs' | 'permissions' | 'owner';

export type PathSecurityResult =
  { ok: true; path: string } | { ok: false; error: SecretResolutionError; reason: PathSecurityReason };

export interface PathSecurityOptions {
  /** exec only: when non-empty, the command must sit inside one of these */
  trustedDirs?: string[];
  /** for `~` expansion (OPENCLAW_HOME / HOME) */
  env?: NodeJS.ProcessEnv;
  /** provider alias, carried on the error */
  provider?: string;
  /** file only: the folder a relative `path` is resolved against (OpenClaw 2026.9.6: its working directory) */
  relativeTo?: string;
}

/** `~`-expanded and made absolute; undefined when the configured path is relative (a file provider may pass `relativeTo`). */
export function expandProviderPath(p: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const trimmed = p.trim();
  if (trimmed === '') return undefined;
  const expanded = expandHome(trimmed, env);
  return path.isAbsolute(expanded) ? path.normalize(expanded) : undefined;
}

export function isPathInside(dir: string, candidate: string): boolean {
  const rel = path.relative(dir, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * `label` is `secrets.providers.<alias>.command` or `.path`. The exec kind allows others to read the
 * command; the file kind needs 0600/0400 and a single hard link. Messages are OpenClaw's.
 */
export async function checkSecurePath(
  label: string,
  p: string,
  kind: 'exec' | 'file',
  opts: PathSecurityOptions = {},
): Promise<PathSecurityResult> {
  const fail = (
    reason: PathSecurityReason,
    message: string,
    code: 'SECRET_PROVIDER_UNAVAILABLE' | 'SECRET_PROVIDER_PATH_SECURITY_UNVERIFIABLE' = 'SECRET_PROVIDER_UNAVAILABLE',
  ): PathSecurityResult => ({
    ok: false,
    reason,
    error: new SecretResolutionError(message, { code, scope: 'provider', provider: opts.provider }),
  });

  const relative =
    kind === 'file' &&
    opts.relativeTo !== undefined &&
    p.trim() !== '' &&
    expandProviderPath(p, opts.env) === undefined;
  const abs = relative ? path.resolve(opts.relativeTo!, p.trim()) : expandProviderPath(p, opts.env);
  if (!abs) return fail('relative', `${label} must be an absolute path.`);

  let st: Stats;
  try {
    st = await lstat(abs);
  } catch (err) {
    // 9.6 appends the fs error, its code, its own reason and the code again (` | ENOENT: ... | ENOENT | not-found | ENOENT`).
    const e = err as NodeJS.ErrnoException;
    const detail =
      e.code === 'ENOENT' ? ` | ${e.message} | ENOENT | not-found | ENOENT` : e.code ? ` | ${e.message}` : '';
    return fail('unreadable', `${label} is not readable: ${abs}${kind === 'file' ? detail : ''}`);
  }
  const notFile = kind === 'file' ? ' | not-file' : '';
  if (st.isDirectory()) return fail('directory', `${label} must be a file: ${abs}${notFile}`);
  if (st.isSymbolicLink()) return fail('symlink', `${label} must not be a symlink: ${abs}`);
  if (kind === 'file' && !st.isFile()) return fail('directory', `${label} must be a file: ${abs}${notFile}`);
  // A second hard link would let someone else's name point at the secret file.
  if (kind === 'file' && st.nlink > 1) return fail('permissions', `${label} must not be hardlinked: ${abs}`);

  const trusted = kind === 'exec' ? (opts.trustedDirs ?? []) : [];
  if (trusted.length > 0) {
    const dirs = trusted.map((d) => expandProviderPath(d, opts.env)).filter((d): d is string => d !== undefined);
    if (!dirs.some((d) => isPathInside(d, abs)))
      return fail('outside-trusted-dirs', `${label} is outside trustedDirs: ${abs}`);
  }

  if (process.platform === 'win32') {
    // POSIX mode bits mean nothing on Windows and we do not read ACLs: fail closed, as 9.6 does without icacls.
    return fail(
      'permissions',
      `${label} ACL verification unavailable on Windows for ${abs}.`,
      'SECRET_PROVIDER_PATH_SECURITY_UNVERIFIABLE',
    );
  }
  const writableByOthers = (st.mode & 0o022) !== 0;
  const readableByOthers = (st.mode & 0o044) !== 0;
  if (writableByOthers || (kind === 'file' && readableByOthers))
    return fail('permissions', `${label} permissions are too open: ${abs}`);

  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && st.uid !== uid) {
    const who = kind === 'exec' ? 'current user' : 'effective user';
    return fail('owner', `${label} must be owned by the ${who} (uid=${uid}): ${abs}`);
  }
  return { ok: true, path: abs };
}
