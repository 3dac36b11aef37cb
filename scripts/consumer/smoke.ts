// Runs inside a throwaway consumer project that installed the packed actioncenter with its own
// fast-check (see scripts/check-consumers.mjs): type-checked there with `strict` and without
// skipLibCheck, against that fast-check's types, then run with node:test. It draws from the testing
// kit's arbitraries, derives a custom type's parameters, runs the repository contract suite on the
// memory repository and the model-based commands against the engine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import {
  builtInActionTypes,
  createActionCenter,
  createCatalog,
  createMemoryRepository,
  defineActionType,
} from 'actioncenter';
import {
  actionCenterArbitraries,
  actionCenterCommands,
  createModelRunSetup,
  repositoryContract,
} from 'actioncenter/testing';

const version: string = JSON.parse(
  readFileSync(join(process.cwd(), 'node_modules/fast-check/package.json'), 'utf8'),
).version;

test(`every arbitrary draws with fast-check ${version}`, () => {
  const arbitraries = actionCenterArbitraries(fc);
  let drawn = 0;
  for (const [name, value] of Object.entries(arbitraries)) {
    if (value instanceof fc.Arbitrary) {
      assert.equal(fc.sample(value, 5).length, 5, name);
      drawn += 1;
    }
  }
  assert.ok(drawn >= 5, `drew from ${drawn} arbitraries`);
  for (const status of ['pending', 'succeeded', 'undoFailed'] as const)
    assert.equal(fc.sample(arbitraries.actionRecordIn(status), 3).length, 3);
});

test(`a custom action type's parameters are derived with fast-check ${version}`, () => {
  const wipe = defineActionType({
    id: 'wipeDevice',
    displayName: 'Wipe device',
    workload: 'endpoint',
    targetKind: 'device',
    parameters: z.strictObject({ keepEnrollment: z.boolean(), reason: z.string().min(1).max(40) }),
  });
  const catalog = createCatalog([...builtInActionTypes, wipe]);
  assert.ok(catalog.ok, JSON.stringify(catalog));
  const requests = fc.sample(actionCenterArbitraries(fc, { catalog: catalog.value }).requestOf('wipeDevice'), 20);
  assert.equal(requests.length, 20);
});

/** The two matchers the contract suites use, on node:assert. */
const expect = (actual: unknown, message?: string) => ({
  toBe: (expected: unknown) => assert.strictEqual(actual, expected, message),
  toEqual: (expected: unknown) => assert.deepStrictEqual(actual, expected, message),
});

repositoryContract({
  test,
  expect,
  fc,
  numRuns: 5,
  factory: () => createMemoryRepository(),
  name: 'memory repository',
});

test(`model-based commands run with fast-check ${version}`, async () => {
  const setup = createModelRunSetup({
    engine: (deps) => createActionCenter({ ...deps, repository: createMemoryRepository() }),
  });
  await fc.assert(
    fc.asyncProperty(fc.commands(actionCenterCommands(fc), { size: '+1' }), (commands) =>
      fc.asyncModelRun(setup, commands),
    ),
    { numRuns: 20 },
  );
});
