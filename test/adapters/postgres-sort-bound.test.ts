/**
 * Issue 14, sorts no index serves are bounded, on PGlite: sorted by such a column (asset, status,
 * the labelled ones...), a view query first counts its matches up to `maxUnindexedSortRows` and past
 * it answers `queryTooBroad` (typed, with its payload) instead of sorting them all. Indexed sorts
 * and narrow filters are served as before; `center.list` and `center.exportCsv` pass the refusal on.
 */
import { describe, expect, it, test } from 'vitest';
import { ActionCenterException, createActionCenter, manualClock, unwrap, type ActionQueryInput } from 'actioncenter';
import { SORT_COLUMNS, referenceQuery, resolveQuery, type SortColumn } from 'actioncenter/adapter-kit';
import { UNINDEXED_SORT_LIMIT, createPostgresRepository } from 'actioncenter/postgres';
import { REPOSITORY_CONTRACT_GROUPS, repositoryContract } from 'actioncenter/testing';
import { emptiedSchema, sharedPGlite, storedMixed, T0, usePGlite } from './postgres-fixtures.js';

usePGlite();

const SLOW = { timeout: 120_000 };
const NOW = T0 + 365 * 24 * 60 * 60 * 1000;
const query = (input: ActionQueryInput) => unwrap(resolveQuery(input, NOW));
const INDEXED: readonly SortColumn[] = ['id', 'createdAt', 'decidedAt', 'completedAt'];
const UNINDEXED = SORT_COLUMNS.filter((c) => !INDEXED.includes(c));

const stored = (maxUnindexedSortRows?: number) =>
  storedMixed('ac_sortbound', maxUnindexedSortRows === undefined ? {} : { maxUnindexedSortRows });

describe('sorts no index serves, bounded', () => {
  it('UNINDEXED_SORT_LIMIT is 100,000, and the default repository sorts 12 matches by asset', SLOW, async () => {
    expect(UNINDEXED_SORT_LIMIT).toBe(100_000);
    const { repo, all } = await stored();
    const q = query({ filter: { view: 'all' }, sort: { column: 'asset', direction: 'asc' } });
    expect(unwrap(await repo.query(q)).items).toEqual(referenceQuery(all, q).items);
  });

  it('with a limit of 5, sorting 12 matches by asset is refused with queryTooBroad and its payload', SLOW, async () => {
    const { repo, all } = await stored(5);
    const r = await repo.query(query({ filter: { view: 'all' }, sort: { column: 'asset', direction: 'desc' } }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'queryTooBroad', sortColumn: 'asset', limit: 5, atLeast: 6 });
    expect(typeof r.error.message).toBe('string');
    // A refused read changes nothing: every action is still there, served by an indexed sort.
    const after = unwrap(await repo.query(query({ filter: { view: 'all' }, page: { size: 50 } })));
    expect(after.items.map((a) => a.id).sort()).toEqual(all.map((a) => a.id as string).sort());
  });

  it('with a limit of 5, every sort column no index serves is refused over 6 matches', SLOW, async () => {
    const { repo } = await stored(5);
    const refused: string[] = [];
    for (const column of UNINDEXED) {
      const r = await repo.query(
        query({ filter: { view: 'all', status: ['approved', 'rejected'] }, sort: { column, direction: 'asc' } }),
      );
      if (!r.ok && r.error.code === 'queryTooBroad') refused.push(r.error.sortColumn);
    }
    expect(refused).toEqual([...UNINDEXED]);
    expect(UNINDEXED.length).toBe(13);
  });

  it('with a limit of 5, a filter narrowed to 5 or fewer matches is sorted by any column', SLOW, async () => {
    const { repo, all } = await stored(5);
    for (const status of ['approved', 'rejected'] as const) {
      for (const column of SORT_COLUMNS) {
        const q = query({ filter: { view: 'all', status: [status] }, sort: { column, direction: 'desc' } });
        const page = unwrap(await repo.query(q));
        const reference = referenceQuery(all, q);
        expect([page.items, page.nextCursor, page.total], `${status} by ${column}`).toEqual([
          reference.items,
          reference.nextCursor,
          reference.total,
        ]);
      }
    }
  });

  it('with a limit of 5, indexed sorts over 12 matches are served, paging included', SLOW, async () => {
    const { repo, all } = await stored(5);
    for (const column of INDEXED) {
      const q = query({ filter: { view: 'all' }, sort: { column, direction: 'asc' }, page: { size: 4 } });
      const page = unwrap(await repo.query(q));
      expect([page.items, page.nextCursor], column).toEqual([
        referenceQuery(all, q).items,
        referenceQuery(all, q).nextCursor,
      ]);
    }
  });

  it(
    'through the center: list and exportCsv answer queryTooBroad (not a throw, not repositoryUnavailable)',
    SLOW,
    async () => {
      const { repo } = await stored(5);
      const center = createActionCenter({ repository: repo, clock: manualClock(NOW) });
      const principal = {
        id: 'secadmin@contoso.com',
        assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
      } as const;
      const broad = { filter: { view: 'all' }, sort: { column: 'asset', direction: 'asc' } } as const;
      const listed = await center.list({ principal, query: broad });
      expect(listed.ok ? 'ok' : listed.error.code).toBe('queryTooBroad');
      if (!listed.ok && listed.error.code === 'queryTooBroad') expect(listed.error.atLeast).toBe(6);
      const exported = await center.exportCsv({ principal, query: broad });
      expect(exported.ok ? 'ok' : exported.error.code).toBe('queryTooBroad');
      // Narrowed, the same sort is listed and exported.
      const narrow = { ...broad, filter: { view: 'all', status: ['approved'] } } as const;
      expect(unwrap(await center.list({ principal, query: narrow })).items).toHaveLength(5);
      const csv = unwrap(await center.exportCsv({ principal, query: narrow }));
      for await (const chunk of csv) expect(typeof chunk).toBe('string');
      expect(unwrap(await csv.completion).rows).toBe(5);
    },
  );

  it.each([0, -1, 1.5, Number.NaN, Infinity, '5', null])(
    'refuses maxUnindexedSortRows %s as invalid options',
    (limit) => {
      let thrown: unknown;
      try {
        createPostgresRepository({ client: sharedPGlite(), maxUnindexedSortRows: limit as number });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ActionCenterException);
      expect((thrown as ActionCenterException).error.code).toBe('invalidInput');
    },
  );
});

describe('the repository contract on a repository bounding unindexed sorts at 1,000', () => {
  const schema = emptiedSchema(sharedPGlite, 'ac_sortbound_contract');
  repositoryContract({
    test,
    expect,
    timeout: 120_000,
    skip: REPOSITORY_CONTRACT_GROUPS.filter((g) => g !== 'query' && g !== 'scope' && g !== 'views'),
    // Every unindexed sort of the contract runs its bounding count first (and stays under 1,000).
    factory: async () => {
      const fresh = await schema.fresh();
      return createPostgresRepository({
        client: sharedPGlite(),
        schema: fresh.schema ?? '',
        maxUnindexedSortRows: 1_000,
      });
    },
    name: 'postgres repository (PGlite, unindexed sorts bounded at 1,000)',
  });
});
