// Synthetic, obviously fake configs for the benchmark (values are sk-test-BENCH-...).
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A state dir with openclaw.json holding `fields` credential fields, `refs` of which are SecretRefs spread
 * over env (40%), file (40%) and exec (20%) providers; the rest are plaintext. Returns the env to run with.
 */
export function writeAuditFixture(stateDir, { fields = 1000, refs = 500, execProviders = 2, fileProviders = 2 } = {}) {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const env = {};
  const filePayloads = Array.from({ length: fileProviders }, () => ({}));
  const execLog = path.join(stateDir, 'exec-spawns.log');
  const providers = { envmain: { source: 'env' } };
  for (let f = 0; f < fileProviders; f++)
    providers[`file${f}`] = { source: 'file', path: path.join(stateDir, `secrets-${f}.json`), mode: 'json' };
  for (let x = 0; x < execProviders; x++) {
    const script = path.join(stateDir, `resolver-${x}.sh`);
    // Answers every requested id with a fake value; appends one line per process to the spawn log.
    writeFileSync(
      script,
      `#!/bin/sh\nreq=$(/bin/cat)\necho spawn >> ${execLog}\nprintf '%s' "$req" | /usr/bin/tr -d '\\n' | /bin/sed -e 's/.*"ids":\\[\\(.*\\)\\].*/\\1/' -e 's/"\\([^"]*\\)"/"\\1":"sk-test-BENCH-exec"/g' -e 's/^/{"protocolVersion":1,"values":{/' -e 's/$/}}/'\n`,
    );
    chmodSync(script, 0o700);
    providers[`exec${x}`] = { source: 'exec', command: script, timeoutMs: 60000 };
  }
  const modelProviders = {};
  for (let i = 0; i < fields; i++) {
    let apiKey;
    if (i < refs) {
      const kind = i % 5;
      if (kind < 2) {
        const name = `BENCH_KEY_${i}`;
        env[name] = `sk-test-BENCH-env-${i}`;
        apiKey = { source: 'env', provider: 'envmain', id: name };
      } else if (kind < 4) {
        const f = i % fileProviders;
        filePayloads[f][`k${i}`] = `sk-test-BENCH-file-${i}`;
        apiKey = { source: 'file', provider: `file${f}`, id: `/k${i}` };
      } else {
        apiKey = { source: 'exec', provider: `exec${i % execProviders}`, id: `bench/key-${i}` };
      }
    } else {
      apiKey = `sk-test-BENCH-plain-${String(i).padStart(6, '0')}-abcdefghijklmnop`;
    }
    modelProviders[`p${i}`] = {
      baseUrl: 'https://example.invalid/v1',
      api: 'openai-responses',
      models: [{ id: 'm', name: 'M' }],
      apiKey,
    };
  }
  for (let f = 0; f < fileProviders; f++) {
    const p = path.join(stateDir, `secrets-${f}.json`);
    writeFileSync(p, JSON.stringify(filePayloads[f]));
    chmodSync(p, 0o600);
  }
  const config = { secrets: { providers }, models: { mode: 'merge', providers: modelProviders } };
  const configPath = path.join(stateDir, 'openclaw.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  chmodSync(configPath, 0o600);
  return { configPath, env, execLog };
}

/** About `targetBytes` of openclaw.json text with `fields` plaintext credential fields (for diagnostics). */
export function largeConfigText(fields = 5000, targetBytes = 1_000_000) {
  const line = (i, pad) =>
    `      "p${i}": { "baseUrl": "https://example.invalid/v1", "note": "${pad}", "apiKey": "sk-test-BENCH-${String(i).padStart(6, '0')}-abcdefghijklmnopqrst" }${i < fields - 1 ? ',' : ''}`;
  const pad = 'x'.repeat(Math.max(0, Math.floor(targetBytes / fields) - line(0, '').length - 1));
  const lines = [
    '{',
    '  // generated for the benchmark',
    '  "models": {',
    '    "mode": "merge",',
    '    "providers": {',
  ];
  for (let i = 0; i < fields; i++) {
    lines.push(line(i, pad));
  }
  lines.push('    }', '  }', '}', '');
  return lines.join('\n');
}

/** A realistic ~300-line config for the edit-latency measurement. */
export function mediumConfigText(lines = 300) {
  const out = [
    '{',
    '  "secrets": { "providers": { "default": { "source": "env" } } },',
    '  "models": {',
    '    "providers": {',
  ];
  const n = Math.floor((lines - 8) / 6);
  for (let i = 0; i < n; i++) {
    out.push(
      `      "p${i}": {`,
      `        "baseUrl": "https://example.invalid/v1",`,
      `        "api": "openai-responses",`,
      `        "apiKey": ${i % 2 ? `"sk-test-BENCH-${i}-abcdefghijklmnop"` : `{ "source": "env", "provider": "default", "id": "KEY_${i}" }`},`,
      `        "models": [{ "id": "m", "name": "M" }]`,
      `      }${i < n - 1 ? ',' : ''}`,
    );
  }
  out.push('    }', '  }', '}', '');
  return out.join('\n');
}

/** The config of largeConfigText written as OpenClaw's docs write it: JSON5 with bare keys, single quotes, comments, trailing commas. */
export function largeConfigTextJson5(fields = 5000, targetBytes = 1_000_000) {
  const json = largeConfigText(fields, targetBytes);
  const lines = [
    '{',
    '  // generated for the benchmark, as JSON5',
    '  models: {',
    "    mode: 'merge',",
    '    providers: {',
  ];
  for (const line of json.split('\n')) {
    const m = /^ {6}"(p\d+)": \{ "baseUrl": "([^"]*)", "note": "([^"]*)", "apiKey": "([^"]*)" \},?$/.exec(line);
    if (!m) continue;
    const i = Number(m[1].slice(1));
    if (i % 100 === 0) lines.push(`      /* providers ${i}.. */`);
    lines.push(`      ${m[1]}: { baseUrl: '${m[2]}', note: '${m[3]}', apiKey: '${m[4]}', }, // ${i}`);
  }
  lines.push('    },', '  },', '}', '');
  return lines.join('\n');
}

