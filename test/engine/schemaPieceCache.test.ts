// The CLI's schema caches: compiled pieces kept as code between runs (pieceCodeCache.ts), where a second
// validator over the same cache file compiles nothing and judges every config exactly as a fresh Ajv compile
// does, and the prepared snapshot kept as JSON; broken or foreign cache files are ignored and replaced; the
// files hold schema only, never a config value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findSnapshotFile, readSchemaFile, snapshotSchema } from '../../server/src/engine/openclawSchema/schemaSource';
import { prepareSchema } from '../../server/src/engine/openclawSchema/prepareSchema';
import { parseConfigText } from '../../server/src/engine/config/configDocument';
import { ConfigSchemaValidator } from '../../server/src/engine/openclawSchema/schemaValidator';
import { execFileSync } from 'node:child_process';

const CANARY = 'sk-test-CANARY-piececache-000000000001';

// Valid and invalid shapes across the schema: unknown keys, enums, types, a plugin's inlined $defs, ref variants.
const CONFIGS: unknown[] = [
  { channels: { telegram: { someUnknownKey: 1 } } },
  { gateway: { auth: { mode: CANARY }, port: 'eighty' } },
  {
    plugins: {
      entries: { imap: { config: { accounts: { a: { host: 'h', user: 'u', agentId: 'main', password: '' } } } } },
    },
  },
  {
    secrets: { providers: { envmain: { source: 'env' }, bad: { source: 'exec', command: 12 } } },
    models: {
      providers: {
        p: { baseUrl: 'https://x', models: [{ id: 'm', name: 'M' }], apiKey: CANARY },
        q: { baseUrl: 'https://x', models: [], apiKey: { source: 'vault', provider: 'default', id: 'X' } },
        r: { baseUrl: 'https://x', models: [], apiKey: { source: 'env', provider: 'envmain', id: 'OK_KEY' } },
      },
    },
  },
  { agents: { list: [{ id: 'main', model: 7 }] }, talk: { providers: { x: { apiKey: CANARY } } } },
];

