/**
 * `repositoryContract`: the guarantees of the `ActionRepository` port as a test suite, after the
 * pattern of Keyv's storage test suite. You pass your runner's `test` and `expect` and a factory;
 * every test gets a fresh repository; groups can be switched off by name.
 *
 * @module
 */
import type { ActionId, ActionRepository } from 'actioncenter';
import type { FastCheck } from '../../fast-check.js';
import {
  contractTimeout,
  registerCases,
  type ContractCase,
  type ContractExpect,
  type ContractTest,
} from '../runner.js';
import { REPOSITORY_CONTRACT_GROUPS, type RepositoryContractGroup, type RepositoryContractOptions } from './options.js';
import { auditCases } from './audit.js';
import { auditChainCases } from './audit-chain.js';
import { changeCases, changesProperty } from './changes.js';
import { commitCases } from './commit.js';
import { conflictCases } from './conflicts.js';
import { corruptRowCases } from './corrupt-rows.js';
import { dueCases, dueProperty } from './due.js';
import { idempotencyCases } from './idempotency.js';
import { investigationCases, investigationProperty } from './investigations.js';
import { isolationCases } from './isolation.js';
import { openKeyCases } from './open-keys.js';
import { queryCases, queryProperty } from './query.js';
import { scopeCases, scopeProperty } from './scope.js';
import { viewCases } from './views.js';

export { REPOSITORY_CONTRACT_GROUPS, type RepositoryContractGroup, type RepositoryContractOptions };

/**
 * Registers the repository contract suite: the guarantees the `ActionRepository` port documents
 * (atomic commits, version conflicts, open keys, idempotency keys, queries equal to
 * `referenceQuery`, audit order, reads that cannot corrupt stored state) as tests of your runner.
 * Every test starts from `await factory()`; `teardown` runs after it. With `fc`, the `query` group
 * adds a property check over generated action histories and queries (`numRuns` each). `timeout`
 * sets each test's time limit; an invalid one registers a single failing test that names it.
 *
 * @example
 * ```ts
 * // With vitest or jest: `import { test, expect } from 'vitest'` and pass them as they are.
 * // Here with node:test, which needs a two-line `expect`:
 * import { test } from 'node:test';
 * import assert from 'node:assert/strict';
 * import fc from 'fast-check';
 * import { createMemoryRepository } from 'actioncenter';
 * import { repositoryContract, type ContractExpect } from 'actioncenter/testing';
 * const expect: ContractExpect = (actual, message) => ({
 *   toBe: (expected) => assert.equal(actual, expected, message),
 *   toEqual: (expected) => assert.deepEqual(actual, expected, message),
 * });
 * repositoryContract({ test: (name, body) => test(name, body), expect, fc, numRuns: 10, factory: () => createMemoryRepository(), name: 'memory repository' });
 * ```
 */
export function repositoryContract<R extends ActionRepository>(options: RepositoryContractOptions<R>): void {
  const expect = options.expect;
  const cases: ContractCase<RepositoryContractGroup, R>[] = [
    ...commitCases(expect),
    ...conflictCases(expect),
    ...openKeyCases(expect),
    ...idempotencyCases(expect),
    ...queryCases(expect),
    ...auditCases(expect),
    ...isolationCases(expect),
    ...corruptRowCases(expect, options.corrupt),
    ...scopeCases(expect),
    ...viewCases(expect),
    ...investigationCases(expect),
    ...changeCases(expect),
    ...dueCases(expect),
    ...auditChainCases(expect),
  ];
  if (options.fc !== undefined)
    cases.push(
      queryProperty(options, options.fc),
      scopeProperty(options, options.fc),
      investigationProperty(options, options.fc),
      changesProperty(options, options.fc),
      dueProperty(options, options.fc),
    );
  registerCases(
    {
      test: options.test,
      name: options.name ?? 'repository contract',
      suite: 'repositoryContract',
      skip: options.skip ?? [],
      factory: options.factory,
      teardown: options.teardown,
      timeout: contractTimeout(options),
    },
    cases,
  );
}
