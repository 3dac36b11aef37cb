/**
 * The executor contract suite, run on the no-op executor, on the scripted executor of the
 * model-based tests, and on a sample executor that behaves like a real one (takes time, fails
 * offline devices, honours aborts); and on executors that each break one promise, which the suite
 * must fail in that promise's group.
 */
import { describe, expect, it, test } from 'vitest';
import {
  builtInActionTypes,
  builtInCatalog,
  noopExecutor,
  type ActionExecutor,
  type ExecutionOutcome,
} from 'actioncenter';
import {
  EXECUTOR_CONTRACT_GROUPS,
  executorContract,
  runningAction,
  scriptedExecutor,
  type ExecutorContractGroup,
} from 'actioncenter/testing';

/**
 * A sample executor like a vendor's: device actions only, a few milliseconds of work each, offline
 * devices fail, scripts report partial results, and an abort stops the work at once.
 */
function sampleDeviceExecutor(offline: readonly string[] = ['LAPTOP-1']): ActionExecutor {
  return {
    supports: (actionTypeId) =>
      builtInCatalog.get(actionTypeId).ok && builtInCatalog.require(actionTypeId).workload === 'endpoint',
    execute: ({ action, actionType, signal }) =>
      new Promise<ExecutionOutcome>((resolve) => {
        const aborted = (): void =>
          resolve({ status: 'failed', failure: { code: 'aborted', message: String(signal.reason ?? 'aborted') } });
        if (signal.aborted) return aborted();
        const work = setTimeout(() => {
          signal.removeEventListener('abort', stop);
          const device = 'deviceName' in action.target ? action.target.deviceName : null;
          if (device !== null && offline.includes(device) && action.undoOf === null) {
            resolve({ status: 'failed', failure: { code: 'deviceOffline', message: `${device} did not respond` } });
          } else if (actionType.id === 'runScript') {
            resolve({
              status: 'partial',
              failure: { code: 'scriptExit', message: 'exit code 1' },
              details: { linesRun: 12 },
            });
          } else {
            resolve({ status: 'succeeded', details: { device, durationMs: 3 } });
          }
        }, 3);
        const stop = () => {
          clearTimeout(work);
          aborted();
        };
        signal.addEventListener('abort', stop, { once: true });
      }),
  };
}

// Each test executes every built-in type in turn: a limit far above that, not vitest's 5 s default.
const TIMEOUT = 60_000;
// The tests below that run a whole suite inside one test.
const WHOLE_SUITE_TIMEOUT = 120_000;

describe('the no-op executor', () => {
  executorContract({
    test,
    expect,
    factory: () => noopExecutor,
    actionTypes: builtInActionTypes,
    name: 'no-op executor',
    timeout: TIMEOUT,
  });
});

describe('the scripted executor of the model-based tests (nothing scripted: every action succeeds)', () => {
  executorContract({
    test,
    expect,
    factory: () => scriptedExecutor(new Map()),
    actionTypes: builtInActionTypes,
    name: 'scripted executor',
    timeout: TIMEOUT,
  });
});

describe('a sample device executor', () => {
  executorContract({
    test,
    expect,
    factory: () => sampleDeviceExecutor(),
    actionTypes: builtInActionTypes,
    name: 'sample device executor',
    timeout: TIMEOUT,
  });
});

const isolate = builtInCatalog.require('isolateDevice');
const broken: Record<string, () => ActionExecutor> = {
  /** Ignores the signal and takes its time. */
  ignoresAborts: () => ({
    supports: () => true,
    execute: () => new Promise((resolve) => setTimeout(() => resolve({ status: 'succeeded' }), 200)),
  }),
  /** Writes to the action it was given. */
  mutatesTheAction: () => ({
    supports: () => true,
    execute: async ({ action }) => {
      (action as { status: string }).status = 'succeeded';
      return { status: 'succeeded' };
    },
  }),
  /** Answers something that is not an outcome. */
  answersNonsense: () => ({
    supports: () => true,
    execute: async () => ({ status: 'done' }) as unknown as ExecutionOutcome,
  }),
  /** Reports failures by throwing. */
  throws: () => ({
    supports: () => true,
    execute: async () => {
      throw new Error('device offline');
    },
  }),
  /** A failure without a code. */
  failsWithoutCode: () => ({
    supports: () => true,
    execute: async () => ({ status: 'failed', failure: { code: '', message: 'no code' } }),
  }),
  /** Changes its mind about what it supports. */
  flipFlops: () => {
    let calls = 0;
    return { supports: () => calls++ % 2 === 0, execute: async () => ({ status: 'succeeded' }) };
  },
  /** Throws from supports. */
  supportsThrows: () => ({
    supports: () => {
      throw new Error('not ready');
    },
    execute: async () => ({ status: 'succeeded' }),
  }),
};

