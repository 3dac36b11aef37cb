/**
 * The `conflicts` group of `repositoryContract`: stale versions, existing ids and racing writers are
 * refused as conflicts.
 *
 * @module
 */
import { type ActionRecord, type ActionRepository } from 'actioncenter';
import { asId } from 'actioncenter/adapter-kit';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup } from './options.js';
import {
  another,
  batch,
  commitConflict,
  create,
  describeError,
  eventFor,
  fixture,
  storeHistories,
  update,
  value,
  type Expect,
} from './shared.js';

export function conflictCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'conflicts',
      title: 'an update from a version that is not the stored one is a staleVersion conflict naming the action',
      run: async (repo) => {
        const history = fixture('act-z');
        await storeHistories(expect, repo, [history]);
        const current = history.action;
        for (const expectedVersion of [current.version - 1, current.version + 1, 0]) {
          const next: ActionRecord = { ...current, version: expectedVersion + 1, decisionComment: 'late' };
          await commitConflict(
            expect,
            repo,
            batch([{ action: next, expectedVersion }], []),
            `update expecting v${expectedVersion} of a v${current.version} action`,
            {
              reason: 'staleVersion',
              names: current.id,
            },
          );
        }
        expect(await value(expect, repo.get(current.id), 'get'), 'the action is unchanged').toEqual(current);
      },
    },
    {
      group: 'conflicts',
      title: 'creating an id that exists is an alreadyExists conflict naming it',
      run: async (repo) => {
        const history = fixture('act-k');
        await storeHistories(expect, repo, [history]);
        const again: ActionRecord = { ...history.action, requestComment: 'second create' };
        await commitConflict(expect, repo, batch([create(again)], []), 'a second create of the same id', {
          reason: 'alreadyExists',
          names: history.action.id,
        });
        expect(await value(expect, repo.get(history.action.id), 'get'), 'the first action is unchanged').toEqual(
          history.action,
        );
      },
    },
    {
      group: 'conflicts',
      title: 'updating an id that is not stored is a conflict naming it',
      run: async (repo) => {
        const ghost = another(fixture('act-k').action, 'act-ghost', { version: 3 });
        await commitConflict(
          expect,
          repo,
          batch([{ action: ghost, expectedVersion: 2 }], []),
          'an update of an unknown id',
          { names: 'act-ghost' },
        );
        expect(await value(expect, repo.get(ghost.id), 'get'), 'nothing was created').toBe(null);
      },
    },
    {
      group: 'conflicts',
      title: 'two writers updating the same version at the same time: exactly one wins',
      run: async (repo) => {
        const history = fixture('act-k');
        await storeHistories(expect, repo, [history]);
        const base = history.action;
        const approved: ActionRecord = {
          ...base,
          version: base.version + 1,
          status: 'approved',
          decisionComment: 'writer A',
          updatedAt: base.updatedAt + 1,
        };
        const rejected: ActionRecord = {
          ...base,
          version: base.version + 1,
          status: 'rejected',
          decisionComment: 'writer B',
          updatedAt: base.updatedAt + 2,
        };
        const [a, b] = await Promise.all([
          repo.commit(batch([update(approved)], [eventFor(approved, base)])),
          repo.commit(
            batch([update(rejected)], [{ ...eventFor(rejected, base), id: asId(`${base.id}~evt2b`), type: 'reject' }]),
          ),
        ]);
        expect(
          [a.ok, b.ok].filter(Boolean).length,
          `exactly one of two racing commits succeeds (got ${describeError(a)} / ${describeError(b)})`,
        ).toBe(1);
        const loser = a.ok ? b : a;
        expect(loser.ok ? 'ok' : loser.error.code, 'the loser gets a conflict').toBe('conflict');
        const winner = a.ok ? approved : rejected;
        expect(await value(expect, repo.get(base.id), 'get'), "the winner's record is stored").toEqual(winner);
        const trail = await value(expect, repo.auditTrail(base.id), 'auditTrail');
        expect(
          trail.map((e) => e.sequence),
          "only the winner's event is in the trail",
        ).toEqual([1, 2]);
      },
    },
  ];
}
