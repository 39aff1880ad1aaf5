// Fills packages/cli (the npm package `openclaw-secrets`) from the build: the CLI launcher, its bundle and the
// LICENSE. The bundle holds every dependency, so the package has none. Run by `npm pack` there (prepack);
// `node scripts/build-cli-package.mjs DIR` fills a copy of that folder instead (the tests pack in a temp dir).
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = process.argv[2] ? resolve(process.argv[2]) : join(repo, 'packages', 'cli');
const launcher = join(repo, 'dist', 'cli.js');
const payload = join(repo, 'dist', 'cli-payload.js');
if (!existsSync(launcher) || !existsSync(payload)) {
  console.error(
    'build-cli-package: dist/cli.js or dist/cli-payload.js is missing; run `npm run build` at the repository root first',
  );
  process.exit(1);
}
// The source maps stay out of the package (they would triple its size), so their pointers go too.
const withoutMapPointer = (file) => readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
writeFileSync(join(pkgDir, 'cli.js'), withoutMapPointer(launcher));
chmodSync(join(pkgDir, 'cli.js'), 0o755);
writeFileSync(join(pkgDir, 'cli-payload.js'), withoutMapPointer(payload));
copyFileSync(join(repo, 'LICENSE'), join(pkgDir, 'LICENSE'));
// OpenClaw's config schema snapshot: the CLI looks for schemas/ beside itself, as dist/cli.js does in the repo.
mkdirSync(join(pkgDir, 'schemas'), { recursive: true });
for (const name of readdirSync(join(repo, 'schemas')).filter((n) => n.endsWith('.schema.json.br')))
  copyFileSync(join(repo, 'schemas', name), join(pkgDir, 'schemas', name));

const version = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version;
const own = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
if (own !== version) {
  console.error(`build-cli-package: packages/cli is ${own} but the extension is ${version}; release both together`);
  process.exit(1);
}
