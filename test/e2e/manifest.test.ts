// The manifest and the package as shipped: commands, settings scopes, activation, untrusted-workspace limits,
// the contributed schema and grammar, and the .vsix contents and size (built with the real @vscode/vsce).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const VSCE = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');

test('every palette command has category OpenClaw and is registered by the client', () => {
  const source = fs.readFileSync(path.join(REPO, 'client', 'src', 'commands.ts'), 'utf8');
  const commands = pkg.contributes.commands as { command: string; title: string; category: string }[];
  assert.ok(commands.length >= 8);
  for (const c of commands) {
    assert.equal(c.category, 'OpenClaw', c.command);
    assert.ok(source.includes(`'${c.command}'`), `${c.command} is registered in client/src/commands.ts`);
  }
  const titles = commands.map((c) => c.title);
  for (const title of ['Resolve secrets (dry-run)', 'Audit secrets', 'Convert all plaintext to SecretRefs', 'Apply secrets plan...',
    'Configure secret providers...', 'Reload secrets', 'Show output']) assert.ok(titles.includes(title), title);
});

test('every setting declares its scope; the server\'s settings are all there', () => {
  const properties = pkg.contributes.configuration.properties as Record<string, { scope?: string }>;
  for (const [key, value] of Object.entries(properties)) assert.ok(value.scope, `${key} has a scope`);
  for (const key of ['enable', 'exec.policy', 'plan.location', 'detection.extraPatterns', 'ignoredFingerprints', 'trace.server']) {
    assert.ok(properties[`openclawSecrets.${key}`], `openclawSecrets.${key}`);
  }
});

test('activation only where relevant, a workspace extension, limited in untrusted workspaces, VS Code 1.100 satisfied', () => {
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/openclaw.json'));
  assert.ok(!pkg.activationEvents.includes('*'), 'never activates on everything');
  assert.deepEqual(pkg.extensionKind, ['workspace']);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('openclawSecrets.exec.policy'));
  const [major, minor] = /^\^(\d+)\.(\d+)\./.exec(pkg.engines.vscode)!.slice(1).map(Number);
  assert.ok(major === 1 && minor <= 100, `engines.vscode ${pkg.engines.vscode} accepts code-server 4.100.3 (VS Code 1.100.3)`);
});

test('jsonValidation points at the generated schema and the grammar compiles', () => {
  const [validation] = pkg.contributes.jsonValidation as { fileMatch: string; url: string }[];
  assert.equal(validation.fileMatch, 'openclaw.json');
  assert.equal(validation.url, './schemas/openclaw-secrets.schema.json');
  JSON.parse(fs.readFileSync(path.join(REPO, validation.url), 'utf8'));
  for (const grammar of pkg.contributes.grammars as { path: string; scopeName: string }[]) {
    const parsed = JSON.parse(fs.readFileSync(path.join(REPO, grammar.path), 'utf8'));
    assert.equal(parsed.scopeName, grammar.scopeName);
    const regexes = Object.values(parsed.repository as Record<string, { match: string }>).map((r) => new RegExp(r.match));
    const [source, , whole, braced] = regexes;
    assert.ok(source.test('"source": "env",') && !source.test('"source": "vault"'));
    assert.ok(whole.test('"$OPENAI_API_KEY"') && !whole.test('"$lower"'));
    assert.ok(braced.test('"${GATEWAY_TOKEN}"') && !braced.test('"${lower}"'));
  }
});

test('the .vsix ships only the bundles, schema, grammar, README, LICENSE, CHANGELOG, and is under 1 MB', (t) => {
  if (!fs.existsSync(path.join(REPO, 'dist', 'server.js'))) {
    t.skip('dist/ is not built (npm run build)');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openclaw-vsix-'));
  try {
    const vsix = path.join(dir, 'openclaw-secrets.vsix');
    execFileSync(process.execPath, [VSCE, 'package', '--no-dependencies', '--out', vsix], { cwd: REPO, stdio: 'pipe' });
    const listed = execFileSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { cwd: REPO, encoding: 'utf8' })
      .split('\n').map((l) => l.trim()).filter(Boolean);
    const allowed = [/^package\.json$/, /^dist\/(extension|server|cli)\.js$/, /^schemas\/openclaw-secrets\.schema\.json$/, /^schemas\/openclaw-config-[\d.]+\.schema\.json\.br$/, /^syntaxes\/[^/]+\.json$/,
      /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/];
    for (const file of listed) assert.ok(allowed.some((re) => re.test(file)), `${file} should not ship`);
    for (const needed of ['dist/extension.js', 'dist/server.js', 'schemas/openclaw-secrets.schema.json', 'schemas/openclaw-config-2026.9.6.schema.json.br', 'README.md', 'LICENSE']) {
      assert.ok(listed.includes(needed), `${needed} ships`);
    }
    const size = fs.statSync(vsix).size;
    assert.ok(size < 1024 * 1024, `.vsix is ${size} bytes`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
