// The CLI as a user gets it from npm: packages/cli packed with the real `npm pack` (its prepack step run on a temp
// copy so parallel tests never write into the repo), then installed from the tarball into an empty project.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');

export interface PackedCli {
  tarball: string;
  /** what `npm pack --json` reported: the files in the tarball and its size */
  files: string[];
  size: number;
  /** the empty project the tarball was installed into */
  project: string;
  /** env for npm/npx children: this test's Node first on PATH, a private npm cache, no network */
  npmEnv: NodeJS.ProcessEnv;
}

/** npm's children run on the Node running this test, so the suite checks the package on each supported major. */
export function npmEnv(root: string): NodeJS.ProcessEnv {
  return {
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: path.join(root, 'home'),
    npm_config_cache: path.join(root, 'npm-cache'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_yes: 'false',
  };
}

export function run(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

/** Pack packages/cli into `root` and install the tarball with `--omit=dev --offline` into `root/project`. */
export function packAndInstall(root: string): PackedCli {
  const env = npmEnv(root);
  fs.mkdirSync(env.HOME!, { recursive: true });
  const stage = path.join(root, 'stage');
  fs.mkdirSync(stage);
  for (const f of ['package.json', 'README.md'])
    fs.copyFileSync(path.join(REPO, 'packages', 'cli', f), path.join(stage, f));
  // The prepack step, pointed at the copy (scripts/build-cli-package.mjs takes the folder to fill).
  execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build-cli-package.mjs'), stage], { stdio: 'pipe' });
  const packed = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', root], stage, env);
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as { filename: string; size: number; files: { path: string }[] }[];
  const tarball = path.join(root, info.filename);
  const project = path.join(root, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'empty-project', version: '1.0.0', private: true }),
  );
  const installed = run(
    'npm',
    ['install', '--omit=dev', '--offline', '--no-audit', '--no-fund', tarball],
    project,
    env,
  );
  if (installed.status !== 0) throw new Error(`npm install of the tarball failed: ${installed.stderr}`);
  return { tarball, files: info.files.map((f) => f.path).sort(), size: info.size, project, npmEnv: env };
}
