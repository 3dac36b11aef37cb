/**
 * The repository contract suite, run on our own in-memory repository (with its default and with tiny
 * index blocks), on the simplest repository written from the port's documentation alone, and on
 * repositories that each break one promise: the suite must fail them in the group that promise
 * belongs to.
 */
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { createMemoryRepository, type ActionRepository } from 'actioncenter';
import { REPOSITORY_CONTRACT_GROUPS, repositoryContract, type RepositoryContractGroup } from 'actioncenter/testing';
import { BROKEN_REPOSITORIES, naiveRepository } from './naive-repository.js';

const RUNS = Number(process.env.CONTRACT_RUNS ?? 25);

describe('memory repository', () => {
  repositoryContract({ test, expect, fc, numRuns: RUNS, factory: () => createMemoryRepository(), name: 'memory repository' });
});

describe('memory repository, blocks of 4 (splits and merges of the index)', () => {
  repositoryContract({ test, expect, fc, numRuns: RUNS, factory: () => createMemoryRepository({ blockSize: 4 }), name: 'memory repository (blocks of 4)' });
});

describe('a naive repository written from the port documentation alone', () => {
  repositoryContract({ test, expect, fc, numRuns: Math.ceil(RUNS / 2), factory: () => naiveRepository(), name: 'naive repository' });
});

/** Runs the whole suite on a repository through a collecting runner; returns the groups with a failing test. */
async function failingGroups(factory: () => ActionRepository, options: { withFc?: boolean } = {}): Promise<{ groups: Set<RepositoryContractGroup>; failures: string[] }> {
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
    repositoryContract({ test: (name) => names.push(name), expect, fc, factory: () => createMemoryRepository(), name: 'X' });
    for (const group of REPOSITORY_CONTRACT_GROUPS) expect(names.some((n) => n.startsWith(`X › ${group}:`))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('skip switches groups off by name', () => {
    const names: string[] = [];
    repositoryContract({ test: (name) => names.push(name), expect, factory: () => createMemoryRepository(), skip: ['query', 'isolation'] });
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

  it('a correct repository fails no test (the collecting runner itself works)', async () => {
    const { groups, failures } = await failingGroups(() => naiveRepository(), { withFc: true });
    expect([...groups], failures.join('\n')).toEqual([]);
  });

  // A broken promise may show in other groups too (they read what it spoiled); it must show in its own.
  it.each([
    ['sharesReads', 'isolation'],
    ['keepsInputs', 'isolation'],
    ['ignoresVersions', 'conflicts'],
    ['notAtomic', 'commit'],
    ['ignoresOpenKeys', 'openKeys'],
    ['forgetsIdempotencyKeys', 'idempotency'],
    ['dropsAFilter', 'query'],
    ['reversesTrails', 'audit'],
  ] as const)('a repository that %s fails the %s group', async (name, group) => {
    const { groups, failures } = await failingGroups(BROKEN_REPOSITORIES[name]);
    expect(groups.has(group), `failing: ${failures.join('\n')}`).toBe(true);
  });

  it('reads that hand out stored records are the only thing a sharing repository gets wrong', async () => {
    const { groups, failures } = await failingGroups(BROKEN_REPOSITORIES.sharesReads);
    expect([...groups], failures.join('\n')).toEqual(['isolation']);
  });

  it('the property check of the query group catches a dropped filter too (with fast-check given)', async () => {
    const tests: { name: string; body: () => Promise<void> }[] = [];
    repositoryContract({ test: (name, body) => tests.push({ name, body }), expect, fc, numRuns: 200, factory: BROKEN_REPOSITORIES.dropsAFilter });
    const property = tests.find((t) => t.name.includes('property'));
    expect(property).toBeDefined();
    // fast-check reports the counterexample and the seed to replay it.
    await expect(property?.body()).rejects.toThrow(/seed/);
  });
});
