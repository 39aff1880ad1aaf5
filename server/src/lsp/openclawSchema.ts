// The server's OpenClaw schema per settings (schema file, installed openclaw allowed or not), loaded once
// and shared by diagnostics, completion and hover. Running `openclaw` is a process: only in a trusted
// workspace and when `openclawSecrets.schema.fromInstalledOpenClaw` allows it.
import { chooseSchema, type SchemaChoice, type SchemaSourceOptions } from '../engine/openclawSchema/schemaSource';
import type { SettingsStore } from './settings';

export class SchemaService {
  private readonly choices = new Map<string, Promise<SchemaChoice>>();

  constructor(
    private readonly settings: SettingsStore,
    private readonly env: NodeJS.ProcessEnv,
    private readonly trusted: () => boolean,
    private readonly extra: Partial<SchemaSourceOptions> = {},
  ) {}

  /** The schema for a document's settings (loaded at most once per distinct settings). */
  async forDocument(uri: string): Promise<SchemaChoice> {
    const s = await this.settings.get(uri);
    const useInstalled = s.schemaFromInstalled && this.trusted();
    const key = `${useInstalled ? 1 : 0}\0${s.schemaPath}`;
    let choice = this.choices.get(key);
    if (!choice) {
      choice = chooseSchema({ ...this.extra, schemaPath: s.schemaPath, useInstalled, env: this.env });
      this.choices.set(key, choice);
    }
    return choice;
  }

  /** Settings changed or the person asked: load again next time. */
  clear(): void {
    this.choices.clear();
  }
}
