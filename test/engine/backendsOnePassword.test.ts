// 1Password as a real move backend: `op item create --vault V --template FILE`, the value only in a 0600
// temp file in a fresh 0700 directory, removed as soon as op exits (never in argv: assignment statements
// would put it there). Through the `op` stand-in (test/fixtures/cloud-cli/op.js, labelled as such), which
// reads the template file as documented and records the file's path and mode. Success ends with the real
// OpenClaw `secrets audit --allow-exec` resolving the moved refs through the generated wrapper. Failures:
// not logged in (probe), a failing create (store), an item that exists without the field and two fields
// of one new item (check): each leaves openclaw.json byte-identical and the temp file gone.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { moveToBackend } from '../../server/src/engine/backends/moveToBackend';
import { cloudBackend } from '../../server/src/engine/backends/cloudPlan';
import {
  backendSandbox,
  modelProvider,
  moveRefusal,
  oracleAudit,
  type BackendSandbox,
} from '../helpers/backendSandbox';
import { argvLog, installStandIn, refusalWhileStore, setLoggedIn, standInStore } from '../helpers/cloudStandIns';

const KEYS = {
  openai: 'sk-test-CANARY-onepass-openai-1',
  groq: 'sk-test-CANARY-onepass-groq-2',
  mistral: 'sk-test-CANARY-onepass-mistral-3',
};
const OTHER = 'kept-not-a-canary';
const field = (name: string) => ['models', 'providers', name, 'apiKey'];

interface TemplateFile {
  path: string;
  mode: number;
  dirMode: number;
}

