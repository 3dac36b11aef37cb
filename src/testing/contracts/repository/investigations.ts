/**
 * The `investigations` group of `repositoryContract`: `queryInvestigations` (the grouped view, seed
 * 003) returns what `referenceInvestigations` returns (with `fc`, also over generated stores and queries).
 *
 * @module
 */
import { type ActionRecord, type ActionRepository, type InvestigationPage } from 'actioncenter';
import { referenceInvestigations, type ResolvedInvestigationQuery, type ResolvedQuery } from 'actioncenter/adapter-kit';
import { actionCenterArbitraries } from '../../arbitraries.js';
import type { FastCheck } from '../../fast-check.js';
import { FIXTURE_T0 } from '../fixtures.js';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup, RepositoryContractOptions } from './options.js';
import { describeQuery, query } from './paging.js';
import { propertyCase, storedWithReferences, storeHistories, value, type Expect } from './shared.js';

// ---- investigations: the grouped view (issue 12, item 14; seed 003) --------------------------------

export function investigationQuery(
  filter: Partial<ResolvedQuery['filter']> = {},
  sort: ResolvedInvestigationQuery['sort'] = { column: 'latestActivity', direction: 'desc' },
  page: Partial<ResolvedInvestigationQuery['page']> = {},
): ResolvedInvestigationQuery {
  return { filter: query(filter).filter, sort, page: { size: 50, index: 0, ...page } };
}

export async function expectReferenceInvestigations(
  expect: Expect,
  repo: ActionRepository,
  stored: readonly ActionRecord[],
  q: ResolvedInvestigationQuery,
): Promise<InvestigationPage> {
  const what = `investigations of ${describeQuery({ filter: q.filter, sort: { column: 'id', direction: 'asc' }, page: { size: q.page.size, cursor: null, index: q.page.index } })} sorted by ${q.sort.column} ${q.sort.direction}`;
  expect(
    typeof repo.queryInvestigations,
    `${what}: the repository implements queryInvestigations (or skip the 'investigations' group)`,
  ).toBe('function');
  if (repo.queryInvestigations === undefined) throw new Error('queryInvestigations is not implemented');
  const page = await value(expect, repo.queryInvestigations(q), what);
  const reference = referenceInvestigations(stored, q);
  expect(
    page.items.map((g) => g.investigationId),
    `${what}: investigation ids in order`,
  ).toEqual(reference.items.map((g) => g.investigationId));
  expect(page.total, `${what}: total`).toBe(reference.total);
  expect(page.items, `${what}: counts by status and type, times`).toEqual(reference.items);
  return page;
}

export function investigationCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'investigations',
      title:
        'seed 003 (the Pending and History tabs list investigations): actions grouped by investigation, counted by status and type, sorted and paged as the reference',
      run: async (repo) => {
        const records = await storedWithReferences(expect, repo);
        const filters: Partial<ResolvedQuery['filter']>[] = [
          {},
          { statuses: ['pending'] },
          {
            statuses: [
              'approved',
              'running',
              'succeeded',
              'failed',
              'timedOut',
              'rejected',
              'expired',
              'cancelled',
              'undoing',
              'undone',
              'undoFailed',
            ],
          },
          { actionTypes: ['quarantineFile'] },
          { incidentIds: ['inc-1'] },
          { investigationIds: ['inv-2', 'inv-none'] },
          { createdFrom: FIXTURE_T0 + 60 * 60 * 1000 },
          { statuses: [] },
          // A reader's device-group scope (issue 12, item 1): groups and counts hold only what it may see.
          { scope: { deviceGroups: ['Servers'], includeUngrouped: false } },
          { scope: { deviceGroups: ['Workstations'], includeUngrouped: true } },
        ];
        for (const filter of filters) {
          for (const column of ['latestActivity', 'count', 'investigationId'] as const) {
            for (const direction of ['asc', 'desc'] as const) {
              await expectReferenceInvestigations(
                expect,
                repo,
                records,
                investigationQuery(filter, { column, direction }),
              );
              await expectReferenceInvestigations(
                expect,
                repo,
                records,
                investigationQuery(filter, { column, direction }, { size: 1, index: 1 }),
              );
            }
          }
        }
        const all = await expectReferenceInvestigations(expect, repo, records, investigationQuery());
        expect(all.total, 'the fixtures span three investigations').toBe(3);
        await expectReferenceInvestigations(
          expect,
          repo,
          records,
          investigationQuery({}, undefined, { size: 2, index: 40 }),
        );
      },
    },
  ];
}

export function investigationProperty<R extends ActionRepository>(
  options: RepositoryContractOptions<R>,
  fc: FastCheck,
): ContractCase<RepositoryContractGroup, R> {
  const expect = options.expect;
  const arbitraries = actionCenterArbitraries(fc, { maxEvents: 5 });
  const sort = fc.record(
    {
      column: fc.constantFrom('latestActivity' as const, 'count' as const, 'investigationId' as const),
      direction: fc.constantFrom('asc' as const, 'desc' as const),
    },
    { noNullPrototype: true },
  );
  const page = fc.record(
    { size: fc.integer({ min: 1, max: 4 }), index: fc.integer({ min: 0, max: 3 }) },
    { noNullPrototype: true },
  );
  const scenario = arbitraries.actionHistories({ maxLength: 16 }).chain((histories) =>
    fc.tuple(
      fc.constant(histories),
      fc.array(
        fc
          .tuple(arbitraries.resolvedQueryOver(histories.map((h) => h.action)), sort, page)
          .map(([q, s, p]): ResolvedInvestigationQuery => ({ filter: q.filter, sort: s, page: p })),
        { minLength: 1, maxLength: 4 },
      ),
    ),
  );
  return propertyCase(
    options,
    fc,
    'investigations',
    'property: over generated stores, generated grouped queries return the reference groups',
    scenario,
    async (repo, [histories, queries]) => {
      await storeHistories(expect, repo, histories);
      const records = histories.map((h) => h.action);
      for (const q of queries) await expectReferenceInvestigations(expect, repo, records, q);
    },
  );
}
