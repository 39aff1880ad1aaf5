// The SecretRef under the cursor (an object ref, or an env shorthand string at a credential field), shared
// by hover, completion and definition.
import {
  findMember,
  findNode,
  nodeAtOffset,
  type ConfigDocument,
  type ObjectNode,
  type PathSegment,
} from '../engine/config/configDocument';
import { matchCredentialPath } from '../engine/targets/targetRegistry';
import { parseEnvShorthand, type SecretDefaults } from '../engine/refs/secretRef';

export interface RefAtCursor {
  /** path of the ref (the credential field) */
  path: PathSegment[];
  object?: ObjectNode;
  /** which member the cursor is in, if any */
  member?: 'source' | 'provider' | 'id';
  source?: string;
  provider?: string;
  id?: string;
  onKey: boolean;
  /** the string node under the cursor */
  stringNode?: { start: number; end: number; value: string };
}

/** `secrets.providers.<alias>`: its `source` declares what the provider is; it refers to nothing. */
function isProviderDeclaration(path: readonly PathSegment[]): boolean {
  return path.length === 3 && path[0] === 'secrets' && path[1] === 'providers';
}

export function refAtOffset(doc: ConfigDocument, offset: number, defaults: SecretDefaults): RefAtCursor | undefined {
  const hit = nodeAtOffset(doc.root, offset);
  if (!hit) return undefined;
  const { node, path } = hit;
  const last = path[path.length - 1];
  const memberName = last === 'source' || last === 'provider' || last === 'id' ? last : undefined;
  const objectPath = memberName ? path.slice(0, -1) : path;
  const obj = findNode(doc.root, objectPath);
  if (
    obj?.type === 'object' &&
    !isProviderDeclaration(objectPath) &&
    (findMember(obj, 'source') || (memberName && (findMember(obj, 'provider') || findMember(obj, 'id'))))
  ) {
    const str = (k: string) => {
      const v = findMember(obj, k)?.value;
      return v?.type === 'string' ? (v.value as string) : undefined;
    };
    return {
      path: objectPath,
      object: obj,
      member: memberName,
      source: str('source'),
      provider: str('provider'),
      id: str('id'),
      onKey: Boolean(hit.onKey),
      ...(node.type === 'string' && !hit.onKey
        ? { stringNode: { start: node.start, end: node.end, value: node.value as string } }
        : {}),
    };
  }
  if (node.type === 'string' && !hit.onKey && matchCredentialPath('openclaw.json', path)) {
    const ref = parseEnvShorthand(node.value as string, defaults);
    if (ref)
      return {
        path,
        source: 'env',
        provider: ref.provider,
        id: ref.id,
        onKey: false,
        stringNode: { start: node.start, end: node.end, value: node.value as string },
      };
  }
  return undefined;
}
