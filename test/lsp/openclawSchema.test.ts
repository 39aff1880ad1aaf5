// OpenClaw's own config schema over a real LSP connection: one error on an unknown key, enum completion,
// hover docs from the schema's descriptions, a 2026.9 config that stays clean, and a broken schema file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompletionItem, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { startSession, tempDir, uriOf } from './lspHarness';

function posOf(text: string, snippet: string, delta = 0) {
  const at = text.indexOf(snippet) + delta;
  assert.ok(at >= delta, `snippet ${snippet} not in text`);
  const before = text.slice(0, at);
  return { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) };
}

const schemaErrors = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'CONFIG_SCHEMA_INVALID');

test('an unknown key in JSON5 gets exactly one error, on that key, and nothing else is reported', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const text = `// OpenClaw config, JSON5 as its docs write it
{
  channels: {
    telegram: {
      enabled: true,
      someUnknownKey: 1, // not in OpenClaw's schema
    },
  },
  gateway: { auth: { mode: 'token' } },
}
`;
    const file = path.join(dir, 'openclaw.json');
    const published = await s.open(file, text);
    const errors = published.diagnostics.filter((d) => d.severity === 1);
    assert.equal(errors.length, 1, JSON.stringify(published.diagnostics));
    assert.equal(errors[0].code, 'CONFIG_SCHEMA_INVALID');
    assert.deepEqual(errors[0].range, {
      start: posOf(text, 'someUnknownKey'),
      end: posOf(text, 'someUnknownKey', 'someUnknownKey'.length),
    });
    assert.match(errors[0].message, /Unknown key "someUnknownKey"/);
    assert.match(errors[0].message, /OpenClaw 2026\.9\.6 schema, bundled snapshot/);
    assert.equal(published.diagnostics.length, 1);
    // A request answered after the publish means the status notification sent with it has arrived too.
    await s.client.sendRequest('textDocument/hover', {
      textDocument: { uri: uriOf(file) },
      position: { line: 0, character: 0 },
    });
    const status = s.messages
      .filter((m) => m.method === 'openclawSecrets/status')
      .map((m) => m.params as { schema?: string });
    assert.equal(status.at(-1)?.schema, 'OpenClaw 2026.9.6 schema, bundled snapshot');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a bad enum is reported once on the value with OpenClaw's allowed values; the value is never echoed", async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const text = `{ gateway: { auth: { mode: "bogus-sk-test-CANARY-ENUM" } } }\n`;
    const published = await s.open(path.join(dir, 'openclaw.json'), text);
    const errors = schemaErrors(published.diagnostics);
    assert.equal(errors.length, 1, JSON.stringify(published.diagnostics));
    assert.deepEqual(errors[0].range.start, posOf(text, '"bogus'));
    assert.deepEqual(errors[0].range.end, posOf(text, ' } } }'));
    assert.match(errors[0].message, /allowed: "none", "token", "password", "trusted-proxy"/);
    assert.ok(!s.serverOutput().includes('CANARY'));
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a valid 2026.9 config (secrets.egressProxy, store provider, talk with one provider) has no schema error', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const text = `{
  secrets: {
    egressProxy: { enabled: true, allowedHosts: ['api.example.com'] },
  },
  talk: { providers: { eleven: { voiceId: 'v1' } } },
}
`;
    const published = await s.open(path.join(dir, 'openclaw.json'), text);
    assert.deepEqual(schemaErrors(published.diagnostics), []);
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('talk.provider is required when talk.providers defines several (a named rule beyond the schema)', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const text = `{ talk: { providers: { a: { voiceId: "x" }, b: { voiceId: "y" } } } }\n`;
    const published = await s.open(path.join(dir, 'openclaw.json'), text);
    const errors = schemaErrors(published.diagnostics);
    assert.equal(errors.length, 1, JSON.stringify(published.diagnostics));
    assert.match(errors[0].message, /talk\.provider is required when talk\.providers defines multiple providers/);
    assert.deepEqual(errors[0].range.start, posOf(text, 'talk'));
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('completion after gateway: { auth: { mode: " offers OpenClaw\'s modes; keys complete from the schema', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const text = `{ gateway: { auth: { mode: "" } } }\n`;
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, text);
    const modes = (await s.client.sendRequest('textDocument/completion', {
      textDocument: { uri: uriOf(file) },
      position: posOf(text, '"" }', 1),
    })) as CompletionItem[];
    assert.deepEqual(
      modes.map((i) => i.label),
      ['none', 'token', 'password', 'trusted-proxy'],
    );
    const keys = (await s.client.sendRequest('textDocument/completion', {
      textDocument: { uri: uriOf(file) },
      position: posOf(text, 'mode', 'mode'.length + 5),
    })) as CompletionItem[];
    const labels = keys.map((i) => i.label);
    for (const k of ['token', 'password', 'rateLimit']) assert.ok(labels.includes(k), `${k} in ${labels.join(',')}`);
    assert.ok(!labels.includes('mode'), 'a key already present is not offered again');
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('completion writes keys and values in the file style: its quote character, bare keys only where its keys are bare', async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const quotedKeys = `{ 'gateway': { 'auth': { 'mode': 'token',  } } }\n`;
    const bareKeys = `{ gateway: { auth: { mode: 'token' } } }\n`;
    const json = `{ "gateway": { "auth": { "mode": "token",  } } }\n`;
    const completeAt = async (name: string, text: string, snippet: string, delta: number) => {
      const file = path.join(dir, name, 'openclaw.json');
      fs.mkdirSync(path.dirname(file));
      await s.open(file, text);
      return (await s.client.sendRequest('textDocument/completion', {
        textDocument: { uri: uriOf(file) },
        position: posOf(text, snippet, delta),
      })) as CompletionItem[];
    };
    const newText = (items: CompletionItem[], label: string) =>
      (items.find((i) => i.label === label)?.textEdit as { newText: string } | undefined)?.newText;
    assert.equal(newText(await completeAt('q', quotedKeys, "'token',  }", 10), 'password'), `'password': `);
    assert.equal(newText(await completeAt('b', bareKeys, "'token'", 0), 'none'), `'none'`);
    assert.equal(newText(await completeAt('j', json, '"token",  }', 10), 'password'), `"password": `);
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("hover on egressProxy shows OpenClaw's title and description, and which schema", async () => {
  const dir = tempDir();
  const s = await startSession();
  try {
    const text = `{ secrets: { egressProxy: { enabled: true } } }\n`;
    const file = path.join(dir, 'openclaw.json');
    await s.open(file, text);
    const hover = (await s.client.sendRequest('textDocument/hover', {
      textDocument: { uri: uriOf(file) },
      position: posOf(text, 'egressProxy', 3),
    })) as Hover;
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*Secret Egress Proxy\*\*/);
    assert.match(value, /Gateway-owned loopback proxy that replaces shared-store secret sentinels/);
    assert.match(value, /OpenClaw 2026\.9\.6 schema, bundled snapshot/);
    assert.deepEqual(hover.range?.start, posOf(text, 'egressProxy'));
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const [what, content, cause] of [
  ['missing', undefined, /cannot open .*nope\.json \(ENOENT\)/],
  ['not JSON', '{ "type": "object", ', /is not JSON/],
  [
    'not a draft-07 object',
    '{ "$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "properties": {} }',
    /not a draft-07 JSON Schema/,
  ],
  ['an array', '[1, 2]', /top level is an array/],
] as const) {
  test(`a schema file that is ${what}: a warning naming the cause, the snapshot takes over, other checks go on`, async () => {
    const dir = tempDir();
    const schemaFile = path.join(dir, content === undefined ? 'nope.json' : 'schema.json');
    if (content !== undefined) fs.writeFileSync(schemaFile, content);
    const s = await startSession({ settings: { schema: { path: schemaFile } } });
    try {
      const text = `{ channels: { telegram: { someUnknownKey: 1 } }, models: { providers: { openai: { apiKey: "sk-test-CANARY-SCHEMA-0123456789abcdef" } } } }\n`;
      const published = await s.open(path.join(dir, 'openclaw.json'), text);
      const warning = published.diagnostics.find((d) => d.code === 'SCHEMA_UNAVAILABLE');
      assert.ok(warning, JSON.stringify(published.diagnostics));
      assert.match(warning.message, /^Schema file from openclawSecrets\.schema\.path: /);
      assert.match(warning.message, cause);
      assert.match(warning.message, /Using OpenClaw 2026\.9\.6 schema, bundled snapshot instead\.$/);
      assert.equal(schemaErrors(published.diagnostics).length, 1);
      assert.ok(published.diagnostics.some((d) => d.code === 'PLAINTEXT_FOUND'));
      assert.ok(!s.serverOutput().includes('CANARY'));
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("a schema file from the setting is used instead of OpenClaw's (gzip accepted)", async () => {
  const dir = tempDir();
  const schemaFile = path.join(dir, 'mine.schema.json.gz');
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { onlyThis: { type: 'string', title: 'Only This', description: 'The one key.' } },
    additionalProperties: false,
  };
  fs.writeFileSync(schemaFile, (await import('node:zlib')).gzipSync(JSON.stringify(schema)));
  const s = await startSession({ settings: { schema: { path: schemaFile } } });
  try {
    const text = `{ onlyThis: "x", channels: {} }\n`;
    const published = await s.open(path.join(dir, 'openclaw.json'), text);
    const errors = schemaErrors(published.diagnostics);
    assert.equal(errors.length, 1, JSON.stringify(published.diagnostics));
    assert.match(errors[0].message, /Unknown key "channels".*schema file mine\.schema\.json\.gz/);
    assert.equal(published.diagnostics.filter((d) => d.code === 'SCHEMA_UNAVAILABLE').length, 0);
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a schema file with a part Ajv cannot compile: that part is named, the rest is still checked', async () => {
  const dir = tempDir();
  const schemaFile = path.join(dir, 'broken.schema.json');
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      good: { type: 'object', properties: { n: { type: 'number' } }, additionalProperties: false },
      bad: { type: 'object', properties: { s: { type: 'string', pattern: '([unclosed' } } },
    },
  };
  fs.writeFileSync(schemaFile, JSON.stringify(schema));
  const s = await startSession({ settings: { schema: { path: schemaFile } } });
  try {
    const text = `{ good: { n: "x" }, bad: { s: "y" } }\n`;
    const published = await s.open(path.join(dir, 'openclaw.json'), text);
    const warning = published.diagnostics.find((d) => d.code === 'SCHEMA_UNAVAILABLE');
    assert.match(
      warning?.message ?? '',
      /^schema file broken\.schema\.json: the schema for bad cannot be compiled \(.*\); that part is not checked\.$/,
    );
    const errors = schemaErrors(published.diagnostics);
    assert.equal(errors.length, 1, JSON.stringify(published.diagnostics));
    assert.match(errors[0].message, /^Expected number/);
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
