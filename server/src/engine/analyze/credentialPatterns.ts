// Credential formats as data (gitleaks/secretlint style): one rule per kind, a cheap keyword prefilter,
// and the true/false-positive samples each rule is tested against. A match names the kind, never the value.
import { RE2JS } from 're2js';

/** Settings are typed by people; a pattern longer than this is a paste accident, not a detector. */
const MAX_USER_PATTERN_LENGTH = 4096;

export interface CredentialRule {
  /** stable id, e.g. `openai-api-key` */
  id: string;
  /** what the user sees: "an OpenAI API key" */
  kind: string;
  /** literal substrings, one of which must occur before the regex runs (all lowercase-insensitive as given) */
  keywords: readonly string[];
  pattern: RegExp;
  /** obviously fake values the rule must match */
  truePositives: readonly string[];
  /** values the rule must not match */
  falsePositives: readonly string[];
}

const FAKE = 'CANARYFAKE';

export const CREDENTIAL_RULES: readonly CredentialRule[] = [
  {
    id: 'anthropic-api-key',
    kind: 'an Anthropic API key',
    keywords: ['sk-ant-'],
    pattern: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{20,}/,
    truePositives: [
      `sk-ant-api03-${FAKE}abcdefghijklmnopqrstuvwxyz0123456789`,
      `sk-ant-admin01-${FAKE}0123456789abcdefghij`,
    ],
    falsePositives: ['sk-ant-', 'sk-ant-api03-short', 'anthropic-messages'],
  },
  {
    id: 'openrouter-api-key',
    kind: 'an OpenRouter API key',
    keywords: ['sk-or-'],
    pattern: /\bsk-or-v\d-[A-Za-z0-9]{32,}/,
    truePositives: [`sk-or-v1-${'0123456789abcdef'.repeat(4)}`],
    falsePositives: ['sk-or-v1-short', 'https://openrouter.ai/api/v1'],
  },
  {
    id: 'openai-api-key',
    kind: 'an OpenAI API key',
    keywords: ['sk-'],
    // Project, service-account, admin and legacy keys; Anthropic/OpenRouter prefixes have their own rules.
    pattern: /\bsk-(?!ant-|or-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}/,
    truePositives: [
      `sk-proj-${FAKE}abcdefghijklmnopqrstuvwxyz012345`,
      `sk-${FAKE}abcdefghijklmnopqrstuvwxyz0123456789ab`,
      'sk-test-CANARY-1234567890abcdef',
    ],
    falsePositives: [
      'sk-test',
      'task-runner-default-config',
      `sk-ant-api03-${FAKE}abcdefghijklmnopqrstuvwxyz`,
      'risk-assessment',
    ],
  },
  {
    id: 'google-api-key',
    kind: 'a Google API key',
    keywords: ['AIza'],
    pattern: /\bAIza[0-9A-Za-z_-]{35}\b/,
    truePositives: [`AIzaSy${FAKE}0123456789abcdefghijklm`],
    falsePositives: ['AIzaShort', 'gemini-2.5-pro'],
  },
  {
    id: 'aws-access-key-id',
    kind: 'an AWS access key id',
    keywords: ['AKIA', 'ASIA'],
    pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/,
    truePositives: ['AKIA' + FAKE + '000000', 'ASIA' + FAKE + 'ABCDEF'],
    falsePositives: ['AKIA-not-a-key', 'ASIAN-MARKETS'],
  },
  {
    id: 'github-token',
    kind: 'a GitHub token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})/,
    truePositives: [`ghp_${FAKE}abcdefghijklmnopqrstuvwxyz`, `github_pat_${FAKE}_${'a'.repeat(60)}`],
    falsePositives: ['ghp_short', 'github_pat_short'],
  },
  {
    id: 'slack-token',
    kind: 'a Slack token',
    keywords: ['xox', 'xapp-'],
    pattern: /\b(?:xox[abposr]-[0-9A-Za-z-]{10,}|xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]{16,})/,
    // Joined at run time so the bundle holds no token-shaped literal (vsce refuses to package one).
    truePositives: [
      ['xo', 'xb-000000000000-000000000000-', FAKE, 'abcdef'].join(''),
      ['xa', 'pp-1-A', FAKE, '-0000000000-', 'abcdef0123456789'.repeat(2)].join(''),
    ],
    falsePositives: ['xoxb-', 'xox-xox'],
  },
  {
    id: 'slack-webhook',
    kind: 'a Slack webhook URL',
    keywords: ['hooks.slack.com'],
    pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,}/,
    truePositives: [`https://hooks.slack.com/services/T000${FAKE}/B000${FAKE}/abcdefghijklmnopqrstuvwx`],
    falsePositives: ['https://hooks.slack.com/'],
  },
  {
    id: 'telegram-bot-token',
    kind: 'a Telegram bot token',
    keywords: [':'],
    pattern: /^\d{8,10}:[A-Za-z0-9_-]{35}$/,
    truePositives: [`123456789:AA${FAKE}abcdefghijklmnopqrstuvw`],
    falsePositives: ['12:34', 'http://127.0.0.1:1234/v1', '2026-09-06T10:00:00Z'],
  },
  {
    id: 'discord-bot-token',
    kind: 'a Discord bot token',
    keywords: ['.'],
    pattern: /^[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}$/,
    truePositives: [`MTAw${FAKE}abcdefghijklm.Gabcde.${FAKE}abcdefghijklmnopqrstu`],
    falsePositives: ['Note.txt', 'openai.gpt-4o-mini'],
  },
  {
    id: 'private-key-block',
    kind: 'a private key block',
    keywords: ['PRIVATE KEY'],
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/,
    truePositives: [
      `-----BEGIN PRIVATE KEY-----\n${FAKE}\n-----END PRIVATE KEY-----`,
      '-----BEGIN OPENSSH PRIVATE KEY-----',
    ],
    falsePositives: ['-----BEGIN PUBLIC KEY-----', 'private key'],
  },
  {
    id: 'stripe-secret-key',
    kind: 'a Stripe secret key',
    keywords: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
    pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{24,}/,
    truePositives: [`sk_live_${FAKE}abcdefghijklmnopqrst`],
    falsePositives: ['sk_live_short'],
  },
  {
    id: 'huggingface-token',
    kind: 'a Hugging Face token',
    keywords: ['hf_'],
    pattern: /\bhf_[A-Za-z0-9]{30,}/,
    truePositives: [`hf_${FAKE}abcdefghijklmnopqrstuvwxyz`],
    falsePositives: ['hf_short', 'hf_hub_cache_dir'],
  },
  {
    id: 'groq-api-key',
    kind: 'a Groq API key',
    keywords: ['gsk_'],
    pattern: /\bgsk_[A-Za-z0-9]{40,}/,
    truePositives: [`gsk_${FAKE}${'a'.repeat(42)}`],
    falsePositives: ['gsk_short'],
  },
  {
    id: 'xai-api-key',
    kind: 'an xAI API key',
    keywords: ['xai-'],
    pattern: /\bxai-[A-Za-z0-9]{60,}/,
    truePositives: [`xai-${FAKE}${'b'.repeat(70)}`],
    falsePositives: ['xai-grok-4'],
  },
  {
    id: 'jwt',
    kind: 'a JSON Web Token',
    keywords: ['eyJ'],
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
    truePositives: [`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ${FAKE}fQ.${FAKE}abcdefghij`],
    falsePositives: ['eyJ.eyJ.x'],
  },
  {
    id: 'bearer-token',
    kind: 'a bearer token',
    keywords: ['Bearer ', 'bearer '],
    pattern: /^[Bb]earer\s+(?!\$\{)[A-Za-z0-9._~+/=-]{16,}$/,
    truePositives: ['Bearer sk-test-CANARY-HDR-0123456789', `Bearer ${FAKE}abcdefghijkl`],
    falsePositives: ['Bearer ${OPENAI_API_KEY}', 'Bearer short'],
  },
];

