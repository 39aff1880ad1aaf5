// Inside a real VS Code (code-server 1.100.3): the three palette flows that change files, checked on disk.
// "Convert all plaintext", "Apply secrets plan..." (dry-run preview, then a write only once confirmed) and
// "Configure secret providers..." (a plan written through the bundled CLI).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, openConfig, serverDiagnostics, waitFor, workspaceFile } from './helpers';
import { oracleApplyDryRun, oracleInstalled } from './oracle';

// Mirrors test/e2e/workspace.js: the runner gives the editor OPENAI_API_KEY = CANARY and the present key.
const CANARY = 'sk-test-CANARY-e2e-0123456789abcdef';
const PRESENT_ENV = 'OPENCLAW_E2E_PRESENT_KEY';
const OTHER_FAKE = 'sk-test-CANARY-flows-anthropic-0123456789';
const PLAN_NAME = 'openclaw.secrets-plan.json';
const FIELD = 'models.providers.openai.apiKey';
const OTHER_FIELD = 'models.providers.anthropic.apiKey';

interface PlanTarget {
  type: string;
  path: string;
  pathSegments: string[];
  providerId?: string;
  ref: { source: string; provider: string; id: string };
}
interface SecretsPlan {
  version: number;
  protocolVersion: number;
  generatedBy?: string;
  targets: PlanTarget[];
  providerUpserts?: Record<string, Record<string, unknown>>;
}
interface ApplyOutcome {
  ok: boolean;
  mode?: 'dry-run' | 'write';
  changed?: boolean;
  changedFiles: string[];
  errorMessage?: string;
}
interface ApplyPlanReport {
  preview: ApplyOutcome;
  written?: ApplyOutcome;
  planUri: vscode.Uri;
}
interface ConfigureResult {
  planUri: vscode.Uri;
  providers: { alias: string; source: string; settings: Record<string, string> }[];
  mappings: { path: string; ref: { source: string; provider: string; id: string } }[];
}

const provider = (name: string, baseUrl: string, api: string, apiKey: string) => `"${name}": {
        "baseUrl": "${baseUrl}",
        "api": "${api}",
        "apiKey": ${apiKey},
        "models": [{ "id": "${name}-test", "name": "${name} test" }]
      }`;

/** One config per flow, with comments; both keys are fake. */
function configText(comment: string, openaiKey: string, anthropicKey?: string): string {
  const providers = [provider('openai', 'https://api.openai.com/v1', 'openai-responses', openaiKey)];
  if (anthropicKey)
    providers.push(provider('anthropic', 'https://api.anthropic.com', 'anthropic-messages', anthropicKey));
  return `{
  // ${comment}
  "models": {
    "mode": "merge", // merged with the built-in catalogue
    "providers": {
      ${providers.join(',\n      ')}
    }
  }
}
`;
}

/** A plan as OpenClaw writes it: refs only, never a value. */
function handWrittenPlan(): SecretsPlan {
  return {
    version: 1,
    protocolVersion: 1,
    generatedBy: 'manual',
    targets: [
      {
        type: 'models.providers.apiKey',
        path: FIELD,
        pathSegments: FIELD.split('.'),
        providerId: 'openai',
        ref: { source: 'env', provider: 'default', id: PRESENT_ENV },
      },
    ],
  };
}

const read = (file: string) => fs.readFileSync(file, 'utf8');
const planOf = (dir: string) => JSON.parse(read(path.join(dir, PLAN_NAME))) as SecretsPlan;

/** The flows write here; files sit in their own folders so the other suites' configs stay as they are. */
function writeFixture(dir: string, files: Record<string, string>): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text, { mode: 0o600 });
  return dir;
}

