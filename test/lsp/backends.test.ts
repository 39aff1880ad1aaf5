// "Move to <backend>" over a real LSP connection against the real `openclaw secrets store` (2026.9.6):
// the usable backend comes first among the quick fixes, the unusable one is disabled with its reason when
// asked explicitly, "Move all" is offered per usable backend; executing the move stores, reads back and
// applies; the canary scan of everything the server sent finds no value; the real audit ends it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { startSession, uriOf, type LspSession } from './lspHarness';
import { findTools, recipeById, writeWrapper } from '../../server/src/engine/backends/wrappers';
import { backendSandbox, modelProvider, oracleAudit, type BackendSandbox } from '../helpers/backendSandbox';
import { argvLog, installStandIn, setLoggedIn, standInStore } from '../helpers/cloudStandIns';
import type { CloudMoveArgs } from '../../server/src/lsp/backends';

const OPENAI_KEY = 'sk-test-CANARY-lsp-move-openai-1';
const GROQ_KEY = 'sk-test-CANARY-lsp-move-groq-2';
const STORE_TITLE = 'Move to OpenClaw store (openclaw secrets store)';

async function actionsAt(
  s: LspSession,
  file: string,
  snippet: string,
  context: { only?: string[]; triggerKind?: 1 | 2 } = {},
): Promise<CodeAction[]> {
  const text = s.text(file);
  const at = text.indexOf(snippet);
  const before = text.slice(0, at);
  const pos = { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) + 1 };
  return (await s.client.sendRequest('textDocument/codeAction', {
    textDocument: { uri: uriOf(file) },
    range: { start: pos, end: pos },
    context: { diagnostics: [], ...context },
  })) as CodeAction[];
}

