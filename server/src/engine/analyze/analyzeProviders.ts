// The file-system half of provider checks: what OpenClaw 2026.9.6 would refuse about an exec command or a
// file provider's file (missing, symlink, too open, foreign owner, outside trustedDirs, over maxBytes).
import { promises as fs } from 'node:fs';
import { findMember, type ConfigDocument, type ConfigNode } from '../config/configDocument';
import type { Finding } from './analyze';
import { checkSecurePath, expandProviderPath } from '../resolve/pathSecurity';
import { DEFAULTS, isAbsoluteCommandPath, isSafeExecutableValue } from '../refs/secretRef';
import { isRecord } from '../config/jsonValue';

export async function analyzeProviderPaths(
  doc: ConfigDocument,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Finding[]> {
  const providersNode = findMember(findMember(doc.root, 'secrets')?.value, 'providers')?.value;
  if (!providersNode || providersNode.type !== 'object') return [];
  const findings: Finding[] = [];
  await Promise.all(
    providersNode.members.map(async (m) => {
      const alias = m.key;
      const node = m.value;
      if (node.type !== 'object') return;
      const source = findMember(node, 'source')?.value;
      const kind = source?.type === 'string' ? source.value : undefined;
      if (kind !== 'exec' && kind !== 'file') return;
      const key = kind === 'exec' ? 'command' : 'path';
      const valueNode: ConfigNode | undefined = findMember(node, key)?.value;
      if (!valueNode || valueNode.type !== 'string') return;
      const configured = valueNode.value as string;
      // Relative or unsafe commands are schema problems, reported by analyzeConfigDocument.
      if (kind === 'exec' && (!isSafeExecutableValue(configured) || !isAbsoluteCommandPath(configured))) return;
      if (kind === 'file' && !expandProviderPath(configured, env)) return;
      const label = `secrets.providers.${alias}.${key}`;
      const plain = nodePlain(node);
      const trustedDirs = Array.isArray(plain.trustedDirs)
        ? plain.trustedDirs.filter((d): d is string => typeof d === 'string')
        : [];
      const check = await checkSecurePath(label, configured, kind, { trustedDirs, env, provider: alias });
      const path = ['secrets', 'providers', alias, key];
      if (!check.ok) {
        const fix =
          check.reason === 'permissions'
            ? kind === 'file'
              ? ' OpenClaw needs the file to be 0600 or 0400.'
              : ' OpenClaw refuses group/world-writable commands.'
            : '';
        findings.push({
          code: 'PROVIDER_PATH_INSECURE',
          severity: 'error',
          start: valueNode.start,
          end: valueNode.end,
          path,
          message: `${check.error.message}${fix}`,
          data: {
            jsonPath: label,
            providerAlias: alias,
            resolutionCode: check.reason,
            ...(kind === 'file' ? { filePath: expandProviderPath(configured, env) } : {}),
          },
        });
        return;
      }
      if (kind === 'file') {
        const maxBytes =
          typeof plain.maxBytes === 'number' && plain.maxBytes > 0 ? Math.floor(plain.maxBytes) : DEFAULTS.fileMaxBytes;
        const st = await fs.stat(check.path).catch(() => undefined);
        if (st && st.size > maxBytes) {
          findings.push({
            code: 'PROVIDER_FILE_TOO_LARGE',
            severity: 'error',
            start: valueNode.start,
            end: valueNode.end,
            path,
            message: `File provider "${alias}" exceeded maxBytes (${maxBytes}): the file has ${st.size} bytes.`,
            data: { jsonPath: label, providerAlias: alias, limit: 'maxBytes' },
          });
        }
      }
    }),
  );
  return findings.sort((a, b) => a.start - b.start);
}

function nodePlain(node: ConfigNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (node.type !== 'object') return out;
  for (const m of node.members) {
    const v = m.value;
    out[m.key] =
      v.type === 'array'
        ? v.items.map((i) => (i.type === 'object' || i.type === 'array' ? undefined : i.value))
        : v.type === 'object'
          ? {}
          : v.value;
  }
  return isRecord(out) ? out : {};
}