/** The lines of `before` (except those matching `changed`) that `after` does not hold in the same order; a comma added to join a new member is allowed. */
function missingLines(before: string, after: string, changed: RegExp): string[] {
  const bare = (line: string) => line.replace(/,$/, '');
  const afterLines = after.split('\n').map(bare);
  let at = 0;
  const missing: string[] = [];
  for (const line of before
    .split('\n')
    .filter((l) => !changed.test(l))
    .map(bare)) {
    const found = afterLines.indexOf(line, at);
    if (found < 0) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

/** Line comments off (the fixtures hold none inside strings), to read the saved JSONC with JSON.parse. */
function stripComments(text: string): string {
  return text.replace(/\s\/\/[^\n]*/g, '');
}

async function plaintextDiagnostics(uri: vscode.Uri, count: number): Promise<void> {
  await openConfig(uri);
  await waitFor(`${count} PLAINTEXT_FOUND on ${vscode.workspace.asRelativePath(uri)}`, () =>
    serverDiagnostics(uri, 'PLAINTEXT_FOUND').length === count ? true : undefined,
  );
}

suite('OpenClaw Secrets flows in VS Code', () => {
  const flowsRoot = () => path.join(workspaceFile().fsPath, 'flows');

  suiteSetup(async () => {
    await activateExtension();
  });

  suite('Convert all plaintext to SecretRefs', () => {
    const dir = () => path.join(flowsRoot(), 'convert');
    const configUri = () => vscode.Uri.file(path.join(dir(), 'openclaw.json'));
    const secretsFile = () => path.join(dir(), 'secrets.json');
    let originalText = '';

    suiteSetup(() => {
      originalText = configText(
        'Two plaintext keys (fake), no provider declared yet.',
        `"${CANARY}"`,
        `"${OTHER_FAKE}"`,
      );
      writeFixture(dir(), { 'openclaw.json': originalText });
    });

    test('stores every value in a new 0600 file provider, rewrites each field, plans it all (no values), keeps comments', async () => {
      await plaintextDiagnostics(configUri(), 2);

      const result = await vscode.commands.executeCommand<{ applied: string[] }>(
        'openclaw.convertAllPlaintext',
        configUri(),
      );
      assert.deepEqual(result, { applied: ['Convert all plaintext in this file (2)'] });

      const planFile = path.join(dir(), PLAN_NAME);
      const plan = await waitFor(`${PLAN_NAME} in flows/convert`, () =>
        fs.existsSync(planFile) ? planOf(dir()) : undefined,
      );
      assert.equal(plan.version, 1);
      assert.equal(plan.protocolVersion, 1);
      assert.deepEqual(
        plan.targets.map((t) => [t.type, t.path, t.pathSegments.join('.'), t.providerId, t.ref]).sort(),
        [
          [
            'models.providers.apiKey',
            OTHER_FIELD,
            OTHER_FIELD,
            'anthropic',
            { source: 'file', provider: 'localfile', id: '/models/providers/anthropic/apiKey' },
          ],
          [
            'models.providers.apiKey',
            FIELD,
            FIELD,
            'openai',
            { source: 'file', provider: 'localfile', id: '/models/providers/openai/apiKey' },
          ],
        ],
      );
      assert.deepEqual(plan.providerUpserts, { localfile: { source: 'file', path: secretsFile(), mode: 'json' } });
      const planText = read(planFile);
      assert.ok(!planText.includes(CANARY) && !planText.includes(OTHER_FAKE), 'the plan never holds a value');
      assert.equal(fs.statSync(planFile).mode & 0o777, 0o600);

      // The values now sit in the provider's file (0600), under the pointers the refs name.
      assert.equal(fs.statSync(secretsFile()).mode & 0o777, 0o600);
      const stored = JSON.parse(read(secretsFile())) as {
        models?: { providers?: Record<string, { apiKey?: string }> };
      };
      assert.ok(
        stored.models?.providers?.openai?.apiKey === CANARY,
        'the openai value is stored at /models/providers/openai/apiKey',
      );
      assert.ok(
        stored.models?.providers?.anthropic?.apiKey === OTHER_FAKE,
        'the anthropic value is stored at /models/providers/anthropic/apiKey',
      );

      // The edit goes to the editor's buffer; the file changes when it is saved, as after any code action.
      const document = await vscode.workspace.openTextDocument(configUri());
      await waitFor('both fields rewritten in the buffer', () =>
        !document.getText().includes(CANARY) && !document.getText().includes(OTHER_FAKE) ? true : undefined,
      );
      assert.equal(read(configUri().fsPath), originalText, 'nothing in the config on disk changes before the save');
      assert.ok(await document.save(), 'the config saves');

      const saved = read(configUri().fsPath);
      assert.ok(!saved.includes(CANARY) && !saved.includes(OTHER_FAKE), 'no plaintext value is left in the config');
      for (const name of ['openai', 'anthropic']) {
        assert.match(
          saved,
          new RegExp(
            `"apiKey":\\s*\\{\\s*"source":\\s*"file",\\s*"provider":\\s*"localfile",\\s*"id":\\s*"/models/providers/${name}/apiKey"\\s*\\}`,
          ),
        );
      }
      const declared = (JSON.parse(stripComments(saved)) as { secrets?: { providers?: Record<string, unknown> } })
        .secrets?.providers;
      assert.deepEqual(
        declared,
        { localfile: { source: 'file', path: secretsFile(), mode: 'json' } },
        'the new provider is declared in the config',
      );
      assert.deepEqual(
        missingLines(originalText, saved, /"apiKey":/),
        [],
        'every other line, comments included, is kept in order',
      );
      await waitFor('the plaintext diagnostics cleared', () =>
        serverDiagnostics(configUri(), 'PLAINTEXT_FOUND').length === 0 ? true : undefined,
      );
      assert.deepEqual(
        fs.readdirSync(dir()).sort(),
        ['openclaw.json', PLAN_NAME, 'secrets.json'],
        'no backup or temp file is left',
      );
    });

    test('the real OpenClaw accepts the plan convert-all wrote (apply --dry-run)', async function () {
      if (!oracleInstalled()) this.skip();
      this.timeout(120_000);
      const planText = read(path.join(dir(), PLAN_NAME));
      const run = await oracleApplyDryRun(originalText, planText, {});
      assert.equal(run.exitCode, 0, `openclaw secrets apply --dry-run failed: ${run.stdout}${run.stderr}`);
      const output = JSON.parse(run.stdout) as { mode: string; changed: boolean };
      assert.equal(output.mode, 'dry-run');
      assert.equal(output.changed, true);
    });
  });

  suite('Apply secrets plan...', () => {
    const dir = () => path.join(flowsRoot(), 'apply');
    const configUri = () => vscode.Uri.file(path.join(dir(), 'openclaw.json'));
    const planUri = () => vscode.Uri.file(path.join(dir(), PLAN_NAME));
    let originalText = '';

    suiteSetup(() => {
      originalText = configText('A plaintext key the plan moves to an env SecretRef (fake).', `"${CANARY}"`);
      writeFixture(dir(), {
        'openclaw.json': originalText,
        [PLAN_NAME]: `${JSON.stringify(handWrittenPlan(), null, 2)}\n`,
      });
    });

    test('declining the confirmation after the dry-run preview writes nothing', async () => {
      await plaintextDiagnostics(configUri(), 1);
      const asked: ApplyOutcome[] = [];
      const report = await vscode.commands.executeCommand<ApplyPlanReport>('openclaw.applyPlan', {
        configUri: configUri(),
        planUri: planUri(),
        confirm: (preview: ApplyOutcome) => {
          asked.push(preview);
          return false;
        },
      });
      assert.equal(asked.length, 1, 'the confirmation was asked once');
      assert.equal(report.preview.ok, true, report.preview.errorMessage);
      assert.equal(report.preview.mode, 'dry-run');
      assert.equal(report.preview.changed, true);
      assert.deepEqual(report.preview.changedFiles, [configUri().fsPath]);
      assert.deepEqual(asked[0], report.preview, 'the confirmation saw the preview');
      assert.equal(report.written, undefined, 'no write was requested');
      assert.equal(read(configUri().fsPath), originalText, 'the config is unchanged');
      assert.deepEqual(fs.readdirSync(dir()).sort(), ['openclaw.json', PLAN_NAME], 'no file was added');
    });

    test('confirming writes the refs after the preview; comments kept; no value, backup or temp file left', async () => {
      const events: string[] = [];
      const report = await vscode.commands.executeCommand<ApplyPlanReport>('openclaw.applyPlan', {
        configUri: configUri(),
        planUri: planUri(),
        confirm: (preview: ApplyOutcome) => {
          // The preview is done and the file still holds its value while the person decides.
          events.push(`asked after ${preview.mode}`);
          events.push(
            read(configUri().fsPath) === originalText ? 'disk unchanged when asked' : 'disk CHANGED before the answer',
          );
          return true;
        },
        // The variable holds another value than the plaintext: replacing it is confirmed, naming both fingerprints.
        confirmValueLoss: (outcome: ApplyOutcome) => {
          events.push(
            /hmac:[0-9a-f]{8}.*hmac:[0-9a-f]{8}/.test(outcome.errorMessage ?? '')
              ? 'value loss named both fingerprints'
              : `value loss said: ${outcome.errorMessage}`,
          );
          events.push(
            read(configUri().fsPath) === originalText
              ? 'disk unchanged when asked again'
              : 'disk CHANGED before the second answer',
          );
          return true;
        },
      });
      events.push(`then ${report.written?.mode}`);
      assert.deepEqual(events, [
        'asked after dry-run',
        'disk unchanged when asked',
        'value loss named both fingerprints',
        'disk unchanged when asked again',
        'then write',
      ]);
      assert.equal(report.written?.ok, true, report.written?.errorMessage);
      assert.equal(report.written?.changed, true);
      assert.deepEqual(report.written?.changedFiles, [configUri().fsPath]);

      const written = read(configUri().fsPath);
      assert.ok(!written.includes(CANARY), 'the plaintext value is gone from the config');
      assert.match(
        written,
        new RegExp(
          `"apiKey":\\s*\\{\\s*"source":\\s*"env",\\s*"provider":\\s*"default",\\s*"id":\\s*"${PRESENT_ENV}"\\s*\\}`,
        ),
      );
      assert.match(written, /A plaintext key the plan moves to an env SecretRef/, 'the comment is kept');
      assert.match(written, /merged with the built-in catalogue/, 'the trailing comment is kept');
      assert.equal(fs.statSync(configUri().fsPath).mode & 0o777, 0o600);
      assert.deepEqual(fs.readdirSync(dir()).sort(), ['openclaw.json', PLAN_NAME], 'no .bak or temp file is left');
      await plaintextDiagnostics(configUri(), 0);
    });

    test('applying the same plan again previews "nothing would change" and does not ask', async () => {
      const before = read(configUri().fsPath);
      let asked = 0;
      const report = await vscode.commands.executeCommand<ApplyPlanReport>('openclaw.applyPlan', {
        configUri: configUri(),
        planUri: planUri(),
        confirm: () => {
          asked += 1;
          return true;
        },
      });
      assert.equal(report.preview.ok, true, report.preview.errorMessage);
      assert.equal(report.preview.changed, false);
      assert.equal(report.written, undefined);
      assert.equal(asked, 0);
      assert.equal(read(configUri().fsPath), before);
    });
  });

  suite('Configure secret providers...', () => {
    const dir = () => path.join(flowsRoot(), 'configure');
    const configUri = () => vscode.Uri.file(path.join(dir(), 'openclaw.json'));
    const secretsFile = () => path.join(dir(), 'secrets.json');
    let originalText = '';

    suiteSetup(() => {
      originalText = configText('One plaintext key for the configure flow (fake).', `"${CANARY}"`);
      writeFixture(dir(), { 'openclaw.json': originalText });
    });

    test('refuses a mapping for a field that holds no plaintext, and writes no plan', async () => {
      const result = await vscode.commands.executeCommand<ConfigureResult | undefined>('openclaw.configureProviders', {
        configUri: configUri(),
        providers: [],
        mappings: [
          {
            path: 'models.providers.openai.baseUrl',
            ref: { source: 'env', provider: 'default', id: 'OPENAI_BASE_URL' },
          },
        ],
      });
      assert.equal(result, undefined);
      assert.ok(!fs.existsSync(path.join(dir(), PLAN_NAME)), 'no plan was written');
    });

    test('declares a file provider and maps the plaintext field to env: the plan (refs only) is written by the CLI', async () => {
      const providers = [{ alias: 'filemain', source: 'file', settings: { path: secretsFile(), mode: 'json' } }];
      const mappings = [{ path: FIELD, ref: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' } }];
      const result = await vscode.commands.executeCommand<ConfigureResult>('openclaw.configureProviders', {
        configUri: configUri(),
        providers,
        mappings,
      });
      assert.ok(result, 'the flow returns its result');
      assert.equal(result.planUri.fsPath, path.join(dir(), PLAN_NAME));
      assert.deepEqual(result.providers, providers);
      assert.deepEqual(result.mappings, mappings);

      const planText = read(path.join(dir(), PLAN_NAME));
      assert.ok(!planText.includes(CANARY), 'the plan never holds the value');
      const plan = JSON.parse(planText) as SecretsPlan;
      assert.equal(plan.version, 1);
      assert.equal(plan.protocolVersion, 1);
      assert.deepEqual(
        plan.targets.map((t) => ({
          type: t.type,
          path: t.path,
          pathSegments: t.pathSegments,
          providerId: t.providerId,
          ref: t.ref,
        })),
        [
          {
            type: 'models.providers.apiKey',
            path: FIELD,
            pathSegments: FIELD.split('.'),
            providerId: 'openai',
            ref: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' },
          },
        ],
      );
      assert.deepEqual(plan.providerUpserts?.filemain, { source: 'file', path: secretsFile(), mode: 'json' });
      assert.equal(
        read(configUri().fsPath),
        originalText,
        'configure writes only the plan; the config waits for apply',
      );
      assert.ok(!fs.existsSync(secretsFile()), 'no secrets file is created by declaring the provider');
    });

    test('the plan configure wrote applies with { yes: true }: no question, the field and the provider are written', async () => {
      const planUri = vscode.Uri.file(path.join(dir(), PLAN_NAME));
      const report = await vscode.commands.executeCommand<ApplyPlanReport>('openclaw.applyPlan', {
        configUri: configUri(),
        planUri,
        yes: true,
        confirm: () => assert.fail('yes: true asks nothing'),
      });
      assert.equal(report.preview.mode, 'dry-run');
      assert.equal(report.written?.ok, true, report.written?.errorMessage);
      assert.equal(report.written?.mode, 'write');
      const written = read(configUri().fsPath);
      assert.ok(!written.includes(CANARY));
      assert.match(
        written,
        /"apiKey":\s*\{\s*"source":\s*"env",\s*"provider":\s*"default",\s*"id":\s*"OPENAI_API_KEY"\s*\}/,
      );
      assert.match(written, /"filemain":\s*\{[^}]*"source":\s*"file"/, 'the declared provider is in secrets.providers');
      assert.match(written, /One plaintext key for the configure flow/, 'the comment is kept');
      assert.deepEqual(fs.readdirSync(dir()).sort(), ['openclaw.json', PLAN_NAME], 'no .bak or temp file is left');
    });
  });
});
