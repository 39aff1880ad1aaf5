// Which files the server handles (any openclaw.json, an agent's auth-profiles.json, the config dir's .env),
// and one parse per document version, shared by every feature.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseConfigText, type ConfigDocument } from '../engine/config/configDocument';
import { DOTENV_MAX_BYTES, readRegularFileSync } from '../engine/config/readRegularFile';
import { locationForConfigFile, type ConfigLocation } from '../engine/config/configLocation';

export type DocumentKind = 'config' | 'authProfiles' | 'dotenv';

export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).toString();
}

/** The kind of a document from its name alone (a `.env` only counts beside an openclaw.json). */
function documentKind(
  uri: string,
  hasConfigBeside: (dir: string) => boolean = (d) => existsSync(path.join(d, 'openclaw.json')),
): DocumentKind | undefined {
  const name = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1).split('?')[0]);
  if (name === 'openclaw.json') return 'config';
  if (name === 'auth-profiles.json') return 'authProfiles';
  if (name === '.env') {
    const p = uriToPath(uri);
    return p && hasConfigBeside(path.dirname(p)) ? 'dotenv' : undefined;
  }
  return undefined;
}

export interface ParsedDocument {
  uri: string;
  version: number;
  kind: DocumentKind;
  text: TextDocument;
  /** undefined for .env */
  config?: ConfigDocument;
}

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private readonly parsed = new Map<string, ParsedDocument>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** The parse of the current version; parsed at most once per version. */
  get(uri: string): ParsedDocument | undefined {
    const text = this.documents.get(uri);
    if (!text) return undefined;
    const cached = this.parsed.get(uri);
    if (cached && cached.version === text.version) return cached;
    const kind = documentKind(
      uri,
      (dir) =>
        existsSync(path.join(dir, 'openclaw.json')) ||
        this.documents.get(pathToUri(path.join(dir, 'openclaw.json'))) !== undefined,
    );
    if (!kind) return undefined;
    const source = text.getText();
    const fileName = uriToPath(uri) ?? uri;
    const parsed: ParsedDocument = {
      uri,
      version: text.version,
      kind,
      text,
      ...(kind === 'dotenv' ? {} : { config: parseConfigText(source, fileName) }),
    };
    this.parsed.set(uri, parsed);
    return parsed;
  }

  drop(uri: string): void {
    this.parsed.delete(uri);
  }

  /** Where OpenClaw would look around this document: its config path, state dir and config dir. */
  locationFor(uri: string): ConfigLocation | undefined {
    const p = uriToPath(uri);
    if (!p) return undefined;
    const name = path.basename(p);
    if (name === 'openclaw.json') return locationForConfigFile(p, this.env);
    if (name === '.env') return locationForConfigFile(path.join(path.dirname(p), 'openclaw.json'), this.env);
    if (name === 'auth-profiles.json') {
      // <stateDir>/agents/<agentId>/agent/auth-profiles.json
      const stateDir = path.resolve(path.dirname(p), '..', '..', '..');
      return locationForConfigFile(path.join(stateDir, 'openclaw.json'), this.env);
    }
    return undefined;
  }

  /** The openclaw.json that governs a document: the open editor buffer if there is one, else the file on disk. */
  configFor(uri: string): ConfigDocument | undefined {
    const loc = this.locationFor(uri);
    if (!loc) return undefined;
    // A request may name a config that is not open in the editor: then the file on disk governs.
    const open = this.get(pathToUri(loc.configPath));
    if (open?.config) return open.config;
    try {
      return parseConfigText(readRegularFileSync(loc.configPath), loc.configPath);
    } catch {
      return undefined;
    }
  }

  /** The `.env` text OpenClaw loads beside the config (open buffer first). */
  dotEnvTextFor(loc: ConfigLocation): string | undefined {
    const p = path.join(loc.configDir, '.env');
    const open = this.documents.get(pathToUri(p));
    if (open) return open.getText();
    try {
      return readRegularFileSync(p, { maxBytes: DOTENV_MAX_BYTES });
    } catch {
      return undefined;
    }
  }

  /** The agent id of an auth-profiles.json (`agents/<id>/agent/auth-profiles.json`). */
  agentIdFor(uri: string): string | undefined {
    const p = uriToPath(uri);
    if (!p) return undefined;
    const parts = p.split(path.sep);
    const n = parts.length;
    return n >= 4 && parts[n - 2] === 'agent' && parts[n - 4] === 'agents' ? parts[n - 3] : undefined;
  }
}