describe('Move to a backend (LSP)', { concurrency: false }, () => {
  let sbx: BackendSandbox;
  let text: string;
  before(() => {
    sbx = backendSandbox('ocs-lsp-move-');
    text = sbx.writeConfig({
      models: {
        mode: 'merge',
        providers: { openai: modelProvider(OPENAI_KEY), groq: modelProvider(GROQ_KEY, 'https://api.groq.example/v1') },
      },
    });
  });
  after(() => sbx?.dispose());

  it('without openclaw: no move offered automatically; on explicit request it is disabled with the reason', async () => {
    const s = await startSession({ env: sbx.envWithoutOpenClaw, settings: { 'schema.fromInstalledOpenClaw': false } });
    try {
      await s.open(sbx.configPath, text);
      const auto = await actionsAt(s, sbx.configPath, OPENAI_KEY);
      assert.ok(!auto.some((a) => a.title.startsWith('Move to')), auto.map((a) => a.title).join(' | '));
      const invoked = await actionsAt(s, sbx.configPath, OPENAI_KEY, { triggerKind: 1 });
      const store = invoked.find((a) => a.title === STORE_TITLE);
      assert.match(store?.disabled?.reason ?? '', /openclaw CLI was not found on PATH/);
      assert.ok(invoked.indexOf(store!) > invoked.findIndex((a) => a.title.startsWith('Convert to SecretRef')));
    } finally {
      await s.close();
    }
  });

  it('usable backend first; executing it moves the value; no value in LSP traffic; the real audit resolves it', async () => {
    // The installed-schema lookup would run openclaw too (slow, and not what this file tests).
    const s = await startSession({ env: sbx.env, settings: { 'schema.fromInstalledOpenClaw': false } });
    try {
      await s.open(sbx.configPath, text);
      const actions = await actionsAt(s, sbx.configPath, OPENAI_KEY);
      assert.equal(actions[0]?.title, STORE_TITLE, actions.map((a) => a.title).join(' | '));
      assert.equal(actions[0].disabled, undefined);
      assert.ok(
        actions.some(
          (a) => a.title === `Move all plaintext in this file to OpenClaw store (openclaw secrets store) (2)`,
        ),
      );
      const cmd = actions[0].command!;
      assert.equal(cmd.command, 'openclawSecrets.moveToBackend');
      const result = (await s.client.sendRequest('workspace/executeCommand', {
        command: cmd.command,
        arguments: cmd.arguments,
      })) as { moved: Array<{ path: string; refKey: string; stored: string }> };
      assert.deepEqual(
        result.moved.map((m) => [m.path, m.refKey, m.stored]),
        [['models.providers.openai.apiKey', 'store:default:OPENAI_API_KEY', 'stored']],
      );
      const written = JSON.parse(sbx.readConfig()) as { models: { providers: Record<string, { apiKey: unknown }> } };
      assert.deepEqual(written.models.providers.openai.apiKey, {
        source: 'store',
        provider: 'default',
        id: 'OPENAI_API_KEY',
      });
      assert.equal(written.models.providers.groq.apiKey, GROQ_KEY);
      // A stale version (the buffer was not reloaded yet) is refused, not applied twice.
      await assert.rejects(
        s.client.sendRequest('workspace/executeCommand', { command: cmd.command, arguments: cmd.arguments }),
        /changed|save openclaw\.json first|holds no plaintext/,
      );
      assert.ok(!s.serverOutput().includes('CANARY'), 'a value appeared in the LSP traffic');
    } finally {
      await s.close();
    }
    const audit = await oracleAudit(sbx);
    assert.ok(audit.report, `openclaw secrets audit printed no JSON: ${audit.stderr.slice(0, 300)}`);
    assert.equal(audit.report.summary.unresolvedRefCount, 0, JSON.stringify(audit.report.findings));
    assert.deepEqual(
      audit.report.findings.filter((f) => f.code === 'PLAINTEXT_FOUND').map((f) => f.jsonPath),
      ['models.providers.groq.apiKey'],
    );
  });

  it('a cloud CLI on PATH (Debian aws): on Ctrl+. a plan quick fix writes wrapper and plan; openclaw.json untouched', async () => {
    const box = backendSandbox('ocs-lsp-cloud-');
    const boxText = box.writeConfig({ models: { mode: 'merge', providers: { openai: modelProvider(OPENAI_KEY) } } });
    const s = await startSession({ env: box.env, settings: { 'schema.fromInstalledOpenClaw': false } });
    try {
      await s.open(box.configPath, boxText);
      const auto = await actionsAt(s, box.configPath, OPENAI_KEY);
      assert.ok(!auto.some((a) => a.title.startsWith('Move to AWS')), 'written files only on an explicit request');
      const invoked = await actionsAt(s, box.configPath, OPENAI_KEY, { triggerKind: 1 });
      // Offering the quick fix runs no aws (its login check may reach the network): picking it does.
      const aws = invoked.find((a) => a.title.startsWith('Move to AWS Secrets Manager'));
      assert.equal(aws?.title, 'Move to AWS Secrets Manager');
      assert.equal(aws.command?.command, 'openclawSecrets.cloudMove', 'the client asks and forwards');
      const args = aws.command.arguments?.[0] as CloudMoveArgs;
      assert.equal(args.serverCommand, 'openclawSecrets.moveToBackend');
      assert.deepEqual(args.ask, [], 'AWS needs no option');
      // No AWS credentials here: the login check fails, nothing is stored or written; the client offers the plan.
      const notMoved = (await s.client.sendRequest('workspace/executeCommand', {
        command: args.serverCommand,
        arguments: [args.params],
      })) as { notMoved: string };
      assert.match(notMoved.notMoved, /failed at step "probe".*aws sts get-caller-identity/);
      assert.equal(box.readConfig(), boxText, 'openclaw.json byte-identical');
      const result = (await s.client.sendRequest('workspace/executeCommand', {
        command: 'openclawSecrets.planCloudMove',
        arguments: [args.params],
      })) as { wrapperPath: string; planPath: string; fields: Array<{ path: string; store: string }> };
      assert.equal(fs.statSync(result.wrapperPath).mode & 0o777, 0o700);
      const plan = JSON.parse(fs.readFileSync(result.planPath, 'utf8')) as {
        providerUpserts: Record<string, { command: string }>;
        targets: Array<{ path: string; ref: unknown }>;
      };
      assert.equal(plan.providerUpserts.aws.command, result.wrapperPath);
      assert.deepEqual(
        plan.targets.map((t) => t.path),
        ['models.providers.openai.apiKey'],
      );
      assert.match(result.fields[0].store, /\/usr\/bin\/aws secretsmanager/);
      assert.equal(box.readConfig(), boxText, 'openclaw.json byte-identical');
      assert.ok(!s.serverOutput().includes('CANARY'), 'a value appeared in the LSP traffic');
    } finally {
      await s.close();
      box.dispose();
    }
  });

  it('a FIFO where openclaw.json is on disk: the move refuses at once, it does not hang the server', async () => {
    const fifoBox = backendSandbox('ocs-lsp-move-fifo-');
    const s = await startSession({ env: fifoBox.env, settings: { 'schema.fromInstalledOpenClaw': false } });
    try {
      execFileSync('mkfifo', [fifoBox.configPath]);
      await s.open(fifoBox.configPath, text);
      await assert.rejects(
        s.client.sendRequest('workspace/executeCommand', {
          command: 'openclawSecrets.moveToBackend',
          arguments: [
            {
              uri: uriOf(fifoBox.configPath),
              version: s.version(fifoBox.configPath),
              paths: [['models', 'providers', 'openai', 'apiKey']],
              backendId: 'openclaw-store',
            },
          ],
        }),
        /save openclaw\.json first/,
      );
    } finally {
      await s.close();
      fifoBox.dispose();
    }
  });

  it('hover on an exec provider (and on a ref to it) names the backend its generated wrapper talks to', async () => {
    const s = await startSession({ env: sbx.envWithoutOpenClaw, settings: { 'schema.fromInstalledOpenClaw': false } });
    try {
      const file = `${sbx.root}/hover/openclaw.json`;
      // A real generated wrapper: the hover reads the recipe from its CONFIG (cloudwrappers' describeExecProvider).
      const recipe = recipeById('pass')!;
      const tools = await findTools(recipe, { PATH: '/usr/bin:/bin' });
      assert.ok(tools.ok, 'pass and gpg are installed by setup (need_pkgs)');
      const { wrapperPath: wrapper } = await writeWrapper(recipe, {
        dir: `${sbx.root}/hover/secret-wrappers`,
        tools: tools.tools,
        env: { HOME: sbx.home },
      });
      const hoverText = JSON.stringify(
        {
          secrets: {
            providers: {
              pass: { source: 'exec', command: wrapper, trustedDirs: [`${sbx.root}/hover/secret-wrappers`] },
            },
          },
          models: { providers: { openai: modelProvider({ source: 'exec', provider: 'pass', id: 'openclaw/openai' }) } },
        },
        null,
        2,
      );
      await s.open(file, hoverText);
      const hoverAt = async (snippet: string) => {
        const at = hoverText.indexOf(snippet);
        const before = hoverText.slice(0, at);
        const position = { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) + 2 };
        const h = (await s.client.sendRequest('textDocument/hover', {
          textDocument: { uri: uriOf(file) },
          position,
        })) as {
          contents: { value: string };
        } | null;
        return h?.contents.value ?? '';
      };
      const onProvider = await hoverAt('"pass": {');
      assert.match(
        onProvider,
        /Backend: \*\*pass \(password-store\)\*\* \(generated wrapper; setup and troubleshooting: `docs\/backends\/pass\.md`\)/,
      );
      const onRef = await hoverAt('"openclaw/openai"');
      assert.match(onRef, /SecretRef\*\* `exec:pass:openclaw\/openai`/);
      assert.match(onRef, /Backend: \*\*pass \(password-store\)\*\*/);
    } finally {
      await s.close();
    }
  });
});

