/**
 * The `commit` group of `repositoryContract`: writes are read back as written; a commit is all or nothing.
 *
 * @module
 */
import { type ActionRecord, type ActionRepository } from 'actioncenter';
import { asId } from 'actioncenter/adapter-kit';
import { fixtureHistories } from '../fixtures.js';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup } from './options.js';
import {
  batch,
  commitConflict,
  commitOk,
  create,
  eventFor,
  fixture,
  storeHistories,
  update,
  value,
  type Expect,
} from './shared.js';

export function commitCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'commit',
      title: 'a created action is read back as written; an unknown id reads as null',
      run: async (repo) => {
        const { steps } = fixture('act-k');
        const [created] = steps;
        if (created === undefined) throw new Error('fixture without steps');
        await commitOk(expect, repo, batch([create(created.action)], [created.event]), 'create');
        expect(await value(expect, repo.get(created.action.id), 'get'), 'get returns the record as written').toEqual(
          created.action,
        );
        expect(await value(expect, repo.get(asId('act-unknown')), 'get of an unknown id'), 'get of an unknown id').toBe(
          null,
        );
      },
    },
    {
      group: 'commit',
      title: 'each update replaces the record with its next version',
      run: async (repo) => {
        const history = fixture('act-w');
        for (const [i, step] of history.steps.entries()) {
          await commitOk(
            expect,
            repo,
            batch([i === 0 ? create(step.action) : update(step.action)], [step.event]),
            `write v${step.action.version}`,
          );
          expect(
            await value(expect, repo.get(step.action.id), 'get'),
            `after v${step.action.version}, get returns it`,
          ).toEqual(step.action);
        }
      },
    },
    {
      group: 'commit',
      title: 'one commit writes several actions and all their events',
      run: async (repo) => {
        const a = fixture('act-k').steps[0];
        const b = fixture('act-g').steps[0];
        if (a === undefined || b === undefined) throw new Error('fixture without steps');
        await commitOk(
          expect,
          repo,
          batch([create(a.action), create(b.action)], [a.event, b.event]),
          'commit of two creates',
        );
        expect(await value(expect, repo.get(a.action.id), 'get'), 'first action stored').toEqual(a.action);
        expect(await value(expect, repo.get(b.action.id), 'get'), 'second action stored').toEqual(b.action);
        expect(await value(expect, repo.auditTrail(a.action.id), 'auditTrail'), 'first action trail').toEqual([
          a.event,
        ]);
        expect(await value(expect, repo.auditTrail(b.action.id), 'auditTrail'), 'second action trail').toEqual([
          b.event,
        ]);
      },
    },
    {
      group: 'commit',
      title: 'getMany returns the found actions in the order of the ids, leaving out the missing ones',
      run: async (repo) => {
        const histories = fixtureHistories().slice(0, 5);
        await storeHistories(expect, repo, histories);
        const [h0, h1, h2] = histories;
        if (h0 === undefined || h1 === undefined || h2 === undefined) throw new Error('fixtures missing');
        const found = await value(
          expect,
          repo.getMany([h2.action.id, asId('act-missing'), h0.action.id, h1.action.id]),
          'getMany',
        );
        expect(found, 'getMany in the order asked, missing ids left out').toEqual([h2.action, h0.action, h1.action]);
        expect(await value(expect, repo.getMany([]), 'getMany of nothing'), 'getMany of no ids').toEqual([]);
      },
    },
    {
      group: 'commit',
      title: 'a refused commit writes nothing: neither its valid writes nor any of its events',
      run: async (repo) => {
        const stored = fixture('act-b');
        await storeHistories(expect, repo, [stored]);
        const fresh = fixture('act-k').steps[0];
        if (fresh === undefined) throw new Error('fixture without steps');
        // A valid create next to an update from a version that is not the stored one.
        const stale: ActionRecord = { ...stored.action, version: stored.action.version, status: 'rejected' };
        await commitConflict(
          expect,
          repo,
          batch(
            [create(fresh.action), { action: stale, expectedVersion: stored.action.version - 1 }],
            [fresh.event, eventFor(stale, stored.action)],
          ),
          'a batch with one stale write',
          { names: stored.action.id },
        );
        expect(
          await value(expect, repo.get(fresh.action.id), 'get'),
          'the valid create of the refused batch is not stored',
        ).toBe(null);
        expect(await value(expect, repo.auditTrail(fresh.action.id), 'auditTrail'), 'nor its event').toEqual([]);
        expect(await value(expect, repo.get(stored.action.id), 'get'), 'the stale target is unchanged').toEqual(
          stored.action,
        );
        expect(await value(expect, repo.auditTrail(stored.action.id), 'auditTrail'), 'and its trail too').toEqual(
          stored.events,
        );
      },
    },
  ];
}
