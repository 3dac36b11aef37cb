/**
 * Queries for the contract's checks, and the comparisons of a repository's pages with `referenceQuery`.
 *
 * @module
 */
import { type ActionPage, type ActionRecord, type ActionRepository } from 'actioncenter';
import { referenceQuery, type ResolvedQuery } from 'actioncenter/adapter-kit';
import { value, type Expect } from './shared.js';

export function query(
  filter: Partial<ResolvedQuery['filter']> = {},
  sort: ResolvedQuery['sort'] = { column: 'createdAt', direction: 'desc' },
  page: Partial<ResolvedQuery['page']> = {},
): ResolvedQuery {
  return {
    filter: {
      statuses: null,
      ids: null,
      actionTypes: null,
      sources: null,
      workloads: null,
      assets: null,
      decidedBy: null,
      investigationIds: null,
      approvalIds: null,
      createdFrom: null,
      createdTo: null,
      ...filter,
    },
    sort,
    page: { size: 50, cursor: null, index: 0, ...page },
  };
}

export function describeQuery(q: ResolvedQuery): string {
  const filter = Object.entries(q.filter)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const labels =
    q.sort.labels === null || q.sort.labels === undefined ? '' : ` by labels ${JSON.stringify(q.sort.labels)}`;
  return `query [${filter || 'no filter'}] sort ${q.sort.column} ${q.sort.direction}${labels}, page size ${q.page.size} index ${q.page.index}${q.page.cursor === null ? '' : ` cursor ${q.page.cursor}`}`;
}

/**
 * Checks a page's total against the true count (issue 14): equal when the page says `'exact'`; when it
 * says `'atLeast'` (a store that caps its count), no more than the true count and no fewer than
 * `seen`, the matches the page shows to exist (by index: those before it and on it). Every adapter
 * answers one of the two.
 */
export function expectTotal(expect: Expect, page: ActionPage, trueTotal: number, what: string, seen = 0): void {
  expect(
    page.totalIs === 'exact' || page.totalIs === 'atLeast',
    `${what}: totalIs is 'exact' or 'atLeast' (got ${JSON.stringify(page.totalIs)})`,
  ).toBe(true);
  if (page.totalIs === 'exact') {
    expect(page.total, `${what}: total`).toBe(trueTotal);
    return;
  }
  const bounded = Number.isSafeInteger(page.total) && page.total <= trueTotal && page.total >= seen;
  expect(bounded, `${what}: an 'atLeast' total ${page.total} lies in [${seen}, ${trueTotal}]`).toBe(true);
}

/** Compares a repository's page with the reference: ids (readable diff), total, cursor, then whole records. */
export async function expectReferencePage(
  expect: Expect,
  repo: ActionRepository,
  stored: readonly ActionRecord[],
  q: ResolvedQuery,
): Promise<ActionPage> {
  const page = await value(expect, repo.query(q), describeQuery(q));
  const reference = referenceQuery(stored, q);
  const what = describeQuery(q);
  expect(
    page.items.map((a) => a.id),
    `${what}: item ids in order`,
  ).toEqual(reference.items.map((a) => a.id));
  // A page by index shows that its rows and every row before it exist; a page after a cursor, its own.
  const before = q.page.cursor === null ? q.page.index * q.page.size : 0;
  expectTotal(expect, page, reference.total, what, reference.items.length === 0 ? 0 : before + reference.items.length);
  expect(page.nextCursor, `${what}: nextCursor`).toBe(reference.nextCursor);
  expect(page.items, `${what}: items as stored`).toEqual(reference.items);
  return page;
}

/** Pages through a query by cursor and by index; both give the reference's full, sorted list. */
export async function expectCompletePaging(
  expect: Expect,
  repo: ActionRepository,
  stored: readonly ActionRecord[],
  first: ResolvedQuery,
): Promise<void> {
  const everything = referenceQuery(stored, {
    ...first,
    page: { size: Math.max(1, stored.length), cursor: null, index: 0 },
  }).items.map((a) => a.id);
  const byCursor: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages <= everything.length + 1; pages++) {
    const page = await expectReferencePage(expect, repo, stored, {
      ...first,
      page: { ...first.page, cursor, index: 0 },
    });
    byCursor.push(...page.items.map((a) => a.id));
    cursor = page.nextCursor;
    if (cursor === null) break;
  }
  expect(byCursor, `${describeQuery(first)}: paging by nextCursor yields every match once, in order`).toEqual(
    everything,
  );
  const byIndex: string[] = [];
  for (let index = 0; index * first.page.size <= everything.length; index++) {
    const page = await expectReferencePage(expect, repo, stored, {
      ...first,
      page: { ...first.page, cursor: null, index },
    });
    byIndex.push(...page.items.map((a) => a.id));
  }
  expect(byIndex, `${describeQuery(first)}: paging by index yields every match once, in order`).toEqual(everything);
}