describe('Move to a cloud backend (LSP): the real move when its CLI is logged in', { concurrency: false }, () => {
  const KEY = 'sk-test-CANARY-lsp-cloudmove-1';
  const VAULT_MOVE = 'Move to HashiCorp Vault (KV)';
  let box: BackendSandbox;
  let env: NodeJS.ProcessEnv;
  let boxText: string;
  const bin = () => `${box.root}/cloud-bin`;
  before(() => {
    box = backendSandbox('ocs-lsp-cloudmove-');
    installStandIn(bin(), 'vault');
    installStandIn(bin(), 'az');
    installStandIn(bin(), 'aliyun');
    env = { ...box.env, PATH: `${bin()}/vault:${bin()}/az:${bin()}/aliyun:${box.env.PATH}` };
    boxText = box.writeConfig({ models: { mode: 'merge', providers: { openai: modelProvider(KEY) } } });
  });
  after(() => box?.dispose());

  const cloudActions = async (s: LspSession) =>
    (await actionsAt(s, box.configPath, KEY, { triggerKind: 1 })).filter(
      (a) => a.command?.command === 'openclawSecrets.cloudMove',
    );

  it('logged out: the move titles all the same (no login check on Ctrl+.); picking one answers notMoved', async () => {
    setLoggedIn(bin(), 'vault', false);
    setLoggedIn(bin(), 'aliyun', false);
    const s = await startSession({ env, settings: { 'schema.fromInstalledOpenClaw': false } });
    try {
      await s.open(box.configPath, boxText);
      const logBefore = argvLog(bin(), 'vault');
      const actions = await cloudActions(s);
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes(VAULT_MOVE), titles.join(' | '));
      assert.ok(titles.includes('Move to Alibaba Cloud (Aliyun) Secrets Manager'));
      assert.equal(argvLog(bin(), 'vault'), logBefore, 'offering the quick fixes ran no vault');
      const azure = actions.find((a) => a.title.startsWith('Move to Azure Key Vault'));
      const azureArgs = azure?.command?.arguments?.[0] as CloudMoveArgs;
      assert.deepEqual(
        azureArgs.ask.map((o) => o.key),
        ['vaultName'],
      );
      // Picking Vault runs its login check now: not logged in, so nothing is stored or written.
      const vaultArgs = actions.find((a) => a.title === VAULT_MOVE)?.command?.arguments?.[0] as CloudMoveArgs;
      const answer = (await s.client.sendRequest('workspace/executeCommand', {
        command: vaultArgs.serverCommand,
        arguments: [vaultArgs.params],
      })) as { notMoved?: string };
      assert.match(answer.notMoved ?? '', /failed at step "probe": .*vault token lookup/);
      assert.match(argvLog(bin(), 'vault'), /"token","lookup"/);
      assert.doesNotMatch(argvLog(bin(), 'vault'), /"kv","(put|patch)"/);
      assert.equal(box.readConfig(), boxText);
    } finally {
      await s.close();
      setLoggedIn(bin(), 'vault', true);
      setLoggedIn(bin(), 'aliyun', true);
    }
  });

  it('options are schema-checked against the recipe: a bad region is refused naming the option', async () => {
    const s = await startSession({ env, settings: { 'schema.fromInstalledOpenClaw': false } });
    try {
      await s.open(box.configPath, boxText);
      const params = {
        uri: uriOf(box.configPath),
        version: s.version(box.configPath),
        paths: [['models', 'providers', 'openai', 'apiKey']],
      };
      await assert.rejects(
        s.client.sendRequest('workspace/executeCommand', {
          command: 'openclawSecrets.planCloudMove',
          arguments: [{ ...params, backendId: 'aliyun', options: { region: 'cn hangzhou; reboot' } }],
        }),
        /invalid parameters: options\.region: option "region" \(Region\) must match/,
      );
      await assert.rejects(
        s.client.sendRequest('workspace/executeCommand', {
          command: 'openclawSecrets.moveToBackend',
          arguments: [{ ...params, backendId: 'vault', options: { vaultName: 'x-vault' } }],
        }),
        /options\.vaultName: vault takes no option "vaultName"/,
      );
      assert.equal(box.readConfig(), boxText);
    } finally {
      await s.close();
    }
  });

  it('logged in: "Move to HashiCorp Vault (KV)" moves the value; no value in the LSP traffic', async () => {
    // The offers are kept 10 s per PATH in the (in-process) server: another PATH is a fresh look.
    const loggedInEnv = { ...env, PATH: `${env.PATH}:${box.root}/logged-in` };
    const s = await startSession({ env: loggedInEnv, settings: { 'schema.fromInstalledOpenClaw': false } });
    try {
      await s.open(box.configPath, boxText);
      const vault = (await cloudActions(s)).find((a) => a.title === VAULT_MOVE);
      assert.ok(vault, (await cloudActions(s)).map((a) => a.title).join(' | '));
      const args = vault.command?.arguments?.[0] as CloudMoveArgs;
      assert.equal(args.serverCommand, 'openclawSecrets.moveToBackend');
      const result = (await s.client.sendRequest('workspace/executeCommand', {
        command: args.serverCommand,
        arguments: [args.params],
      })) as { moved: Array<{ path: string; refKey: string; stored: string }> };
      assert.deepEqual(
        result.moved.map((m) => [m.path, m.refKey, m.stored]),
        [['models.providers.openai.apiKey', 'exec:vault:openclaw/models/providers/openai/apiKey', 'stored']],
      );
      assert.equal(standInStore(bin(), 'vault')['openclaw/models/providers/openai/apiKey#value'], KEY);
      assert.ok(!box.readConfig().includes('CANARY'));
      assert.ok(!s.serverOutput().includes('CANARY'), 'a value appeared in the LSP traffic');
    } finally {
      await s.close();
    }
  });
});

