// Diagnostics over a real LSP connection: codes, exact ranges, messages in OpenClaw's words, links to
// docs/diagnostics.md, JSON5 input, .env and auth-profiles.json, provider file checks with real modes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { rangeOf, startSession, tempDir, uriOf } from './lspHarness';
import { DIAGNOSTICS_DOC_URL } from '../../server/src/lsp/diagnostics';
import { FINDING_CODES } from '../../server/src/engine/analyze/analyze';

const JSON5_CONFIG = `{
  // JSON5: comments, unquoted keys, single quotes, trailing commas
  models: {
    providers: {
      openai: { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test-CANARY-JSON5-0000', },
      local: { apiKey: 'lmstudio-local' },
    },
  },
  notes: { backup: 'sk-proj-CANARYFAKEabcdefghijklmnopqrstuvwxyz012345' },
}
`;

test('plaintext at a credential path and a known format elsewhere, with exact ranges in JSON5', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    const { diagnostics } = await s.open(file, JSON5_CONFIG);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range]),
      [
        ['PLAINTEXT_FOUND', rangeOf(JSON5_CONFIG, `'sk-test-CANARY-JSON5-0000'`)],
        // `notes` is no key of openclaw.json: OpenClaw 2026.9.6 answers `<root>: Unrecognized key: "notes"`.
        ['CONFIG_SCHEMA_INVALID', rangeOf(JSON5_CONFIG, 'notes')],
        ['KNOWN_CREDENTIAL_FORMAT', rangeOf(JSON5_CONFIG, `'sk-proj-CANARYFAKEabcdefghijklmnopqrstuvwxyz012345'`)],
      ],
    );
    const [plain, , known] = diagnostics;
    assert.equal(plain.source, 'openclaw-secrets');
    assert.equal(
      plain.message,
      'models.providers.openai.apiKey is stored as plaintext. It looks like an OpenAI API key. Convert it to a SecretRef so the value lives in a provider.',
    );
    assert.equal(plain.codeDescription?.href, `${DIAGNOSTICS_DOC_URL}#plaintext_found`);
    assert.match(known.message, /^notes\.backup looks like an OpenAI API key\./);
    for (const d of diagnostics) assert.ok(!d.message.includes('CANARY'));
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const REFS_CONFIG = `{ "secrets": { "providers": { "filemain": { "source": "file", "path": "/nonexistent-ocs/secrets.json", "mode": "json" },
                               "rel": { "source": "exec", "command": "bin/resolver" },
                               "envp": { "source": "env", "allowlist": ["ALLOWED_KEY"] },
                               "one": { "source": "file", "path": "/nonexistent-ocs/one.txt", "mode": "singleValue", "allowInsecurePath": true } } },
  "models": { "providers": {
    "p1": { "apiKey": { "source": "env", "provider": "default", "id": "openai_api_key" } },
    "p2": { "apiKey": { "source": "file", "provider": "filemain", "id": "providers/openai/apiKey" } },
    "p3": { "apiKey": { "source": "vault", "provider": "default", "id": "X" } },
    "p4": { "apiKey": { "source": "exec", "provider": "rel", "id": "a/../b" } },
    "p5": { "apiKey": { "source": "file", "provider": "nosuch", "id": "/x" } },
    "p6": { "apiKey": { "source": "exec", "provider": "envp", "id": "k" } },
    "p7": { "apiKey": { "source": "env", "provider": "envp", "id": "OTHER_KEY" } },
    "p8": { "apiKey": { "source": "file", "provider": "one", "id": "/x" } },
    "p9": { "apiKey": { "source": "env", "provider": "Bad", "id": "K", "extra": 1 } } } } }
`;

