/**
 * The `scope` group of `repositoryContract`: a query's device-group scope leaves out every action
 * outside it, from pages and totals, alone and with the other filters (with `fc`, also over generated
 * stores and scopes).
 *
 * @module
 */
import { type ActionPage, type ActionRecord, type ActionRepository } from 'actioncenter';
import { SORT_COLUMNS, type ResolvedQuery, type ScopeFilter } from 'actioncenter/adapter-kit';
import { actionCenterArbitraries } from '../../arbitraries.js';
import type { Arbitrary, FastCheck } from '../../fast-check.js';
import { fixtureHistories, FIXTURE_T0 } from '../fixtures.js';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup, RepositoryContractOptions } from './options.js';
import { describeQuery, expectCompletePaging, expectReferencePage, expectTotal, query } from './paging.js';
import { propertyCase, storeHistories, type Expect } from './shared.js';

/** The device group of an action's target, or null when it is on no device. */
export function groupOf(action: ActionRecord): string | null {
  const target = action.target as { readonly deviceId?: unknown; readonly deviceGroup?: unknown };
  return typeof target.deviceId === 'string' && typeof target.deviceGroup === 'string' ? target.deviceGroup : null;
}

/** Checks that a page holds nothing outside the scope: a reference that itself ignored it would pass the equality checks. */
export function expectInside(expect: Expect, page: ActionPage, scope: ScopeFilter, what: string): void {
  const outside = page.items.filter((a) => {
    const g = groupOf(a);
    return g === null ? !scope.includeUngrouped : !scope.deviceGroups.includes(g);
  });
  expect(
    outside.map((a) => a.id),
    `${what}: no item outside the scope`,
  ).toEqual([]);
}

export function scopeCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  const scopes: ScopeFilter[] = [
    { deviceGroups: ['Workstations'], includeUngrouped: false },
    { deviceGroups: ['Servers'], includeUngrouped: true },
    { deviceGroups: ['Servers', 'Workstations'], includeUngrouped: false },
    { deviceGroups: [], includeUngrouped: true },
    { deviceGroups: [], includeUngrouped: false },
    { deviceGroups: ['NoSuchGroup'], includeUngrouped: false },
  ];
  return [
    {
      group: 'scope',
      title: 'a device-group scope leaves out every action outside it, from the page and from the total',
      run: async (repo) => {
        const histories = fixtureHistories();
        await storeHistories(expect, repo, histories);
        const records = histories.map((h) => h.action);
        for (const scope of scopes) {
          const q = query({ scope });
          const page = await expectReferencePage(expect, repo, records, q);
          expectInside(expect, page, scope, describeQuery(q));
          const inside = records.filter((a) => {
            const g = groupOf(a);
            return g === null ? scope.includeUngrouped : scope.deviceGroups.includes(g);
          });
          expectTotal(
            expect,
            page,
            inside.length,
            `${describeQuery(q)}: the total counts only the actions inside the scope`,
          );
        }
      },
    },
    {
      group: 'scope',
      title: 'a scope combines with the other filters, every sort and both ways of paging',
      run: async (repo) => {
        const histories = fixtureHistories();
        await storeHistories(expect, repo, histories);
        const records = histories.map((h) => h.action);
        const scope: ScopeFilter = { deviceGroups: ['Workstations'], includeUngrouped: true };
        const filters: Partial<ResolvedQuery['filter']>[] = [
          { statuses: ['pending'] },
          { actionTypes: ['quarantineFile', 'isolateDevice'] },
          { ids: ['act-k', 'act-m', 'act-g'] },
          { workloads: ['endpoint'] },
          { createdFrom: FIXTURE_T0 + 60 * 60 * 1000 },
        ];
        for (const filter of filters) {
          const page = await expectReferencePage(expect, repo, records, query({ ...filter, scope }));
          expectInside(expect, page, scope, describeQuery(query({ ...filter, scope })));
        }
        for (const column of SORT_COLUMNS) {
          await expectCompletePaging(
            expect,
            repo,
            records,
            query(
              { scope: { deviceGroups: ['Servers'], includeUngrouped: true } },
              { column, direction: 'asc' },
              { size: 3 },
            ),
          );
        }
        await expectCompletePaging(
          expect,
          repo,
          records,
          query({ scope }, { column: 'createdAt', direction: 'desc' }, { size: 2 }),
        );
      },
    },
  ];
}

export function scopeProperty<R extends ActionRepository>(
  options: RepositoryContractOptions<R>,
  fc: FastCheck,
): ContractCase<RepositoryContractGroup, R> {
  const expect = options.expect;
  const groups = ['Servers', 'Workstations', 'Kiosks'];
  const arbitraries = actionCenterArbitraries(fc, { maxEvents: 4, deviceGroups: groups });
  const scopeArbitrary: Arbitrary<ScopeFilter> = fc.record({
    deviceGroups: fc.subarray([...groups, 'NoSuchGroup']),
    includeUngrouped: fc.boolean(),
  });
  const scenario = arbitraries.actionHistories({ maxLength: 14 }).chain((histories) =>
    fc.tuple(
      fc.constant(histories),
      fc.array(fc.tuple(arbitraries.resolvedQueryOver(histories.map((h) => h.action)), scopeArbitrary), {
        minLength: 1,
        maxLength: 3,
      }),
    ),
  );
  return propertyCase(
    options,
    fc,
    'scope',
    'property: over generated stores, scoped queries return the reference page and total, and page completely',
    scenario,
    async (repo, [histories, queries]) => {
      await storeHistories(expect, repo, histories);
      const records = histories.map((h) => h.action);
      for (const [q, scope] of queries) {
        const scoped: ResolvedQuery = { ...q, filter: { ...q.filter, scope } };
        const page = await expectReferencePage(expect, repo, records, scoped);
        expectInside(expect, page, scope, describeQuery(scoped));
      }
      const [first] = queries;
      if (first !== undefined) {
        const [q, scope] = first;
        await expectCompletePaging(expect, repo, records, {
          ...q,
          filter: { ...q.filter, scope },
          page: { ...q.page, cursor: null, index: 0 },
        });
      }
    },
  );
}
