// A fresh workspace per run (a reused folder would bring back the last run's dirty buffers): plaintext,
// env refs (one set, one unset), and an exec provider whose resolver leaves a marker each time it runs.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const CANARY = 'sk-test-CANARY-e2e-0123456789abcdef';
const PRESENT_ENV = 'OPENCLAW_E2E_PRESENT_KEY';
const MISSING_ENV = 'OPENCLAW_E2E_MISSING_KEY';
/** Env the runner gives code-server (and so the extension host and the language server). */
const SERVER_ENV = { [PRESENT_ENV]: 'sk-test-CANARY-e2e-present-value' };

const model = (name) => `"models": [{ "id": "${name}-test", "name": "${name} test" }]`;

function writeWorkspace(root) {
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(
    path.join(root, 'openclaw.json'),
    `{
  // An OpenClaw config with one plaintext key (fake).
  "models": {
    "mode": "merge",
    "providers": {
      "openai": {
        "baseUrl": "https://api.openai.com/v1",
        "api": "openai-responses",
        "apiKey": "${CANARY}",
        ${model('gpt')}
      }
    }
  }
}
`,
  );
  const refs = path.join(root, 'refs');
  fs.mkdirSync(refs);
  fs.writeFileSync(
    path.join(refs, 'openclaw.json'),
    `{
  "secrets": { "providers": { "default": { "source": "env" } } },
  "models": {
    "mode": "merge",
    "providers": {
      "openai": {
        "baseUrl": "https://api.openai.com/v1",
        "api": "openai-responses",
        "apiKey": { "source": "env", "provider": "default", "id": "${PRESENT_ENV}" },
        ${model('gpt')}
      },
      "anthropic": {
        "baseUrl": "https://api.anthropic.com",
        "api": "anthropic-messages",
        "apiKey": { "source": "env", "provider": "default", "id": "${MISSING_ENV}" },
        ${model('claude')}
      }
    }
  }
}
`,
  );
  const exec = path.join(root, 'exec');
  fs.mkdirSync(exec, { mode: 0o700 });
  const resolver = path.join(exec, 'resolver.sh');
  fs.writeFileSync(
    resolver,
    `#!/bin/sh
# Fake exec resolver: records that it ran, answers OpenClaw's protocol v1.
/bin/cat > /dev/null
echo ran >> "${path.join(exec, 'ran.log')}"
printf '{"protocolVersion":1,"values":{"openai/apiKey":"sk-test-CANARY-e2e-exec"}}'
`,
    { mode: 0o700 },
  );
  fs.chmodSync(resolver, 0o700);
  fs.writeFileSync(
    path.join(exec, 'openclaw.json'),
    `{
  "secrets": { "providers": { "vault": { "source": "exec", "command": "${resolver}", "jsonOnly": true } } },
  "models": {
    "mode": "merge",
    "providers": {
      "openai": {
        "baseUrl": "https://api.openai.com/v1",
        "api": "openai-responses",
        "apiKey": { "source": "exec", "provider": "vault", "id": "openai/apiKey" },
        ${model('gpt')}
      }
    }
  }
}
`,
  );
  // openclaw.json as OpenClaw's docs write it (JSON5): its one real finding is the plaintext key. The same
  // text as plain .json is the control: VS Code's JSON service must flag it, and never the config itself.
  const json5 = path.join(root, 'json5');
  fs.mkdirSync(json5);
  fs.writeFileSync(path.join(json5, 'openclaw.json'), JSON5_CONFIG);
  fs.writeFileSync(path.join(json5, 'control.json'), JSON5_CONFIG);
  // OpenClaw's schema in the editor: the same JSON5 config (its key now an env ref, so no value is on screen) with
  // one key the schema does not know and secrets.egressProxy to hover; a config whose auth mode is being typed.
  fs.mkdirSync(path.join(root, 'schema-key'));
  fs.writeFileSync(path.join(root, 'schema-key', 'openclaw.json'), SCHEMA_UNKNOWN_KEY_CONFIG);
  fs.mkdirSync(path.join(root, 'schema-mode'));
  fs.writeFileSync(path.join(root, 'schema-mode', 'openclaw.json'), SCHEMA_MODE_CONFIG);
  return { root, resolver, execMarker: path.join(exec, 'ran.log') };
}

const JSON5_CONFIG = `// OpenClaw config in JSON5: comments, unquoted keys, single quotes, trailing commas.
{
  secrets: {
    providers: {
      default: { source: 'env', allowlist: ['${PRESENT_ENV}'], },
    },
  },
  /* models and their keys */
  models: {
    mode: 'merge',
    providers: {
      openai: {
        baseUrl: 'https://api.openai.com/v1',
        api: 'openai-responses',
        apiKey: { source: 'env', provider: 'default', id: '${PRESENT_ENV}', },
        models: [{ id: 'gpt-test', name: 'GPT test', },],
      },
      anthropic: {
        baseUrl: 'https://api.anthropic.com',
        api: 'anthropic-messages',
        apiKey: '${CANARY}', // the one real finding
        models: [{ id: 'claude-test', name: 'Claude test', },],
      },
    },
  },
  gateway: { port: 18789, auth: { mode: 'token', }, },
}
`;

const SCHEMA_UNKNOWN_KEY = 'someUnknownKey';
const SCHEMA_UNKNOWN_KEY_CONFIG = JSON5_CONFIG.replace(
  `allowlist: ['${PRESENT_ENV}'], },\n    },\n`,
  `allowlist: ['${PRESENT_ENV}'], },\n    },\n    egressProxy: { enabled: true, allowedHosts: ['api.example.com'], },\n`,
)
  .replace(
    '  gateway: {',
    `  channels: {\n    telegram: {\n      enabled: true,\n      ${SCHEMA_UNKNOWN_KEY}: 1, // not in OpenClaw's schema\n    },\n  },\n  gateway: {`,
  )
  .replace(
    `apiKey: '${CANARY}', // the one real finding`,
    `apiKey: { source: 'env', provider: 'default', id: '${PRESENT_ENV}', },`,
  );
if (!SCHEMA_UNKNOWN_KEY_CONFIG.includes('egressProxy') || !SCHEMA_UNKNOWN_KEY_CONFIG.includes(SCHEMA_UNKNOWN_KEY))
  throw new Error('the schema fixture no longer derives from the JSON5 config');
const SCHEMA_MODE_CONFIG = `// OpenClaw config: the gateway's auth mode is being typed.
{
  gateway: { auth: { mode: "" } },
}
`;

const GATEWAY_TOKEN_ENV = 'OPENCLAW_E2E_GATEWAY_TOKEN';
const GATEWAY_TOKEN = 'gw-test-CANARY-e2e-token-0123456789';

/** gateway/openclaw.json: names the real gateway the smoke test starts; its token comes from the env. */
function writeGatewayWorkspace(root, port) {
  fs.mkdirSync(path.join(root, 'gateway'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'gateway', 'openclaw.json'),
    `{
  // The running OpenClaw gateway this workspace talks to (token from the environment, never in the file).
  "gateway": { "mode": "local", "port": ${port}, "auth": { "mode": "token", "token": "\${${GATEWAY_TOKEN_ENV}}" } }
}
`,
  );
}

module.exports = {
  writeWorkspace,
  writeGatewayWorkspace,
  CANARY,
  SCHEMA_UNKNOWN_KEY,
  PRESENT_ENV,
  MISSING_ENV,
  SERVER_ENV,
  GATEWAY_TOKEN,
  GATEWAY_TOKEN_ENV,
};
