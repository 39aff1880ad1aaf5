// One bundle per half (extension client, language server, CLI); vscode stays external.
import { build } from 'esbuild';
import { chmodSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

// mainFields: jsonc-parser's UMD entry requires its parts dynamically, which a bundle cannot follow; its ESM entry bundles.
const common = {
  mainFields: ['module', 'main'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  legalComments: 'none',
};
// The CLI is a small launcher with the bundle embedded as text: the launcher runs it through V8's code cache
// (server/src/cli/launcher.ts), and the package stays one file.
async function buildCli() {
  const bundle = await build({
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli-bundle.js',
    write: false,
  });
  // Its map stays beside it for debugging; the pointer goes (the packed CLI ships no map).
  const code = bundle.outputFiles
    .find((f) => f.path.endsWith('.js'))
    .text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  const map = bundle.outputFiles.find((f) => f.path.endsWith('.map'));
  writeFileSync('dist/cli-bundle.js.map', map.contents);
  await build({
    ...common,
    entryPoints: ['server/src/cli/launcher.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    define: {
      CLI_PAYLOAD: JSON.stringify(code),
      CLI_PAYLOAD_HASH: JSON.stringify(createHash('sha256').update(code).digest('hex').slice(0, 16)),
    },
  });
}

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  buildCli(),
]);
chmodSync('dist/cli.js', 0o755);
