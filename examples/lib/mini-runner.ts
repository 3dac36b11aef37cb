/**
 * A test runner in thirty lines, for scripts that run a contract suite without a test framework:
 * `test` collects, `expect` asserts with node:assert, `run` runs everything in order and reports.
 */
import assert from 'node:assert/strict';
import type { ContractExpect, ContractTest } from 'actioncenter/testing';

export interface MiniRunner {
  readonly test: ContractTest;
  readonly expect: ContractExpect;
  /** Runs the collected tests one after the other; prints each failure; returns the counts. */
  run(): Promise<{ readonly passed: number; readonly failed: readonly string[] }>;
}

export function miniRunner(): MiniRunner {
  const tests: { readonly name: string; readonly body: () => Promise<void> }[] = [];
  return {
    test: (name, body) => {
      tests.push({ name, body });
    },
    // Deep equality of plain data, as vitest's toEqual (records from a repository may be frozen copies).
    expect: (actual, message) => ({
      toBe: (expected) => assert.equal(actual, expected, message),
      toEqual: (expected) => assert.deepEqual(actual, expected, message),
    }),
    async run() {
      let passed = 0;
      const failed: string[] = [];
      for (const { name, body } of tests) {
        try {
          await body();
          passed += 1;
        } catch (error) {
          failed.push(name);
          console.error(`✗ ${name}\n  ${error instanceof Error ? error.message.split('\n').slice(0, 3).join('\n  ') : String(error)}`);
        }
      }
      return { passed, failed };
    },
  };
}