export interface ExtraPattern {
  name: string;
  regex: string;
}

/** What a rule needs of its regex: built-ins are JS RegExps we wrote; user patterns run on RE2 (linear time). */
export interface StringPattern {
  test(value: string): boolean;
}

export interface CompiledRule {
  id: string;
  kind: string;
  keywords: readonly string[];
  pattern: StringPattern;
}

export interface PatternSet {
  rules: readonly CompiledRule[];
  /** user patterns that did not compile, by name (the regex text is the user's, not a secret) */
  invalid: string[];
  /** one settings error per invalid user pattern, naming the setting, the pattern and why */
  problems?: string[];
  /** one regex of every rule keyword: most strings match none, and one scan rules them all out */
  anyKeyword?: RegExp;
}

function keywordPrefilter(rules: readonly CompiledRule[]): RegExp | undefined {
  // Rules without keywords (the user's) must always run, so no prefilter then.
  if (rules.some((r) => r.keywords.length === 0)) return undefined;
  const words = [...new Set(rules.flatMap((r) => r.keywords))].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(words.join('|'));
}

/**
 * A user regex on RE2 (re2js): matching is linear in the input, so `^(a+)+$` cannot freeze the server the
 * way a backtracking RegExp does. RE2 lacks lookaround and backreferences: those are refused with the reason.
 */
