// Checks OpenClaw 2026.9.6 makes beyond what its JSON Schema can say (cross-field rules), each named,
// written from the messages the real `openclaw config validate --json` prints for them.
import { isRecord } from '../config/jsonValue';
import type { SchemaIssue } from './schemaValidator';

export interface ConfigRule {
  /** stable name, shown in the CLI's explanation */
  name: string;
  check(config: Record<string, unknown>): SchemaIssue[];
}

const lowerTrim = (v: unknown): string => (typeof v === 'string' ? v.trim().toLowerCase() : '');

/** `talk.provider` / `talk.realtime.provider` must pick one of several providers and name a declared one. */
function providerChoiceRule(name: string, at: string[]): ConfigRule {
  const dotted = at.join('.');
  return {
    name,
    check(config) {
      let block: unknown = config;
      for (const seg of at) block = isRecord(block) ? block[seg] : undefined;
      if (!isRecord(block) || !isRecord(block.providers)) return [];
      const providers = Object.keys(block.providers);
      const chosen = lowerTrim(block.provider);
      const path = [...at, 'provider'];
      if (chosen && providers.length > 0 && !Object.hasOwn(block.providers, chosen)) {
        return [
          {
            path,
            target: block.provider === undefined ? 'key' : 'value',
            keyword: name,
            message: `${dotted}.provider must match a key in ${dotted}.providers.`,
          },
        ];
      }
      if (!chosen && providers.length > 1) {
        return [
          {
            path: block.provider === undefined ? at : path,
            target: block.provider === undefined ? 'key' : 'value',
            keyword: name,
            message: `${dotted}.provider is required when ${dotted}.providers defines multiple providers.`,
          },
        ];
      }
      return [];
    },
  };
}

const singleDefaultAgent: ConfigRule = {
  name: 'agents-single-default',
  check(config) {
    const agents = config.agents;
    if (!isRecord(agents) || !isRecord(agents.entries)) return [];
    const entries = agents.entries;
    const marked = Object.keys(entries).filter((k) => isRecord(entries[k]) && entries[k].default === true);
    if (marked.length <= 1) return [];
    return [
      {
        path: ['agents', 'entries'],
        target: 'key',
        keyword: 'agents-single-default',
        message: `agents.entries must contain at most one default=true entry (found ${marked.length}).`,
      },
    ];
  },
};

export const CONFIG_RULES: readonly ConfigRule[] = [
  providerChoiceRule('talk-provider-choice', ['talk']),
  providerChoiceRule('talk-realtime-provider-choice', ['talk', 'realtime']),
  singleDefaultAgent,
];

/** Every named rule's issues for a parsed config. */
export function checkConfigRules(config: unknown): SchemaIssue[] {
  if (!isRecord(config)) return [];
  return CONFIG_RULES.flatMap((r) => r.check(config));
}