test("invalid refs and providers: the code, the range of the offending value or key, OpenClaw's message", async () => {
  const dir = tempDir();
  const s = await startSession({ autoResolve: false });
  try {
    const file = path.join(dir, 'openclaw.json');
    const { diagnostics } = await s.open(file, REFS_CONFIG);
    const got = diagnostics.map((d) => ({ code: d.code, range: d.range, message: d.message }));
    const expect = (code: string, snippet: string, message: RegExp | string, nth = 0) => {
      const range = rangeOf(REFS_CONFIG, snippet, nth);
      const hit = got.find((g) => g.code === code && JSON.stringify(g.range) === JSON.stringify(range));
      assert.ok(
        hit,
        `${code} at ${snippet}: got ${JSON.stringify(
          got.map((g) => [g.code, g.message]),
          null,
          1,
        )}`,
      );
      if (typeof message === 'string') assert.equal(hit.message, message);
      else assert.match(hit.message, message);
    };
    expect(
      'PROVIDER_INVALID',
      '"bin/resolver"',
      'secrets.providers.rel.command: secrets.providers.*.command must be an absolute path.',
    );
    expect(
      'PROVIDER_KEY_REMOVED',
      '"allowInsecurePath"',
      /^secrets\.providers\.one\.allowInsecurePath: OpenClaw 2026\.9\.6 removed allowInsecurePath/,
    );
    expect(
      'REF_INVALID_ID',
      '"openai_api_key"',
      'models.providers.p1.apiKey.id: Env secret reference id must match /^[A-Z][A-Z0-9_]{0,127}$/ (example: "OPENAI_API_KEY").',
    );
    expect('REF_INVALID_ID', '"providers/openai/apiKey"', /File secret reference id must be an absolute JSON pointer/);
    expect(
      'REF_INVALID_SHAPE',
      '"vault"',
      'models.providers.p3.apiKey: Invalid input. "source" must be "env", "file", "exec" or "store".',
    );
    expect('REF_INVALID_ID', '"a/../b"', /must not include "\." or "\.\." path segments/);
    expect(
      'REF_PROVIDER_NOT_DECLARED',
      '"nosuch"',
      'models.providers.p5.apiKey: Secret provider "nosuch" is not configured (ref: file:nosuch:/x). Declare it under secrets.providers.',
    );
    expect(
      'REF_PROVIDER_SOURCE_MISMATCH',
      '"envp"',
      'models.providers.p6.apiKey: Secret provider "envp" has source "env" but ref requests "exec".',
      1,
    );
    expect(
      'REF_ENV_NOT_ALLOWLISTED',
      '"OTHER_KEY"',
      'models.providers.p7.apiKey: Environment variable "OTHER_KEY" is not allowlisted in secrets.providers.envp.allowlist.',
    );
    expect(
      'REF_INVALID_ID',
      '"/x"',
      'models.providers.p8.apiKey: singleValue file provider "one" expects ref id "value".',
      1,
    );
    expect('REF_INVALID_PROVIDER', '"Bad"', /Secret reference provider must match/);
    expect(
      'REF_INVALID_SHAPE',
      '"extra"',
      'models.providers.p9.apiKey: Unrecognized key: "extra". A SecretRef has exactly source, provider and id.',
    );
    expect(
      'PROVIDER_PATH_INSECURE',
      '"/nonexistent-ocs/secrets.json"',
      "secrets.providers.filemain.path is not readable: /nonexistent-ocs/secrets.json | ENOENT: no such file or directory, lstat '/nonexistent-ocs/secrets.json' | ENOENT | not-found | ENOENT",
    );
    for (const d of diagnostics)
      assert.equal(d.codeDescription?.href, `${DIAGNOSTICS_DOC_URL}#${String(d.code).toLowerCase()}`);
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a ref used without a secrets.providers block names the fix; the implicit env provider is fine', async () => {
  const dir = tempDir();
  const s = await startSession({ autoResolve: false });
  try {
    const text = `{ "models": { "providers": { "a": { "apiKey": { "source": "file", "provider": "vault", "id": "/k" } }, "b": { "apiKey": { "source": "env", "provider": "default", "id": "OPENAI_API_KEY" } } } } }`;
    const { diagnostics } = await s.open(path.join(dir, 'openclaw.json'), text);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, 'PROVIDERS_BLOCK_MISSING');
    assert.deepEqual(diagnostics[0].range, rangeOf(text, '"vault"'));
    assert.equal(
      diagnostics[0].message,
      'models.providers.a.apiKey: file:vault:/k uses provider "vault" but the config has no secrets.providers block, so OpenClaw cannot resolve it (its audit: Secret provider "vault" is not configured). Declare secrets.providers.vault with source "file".',
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('file provider permissions, symlinks and maxBytes are checked on the real file', async () => {
  const dir = tempDir();
  const s = await startSession({ autoResolve: false });
  try {
    const secrets = path.join(dir, 'secrets.json');
    fs.writeFileSync(secrets, '{"k":"sk-test-CANARY-FILE"}');
    fs.chmodSync(secrets, 0o644);
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(secrets, link);
    const text = JSON.stringify(
      {
        secrets: {
          providers: {
            f: { source: 'file', path: secrets },
            l: { source: 'file', path: link },
            small: { source: 'file', path: secrets, maxBytes: 4 },
          },
        },
      },
      null,
      2,
    );
    const file = path.join(dir, 'openclaw.json');
    const { diagnostics } = await s.open(file, text);
    const byCode = diagnostics.map((d) => [d.code, d.message]);
    assert.deepEqual(byCode, [
      [
        'PROVIDER_PATH_INSECURE',
        `secrets.providers.f.path permissions are too open: ${secrets} OpenClaw needs the file to be 0600 or 0400.`,
      ],
      ['PROVIDER_PATH_INSECURE', `secrets.providers.l.path must not be a symlink: ${link}`],
      [
        'PROVIDER_PATH_INSECURE',
        `secrets.providers.small.path permissions are too open: ${secrets} OpenClaw needs the file to be 0600 or 0400.`,
      ],
    ]);
    fs.chmodSync(secrets, 0o600);
    const after = await s.change(file, text + '\n');
    assert.deepEqual(
      after.diagnostics.map((d) => [d.code, d.message]),
      [
        ['PROVIDER_PATH_INSECURE', `secrets.providers.l.path must not be a symlink: ${link}`],
        ['PROVIDER_FILE_TOO_LARGE', `File provider "small" exceeded maxBytes (4): the file has 27 bytes.`],
      ],
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('syntax errors are reported at their position; the next good version clears them', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    const bad = '{ "models": { "providers": ] } }';
    const { diagnostics } = await s.open(file, bad);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, 'SYNTAX_ERROR');
    assert.deepEqual(diagnostics[0].range.start, { line: 0, character: bad.indexOf(']') });
    const good = await s.change(file, '{ "models": { "providers": {} } }');
    assert.deepEqual(good.diagnostics, []);
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('.env beside openclaw.json: provider keys in plaintext, empty values and unrelated keys ignored', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    fs.writeFileSync(path.join(dir, 'openclaw.json'), '{}');
    const text =
      'OPENAI_API_KEY=sk-test-CANARY-DOTENV\nANTHROPIC_API_KEY=\nexport GITHUB_TOKEN="ghp_CANARYFAKEabcdefghijklmnopqrstuvwxyz"\nSOMETHING_ELSE=x\n';
    const { diagnostics } = await s.open(path.join(dir, '.env'), text);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range, d.message]),
      [
        [
          'DOTENV_PLAINTEXT',
          rangeOf(text, 'sk-test-CANARY-DOTENV'),
          'Potential secret found in .env (OPENAI_API_KEY). OpenClaw loads it into its environment in plaintext.',
        ],
        [
          'DOTENV_PLAINTEXT',
          rangeOf(text, 'ghp_CANARYFAKEabcdefghijklmnopqrstuvwxyz'),
          'Potential secret found in .env (GITHUB_TOKEN). OpenClaw loads it into its environment in plaintext; it looks like a GitHub token.',
        ],
      ],
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('auth-profiles.json: plaintext key/token of the right profile type, refs checked against the config', async () => {
  const dir = tempDir();
  const s = await startSession({ autoResolve: false });
  try {
    fs.writeFileSync(
      path.join(dir, 'openclaw.json'),
      JSON.stringify({ secrets: { providers: { envp: { source: 'env', allowlist: ['A_KEY'] } } } }),
    );
    const agentDir = path.join(dir, 'agents', 'main', 'agent');
    fs.mkdirSync(agentDir, { recursive: true });
    const text = JSON.stringify(
      {
        version: 1,
        profiles: {
          'openai:default': { type: 'api_key', provider: 'openai', key: 'sk-test-CANARY-PROFILE' },
          'tg:default': { type: 'token', provider: 'telegram', token: 'sk-test-CANARY-TOKEN' },
          'ref:default': { type: 'api_key', provider: 'x', keyRef: { source: 'env', provider: 'envp', id: 'B_KEY' } },
        },
      },
      null,
      2,
    );
    const { diagnostics } = await s.open(path.join(agentDir, 'auth-profiles.json'), text);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range, d.message]),
      [
        [
          'AUTH_PROFILE_PLAINTEXT',
          rangeOf(text, '"sk-test-CANARY-PROFILE"'),
          'profiles.openai:default.key is stored as plaintext. Convert it to a SecretRef so the value lives in a provider.',
        ],
        [
          'AUTH_PROFILE_PLAINTEXT',
          rangeOf(text, '"sk-test-CANARY-TOKEN"'),
          'profiles.tg:default.token is stored as plaintext. Convert it to a SecretRef so the value lives in a provider.',
        ],
        [
          'REF_ENV_NOT_ALLOWLISTED',
          rangeOf(text, '"B_KEY"'),
          'profiles.ref:default.keyRef: Environment variable "B_KEY" is not allowlisted in secrets.providers.envp.allowlist.',
        ],
      ],
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ignored fingerprints from settings silence exactly that finding', async () => {
  const dir = tempDir();
  const text =
    '{ "gateway": { "auth": { "token": "sk-test-CANARY-GW-1" } }, "talk": { "providers": { "x": { "apiKey": "sk-test-CANARY-TALK-1" } } } }';
  const first = await startSession();
  let key: string;
  try {
    const file = path.join(dir, 'openclaw.json');
    const { diagnostics } = await first.open(file, text);
    assert.equal(diagnostics.length, 2);
    // The key is not sent with the diagnostic (it is computed when asked): the Ignore action carries it.
    assert.equal((diagnostics[0].data as { ignoreKey?: string }).ignoreKey, undefined);
    const actions = (await first.client.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uriOf(file) },
      range: diagnostics[0].range,
      context: { diagnostics: [diagnostics[0]] },
    })) as CodeAction[];
    const ignore = actions.find((a) => a.title === 'Ignore this finding');
    key = (ignore?.command?.arguments?.[0] as { fingerprint: string }).fingerprint;
    assert.match(key, /^gateway\.auth\.token hmac:[0-9a-f]{8}$/);
  } finally {
    await first.close();
  }
  const second = await startSession({ settings: { ignoredFingerprints: [key] } });
  try {
    const { diagnostics } = await second.open(path.join(dir, 'openclaw.json'), text);
    assert.deepEqual(
      diagnostics.map((d) => (d.data as { jsonPath: string }).jsonPath),
      ['talk.providers.x.apiKey'],
    );
  } finally {
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('env refs resolve in the background: an unset variable becomes REF_UNRESOLVED with its code', async () => {
  const dir = tempDir();
  const s = await startSession({ env: { SET_KEY: 'sk-test-CANARY-ENV' } });
  try {
    const file = path.join(dir, 'openclaw.json');
    const text =
      '{ "channels": { "telegram": { "botToken": "${TG_TOKEN}" } }, "talk": { "apiKey": { "source": "env", "provider": "default", "id": "SET_KEY" } } }';
    const wait = s.nextDiagnostics(file, (d) => d.some((x) => x.code === 'REF_UNRESOLVED'));
    await s.open(file, text);
    const { diagnostics } = await wait;
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range, d.message]),
      [
        [
          'REF_UNRESOLVED',
          rangeOf(text, '"${TG_TOKEN}"'),
          'channels.telegram.botToken: Failed to resolve env:default:TG_TOKEN (Environment variable "TG_TOKEN" is missing or empty.).',
        ],
        // 2026.9.6 has no `talk.apiKey` (only `talk.providers.*.apiKey`): `talk: Unrecognized key: "apiKey"`.
        [
          'CONFIG_SCHEMA_INVALID',
          rangeOf(text, '"apiKey"'),
          'Unknown key "apiKey": OpenClaw\'s schema does not allow it here (OpenClaw 2026.9.6 schema, bundled snapshot).',
        ],
      ],
    );
    assert.equal((diagnostics[0].data as { resolutionCode: string }).resolutionCode, 'SECRET_REF_NOT_FOUND');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('docs/diagnostics.md has one section per diagnostic code (the codeDescription anchors)', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'diagnostics.md'), 'utf8');
  const sections = [...doc.matchAll(/^## ([a-z_]+)$/gm)].map((m) => m[1]);
  assert.deepEqual([...sections].sort(), FINDING_CODES.map((c) => c.toLowerCase()).sort());
});

test('a channel path OpenClaw audits only with its plugin installed is flagged, and says so', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const file = path.join(dir, 'openclaw.json');
    const text =
      '{ "channels": { "discord": { "token": "sk-test-CANARY-DISCORD-0001" }, "telegram": { "botToken": "sk-test-CANARY-TG-0001" } } }';
    const { diagnostics } = await s.open(file, text);
    assert.deepEqual(
      diagnostics.map((d) => [
        d.code,
        d.message.endsWith('(OpenClaw 2026.9.6 audits this path only when its channel or plugin is installed.)'),
      ]),
      [
        ['PLAINTEXT_FOUND', true],
        ['PLAINTEXT_FOUND', false],
      ],
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
