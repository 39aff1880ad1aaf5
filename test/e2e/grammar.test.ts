// The contributed grammars tokenized by the engine VS Code itself uses (vscode-textmate + Oniguruma): the
// JSON5 grammar colours every JSON5 form with no "invalid" token on a valid config, and the SecretRef
// injection still marks refs and env shorthands inside it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';

const REPO = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const grammars = pkg.contributes.grammars as {
  language?: string;
  scopeName: string;
  path: string;
  injectTo?: string[];
}[];

async function loadJson5Grammar(): Promise<IGrammar> {
  await loadWASM(
    fs.readFileSync(path.join(REPO, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm')).buffer as ArrayBuffer,
  );
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new OnigScanner(sources),
      createOnigString: (s: string) => new OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      const g = grammars.find((x) => x.scopeName === scopeName);
      return g ? parseRawGrammar(fs.readFileSync(path.join(REPO, g.path), 'utf8'), path.join(REPO, g.path)) : null;
    },
    getInjections: (scopeName) => grammars.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
  });
  const json5 = grammars.find((g) => g.language === 'openclaw-json5')!;
  const grammar = await registry.loadGrammar(json5.scopeName);
  assert.ok(grammar, 'the JSON5 grammar loads');
  return grammar;
}

/** Every token of the text with its scopes, as `text -> scope scope ...`. */
function tokenize(grammar: IGrammar, text: string): { text: string; scopes: string[] }[] {
  const out: { text: string; scopes: string[] }[] = [];
  let state = INITIAL;
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) out.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = r.ruleStack;
  }
  return out;
}

const scopesOf = (tokens: { text: string; scopes: string[] }[], text: string) =>
  tokens.find((t) => t.text === text)?.scopes.join(' ') ?? `(no token "${text}")`;

test('JSON5 forms get their scopes: comments, bare and quoted keys, single-quoted strings, JSON5 numbers', async () => {
  const grammar = await loadJson5Grammar();
  const tokens = tokenize(
    grammar,
    `// head\n{\n  /* block */ bare_$1: 'single', "dq": "x", 'sq': 0x1F, n: +Infinity, m: .5, o: -NaN, t: true, l: [1, 2.,],\n  multi: 'a\\\n  b',\n}`,
  );
  assert.match(scopesOf(tokens, ' head'), /comment\.line\.double-slash\.json5/);
  assert.match(scopesOf(tokens, ' block '), /comment\.block\.json5/);
  assert.match(scopesOf(tokens, 'bare_$1'), /meta\.structure\.dictionary\.json5 support\.type\.property-name\.json5/);
  assert.match(scopesOf(tokens, 'single'), /string\.quoted\.single\.json5/);
  assert.match(scopesOf(tokens, 'sq'), /support\.type\.property-name\.json5/);
  for (const n of ['0x1F', '+Infinity', '.5', '-NaN', '2.'])
    assert.match(scopesOf(tokens, n), /constant\.numeric\.json5/, n);
  assert.match(scopesOf(tokens, 'true'), /constant\.language\.json5/);
  assert.match(scopesOf(tokens, '  b'), /string\.quoted\.single\.json5/, 'a line continuation keeps the string open');
  assert.deepEqual(
    tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid'))),
    [],
  );
});

test('no invalid token anywhere in the example config and the e2e JSON5 config', async () => {
  const grammar = await loadJson5Grammar();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- workspace.js is the e2e runner's CommonJS helper
  const { writeWorkspace } = require(path.join(REPO, 'test', 'e2e', 'workspace.js')) as {
    writeWorkspace: (root: string) => unknown;
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-grammar-'));
  try {
    writeWorkspace(path.join(dir, 'ws'));
    for (const file of [
      path.join(REPO, 'examples', 'openclaw.json'),
      path.join(dir, 'ws', 'json5', 'openclaw.json'),
      path.join(dir, 'ws', 'openclaw.json'),
    ]) {
      const bad = tokenize(grammar, fs.readFileSync(file, 'utf8')).filter((t) =>
        t.scopes.some((s) => s.startsWith('invalid')),
      );
      assert.deepEqual(bad, [], file);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the SecretRef injection marks refs and env shorthands in JSON5, keys bare or quoted', async () => {
  const grammar = await loadJson5Grammar();
  const tokens = tokenize(
    grammar,
    `{\n  a: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' },\n  b: { "source": "file", "provider": "vault", "id": "/x" },\n  c: '\${GATEWAY_TOKEN}', d: '$OPENAI_API_KEY',\n}`,
  );
  const sources = tokens.filter((t) => t.scopes.some((s) => s.startsWith('entity.name.type.secretref.source')));
  assert.deepEqual(
    sources.map((t) => t.text),
    ['env', 'file'],
  );
  assert.equal(tokens.filter((t) => t.scopes.some((s) => s.startsWith('keyword.other.secretref.source'))).length, 2);
  assert.ok(
    tokens.filter((t) => t.scopes.some((s) => s.startsWith('keyword.other.secretref.member'))).length >= 2,
    'provider and id keys are marked',
  );
  const envRefs = tokens.filter((t) => t.scopes.some((s) => s.startsWith('variable.other.constant.env-ref')));
  assert.deepEqual(
    envRefs.map((t) => t.text),
    ['GATEWAY_TOKEN', 'OPENAI_API_KEY'],
  );
});
