// One bundle per half (extension client, language server, CLI); vscode stays external.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

// `import * as fs from 'node:fs'` bundles as a copy of the module with a getter per export (esbuild's ESM
// interop): the CLI's 51 such imports copied about 2,300 properties at every start, and each call then went
// through a getter. A Node built-in needs no interop: our sources' namespace imports of one become a plain require.
const NODE_NAMESPACE_IMPORT = /^import \* as (\w+) from '(node:[a-z_/]+)';$/gm;
const plainRequireOfNodeBuiltins = {
  name: 'plain-require-of-node-builtins',
  setup(b) {
    b.onLoad({ filter: /[\\/](server|shared|client)[\\/]src[\\/].*\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(NODE_NAMESPACE_IMPORT, "import $1 = require('$2');"),
      loader: 'ts',
    }));
  },
};

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
  plugins: [plainRequireOfNodeBuiltins],
};
// The CLI is a small launcher and the bundle beside it (dist/cli-payload.js): the launcher runs the bundle
// through V8's code cache (server/src/cli/launcher.ts).
async function buildCli() {
  const bundle = await build({
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli-payload.js',
    write: false,
  });
  // Its map stays beside it for debugging; the pointer goes (the packed CLI ships no map).
  // Wrapped as the module function the launcher calls, on the first line so the map's lines still fit.
  const code =
    '(function (exports, require, module, __filename, __dirname) {' +
    bundle.outputFiles.find((f) => f.path.endsWith('.js')).text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n') +
    '\n})';
  const map = bundle.outputFiles.find((f) => f.path.endsWith('.map'));
  writeFileSync('dist/cli-payload.js', code);
  writeFileSync('dist/cli-payload.js.map', map.contents);
  await build({
    ...common,
    entryPoints: ['server/src/cli/launcher.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  });
}

// The bundle used to be embedded in cli.js; an old map beside it would mislead.
rmSync('dist/cli-bundle.js.map', { force: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  buildCli(),
]);
chmodSync('dist/cli.js', 0o755);
