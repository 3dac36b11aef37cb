/**
 * The `idempotency` group of `repositoryContract`: an idempotency key is claimed once.
 *
 * @module
 */
import type { ActionRepository } from 'actioncenter';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup } from './options.js';
import { batch, commitConflict, commitOk, create, createdEvent, fixture, value, type Expect } from './shared.js';

export function idempotencyCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'idempotency',
      title:
        'a commit claims its idempotency key; findByIdempotencyKey returns its action ids, and null for unknown keys',
      run: async (repo) => {
        const a = fixture('act-k').action;
        const b = fixture('act-g').action;
        await commitOk(
          expect,
          repo,
          batch([create(a), create(b)], [createdEvent(a), createdEvent(b)], { key: 'idem-1', actionIds: [a.id, b.id] }),
          'commit claiming idem-1',
        );
        expect(
          await value(expect, repo.findByIdempotencyKey('idem-1'), 'findByIdempotencyKey'),
          'the ids of the claiming commit',
        ).toEqual([a.id, b.id]);
        expect(
          await value(expect, repo.findByIdempotencyKey('idem-unknown'), 'findByIdempotencyKey'),
          'an unknown key',
        ).toBe(null);
      },
    },
    {
      group: 'idempotency',
      title: 'a second claim of the same key is an idempotencyKeyTaken conflict, and its writes are not stored',
      run: async (repo) => {
        const a = fixture('act-k').action;
        const b = fixture('act-g').action;
        await commitOk(
          expect,
          repo,
          batch([create(a)], [createdEvent(a)], { key: 'idem-1', actionIds: [a.id] }),
          'first claim',
        );
        await commitConflict(
          expect,
          repo,
          batch([create(b)], [createdEvent(b)], { key: 'idem-1', actionIds: [b.id] }),
          'second claim',
          {
            reason: 'idempotencyKeyTaken',
            names: b.id,
          },
        );
        expect(await value(expect, repo.get(b.id), 'get'), 'the second commit wrote nothing').toBe(null);
        expect(
          await value(expect, repo.findByIdempotencyKey('idem-1'), 'findByIdempotencyKey'),
          'the key still names the first commit',
        ).toEqual([a.id]);
      },
    },
  ];
}
