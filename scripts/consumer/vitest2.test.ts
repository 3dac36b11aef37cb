// Runs inside a throwaway consumer project on vitest 2 (see scripts/check-consumers.mjs): vitest is no
// peer of actioncenter, and the contract suites take the project's own `test` and `expect`.
import fc from 'fast-check';
import { createMemoryRepository } from 'actioncenter';
import { repositoryContract } from 'actioncenter/testing';
import { test, expect } from 'vitest';

repositoryContract({
  test,
  expect,
  fc,
  numRuns: 5,
  factory: () => createMemoryRepository(),
  name: 'memory repository on vitest 2',
});