describe(
  'Move to 1Password (LSP): the editor asks for the vault, then creates the item',
  { concurrency: false },
  () => {
    const KEY = 'sk-test-CANARY-lsp-onepass-1';
    const OP_MOVE = 'Move to 1Password CLI';
    let box: BackendSandbox;
    let env: NodeJS.ProcessEnv;
    let boxText: string;
    const bin = () => `${box.root}/cloud-bin`;
    before(() => {
      box = backendSandbox('ocs-lsp-onepass-');
      installStandIn(bin(), 'op');
      env = { ...box.env, PATH: `${bin()}/op:${box.env.PATH}` };
      boxText = box.writeConfig({ models: { mode: 'merge', providers: { openai: modelProvider(KEY) } } });
    });
    after(() => box?.dispose());

    it('logged in: "Move to 1Password CLI" asks for the vault and moves the value; no value in the LSP traffic', async () => {
      const s = await startSession({ env, settings: { 'schema.fromInstalledOpenClaw': false } });
      try {
        await s.open(box.configPath, boxText);
        const actions = (await actionsAt(s, box.configPath, KEY, { triggerKind: 1 })).filter(
          (a) => a.command?.command === 'openclawSecrets.cloudMove',
        );
        const move = actions.find((a) => a.title === OP_MOVE);
        assert.ok(move, actions.map((a) => a.title).join(' | '));
        const args = move.command?.arguments?.[0] as CloudMoveArgs;
        assert.equal(args.serverCommand, 'openclawSecrets.moveToBackend');
        assert.deepEqual(
          args.ask.map((o) => o.key),
          ['vault'],
        );
        const result = (await s.client.sendRequest('workspace/executeCommand', {
          command: args.serverCommand,
          arguments: [{ ...args.params, options: { vault: 'Shared' } }],
        })) as { moved: Array<{ path: string; refKey: string; stored: string }> };
        assert.deepEqual(
          result.moved.map((m) => [m.path, m.refKey, m.stored]),
          [
            [
              'models.providers.openai.apiKey',
              'exec:onepassword:Shared/openclaw-models-providers-openai-apiKey/credential',
              'stored',
            ],
          ],
        );
        assert.equal(standInStore(bin(), 'op')['op://Shared/openclaw-models-providers-openai-apiKey/credential'], KEY);
        assert.ok(!box.readConfig().includes('CANARY'));
        assert.ok(!s.serverOutput().includes('CANARY'), 'a value appeared in the LSP traffic');
        assert.ok(!argvLog(bin(), 'op').includes('CANARY'), 'a value appeared in an argv');
      } finally {
        await s.close();
      }
    });
  },
);