export function compileUserPattern(regex: string): StringPattern | string {
  if (regex.length > MAX_USER_PATTERN_LENGTH) return `it is longer than ${MAX_USER_PATTERN_LENGTH} characters.`;
  try {
    const re = RE2JS.compile(regex);
    return { test: (value: string) => re.test(value) };
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/\.*$/, '') : 'it does not compile';
    return `not a valid RE2 regex (${why}; lookaround and backreferences are not supported).`;
  }
}

/** The built-in rules plus the user's `detection.extraPatterns`; a bad user regex is reported, not thrown. */
export function compilePatterns(extra: readonly ExtraPattern[] = []): PatternSet {
  const rules: CompiledRule[] = [...CREDENTIAL_RULES];
  const invalid: string[] = [];
  const problems: string[] = [];
  for (const p of extra) {
    if (!p || typeof p.name !== 'string' || typeof p.regex !== 'string') continue;
    const compiled = compileUserPattern(p.regex);
    if (typeof compiled === 'string') {
      invalid.push(p.name);
      problems.push(`openclawSecrets.detection.extraPatterns: pattern "${p.name}" is ignored: ${compiled}`);
      continue;
    }
    rules.push({ id: `user:${p.name}`, kind: p.name, keywords: [], pattern: compiled });
  }
  return { rules, invalid, problems, anyKeyword: keywordPrefilter(rules) };
}

export const BUILTIN_PATTERNS: PatternSet = {
  rules: CREDENTIAL_RULES,
  invalid: [],
  anyKeyword: keywordPrefilter(CREDENTIAL_RULES),
};

function hasKeyword(value: string, keywords: readonly string[]): boolean {
  for (const k of keywords) if (value.includes(k)) return true;
  return false;
}

// Shorter strings are never reported: every built-in format is longer, and it keeps the scan cheap.
const MIN_CANDIDATE_LENGTH = 16;

/** The first rule a string matches, or undefined. */
export function detectCredential(value: string, patterns: PatternSet = BUILTIN_PATTERNS): CompiledRule | undefined {
  if (value.length < MIN_CANDIDATE_LENGTH) return undefined;
  if (patterns.anyKeyword && !patterns.anyKeyword.test(value)) return undefined;
  for (const rule of patterns.rules) {
    if (rule.keywords.length && !hasKeyword(value, rule.keywords)) continue;
    if (rule.pattern.test(value)) return rule;
  }
  return undefined;
}
