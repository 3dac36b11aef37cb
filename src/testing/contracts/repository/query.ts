/**
 * The `query` group of `repositoryContract`: every query returns what `referenceQuery` returns over
 * what was stored (with `fc`, also over generated stores and queries).
 *
 * @module
 */
import { type ActionRecord, type ActionRepository } from 'actioncenter';
import { encodeCursor, SORT_COLUMNS, sortValue, type ResolvedQuery } from 'actioncenter/adapter-kit';
import { actionCenterArbitraries } from '../../arbitraries.js';
import type { FastCheck } from '../../fast-check.js';
import { fixtureHistories, FIXTURE_T0 } from '../fixtures.js';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup, RepositoryContractOptions } from './options.js';
import { expectCompletePaging, expectReferencePage, query } from './paging.js';
import { propertyCase, storeHistories, type Expect } from './shared.js';

export function queryCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  const stored = async (repo: ActionRepository) => {
    const histories = fixtureHistories();
    await storeHistories(expect, repo, histories);
    return histories.map((h) => h.action);
  };
  const HOUR = 60 * 60 * 1000;
  return [
    {
      group: 'query',
      title: 'every column sorts both ways, and pages by cursor and by index cover the list exactly',
      run: async (repo) => {
        const records = await stored(repo);
        for (const column of SORT_COLUMNS) {
          for (const direction of ['asc', 'desc'] as const) {
            await expectCompletePaging(expect, repo, records, query({}, { column, direction }, { size: 4 }));
          }
        }
      },
    },
    {
      group: 'query',
      title: 'each filter alone, with values that match and values that do not, returns the reference page',
      run: async (repo) => {
        const records = await stored(repo);
        const filters: Partial<ResolvedQuery['filter']>[] = [
          { statuses: ['pending'] },
          { statuses: ['succeeded', 'undone', 'undoFailed'] },
          { statuses: [] },
          { ids: ['act-k', 'act-v', 'act-none'] },
          { ids: ['act-none'] },
          { actionTypes: ['quarantineFile'] },
          { actionTypes: ['isolateDevice', 'noSuchType'] },
          { sources: ['automatedEmailAction'] },
          { sources: ['manualDeviceAction', 'advancedHuntingAction'] },
          { workloads: ['email'] },
          { workloads: ['identity'] },
          { assets: ['LAPTOP-1'] },
          { assets: ['alex@contoso.com', 'https://malicious.example/landing'] },
          { decidedBy: ['bob@contoso.com'] },
          { decidedBy: ['system:expiry', 'alice@contoso.com'] },
          { investigationIds: ['inv-1'] },
          { investigationIds: ['inv-none'] },
          { approvalIds: ['apr-act-k', 'apr-act-y'] },
          // Bounds fall exactly on creation times: from is inclusive, to exclusive.
          { createdFrom: FIXTURE_T0 + HOUR },
          { createdTo: FIXTURE_T0 + HOUR },
          { createdFrom: FIXTURE_T0 + HOUR, createdTo: FIXTURE_T0 + 5 * HOUR },
          { createdFrom: FIXTURE_T0 + 3 * HOUR, createdTo: FIXTURE_T0 + 3 * HOUR },
          { statuses: ['pending', 'approved'], actionTypes: ['quarantineFile'], investigationIds: ['inv-1'] },
        ];
        for (const filter of filters) {
          await expectReferencePage(expect, repo, records, query(filter));
          await expectReferencePage(
            expect,
            repo,
            records,
            query(filter, { column: 'id', direction: 'asc' }, { size: 2, index: 1 }),
          );
        }
      },
    },
    {
      group: 'query',
      title: 'a cursor made in another sort column, or past the end, pages as the reference does',
      run: async (repo) => {
        const records = await stored(repo);
        const at = records.find((r) => r.id === 'act-e') as ActionRecord;
        const last = [...records].sort((a, b) => (a.id < b.id ? 1 : -1))[0] as ActionRecord;
        const cursors = [
          encodeCursor({ value: sortValue(at, 'status'), id: at.id }),
          encodeCursor({ value: null, id: at.id }),
          encodeCursor({ value: sortValue(last, 'id'), id: last.id }),
        ];
        for (const cursor of cursors) {
          for (const column of ['createdAt', 'decidedAt', 'id'] as const) {
            await expectReferencePage(
              expect,
              repo,
              records,
              query({}, { column, direction: 'asc' }, { size: 3, cursor }),
            );
            await expectReferencePage(
              expect,
              repo,
              records,
              query({}, { column, direction: 'desc' }, { size: 3, cursor }),
            );
          }
        }
      },
    },
    {
      group: 'query',
      title: 'a page index past the end is an empty page with the full total',
      run: async (repo) => {
        const records = await stored(repo);
        await expectReferencePage(
          expect,
          repo,
          records,
          query({}, { column: 'createdAt', direction: 'desc' }, { size: 5, index: 40 }),
        );
      },
    },
  ];
}

export function queryProperty<R extends ActionRepository>(
  options: RepositoryContractOptions<R>,
  fc: FastCheck,
): ContractCase<RepositoryContractGroup, R> {
  const expect = options.expect;
  const arbitraries = actionCenterArbitraries(fc, { maxEvents: 5 });
  const scenario = arbitraries
    .actionHistories({ maxLength: 16 })
    .chain((histories) =>
      fc.tuple(
        fc.constant(histories),
        fc.array(arbitraries.resolvedQueryOver(histories.map((h) => h.action)), { minLength: 1, maxLength: 4 }),
      ),
    );
  return propertyCase(
    options,
    fc,
    'query',
    'property: over generated stores, generated queries return the reference page, and page completely',
    scenario,
    async (repo, [histories, queries]) => {
      await storeHistories(expect, repo, histories);
      const records = histories.map((h) => h.action);
      for (const q of queries) await expectReferencePage(expect, repo, records, q);
      const [first] = queries;
      if (first !== undefined)
        await expectCompletePaging(expect, repo, records, {
          ...first,
          page: { ...first.page, cursor: null, index: 0 },
        });
    },
  );
}
