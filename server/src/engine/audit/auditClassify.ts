// What a value at a credential path is, the way `openclaw secrets audit` 2026.9.6 sees it: a ref, an env
// shorthand, nothing to report, a known non-secret marker, plaintext, or a broken ref attempt.
import { coerceSecretRef, looksLikeRefObject, type SecretDefaults } from '../refs/secretRef';
import type { ConcretePath, CredentialTarget } from '../targets/targetRegistry';
import { isNonEmptyString, isRecord } from '../config/jsonValue';

export type CredentialValueKind = 'ref' | 'env-shorthand' | 'empty' | 'marker' | 'plaintext' | 'invalid-ref';

/** Env var names OpenClaw's provider plugins read credentials from (9.6, bundled plugins). */
export const PROVIDER_AUTH_ENV_VARS: readonly string[] = [
  'MODELSTUDIO_API_KEY',
  'DASHSCOPE_API_KEY',
  'QWEN_API_KEY',
  'ANTHROPIC_OAUTH_TOKEN',
  'ANTHROPIC_API_KEY',
  'AZURE_SPEECH_KEY',
  'AZURE_SPEECH_API_KEY',
  'SPEECH_KEY',
  'AZURE_SPEECH_REGION',
  'SPEECH_REGION',
  'CLAWROUTER_API_KEY',
  'DEEPGRAM_API_KEY',
  'ELEVENLABS_API_KEY',
  'XI_API_KEY',
  'FAL_KEY',
  'FAL_API_KEY',
  'COPILOT_GITHUB_TOKEN',
  'GOOGLE_CLOUD_API_KEY',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'HUGGINGFACE_HUB_TOKEN',
  'HF_TOKEN',
  'LITELLM_API_KEY',
  'LM_API_TOKEN',
  'AZURE_OPENAI_API_KEY',
  'MINIMAX_CODE_PLAN_KEY',
  'MINIMAX_CODING_API_KEY',
  'MINIMAX_API_KEY',
  'MINIMAX_OAUTH_TOKEN',
  'NVIDIA_API_KEY',
  'OLLAMA_API_KEY',
  'CODEX_API_KEY',
  'OPENAI_API_KEY',
  'OPENCODE_API_KEY',
  'OPENCODE_ZEN_API_KEY',
  'OPENROUTER_API_KEY',
  'RUNWAYML_API_SECRET',
  'RUNWAY_API_KEY',
  'SENSEAUDIO_API_KEY',
  'SGLANG_API_KEY',
  'TOGETHER_API_KEY',
  'VLLM_API_KEY',
  'XAI_API_KEY',
  'VOYAGE_API_KEY',
  'CEREBRAS_API_KEY',
  'ANTHROPIC_ADMIN_KEY',
  'ANTHROPIC_ADMIN_API_KEY',
  'OPENAI_ADMIN_KEY',
];

/** Keys whose non-empty value in `<configDir>/.env` the 9.6 audit reports as a potential secret. */
export const KNOWN_SECRET_ENV_VARS: ReadonlySet<string> = new Set([
  'GH_TOKEN',
  'GITHUB_TOKEN',
  ...PROVIDER_AUTH_ENV_VARS,
]);

const LEGACY_ENV_API_KEY_MARKERS = [
  'GOOGLE_API_KEY',
  'DEEPSEEK_API_KEY',
  'PERPLEXITY_API_KEY',
  'FIREWORKS_API_KEY',
  'NOVITA_API_KEY',
  'AZURE_OPENAI_API_KEY',
  'AZURE_API_KEY',
  'MINIMAX_CODE_PLAN_KEY',
];
const AWS_SDK_ENV_MARKERS = ['AWS_BEARER_TOKEN_BEDROCK', 'AWS_ACCESS_KEY_ID', 'AWS_PROFILE'];

/** Placeholders OpenClaw itself writes as a model apiKey; they name an auth mode, not a secret. */
const NON_SECRET_API_KEY_MARKERS = new Set([
  'custom-local',
  'codex-app-server',
  'gcp-vertex-credentials',
  'ollama-local',
  'secretref-managed',
  'openclaw:claude-cli-native-auth',
  'apple-fm-local',
  'lmstudio-local',
  'minimax-oauth',
  ...AWS_SDK_ENV_MARKERS,
]);
const ENV_NAME_API_KEY_MARKERS = new Set([
  ...PROVIDER_AUTH_ENV_VARS,
  ...LEGACY_ENV_API_KEY_MARKERS,
  ...AWS_SDK_ENV_MARKERS,
]);

/** A model apiKey that is a marker (`ollama-local`, `oauth:<provider>`, an env var *name*), not a key. */
export function isNonSecretApiKeyMarker(value: string): boolean {
  const v = value.trim();
  if (!v) return false;
  return (
    v.startsWith('oauth:') ||
    NON_SECRET_API_KEY_MARKERS.has(v) ||
    isSecretRefHeaderMarker(v) ||
    ENV_NAME_API_KEY_MARKERS.has(v)
  );
}

export function isSecretRefHeaderMarker(value: string): boolean {
  const v = value.trim();
  return v === 'secretref-managed' || v.startsWith('secretref-env:');
}

const ALWAYS_SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'auth-token',
  'x-access-token',
  'access-token',
  'x-secret-key',
  'secret-key',
]);
const SENSITIVE_HEADER_FRAGMENTS = ['api-key', 'apikey', 'token', 'secret', 'password', 'credential'];

/** Header names that carry credentials (`Authorization` yes, `X-Trace` no). */
export function isSensitiveHeaderName(name: string): boolean {
  const n = name.trim().toLowerCase();
  if (!n) return false;
  return ALWAYS_SENSITIVE_HEADERS.has(n) || SENSITIVE_HEADER_FRAGMENTS.some((f) => n.includes(f));
}

/** What OpenClaw counts as configured plaintext: a non-empty string, or a non-empty object where objects are allowed. */
export function hasPlaintextValue(value: unknown, expected: CredentialTarget['expectedResolvedValue']): boolean {
  if (expected === 'string') return isNonEmptyString(value);
  return isNonEmptyString(value) || (isRecord(value) && Object.keys(value).length > 0);
}

/**
 * Classify the value at a credential path. `path` (the concrete path) lets header targets check the
 * header name; without it every header counts as sensitive.
 */
export function classifyCredentialValue(
  value: unknown,
  target: CredentialTarget,
  defaults?: SecretDefaults,
  path?: ConcretePath,
): CredentialValueKind {
  const ref = coerceSecretRef(value, defaults);
  if (ref) return typeof value === 'string' ? 'env-shorthand' : 'ref';
  if (looksLikeRefObject(value)) return 'invalid-ref';
  if (!hasPlaintextValue(value, target.expectedResolvedValue)) return 'empty';
  if (target.id === 'models.providers.*.apiKey' && typeof value === 'string' && isNonSecretApiKeyMarker(value))
    return 'marker';
  if (
    target.id === 'models.providers.*.headers.*' &&
    path &&
    path.length > 0 &&
    !isSensitiveHeaderName(String(path[path.length - 1]))
  )
    return 'marker';
  return 'plaintext';
}
