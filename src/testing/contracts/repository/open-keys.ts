/**
 * The `openKeys` group of `repositoryContract`: two open actions never share an open key; closing
 * releases it.
 *
 * @module
 */
import type { ActionRecord, ActionRepository } from 'actioncenter';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup } from './options.js';
import {
  another,
  batch,
  commitConflict,
  commitOk,
  create,
  createdEvent,
  eventFor,
  fixture,
  update,
  value,
  type Expect,
} from './shared.js';

export function openKeyCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  const holder = () => ({ ...fixture('act-k').action, openKey: 'quarantineFile\u0000LAPTOP-1' });
  return [
    {
      group: 'openKeys',
      title:
        'findOpen returns the open action holding a key, through its updates while it stays open; null for other keys',
      run: async (repo) => {
        const pending = holder();
        await commitOk(expect, repo, batch([create(pending)], [createdEvent(pending)]), 'create with an open key');
        expect(await value(expect, repo.findOpen(pending.openKey), 'findOpen'), 'the pending holder').toEqual(pending);
        const approved: ActionRecord = { ...pending, version: 2, status: 'approved', updatedAt: pending.updatedAt + 1 };
        await commitOk(
          expect,
          repo,
          batch([update(approved)], [eventFor(approved, pending)]),
          'approve, keeping the key',
        );
        expect(await value(expect, repo.findOpen(pending.openKey), 'findOpen'), 'the approved holder').toEqual(
          approved,
        );
        expect(await value(expect, repo.findOpen('no such key'), 'findOpen of an unknown key'), 'an unknown key').toBe(
          null,
        );
      },
    },
    {
      group: 'openKeys',
      title: 'a second open action with the same key is an openKeyTaken conflict, in another commit or in the same one',
      run: async (repo) => {
        const first = holder();
        await commitOk(expect, repo, batch([create(first)], [createdEvent(first)]), 'first holder');
        const second = another(first, 'act-second', { status: 'approved' });
        await commitConflict(expect, repo, batch([create(second)], [createdEvent(second)]), 'a second holder', {
          reason: 'openKeyTaken',
          names: second.id,
        });
        expect(await value(expect, repo.get(second.id), 'get'), 'the second holder is not stored').toBe(null);
        const third = another(first, 'act-third', { openKey: 'other key' });
        const fourth = another(first, 'act-fourth', { openKey: 'other key' });
        await commitConflict(
          expect,
          repo,
          batch([create(third), create(fourth)], [createdEvent(third), createdEvent(fourth)]),
          'two holders of one key in one commit',
          {
            reason: 'openKeyTaken',
            names: [third.id, fourth.id],
          },
        );
        expect(await value(expect, repo.getMany([third.id, fourth.id]), 'getMany'), 'neither is stored').toEqual([]);
      },
    },
    {
      group: 'openKeys',
      title: 'closing an action releases its key: findOpen says null, and a new open action may take it',
      run: async (repo) => {
        const first = holder();
        await commitOk(expect, repo, batch([create(first)], [createdEvent(first)]), 'first holder');
        // As the engine closes an action: a final status, the key cleared.
        const closed: ActionRecord = {
          ...first,
          version: 2,
          status: 'rejected',
          openKey: null,
          updatedAt: first.updatedAt + 1,
        };
        await commitOk(expect, repo, batch([update(closed)], [eventFor(closed, first)]), 'reject the holder');
        expect(await value(expect, repo.findOpen(first.openKey), 'findOpen'), 'no open holder once closed').toBe(null);
        const next = another(first, 'act-next');
        await commitOk(expect, repo, batch([create(next)], [createdEvent(next)]), 'a new holder of the released key');
        expect(await value(expect, repo.findOpen(first.openKey), 'findOpen'), 'the new holder').toEqual(next);
      },
    },
  ];
}
