/**
 * Issue 14, totals that do not scan, on PGlite: a view query counts at most `exactTotalLimit` matches
 * (default EXACT_TOTAL_LIMIT); past it the page says `total: limit, totalIs: 'atLeast'`, below it the
 * total is exact. Pages and paging are unchanged. The repository contract accepts a capped total.
 */
import { describe, expect, it, test } from 'vitest';
import { ActionCenterException, unwrap, type ActionPage, type ActionQueryInput } from 'actioncenter';
import { referenceQuery, resolveQuery } from 'actioncenter/adapter-kit';
import { EXACT_TOTAL_LIMIT, createPostgresRepository } from 'actioncenter/postgres';
import { REPOSITORY_CONTRACT_GROUPS, repositoryContract } from 'actioncenter/testing';
import { emptiedSchema, freshSchema, sharedPGlite, storedMixed, T0, usePGlite } from './postgres-fixtures.js';

usePGlite();

const SLOW = { timeout: 120_000 };
const NOW = T0 + 365 * 24 * 60 * 60 * 1000;
const query = (input: ActionQueryInput) => unwrap(resolveQuery(input, NOW));

const stored = (exactTotalLimit?: number) =>
  storedMixed('ac_capped', exactTotalLimit === undefined ? {} : { exactTotalLimit });

describe('capped totals', () => {
  it('EXACT_TOTAL_LIMIT is 10,000, and under it the default repository counts exactly', SLOW, async () => {
    expect(EXACT_TOTAL_LIMIT).toBe(10_000);
    const { repo, all } = await stored();
    const page = unwrap(await repo.query(query({ filter: { view: 'history' }, page: { size: 5 } })));
    expect([page.total, page.totalIs, page.items.length]).toEqual([all.length, 'exact', 5]);
  });

  it(
    'with a limit of 5: below and at the limit the total is exact, above it the page says "at least 5"',
    SLOW,
    async () => {
      const { repo, all } = await stored(5);
      const cases: [ActionQueryInput['filter'], number, 'exact' | 'atLeast'][] = [
        [{ view: 'history', status: ['rejected'] }, 3, 'exact'],
        [{ view: 'history', status: ['approved'] }, 5, 'exact'],
        [{ view: 'history', status: ['approved', 'rejected'] }, 5, 'atLeast'],
        [{ view: 'history' }, 5, 'atLeast'],
        [{ view: 'history', status: ['expired'] }, 0, 'exact'],
      ];
      for (const [filter, total, totalIs] of cases) {
        const q = query({ filter, page: { size: 2 } });
        const page = unwrap(await repo.query(q));
        const reference = referenceQuery(all, q);
        expect([page.total, page.totalIs], JSON.stringify(filter)).toEqual([total, totalIs]);
        // Only the total is capped: the page and its cursor are the reference's.
        expect([page.items, page.nextCursor], JSON.stringify(filter)).toEqual([reference.items, reference.nextCursor]);
      }
    },
  );

  it('with a limit of 5, paging by cursor still reaches every match, each page saying "at least 5"', SLOW, async () => {
    const { repo, all } = await stored(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const page: ActionPage = unwrap(
        await repo.query(
          query({ filter: { view: 'history' }, page: { size: 5, ...(cursor === null ? {} : { cursor }) } }),
        ),
      );
      expect([page.total, page.totalIs]).toEqual([5, 'atLeast']);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    expect(seen.sort()).toEqual(all.map((a) => a.id as string).sort());
  });

  it(
    'with a limit of 5, a page by index past the limit says at least the rows up to its end; an empty one, 5',
    SLOW,
    async () => {
      const { repo, all } = await stored(5);
      const at = async (index: number) => {
        const page = unwrap(await repo.query(query({ filter: { view: 'history' }, page: { size: 4, index } })));
        return [page.total, page.totalIs, page.items.length];
      };
      expect(all.length).toBe(12);
      expect(await at(0)).toEqual([5, 'atLeast', 4]);
      expect(await at(1)).toEqual([8, 'atLeast', 4]);
      expect(await at(2)).toEqual([12, 'atLeast', 4]);
      expect(await at(3)).toEqual([5, 'atLeast', 0]);
    },
  );

  it('the count is bounded in SQL: the statement counts at most limit + 1 rows', () => {
    const repo = createPostgresRepository({
      client: sharedPGlite(),
      schema: freshSchema('ac_capped'),
      exactTotalLimit: 7,
    });
    const statement = repo.statementOf(query({ filter: { view: 'history' } }));
    expect(statement.text).toMatch(/count\(\*\)[\s\S]*LIMIT \$\d+::bigint\s*\) c\) t/);
    expect(statement.params).toContain('8');
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity, '5', null])('refuses exactTotalLimit %s as invalid options', (limit) => {
    let thrown: unknown;
    try {
      createPostgresRepository({ client: sharedPGlite(), exactTotalLimit: limit as number });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ActionCenterException);
    expect((thrown as ActionCenterException).error.code).toBe('invalidInput');
  });
});

describe('the repository contract on a repository whose totals are capped at 3', () => {
  const schema = emptiedSchema(sharedPGlite, 'ac_capped_contract');
  repositoryContract({
    test,
    expect,
    timeout: 120_000,
    skip: REPOSITORY_CONTRACT_GROUPS.filter((g) => g !== 'query' && g !== 'scope' && g !== 'views'),
    factory: async () => {
      const fresh = await schema.fresh();
      return createPostgresRepository({ client: sharedPGlite(), schema: fresh.schema ?? '', exactTotalLimit: 3 });
    },
    name: 'postgres repository (PGlite, totals capped at 3)',
  });
});
