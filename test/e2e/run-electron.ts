// Launcher for machines that can download VS Code (not used here: this machine is offline). It runs the same
// extension-host suites as test/e2e/run-ext-tests.js does in code-server, through @vscode/test-electron.
// Usage after the build: node out/test/e2e/run-electron.js
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..', '..');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { writeWorkspace, CANARY, SERVER_ENV } = require(path.join(repo, 'test', 'e2e', 'workspace.js')) as {
    writeWorkspace(root: string): { root: string };
    CANARY: string;
    SERVER_ENV: Record<string, string>;
  };
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openclaw-e2e-electron-'));
  try {
    const ws = writeWorkspace(path.join(runDir, 'ws'));
    await runTests({
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out', 'test', 'e2e', 'suite', 'index.js'),
      launchArgs: [
        ws.root,
        '--disable-extensions',
        '--disable-workspace-trust',
        `--user-data-dir=${path.join(runDir, 'user-data')}`,
      ],
      extensionTestsEnv: {
        ...SERVER_ENV,
        OPENAI_API_KEY: CANARY,
        OPENCLAW_E2E_MODE: 'trusted',
        OPENCLAW_E2E_RESULTS: path.join(runDir, 'results.json'),
      },
    });
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