/** Runs the whole suite on an executor through a collecting runner; returns the groups with a failing test. */
async function failingGroups(factory: () => ActionExecutor): Promise<Set<ExecutorContractGroup>> {
  const tests: { name: string; body: () => Promise<void> }[] = [];
  executorContract({
    test: (name, body) => tests.push({ name, body }),
    expect,
    factory,
    actionTypes: [isolate, builtInCatalog.require('blockUrl')],
    abortTimeoutMs: 100,
  });
  const groups = new Set<ExecutorContractGroup>();
  for (const t of tests) {
    try {
      await t.body();
    } catch {
      const group = EXECUTOR_CONTRACT_GROUPS.find((g) => t.name.includes(`› ${g}:`));
      if (group !== undefined) groups.add(group);
    }
  }
  return groups;
}

describe('the contract suite notices broken executors', () => {
  it(
    'a correct executor fails no test (the collecting runner itself works)',
    async () => {
      expect([...(await failingGroups(sampleDeviceExecutor))]).toEqual([]);
    },
    WHOLE_SUITE_TIMEOUT,
  );

  it.each([
    ['ignoresAborts', ['abort']],
    ['mutatesTheAction', ['immutability']],
    ['answersNonsense', ['outcome', 'abort', 'immutability', 'concurrency']],
    ['throws', ['outcome', 'abort', 'immutability', 'concurrency']],
    ['failsWithoutCode', ['outcome', 'abort', 'immutability', 'concurrency']],
    ['flipFlops', ['supports']],
    ['supportsThrows', ['supports', 'outcome', 'abort', 'immutability', 'concurrency']],
  ] as const)(
    'an executor that %s fails exactly %j',
    async (name, expected) => {
      const factory = broken[name];
      if (factory === undefined) throw new Error(name);
      expect([...(await failingGroups(factory))].sort()).toEqual([...expected].sort());
    },
    WHOLE_SUITE_TIMEOUT,
  );

  it(
    'an executor that supports none of the types given fails every group: nothing would be checked',
    async () => {
      const groups = await failingGroups(() => ({
        supports: () => false,
        execute: async () => ({ status: 'succeeded' }),
      }));
      expect([...groups].sort()).toEqual([...EXECUTOR_CONTRACT_GROUPS].sort());
    },
    WHOLE_SUITE_TIMEOUT,
  );

  it('skip switches groups off by name', () => {
    const names: string[] = [];
    executorContract({
      test: (name) => names.push(name),
      expect,
      factory: () => noopExecutor,
      actionTypes: [isolate],
      skip: ['abort', 'concurrency'],
    });
    expect(names.length).toBeGreaterThan(0);
    expect(names.some((n) => n.includes('› abort:') || n.includes('› concurrency:'))).toBe(false);
  });
});

describe('the timeout option (milliseconds per test, passed as the runner’s third argument)', () => {
  const register = (timeout: unknown): { name: string; body: () => Promise<void>; args: unknown[] }[] => {
    const tests: { name: string; body: () => Promise<void>; args: unknown[] }[] = [];
    executorContract({
      test: (...args: unknown[]) =>
        tests.push({ name: args[0] as string, body: args[1] as () => Promise<void>, args: args.slice(2) }),
      expect,
      factory: () => noopExecutor,
      actionTypes: [isolate],
      ...(timeout === undefined ? {} : { timeout: timeout as number }),
    });
    return tests;
  };

  it('is passed to every test; without it, no third argument is passed', () => {
    const given = register(30_000);
    expect(given.length).toBeGreaterThanOrEqual(EXECUTOR_CONTRACT_GROUPS.length);
    expect(given.map((t) => t.args)).toEqual(given.map(() => [30_000]));
    const none = register(undefined);
    expect(none.map((t) => t.args)).toEqual(none.map(() => []));
  });

  it.each([0, -1, 0.5, Number.NaN, 2 ** 31, '1000'])(
    'an invalid timeout (%s) registers one failing test that names it, and no case',
    async (timeout) => {
      const tests = register(timeout);
      expect(tests.map((t) => t.name)).toEqual([
        expect.stringMatching(/^executor contract › options: executorContract: timeout /),
      ]);
      await expect(tests[0]?.body()).rejects.toThrow(/executorContract: timeout .*\(got /);
    },
  );
});

describe('runningAction', () => {
  it.each(builtInActionTypes.map((t) => [t.id, t] as const))(
    '%s: the action an executor is handed is running, with a deadline, of the type, and linked when it undoes',
    (_, type) => {
      const action = runningAction(type);
      expect(action).toMatchObject({ status: 'running', actionType: type.id, version: 2 });
      expect(action.deadlineAt).toBe((action.startedAt ?? 0) + type.deadlineMs);
      expect(action.undoOf !== null).toBe(type.undoes.length > 0);
    },
  );

  it('names the type and the fix when the parameters do not fit', () => {
    expect(() => runningAction(isolate, { isolationType: 'partial' })).toThrow(/"isolateDevice".*parameters/);
  });
});