/** The issues a fresh Node process finds in CONFIGS with this piece cache file, and how many pieces it compiled. */
function validateInNewProcess(pieceCacheFile: string): unknown[] {
  const script = `
    const { snapshotSchema } = require(${JSON.stringify(require.resolve('../../server/src/engine/openclawSchema/schemaSource'))});
    const { ConfigSchemaValidator } = require(${JSON.stringify(require.resolve('../../server/src/engine/openclawSchema/schemaValidator'))});
    snapshotSchema().then(({ validator }) => {
      const cached = new ConfigSchemaValidator(validator.schema, { pieceCacheFile: ${JSON.stringify(pieceCacheFile)} });
      const issues = ${JSON.stringify(CONFIGS)}.map((c) => cached.validate(c));
      if (cached.compiledPieces !== 0) throw new Error(cached.compiledPieces + ' pieces compiled');
      process.stdout.write(JSON.stringify(issues));
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as unknown[];
}

test('schema pieces cached as code: a second run compiles none and reports the same issues; no value in the file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-piece-cache-'));
  try {
    const file = path.join(dir, 'cache', 'ajv-pieces.json');
    const { validator: plain } = await snapshotSchema();
    const expected = CONFIGS.map((c) => plain.validate(c));
    assert.ok(
      expected.some((issues) => issues.length > 0),
      'the configs exercise error reporting',
    );

    const first = new ConfigSchemaValidator(plain.schema, { pieceCacheFile: file });
    assert.deepEqual(
      CONFIGS.map((c) => first.validate(c)),
      expected,
    );
    assert.ok(first.compiledPieces > 0);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'the cache is readable by the user only');
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.ok(!fs.readFileSync(file, 'utf8').includes('CANARY'), 'the cache holds schema code, never a value');

    const second = new ConfigSchemaValidator(plain.schema, { pieceCacheFile: file });
    assert.deepEqual(
      CONFIGS.map((c) => second.validate(c)),
      expected,
    );
    assert.equal(second.compiledPieces, 0, 'every piece came from the cache');

    // The run that loaded the code kept V8's compiled form of each piece; a new process runs from that (V8
    // consults a code cache only in a process that has not compiled the same source already).
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { pieces: object; compiled: Record<string, string> };
    assert.deepEqual(Object.keys(kept.compiled).sort(), Object.keys(kept.pieces).sort());
    assert.deepEqual(validateInNewProcess(file), expected);
    assert.equal(fs.readFileSync(file, 'utf8'), JSON.stringify(kept), 'accepted code caches are not written again');
    // V8 refuses a damaged code cache: the piece compiles from its code, judges the same, and is kept anew.
    const damaged = { ...kept, compiled: { ...kept.compiled } };
    for (const k of Object.keys(damaged.compiled))
      damaged.compiled[k] = Buffer.from('not a code cache').toString('base64');
    fs.writeFileSync(file, JSON.stringify(damaged));
    assert.deepEqual(validateInNewProcess(file), expected);
    const rewritten = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof kept;
    assert.deepEqual(rewritten.pieces, kept.pieces);
    for (const k of Object.keys(damaged.compiled)) assert.notEqual(rewritten.compiled[k], damaged.compiled[k]);

    // Garbage, then a file written for another Ajv: both ignored, the run compiles and rewrites the cache.
    for (const broken of ['not json {', JSON.stringify({ format: 3, ajv: '0.0.0', pieces: {} })]) {
      fs.writeFileSync(file, broken);
      const again = new ConfigSchemaValidator(plain.schema, { pieceCacheFile: file });
      assert.deepEqual(
        CONFIGS.map((c) => again.validate(c)),
        expected,
      );
      assert.equal(again.compiledPieces, first.compiledPieces);
      assert.notEqual(fs.readFileSync(file, 'utf8'), broken);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the snapshot kept beside the piece cache is the validation-only form, reads back equal, validates the same', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-prepared-cache-'));
  try {
    const pieceCacheFile = path.join(dir, 'ajv-pieces.json');
    const { validator: plain } = await snapshotSchema();
    const expected = prepareSchema(await readSchemaFile(findSnapshotFile()!), { validationOnly: true });
    const first = await snapshotSchema(undefined, pieceCacheFile);
    const kept = fs.readdirSync(dir).filter((f) => f.startsWith('validation-'));
    assert.equal(kept.length, 1);
    assert.equal(fs.statSync(path.join(dir, kept[0])).mode & 0o777, 0o600);
    // Titles and descriptions are for hover, not for the CLI's validator: the kept file is about half the size.
    const keptBytes = fs.statSync(path.join(dir, kept[0])).size;
    assert.ok(keptBytes < JSON.stringify(plain.schema).length * 0.6, `${keptBytes} bytes`);
    assert.ok(!/"(title|description)":"/.test(JSON.stringify(first.validator.schema)), 'no title or description text');
    const second = await snapshotSchema(undefined, pieceCacheFile);
    assert.deepEqual(first.validator.schema, expected);
    // Read back from the cache: the same schema (its nested maps get their null prototype when visited).
    assert.equal(JSON.stringify(second.validator.schema), JSON.stringify(expected));
    assert.equal(Object.getPrototypeOf(second.validator.schema.properties), null);
    second.validator.validate({ gateway: { auth: { mode: 'token' } } });
    const gateway = (second.validator.schema.properties as Record<string, Record<string, unknown>>).gateway;
    assert.equal(Object.getPrototypeOf(gateway.properties), null, 'a visited piece gets null-prototype maps too');
    // The same verdict as the full schema on every config here and in the compat corpus (judged by OpenClaw).
    const casesDir = path.join(__dirname, '..', '..', '..', 'test', 'compat', 'cases');
    const corpus = fs
      .readdirSync(casesDir)
      .map((c) => path.join(casesDir, c, 'openclaw.json'))
      .filter((f) => fs.existsSync(f))
      .map((f) => parseConfigText(fs.readFileSync(f, 'utf8'), f).value)
      .filter((v) => v !== undefined);
    assert.ok(corpus.length > 40, `${corpus.length} compat configs`);
    for (const config of [...CONFIGS, ...corpus])
      assert.deepEqual(second.validator.validate(config), plain.validate(config));
    // A broken cache entry is prepared again and replaced.
    fs.writeFileSync(path.join(dir, kept[0]), '{"type":"object"}');
    const third = await snapshotSchema(undefined, pieceCacheFile);
    assert.equal(JSON.stringify(third.validator.schema), JSON.stringify(expected));
    assert.notEqual(fs.readFileSync(path.join(dir, kept[0]), 'utf8'), '{"type":"object"}');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the kept snapshot parses only the top-level keys a config reaches; a damaged key comes from the snapshot', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocs-prepared-lazy-'));
  try {
    const pieceCacheFile = path.join(dir, 'ajv-pieces.json');
    const { validator: plain } = await snapshotSchema();
    await snapshotSchema(undefined, pieceCacheFile);
    const config = { gateway: { port: 'eighty' }, models: { providers: { p: { baseUrl: 1, models: [] } } } };
    const warm = await snapshotSchema(undefined, pieceCacheFile);
    assert.deepEqual(warm.validator.validate(config), plain.validate(config));
    assert.ok(plain.validate(config).length >= 2, 'the config has errors in both keys');
    const props = warm.validator.schema.properties as object;
    const unread = (name: string) => typeof Object.getOwnPropertyDescriptor(props, name)?.get === 'function';
    assert.ok(
      unread('channels') && unread('tools') && unread('plugins'),
      'keys the config does not reach stay unparsed',
    );
    assert.ok(!unread('gateway') && !unread('models'), 'reached keys are parsed once and kept');

    // One byte of `channels` damaged in the kept file: that key is prepared from the snapshot, the file goes.
    const kept = path.join(
      dir,
      fs.readdirSync(dir).find((f) => f.startsWith('validation-'))!,
    );
    const bytes = fs.readFileSync(kept);
    const header = JSON.parse(bytes.toString('utf8', 0, bytes.indexOf(0x0a))) as { members: unknown[][] };
    const channels = header.members.find((m) => m[0] === 'channels')!;
    assert.equal(channels.length, 3, 'channels is kept as its own line');
    bytes[bytes.indexOf(0x0a) + 1 + (channels[1] as number)] = 0x78;
    fs.writeFileSync(kept, bytes);
    const damaged = await snapshotSchema(undefined, pieceCacheFile);
    assert.deepEqual(damaged.validator.validate(config), plain.validate(config));
    assert.ok(fs.existsSync(kept), 'the damage is not noticed before channels is reached');
    const reachingChannels = { channels: { telegram: { someUnknownKey: 1 } } };
    assert.deepEqual(damaged.validator.validate(reachingChannels), plain.validate(reachingChannels));
    assert.ok(plain.validate(reachingChannels).length > 0);
    assert.equal(damaged.validator.uncompilable.size, 0);
    assert.ok(!fs.existsSync(kept), 'the damaged file is removed');
    await snapshotSchema(undefined, pieceCacheFile);
    assert.ok(fs.existsSync(kept), 'and written whole again by the next run');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
