/**
 * The `isolation` group of `repositoryContract`: nothing a caller does with what it gave or got back
 * changes stored state.
 *
 * @module
 */
import { type ActionId, type ActionRepository } from 'actioncenter';
import { asId } from 'actioncenter/adapter-kit';
import { fixtureHistories } from '../fixtures.js';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup } from './options.js';
import { query } from './paging.js';
import {
  another,
  batch,
  commitOk,
  create,
  createdEvent,
  fixture,
  storeHistories,
  update,
  value,
  type Expect,
} from './shared.js';

/** Tries to change a value in place, deeply; frozen values refuse (strict mode throws), which is fine. */
export function tamper(value: unknown, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 4) return;
  const attempt = (f: () => void) => {
    try {
      f();
    } catch {
      // Frozen: the change is refused, as it should be.
    }
  };
  if (Array.isArray(value)) {
    for (const item of value) tamper(item, depth + 1);
    attempt(() => value.push({ tampered: true }));
    attempt(() => value.reverse());
    attempt(() => value.shift());
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (child !== null && typeof child === 'object') tamper(child, depth + 1);
    else
      attempt(
        () =>
          (record[key] =
            typeof child === 'number' ? child + 1 : typeof child === 'string' ? `${child}~tampered` : 'tampered'),
      );
  }
  attempt(() => (record['tampered'] = true));
}

export function isolationCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'isolation',
      title: 'changing records and arrays read back (get, getMany, query, findOpen, auditTrail) changes nothing stored',
      run: async (repo) => {
        const histories = fixtureHistories();
        await storeHistories(expect, repo, histories);
        const keyed = another(fixture('act-g').action, 'act-open', { openKey: 'key-1' });
        await commitOk(
          expect,
          repo,
          batch([create(keyed)], [createdEvent(keyed)], { key: 'idem-1', actionIds: [keyed.id] }),
          'create with keys',
        );
        const snapshot = structuredClone([
          ...histories.map((h) => ({ action: h.action, events: h.events })),
          { action: keyed, events: [createdEvent(keyed)] },
        ]);
        const ids = snapshot.map((s) => s.action.id);

        tamper(await value(expect, repo.get(asId('act-e')), 'get'));
        tamper(await value(expect, repo.getMany(ids), 'getMany'));
        tamper(await value(expect, repo.query(query()), 'query'));
        tamper(await value(expect, repo.findOpen('key-1'), 'findOpen'));
        tamper(await value(expect, repo.findByIdempotencyKey('idem-1'), 'findByIdempotencyKey'));
        for (const id of ids) tamper(await value(expect, repo.auditTrail(id), 'auditTrail'));

        for (const s of snapshot) {
          expect(
            await value(expect, repo.get(s.action.id), 'get'),
            `${s.action.id} unchanged after tampering with reads`,
          ).toEqual(s.action);
          expect(
            await value(expect, repo.auditTrail(s.action.id), 'auditTrail'),
            `${s.action.id}'s trail unchanged`,
          ).toEqual(s.events);
        }
        expect(await value(expect, repo.getMany(ids), 'getMany'), 'getMany unchanged').toEqual(
          snapshot.map((s) => s.action),
        );
        expect(
          await value(expect, repo.findByIdempotencyKey('idem-1'), 'findByIdempotencyKey'),
          'idempotency ids unchanged',
        ).toEqual([keyed.id]);
        expect(await value(expect, repo.findOpen('key-1'), 'findOpen'), 'open holder unchanged').toEqual(keyed);
        const all = await value(expect, repo.query(query({}, { column: 'id', direction: 'asc' })), 'query');
        expect(
          all.items.map((a) => a.id),
          'query unchanged',
        ).toEqual([...ids].sort());
      },
    },
    {
      group: 'isolation',
      title: 'changing the records, events and batch given to commit afterwards changes nothing stored',
      run: async (repo) => {
        const history = fixture('act-w');
        const snapshot = structuredClone(history);
        const keyIds: ActionId[] = [history.action.id];
        for (const [i, shared] of history.steps.entries()) {
          // Versions of a history share nested objects: each commit gets its own copy to tamper with.
          const step = structuredClone(shared);
          const given = batch(
            [i === 0 ? create(step.action) : update(step.action)],
            [step.event],
            i === 0 ? { key: 'idem-w', actionIds: keyIds } : null,
          );
          await commitOk(expect, repo, given, `write v${step.action.version}`);
          tamper(given);
        }
        tamper(keyIds);
        expect(await value(expect, repo.get(snapshot.action.id), 'get'), 'the record as committed').toEqual(
          snapshot.action,
        );
        expect(
          await value(expect, repo.auditTrail(snapshot.action.id), 'auditTrail'),
          'the trail as committed',
        ).toEqual(snapshot.events);
        expect(
          await value(expect, repo.findByIdempotencyKey('idem-w'), 'findByIdempotencyKey'),
          'the claimed ids as committed',
        ).toEqual([snapshot.action.id]);
      },
    },
  ];
}
