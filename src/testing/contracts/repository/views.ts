/**
 * The `views` group of `repositoryContract`: incident, alert and requester references are stored and
 * filtered on (seed 001), and every shown column sorts by the labels the query carries (seed 002).
 *
 * @module
 */
import { ACTION_STATUSES, type ActionRepository } from 'actioncenter';
import { asId, LABELLED_SORT_COLUMNS, SORT_COLUMNS, type ResolvedQuery } from 'actioncenter/adapter-kit';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup } from './options.js';
import { expectCompletePaging, expectReferencePage, query } from './paging.js';
import { storedWithReferences, value, type Expect } from './shared.js';

// ---- views: references, requester and sorting by what is shown (issue 12, items 10, 13, 15) -------

export function viewCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'views',
      title:
        'seed 001 (actions taken while investigating alerts or incidents): incident and alert references are read back and filtered on, with requesters',
      run: async (repo) => {
        const records = await storedWithReferences(expect, repo);
        const got = await value(expect, repo.get(asId('act-ref-1')), 'get act-ref-1');
        expect(got === null ? null : [got.incidentId, got.alertId], 'act-ref-1 reads back its references').toEqual([
          'inc-1',
          'alert-1',
        ]);
        const filters: Partial<ResolvedQuery['filter']>[] = [
          { incidentIds: ['inc-1'] },
          { incidentIds: ['inc-2', 'inc-none'] },
          { incidentIds: ['inc-none'] },
          { alertIds: ['alert-1', 'alert-2'] },
          { alertIds: ['alert-none'] },
          { requestedBy: ['carol@contoso.com'] },
          { requestedBy: ['system:antivirus', 'bob@contoso.com'] },
          { requestedBy: ['nobody@contoso.com'] },
          { incidentIds: ['inc-1'], alertIds: ['alert-1'], requestedBy: null },
        ];
        for (const filter of filters) {
          const page = await expectReferencePage(expect, repo, records, query(filter));
          expect(
            page.total > 0 || JSON.stringify(filter).includes('none') || JSON.stringify(filter).includes('nobody'),
            `${JSON.stringify(filter)} matches some action`,
          ).toBe(true);
        }
      },
    },
    {
      group: 'views',
      title:
        'seed 002 ("Select a column heading to sort"): every shown column sorts both ways by what it shows, and pages completely',
      run: async (repo) => {
        const records = await storedWithReferences(expect, repo);
        // Labels that reorder the stored ids: "Completed" for succeeded, display names of a custom catalogue.
        const labels: { readonly [C in (typeof LABELLED_SORT_COLUMNS)[number]]: Readonly<Record<string, string>> } = {
          status: {
            ...Object.fromEntries(ACTION_STATUSES.map((s) => [s, s])),
            succeeded: 'Completed',
            pending: 'Pending',
            undoFailed: 'Undo failed',
          },
          actionType: { quarantineFile: 'Zz quarantine', blockUrl: 'Aa block', isolateDevice: 'Quarantine file' },
          source: {
            automatedDeviceAction: 'Automated device action',
            automatedEmailAction: 'Automated email action',
            manualDeviceAction: 'Manual device action',
          },
          workload: { endpoint: 'Devices', email: 'Email & collaboration', identity: 'Identities' },
        };
        for (const column of SORT_COLUMNS) {
          const columnLabels = (LABELLED_SORT_COLUMNS as readonly string[]).includes(column)
            ? labels[column as keyof typeof labels]
            : null;
          for (const direction of ['asc', 'desc'] as const) {
            await expectCompletePaging(
              expect,
              repo,
              records,
              query({}, { column, direction, labels: columnLabels }, { size: 3 }),
            );
          }
        }
        const completedFirst = await value(
          expect,
          repo.query(
            query(
              { statuses: ['succeeded', 'failed', 'undone'] },
              { column: 'status', direction: 'asc', labels: labels.status },
            ),
          ),
          'status by label',
        );
        expect(completedFirst.items[0]?.status, 'sorted by label, "Completed" (succeeded) comes before "Failed"').toBe(
          'succeeded',
        );
      },
    },
  ];
}