/** mediumConfigText as JSON5 (bare keys, single quotes, trailing commas, a comment per provider). */
export function mediumConfigTextJson5(lines = 300) {
  return mediumConfigText(lines)
    .split('\n')
    .map((l) =>
      l
        .replace(/"([A-Za-z_$][\w$]*)":/g, '$1:')
        .replace(/"([^"]*)"/g, "'$1'")
        .replace(/^( {6}p\d+: \{)$/, '$1 // a provider')
        .replace(/^( .*[}\]'])$/, '$1,'),
    )
    .join('\n');
}

/**
 * A state dir whose openclaw.json holds `targets` plaintext model keys, json file providers holding the same
 * values (500 per provider: OpenClaw's maxRefsPerProvider is 512), and the plan that migrates every key to a
 * file ref (for apply's time per target).
 */
export function writeApplyFixture(stateDir, targets) {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const perProvider = 500;
  const files = [];
  const providers = {};
  const modelProviders = {};
  const planTargets = [];
  for (let i = 0; i < targets; i++) {
    const f = Math.floor(i / perProvider);
    if (!files[f]) {
      files[f] = {};
      providers[`vault${f}`] = { source: 'file', path: path.join(stateDir, `secrets-${f}.json`), mode: 'json' };
    }
    const value = `sk-test-BENCH-apply-${String(i).padStart(6, '0')}-abcdefghijklmnop`;
    files[f][`k${i}`] = value;
    modelProviders[`p${i}`] = {
      baseUrl: 'https://example.invalid/v1',
      api: 'openai-responses',
      models: [{ id: 'm', name: 'M' }],
      apiKey: value,
    };
    planTargets.push({
      type: 'models.providers.apiKey',
      path: `models.providers.p${i}.apiKey`,
      pathSegments: ['models', 'providers', `p${i}`, 'apiKey'],
      providerId: `p${i}`,
      ref: { source: 'file', provider: `vault${f}`, id: `/k${i}` },
    });
  }
  files.forEach((payload, f) => {
    const p = path.join(stateDir, `secrets-${f}.json`);
    writeFileSync(p, JSON.stringify(payload));
    chmodSync(p, 0o600);
  });
  const configPath = path.join(stateDir, 'openclaw.json');
  writeFileSync(
    configPath,
    JSON.stringify({ secrets: { providers }, models: { mode: 'merge', providers: modelProviders } }, null, 2),
  );
  chmodSync(configPath, 0o600);
  const planPath = path.join(stateDir, 'plan.json');
  writeFileSync(planPath, JSON.stringify({ version: 1, protocolVersion: 1, targets: planTargets }));
  return { configPath, planPath };
}
