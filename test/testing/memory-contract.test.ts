/**
 * The repository contract suite, run on our own in-memory repository (with its default and with tiny
 * index blocks), on the simplest repository written from the port's documentation alone, and on
 * repositories that each break one promise: the suite must fail them in the group that promise
 * belongs to.
 */
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { createMemoryRepository, type ActionRepository } from 'actioncenter';
import {
  REPOSITORY_CONTRACT_GROUPS,
  repositoryContract,
  type FastCheck,
  type RepositoryContractGroup,
} from 'actioncenter/testing';
import { BROKEN_REPOSITORIES, naiveRepository } from './naive-repository.js';

const RUNS = Number(process.env.CONTRACT_RUNS ?? 25);
// Each test (the property check of the query group most of all: 8.7 s was seen on two busy cores)
// gets a limit far above what it needs, rather than vitest's 5 s default.
const TIMEOUT = 120_000;
// The tests below that run a whole suite inside one test.
const WHOLE_SUITE_TIMEOUT = 120_000;

describe('memory repository', () => {
  repositoryContract({
    test,
    expect,
    fc,
    numRuns: RUNS,
    timeout: TIMEOUT,
    factory: () => createMemoryRepository(),
    name: 'memory repository',
  });
});

describe('memory repository, blocks of 4 (splits and merges of the index)', () => {
  repositoryContract({
    test,
    expect,
    fc,
    numRuns: RUNS,
    timeout: TIMEOUT,
    factory: () => createMemoryRepository({ blockSize: 4 }),
    name: 'memory repository (blocks of 4)',
  });
});

describe('a naive repository written from the port documentation alone', () => {
  repositoryContract({
    test,
    expect,
    fc,
    numRuns: Math.ceil(RUNS / 2),
    timeout: TIMEOUT,
    factory: () => naiveRepository(),
    name: 'naive repository',
  });
});

const DROPPED_FILTER_SEED = 2;

/** Our fast-check, with every `assert` on a fixed seed and without shrinking (the failure is what counts). */
function seeded(seed: number): FastCheck {
  const assert = (property: fc.IAsyncProperty<unknown[]>, params?: fc.Parameters<unknown[]>) =>
    fc.assert(property, { ...params, seed, endOnFailure: true });
  return { ...fc, assert: assert as FastCheck['assert'] };
}

