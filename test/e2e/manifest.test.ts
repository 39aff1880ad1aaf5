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
  for (const title of [
    'Resolve secrets (dry-run)',
    'Audit secrets',
    'Convert all plaintext to SecretRefs',
    'Apply secrets plan...',
    'Configure secret providers...',
    'Reload secrets',
    'Show output',
  ])
    assert.ok(titles.includes(title), title);
});

test("every setting declares its scope; the server's settings are all there", () => {
  const properties = pkg.contributes.configuration.properties as Record<string, { scope?: string }>;
  for (const [key, value] of Object.entries(properties)) assert.ok(value.scope, `${key} has a scope`);
  for (const key of [
    'enable',
    'exec.policy',
    'plan.location',
    'detection.extraPatterns',
    'ignoredFingerprints',
    'trace.server',
  ]) {
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
  assert.ok(
    major === 1 && minor <= 100,
    `engines.vscode ${pkg.engines.vscode} accepts code-server 4.100.3 (VS Code 1.100.3)`,
  );
});

test("openclaw.json is our JSON5 language, never validated by VS Code's JSON service; the grammars parse", () => {
  assert.equal(
    pkg.contributes.jsonValidation,
    undefined,
    'no jsonValidation: the JSON service must not see openclaw.json',
  );
  const languages = pkg.contributes.languages as { id: string; filenames?: string[]; configuration?: string }[];
  assert.deepEqual(
    languages.map((l) => l.id),
    ['openclaw-json5'],
    'no mapping of our files to json/jsonc',
  );
  const [language] = languages;
  assert.deepEqual(language.filenames, ['openclaw.json']);
  assert.ok(pkg.activationEvents.includes('onLanguage:openclaw-json5'));
  const configuration = JSON.parse(fs.readFileSync(path.join(REPO, language.configuration!), 'utf8'));
  assert.deepEqual(configuration.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
  assert.deepEqual(configuration.brackets, [
    ['{', '}'],
    ['[', ']'],
  ]);
  assert.ok(
    configuration.autoClosingPairs.some((p: { open: string }) => p.open === "'"),
    'single quotes auto-close (JSON5 strings)',
  );
  const word = new RegExp(configuration.wordPattern, 'g');
  assert.deepEqual("apiKey: 'sk-x', n: -1.5".match(word), ['apiKey', "'sk-x'", 'n', '-1.5']);
  const grammars = pkg.contributes.grammars as {
    language?: string;
    path: string;
    scopeName: string;
    injectTo?: string[];
  }[];
  const json5 = grammars.find((g) => g.language === 'openclaw-json5')!;
  assert.equal(JSON.parse(fs.readFileSync(path.join(REPO, json5.path), 'utf8')).scopeName, json5.scopeName);
  const injection = grammars.find((g) => g.injectTo)!;
  assert.ok(injection.injectTo!.includes(json5.scopeName), 'SecretRef highlighting is injected into the JSON5 grammar');
  const parsed = JSON.parse(fs.readFileSync(path.join(REPO, injection.path), 'utf8'));
  assert.equal(parsed.scopeName, injection.scopeName);
  assert.match(
    parsed.injectionSelector,
    new RegExp(`L:${json5.scopeName.replace(/\./g, '\\.')} meta\\.structure\\.dictionary`),
  );
  const regexes = Object.values(parsed.repository as Record<string, { match: string }>).map((r) => new RegExp(r.match));
  const [source, key, whole, braced] = regexes;
  for (const member of ['"source": "env",', "source: 'file'", '\'source\': "store"'])
    assert.ok(source.test(member), member);
  assert.ok(!source.test('"source": "vault"') && !source.test('source: \'env"'));
  assert.ok(key.test('provider: "default", id: "X" }') && key.test('"id": "X"}'));
  assert.ok(whole.test('"$OPENAI_API_KEY"') && whole.test("'$OPENAI_API_KEY'") && !whole.test('"$lower"'));
  assert.ok(braced.test('"${GATEWAY_TOKEN}"') && !braced.test('"${lower}"'));
});

test("the .vsix ships only the bundles, schema, grammar, icon, README, LICENSE, CHANGELOG, is under 1 MB, and passes ovsx's checks", async (t) => {
  if (!fs.existsSync(path.join(REPO, 'dist', 'server.js'))) {
    t.skip('dist/ is not built (npm run build)');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openclaw-vsix-'));
  try {
    const vsix = path.join(dir, 'openclaw-secrets.vsix');
    execFileSync(process.execPath, [VSCE, 'package', '--no-dependencies', '--out', vsix], { cwd: REPO, stdio: 'pipe' });
    const listed = execFileSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { cwd: REPO, encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const allowed = [
      /^package\.json$/,
      /^dist\/(extension|server|cli|cli-payload)\.js$/,
      /^schemas\/openclaw-secrets\.schema\.json$/,
      /^schemas\/openclaw-config-[\d.]+\.schema\.json\.br$/,
      /^syntaxes\/[^/]+\.json$/,
      /^README\.md$/,
      /^LICENSE$/,
      /^CHANGELOG\.md$/,
      /^media\/icon\.png$/,
    ];
    for (const file of listed)
      assert.ok(
        allowed.some((re) => re.test(file)),
        `${file} should not ship`,
      );
    for (const needed of [
      'dist/extension.js',
      'dist/server.js',
      'schemas/openclaw-secrets.schema.json',
      'schemas/openclaw-config-2026.9.6.schema.json.br',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'media/icon.png',
    ]) {
      assert.ok(listed.includes(needed), `${needed} ships`);
    }
    const size = fs.statSync(vsix).size;
    assert.ok(size < 1024 * 1024, `.vsix is ${size} bytes`);
    await openVsxAccepts(vsix);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** What ovsx (Open VSX's CLI, from npm) checks on a .vsix before it uploads: the manifest it reads back, its required fields, a license. */
async function openVsxAccepts(vsix: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readVSIXPackage } = require('ovsx/lib/zip') as {
    readVSIXPackage: (p: string) => Promise<Record<string, unknown>>;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ovsx = require('ovsx') as {
    validateManifest: (m: unknown) => void;
    isLicenseOk: (dir: string, m: unknown) => Promise<boolean>;
  };
  const manifest = await readVSIXPackage(vsix);
  assert.equal(
    `${manifest.publisher}.${manifest.name}@${manifest.version}`,
    `${pkg.publisher}.${pkg.name}@${pkg.version}`,
  );
  ovsx.validateManifest(manifest);
  assert.equal(await ovsx.isLicenseOk(REPO, manifest), true);
}

/** Width, height, bit depth and colour type from a PNG's IHDR chunk. */
function pngHeader(file: string): { width: number; height: number; depth: number; colorType: number } {
  const b = fs.readFileSync(file);
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file} is a PNG`);
  assert.equal(b.toString('ascii', 12, 16), 'IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), depth: b[24], colorType: b[25] };
}

test('marketplace fields: a 128x128 PNG icon, gallery banner, repository, bugs, homepage, keywords, a CHANGELOG entry for this version', () => {
  assert.equal(pkg.icon, 'media/icon.png');
  assert.deepEqual(pngHeader(path.join(REPO, pkg.icon)), { width: 128, height: 128, depth: 8, colorType: 6 });
  assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
  for (const url of [pkg.repository.url, pkg.bugs.url, pkg.homepage])
    assert.match(url, /^https:\/\/github\.com\/openclaw-secrets\/vscode-openclaw-secrets[/.#]/);
  assert.ok(
    Array.isArray(pkg.keywords) && pkg.keywords.length >= 3 && pkg.keywords.length <= 30,
    'the Marketplace takes at most 30 keywords',
  );
  assert.ok(pkg.keywords.includes('openclaw'));
  assert.ok(pkg.description.length <= 300, 'a one-line description');
  const changelog = fs.readFileSync(path.join(REPO, 'CHANGELOG.md'), 'utf8');
  assert.match(
    changelog,
    new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}$`, 'm'),
    'CHANGELOG has a section for this version',
  );
});
