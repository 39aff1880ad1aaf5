// The client's configure prompts accept every id the engine's schema accepts: ids generated from the
// engine's own regexes (fast-check), checked by the client's validator and by the zod ref schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ENV_ID_PATTERN,
  EXEC_ID_PATTERN,
  PROVIDER_ALIAS_PATTERN,
  SECRET_SOURCES,
  type SecretSource,
} from '../../server/src/engine/refs/secretRef';
import { secretRefSchema } from '../../server/src/engine/refs/secretRefSchemas';
import { backendOptionProblem, providerAliasProblem, refIdProblem } from '../../client/src/configureInput';
import { recipes } from '../../server/src/engine/backends/wrappers';

const pointerSegment = fc.stringMatching(/^(?:[^~/]|~0|~1)*$/, { size: 'small' });
const ID_ARBITRARIES: Record<SecretSource, fc.Arbitrary<string>> = {
  env: fc.stringMatching(ENV_ID_PATTERN),
  file: fc.oneof(
    fc.constant('value'),
    fc.array(pointerSegment, { maxLength: 6 }).map((segs) => '/' + segs.join('/')),
  ),
  exec: fc.stringMatching(EXEC_ID_PATTERN),
  store: fc.stringMatching(ENV_ID_PATTERN),
};

const engineAccepts = (source: SecretSource, id: string) =>
  secretRefSchema.safeParse({ source, provider: 'default', id }).success;

for (const source of SECRET_SOURCES) {
  test(`the client accepts every ${source} id the engine accepts`, () => {
    fc.assert(
      fc.property(ID_ARBITRARIES[source], (id) => {
        fc.pre(engineAccepts(source, id));
        assert.equal(refIdProblem(id, source), undefined, `${source} id ${JSON.stringify(id)}`);
      }),
      { numRuns: 2000 },
    );
  });
}

test('the client rejects exactly what the engine rejects', () => {
  fc.assert(
    fc.property(fc.constantFrom(...SECRET_SOURCES), fc.string({ maxLength: 40 }), (source, id) => {
      assert.equal(
        refIdProblem(id, source) === undefined,
        engineAccepts(source, id) && id.trim() !== '',
        `${source} ${JSON.stringify(id)}`,
      );
    }),
    { numRuns: 3000 },
  );
});

test("OpenClaw's own exec example id with '#' is accepted by both", () => {
  assert.equal(engineAccepts('exec', 'aws/secret#json_key'), true);
  assert.equal(refIdProblem('aws/secret#json_key', 'exec'), undefined);
});

test('provider aliases: the client accepts exactly the engine pattern', () => {
  fc.assert(
    fc.property(fc.stringMatching(PROVIDER_ALIAS_PATTERN), (alias) =>
      assert.equal(providerAliasProblem(alias), undefined),
    ),
  );
  assert.ok(providerAliasProblem('Bad'));
});

test("cloud options: the client's input box accepts what the server's schema accepts (the recipe's pattern)", () => {
  const region = recipes.find((r) => r.id === 'aliyun')!.options.find((o) => o.key === 'region')!;
  assert.equal(backendOptionProblem('cn-hangzhou', region), undefined);
  assert.match(backendOptionProblem('cn hangzhou; reboot', region) ?? '', /Region must match/);
  assert.match(backendOptionProblem('  ', region) ?? '', /Region is required/);
  const vaultName = recipes.find((r) => r.id === 'azure')!.options.find((o) => o.key === 'vaultName')!;
  assert.equal(backendOptionProblem('ocs-test-vault', vaultName), undefined);
  assert.ok(backendOptionProblem('a', vaultName));
});
