/**
 * The `corruptRows` group of `repositoryContract`: readable records are never reported unreadable;
 * with the `corrupt` option, an unreadable stored action is left out of its page and named in
 * `skipped`, and paging goes past it.
 *
 * @module
 */
import { type ActionId, type ActionPage, type ActionRepository } from 'actioncenter';
import { asId, type ResolvedQuery } from 'actioncenter/adapter-kit';
import { fixtureHistories } from '../fixtures.js';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup } from './options.js';
import { query } from './paging.js';
import { storeHistories, value, type Expect } from './shared.js';

export function corruptRowCases<R extends ActionRepository>(
  expect: Expect,
  corrupt: ((repository: R, id: ActionId) => Promise<void>) | undefined,
): ContractCase<RepositoryContractGroup, R>[] {
  /** Every page of `q` (page size 1: an unreadable action is alone on its page), items and skipped. */
  const allPages = async (repo: R, q: ResolvedQuery) => {
    const items: string[] = [];
    const skipped: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page: ActionPage = await value(expect, repo.query({ ...q, page: { size: 1, cursor, index: 0 } }), 'query');
      items.push(...page.items.map((a) => a.id));
      skipped.push(...(page.skipped ?? []).map((e) => e.actionId));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    return { items, skipped };
  };
  const cases: ContractCase<RepositoryContractGroup, R>[] = [
    {
      group: 'corruptRows',
      title: 'a store of readable records reports none as unreadable: no page has skipped entries',
      run: async (repo) => {
        const histories = fixtureHistories();
        await storeHistories(expect, repo, histories);
        const pages = await allPages(repo, query({}, { column: 'createdAt', direction: 'asc' }));
        expect(pages.skipped, 'skipped actions').toEqual([]);
        expect([...pages.items].sort(), 'every action, page by page').toEqual(
          histories.map((h) => h.action.id as string).sort(),
        );
      },
    },
  ];
  if (corrupt === undefined) return cases;
  cases.push({
    group: 'corruptRows',
    title:
      'an unreadable stored action is left out of its page and named in skipped, paging goes past it, and get answers corruptRecord',
    run: async (repo) => {
      const histories = fixtureHistories();
      await storeHistories(expect, repo, histories);
      const ids = histories.map((h) => h.action.id as string).sort();
      // The first, a middle one and the last in id order, so one is the last row of the view.
      const bad = [...new Set([ids[0], ids[Math.floor(ids.length / 2)], ids[ids.length - 1]])].filter(
        (id): id is string => id !== undefined,
      );
      for (const id of bad) await corrupt(repo, asId<ActionId>(id));
      for (const direction of ['asc', 'desc'] as const) {
        const pages = await allPages(repo, query({}, { column: 'id', direction }));
        expect([...pages.skipped].sort(), `skipped (${direction})`).toEqual([...bad].sort());
        expect([...pages.items].sort(), `the readable ones (${direction})`).toEqual(
          ids.filter((id) => !bad.includes(id)),
        );
      }
      const got = await repo.get(asId<ActionId>(bad[0] as string));
      expect(got.ok ? 'ok' : got.error.code, 'get of an unreadable action').toBe('corruptRecord');
    },
  });
  return cases;
}
