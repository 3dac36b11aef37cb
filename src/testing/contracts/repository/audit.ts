/**
 * The `audit` group of `repositoryContract`: audit trails hold an action's events in sequence order.
 *
 * @module
 */
import { type ActionRecord, type ActionRepository } from 'actioncenter';
import { asId } from 'actioncenter/adapter-kit';
import { fixtureHistories } from '../fixtures.js';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup } from './options.js';
import { batch, commitOk, create, eventFor, fixture, storeHistories, update, value, type Expect } from './shared.js';

export function auditCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'audit',
      title: "auditTrail returns an action's events in sequence order, and only its own",
      run: async (repo) => {
        const histories = fixtureHistories();
        await storeHistories(expect, repo, histories);
        for (const h of histories) {
          const trail = await value(expect, repo.auditTrail(h.action.id), 'auditTrail');
          expect(trail, `the trail of ${h.action.id}`).toEqual(h.events);
        }
      },
    },
    {
      group: 'audit',
      title: "events committed together for two actions go to each one's trail",
      run: async (repo) => {
        const a = fixture('act-k');
        const b = fixture('act-b');
        await storeHistories(expect, repo, [a, fixture('act-g')]);
        const [bCreated, bApproved] = b.steps;
        if (bCreated === undefined || bApproved === undefined) throw new Error('fixture too short');
        const aNext: ActionRecord = { ...a.action, version: 2, status: 'rejected', updatedAt: a.action.updatedAt + 1 };
        await commitOk(
          expect,
          repo,
          batch([update(aNext), create(bCreated.action)], [eventFor(aNext, a.action), bCreated.event]),
          'one commit for two actions',
        );
        await commitOk(expect, repo, batch([update(bApproved.action)], [bApproved.event]), 'update of the second');
        expect(
          (await value(expect, repo.auditTrail(a.action.id), 'auditTrail')).map((e) => e.sequence),
          'first trail',
        ).toEqual([1, 2]);
        expect(await value(expect, repo.auditTrail(b.action.id), 'auditTrail'), 'second trail').toEqual([
          bCreated.event,
          bApproved.event,
        ]);
      },
    },
    {
      group: 'audit',
      title: 'the trail of an unknown action is empty',
      run: async (repo) => {
        expect(await value(expect, repo.auditTrail(asId('act-unknown')), 'auditTrail'), 'no events').toEqual([]);
      },
    },
  ];
}