/** Runs the whole suite on a repository through a collecting runner; returns the groups with a failing test. */
async function failingGroups(
  factory: () => ActionRepository,
  options: { withFc?: boolean } = {},
): Promise<{ groups: Set<RepositoryContractGroup>; failures: string[] }> {
  const tests: { name: string; body: () => Promise<void> }[] = [];
  repositoryContract({
    test: (name, body) => tests.push({ name, body }),
    expect,
    factory,
    ...(options.withFc === true ? { fc, numRuns: 10 } : {}),
  });
  const groups = new Set<RepositoryContractGroup>();
  const failures: string[] = [];
  for (const t of tests) {
    try {
      await t.body();
    } catch (e) {
      const group = REPOSITORY_CONTRACT_GROUPS.find((g) => t.name.includes(`› ${g}:`));
      if (group === undefined) throw new Error(`test without a group: ${t.name}`);
      groups.add(group);
      failures.push(`${t.name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  return { groups, failures };
}

describe('the contract suite notices broken repositories', () => {
  it('registers one test per case, named by group, every group present', () => {
    const names: string[] = [];
    repositoryContract({
      test: (name) => names.push(name),
      expect,
      fc,
      factory: () => createMemoryRepository(),
      name: 'X',
    });
    for (const group of REPOSITORY_CONTRACT_GROUPS) expect(names.some((n) => n.startsWith(`X › ${group}:`))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('skip switches groups off by name', () => {
    const names: string[] = [];
    repositoryContract({
      test: (name) => names.push(name),
      expect,
      factory: () => createMemoryRepository(),
      skip: ['query', 'isolation'],
    });
    expect(names.length).toBeGreaterThan(0);
    expect(names.some((n) => n.includes('› query:') || n.includes('› isolation:'))).toBe(false);
  });

  it('every test gets a fresh repository from the factory, and teardown sees each one', async () => {
    const made: ActionRepository[] = [];
    const tornDown: ActionRepository[] = [];
    const tests: (() => Promise<void>)[] = [];
    repositoryContract({
      test: (_, body) => tests.push(body),
      expect,
      factory: async () => {
        const repo = createMemoryRepository();
        made.push(repo);
        return repo;
      },
      teardown: (repo) => {
        tornDown.push(repo);
      },
    });
    for (const body of tests) await body();
    expect(made.length).toBe(tests.length);
    expect(new Set(made).size).toBe(made.length);
    expect(tornDown).toEqual(made);
  });

  it(
    'a correct repository fails no test (the collecting runner itself works)',
    async () => {
      const { groups, failures } = await failingGroups(() => naiveRepository(), { withFc: true });
      expect([...groups], failures.join('\n')).toEqual([]);
    },
    WHOLE_SUITE_TIMEOUT,
  );

  // A broken promise may show in other groups too (they read what it spoiled); it must show in its own.
  it.each([
    ['sharesReads', 'isolation'],
    ['keepsInputs', 'isolation'],
    ['ignoresVersions', 'conflicts'],
    ['notAtomic', 'commit'],
    ['ignoresOpenKeys', 'openKeys'],
    ['forgetsIdempotencyKeys', 'idempotency'],
    ['dropsAFilter', 'query'],
    ['overstatesALowerBound', 'query'],
    ['leavesTotalsUnlabelled', 'query'],
    ['reversesTrails', 'audit'],
    ['missesDueAtItsTime', 'due'],
    ['keepsStaleDueTimes', 'due'],
    ['repeatsAChange', 'changes'],
    ['reversesFeedPages', 'changes'],
    ['dropsNullDetails', 'auditChain'],
    ['forgetsAuditHead', 'auditChain'],
  ] as const)(
    'a repository that %s fails the %s group',
    async (name, group) => {
      const { groups, failures } = await failingGroups(BROKEN_REPOSITORIES[name]);
      expect(groups.has(group), `failing: ${failures.join('\n')}`).toBe(true);
    },
    WHOLE_SUITE_TIMEOUT,
  );

  it(
    'reads that hand out stored records are the only thing a sharing repository gets wrong',
    async () => {
      const { groups, failures } = await failingGroups(BROKEN_REPOSITORIES.sharesReads);
      expect([...groups], failures.join('\n')).toEqual(['isolation']);
    },
    WHOLE_SUITE_TIMEOUT,
  );

  // Regression (0.8 s to 8 s, over vitest's 5 s default under load): with a random seed, the runs
  // until a dropped filter shows and, above all, the shrinking after it varied from run to run. A
  // fixed seed and no shrinking make it the same work every time (about one run in eight shows the
  // dropped filter, so 200 runs miss it with odds below 1e-11 whatever the seed).
  it(
    'the property check of the query group catches a dropped filter too (with fast-check given)',
    async () => {
      const tests: { name: string; body: () => Promise<void> }[] = [];
      repositoryContract({
        test: (name, body) => tests.push({ name, body }),
        expect,
        fc: seeded(DROPPED_FILTER_SEED),
        numRuns: 200,
        factory: BROKEN_REPOSITORIES.dropsAFilter,
      });
      const property = tests.find((t) => t.name.includes('property'));
      expect(property).toBeDefined();
      // fast-check reports the counterexample and the seed to replay it.
      await expect(property?.body()).rejects.toThrow(new RegExp(`seed: ${DROPPED_FILTER_SEED}\\b`));
    },
    WHOLE_SUITE_TIMEOUT,
  );
});

describe('the timeout option (milliseconds per test, passed as the runner’s third argument)', () => {
  interface Registered {
    readonly name: string;
    readonly body: () => Promise<void>;
    readonly args: number;
    readonly timeout: unknown;
  }
  const register = (extra: Record<string, unknown>): Registered[] => {
    const tests: Registered[] = [];
    repositoryContract({
      test: (...args: unknown[]) =>
        tests.push({
          name: args[0] as string,
          body: args[1] as () => Promise<void>,
          args: args.length,
          timeout: args[2],
        }),
      expect,
      fc,
      numRuns: 1,
      factory: () => createMemoryRepository(),
      name: 'T',
      ...extra,
    });
    return tests;
  };

  it('is passed to every test, the property check included', () => {
    const tests = register({ timeout: 45_000 });
    expect(tests.length).toBeGreaterThan(REPOSITORY_CONTRACT_GROUPS.length);
    expect(tests.some((t) => t.name.includes('property'))).toBe(true);
    expect(tests.map((t) => [t.args, t.timeout])).toEqual(tests.map(() => [3, 45_000]));
  });

  it('without it, tests are registered with two arguments, so the runner’s own default applies', () => {
    const tests = register({});
    expect(tests.length).toBeGreaterThan(0);
    expect(new Set(tests.map((t) => t.args))).toEqual(new Set([2]));
  });

  it('takes the bounds of a timer: 1 ms and 2147483647 ms', () => {
    expect(register({ timeout: 1 }).every((t) => t.timeout === 1)).toBe(true);
    expect(register({ timeout: 2_147_483_647 }).every((t) => t.timeout === 2_147_483_647)).toBe(true);
  });

  it.each([
    [0, /at least 1 ms \(got 0\)/],
    [-5, /at least 1 ms \(got -5\)/],
    [1.5, /whole number of milliseconds \(got 1\.5\)/],
    [Number.NaN, /\(got NaN\)/],
    [Number.POSITIVE_INFINITY, /\(got Infinity\)/],
    [2 ** 31, /at most 2147483647 ms .*\(got 2147483648\)/],
    ['5000', /number of milliseconds \(got "5000"\)/],
    [null, /number of milliseconds \(got object\)/],
  ] as const)(
    'an invalid timeout (%s) registers one failing test that names it, and no case',
    async (timeout, message) => {
      const tests = register({ timeout });
      expect(tests).toHaveLength(1);
      const [only] = tests;
      expect(only?.args).toBe(2);
      expect(only?.name).toMatch(/^T › options: repositoryContract: timeout /);
      expect(only?.name).toMatch(message);
      await expect(only?.body()).rejects.toThrow(message);
    },
  );

  it('options whose timeout getter throws register the failing test instead of throwing', async () => {
    const options = {
      test: (name: string, body: () => Promise<void>) => tests.push({ name, body }),
      expect,
      factory: () => createMemoryRepository(),
      get timeout(): number {
        throw new Error('no timeout here');
      },
    };
    const tests: { name: string; body: () => Promise<void> }[] = [];
    expect(() => repositoryContract(options)).not.toThrow();
    expect(tests.map((t) => t.name)).toEqual([
      'repository contract › options: repositoryContract: timeout could not be read (no timeout here)',
    ]);
    await expect(tests[0]?.body()).rejects.toThrow(/could not be read/);
  });
});