describe('1Password: the real move through op item create --template', { concurrency: false }, () => {
  let sbx: BackendSandbox;
  let env: NodeJS.ProcessEnv;
  let configText: string;
  const bin = () => path.join(sbx.root, 'cloud-bin');
  const op = () => cloudBackend('1password', { vault: 'Shared' });
  const templateFiles = (): TemplateFile[] => {
    const file = path.join(bin(), 'op', 'template-files.log');
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as TemplateFile);
  };
  /** Every template file op saw was 0600 in a 0700 directory under the temp dir, and is gone now. */
  const assertTemplateFilesGone = (count: number) => {
    const seen = templateFiles();
    assert.equal(seen.length, count, JSON.stringify(seen));
    for (const t of seen) {
      assert.equal(t.mode, 0o600, `mode ${t.mode.toString(8)}`);
      assert.equal(t.dirMode, 0o700, `dir mode ${t.dirMode.toString(8)}`);
      assert.ok(t.path.startsWith(fs.realpathSync(os.tmpdir()) + path.sep) || t.path.startsWith(os.tmpdir()));
      assert.ok(!fs.existsSync(t.path), `${t.path} was left behind`);
      assert.ok(!fs.existsSync(path.dirname(t.path)), `${path.dirname(t.path)} was left behind`);
    }
  };

  before(() => {
    sbx = backendSandbox('ocs-onepass-move-');
    // An item that exists with another field (the move must not touch it).
    installStandIn(bin(), 'op', { 'op://Shared/existing/other': OTHER });
    env = { ...sbx.env, PATH: `${path.join(bin(), 'op')}:${sbx.env.PATH}` };
    configText = sbx.writeConfig({
      models: {
        mode: 'merge',
        providers: Object.fromEntries(
          Object.entries(KEYS).map(([name, key]) => [name, modelProvider(key, `https://api.${name}.example/v1`)]),
        ),
      },
    });
  });
  after(() => sbx?.dispose());

  it('not logged in: the probe names op whoami, nothing is created, openclaw.json is byte-identical', async () => {
    setLoggedIn(bin(), 'op', false);
    try {
      const probe = await op().probe({ location: sbx.location, env, config: {}, timeoutMs: 30_000 });
      assert.equal(probe.usable, false);
      assert.match(probe.reason ?? '', /not logged in.*not signed in.*op whoami/);
      const err = await moveRefusal(
        moveToBackend({ backend: op(), location: sbx.location, env, fields: [{ path: field('openai') }] }),
      );
      assert.equal(err.step, 'probe');
    } finally {
      setLoggedIn(bin(), 'op', true);
    }
    assert.equal(sbx.readConfig(), configText);
    assert.doesNotMatch(argvLog(bin(), 'op'), /"item","create"/);
  });

  it('the create fails: step "store" is named, openclaw.json is byte-identical, the template file is gone', async () => {
    const err = await refusalWhileStore(bin(), 'op', 'fail', () =>
      moveToBackend({
        backend: op(),
        location: sbx.location,
        env,
        fields: [{ path: field('openai'), name: 'Shared/openclaw-openai/credential' }],
      }),
    );
    assert.equal(err.step, 'store');
    assert.match(err.message, /failed at step "store": op exited with code 1: .*\(403\) Forbidden/);
    assert.equal(sbx.readConfig(), configText);
    assertTemplateFilesGone(1);
  });

  it('an item that exists without the field is never edited: step "check" names the manual step', async () => {
    const err = await moveRefusal(
      moveToBackend({
        backend: op(),
        location: sbx.location,
        env,
        fields: [{ path: field('groq'), name: 'Shared/existing/credential' }],
      }),
    );
    assert.equal(err.step, 'check');
    assert.match(err.message, /item exists without this field.*add the field in the 1Password app/);
    assert.equal(standInStore(bin(), 'op')['op://Shared/existing/other'], OTHER);
    assert.equal(sbx.readConfig(), configText);
    assert.doesNotMatch(argvLog(bin(), 'op'), /"item","edit"/);
  });

  it('two fields of one new item: refused at "check" before anything is created', async () => {
    const err = await moveRefusal(
      moveToBackend({
        backend: op(),
        location: sbx.location,
        env,
        fields: [
          { path: field('groq'), name: 'Shared/openclaw-pair/groq' },
          { path: field('mistral'), name: 'Shared/openclaw-pair/mistral' },
        ],
      }),
    );
    assert.equal(err.step, 'check');
    assert.match(err.message, /one 1Password CLI entry/);
    assert.equal(sbx.readConfig(), configText);
    assertTemplateFilesGone(1);
  });

  it('logged in: new items from 0600 template files (a section; the suggested name), read back, applied', async () => {
    const result = await moveToBackend({
      backend: op(),
      location: sbx.location,
      env,
      fields: [
        { path: field('openai'), name: 'Shared/openclaw-openai/credential' },
        { path: field('groq'), name: 'Shared/openclaw-groq/api/key' },
        { path: field('mistral') },
      ],
    });
    assert.deepEqual(
      result.moved.map((m) => [m.path, m.refKey, m.stored]),
      [
        ['models.providers.openai.apiKey', 'exec:onepassword:Shared/openclaw-openai/credential', 'stored'],
        ['models.providers.groq.apiKey', 'exec:onepassword:Shared/openclaw-groq/api/key', 'stored'],
        [
          'models.providers.mistral.apiKey',
          'exec:onepassword:Shared/openclaw-models-providers-mistral-apiKey/credential',
          'stored',
        ],
      ],
    );
    const store = standInStore(bin(), 'op');
    assert.equal(store['op://Shared/openclaw-openai/credential'], KEYS.openai);
    assert.equal(store['op://Shared/openclaw-groq/api/key'], KEYS.groq);
    assert.equal(store['op://Shared/openclaw-models-providers-mistral-apiKey/credential'], KEYS.mistral);
    assert.equal(store['op://Shared/existing/other'], OTHER);
    // One failed create before, three now; every file was 0600 and is gone.
    assertTemplateFilesGone(4);
    const log = argvLog(bin(), 'op');
    assert.match(log, /\["whoami"\]/);
    assert.match(log, /\["item","get","openclaw-openai","--vault","Shared","--format","json"\]/);
    assert.match(log, /\["item","create","--vault","Shared","--template","[^"]+\/value"\]/);
    assert.doesNotMatch(log, /"item","edit"/);
    assert.ok(!log.includes('CANARY'), 'no value in any argv op was given');
  });

  it('the real OpenClaw audit resolves every moved ref through the wrapper; no plaintext left', async () => {
    const config = sbx.readConfig();
    for (const key of Object.values(KEYS)) assert.ok(!config.includes(key));
    const audit = await oracleAudit({ ...sbx, env });
    assert.ok(audit.report, audit.stderr);
    assert.equal(audit.report.summary.plaintextCount, 0, JSON.stringify(audit.report.findings));
    assert.equal(audit.report.summary.unresolvedRefCount, 0, JSON.stringify(audit.report.findings));
    assert.ok(!`${audit.stdout}${audit.stderr}`.includes('CANARY'));
    const files = fs
      .readdirSync(sbx.root, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name !== 'secrets.json')
      .map((e) => path.join(e.parentPath, e.name))
      .filter((f) => fs.readFileSync(f).includes('CANARY'));
    assert.deepEqual(files, []);
  });
});
