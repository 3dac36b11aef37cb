/**
 * What the groups of `repositoryContract` share: checked reads and commits, the fixture histories
 * stored as the engine would store them, records and events made from them, and the property runner.
 *
 * @module
 */
import { type ActionId, type ActionRecord, type ActionRepository, type AuditEvent, type Result } from 'actioncenter';
import { asId, type AlertId, type CommitBatch, type IncidentId, type QueryError } from 'actioncenter/adapter-kit';
import type { Arbitrary, FastCheck } from '../../fast-check.js';
import type { ActionHistory } from '../../histories.js';
import { fixtureHistories } from '../fixtures.js';
import type { ContractCase, ContractExpect } from '../runner.js';
import type { RepositoryContractGroup, RepositoryContractOptions } from './options.js';

export type Expect = ContractExpect;

export function describeError(r: Result<unknown, QueryError>): string {
  return r.ok
    ? 'ok'
    : `${r.error.code}${r.error.code === 'conflict' ? ` (${r.error.reason})` : ''}: ${r.error.message}`;
}

export async function value<T>(expect: Expect, call: Promise<Result<T, QueryError>>, what: string): Promise<T> {
  const r = await call;
  expect(r.ok, `${what} returns ok (got ${describeError(r)})`).toBe(true);
  if (!r.ok) throw new Error(`${what}: ${describeError(r)}`);
  return r.value;
}

export async function commitOk(
  expect: Expect,
  repo: ActionRepository,
  batch: CommitBatch,
  what: string,
): Promise<void> {
  await value(expect, repo.commit(batch), what);
}

export async function commitConflict(
  expect: Expect,
  repo: ActionRepository,
  batch: CommitBatch,
  what: string,
  expected: { readonly reason?: string; readonly names: string | readonly string[] },
): Promise<void> {
  const r = await repo.commit(batch);
  expect(r.ok ? 'ok' : r.error.code, `${what}: refused as a conflict (got ${describeError(r)})`).toBe('conflict');
  if (r.ok || r.error.code !== 'conflict') return;
  if (expected.reason !== undefined) expect(r.error.reason, `${what}: conflict reason`).toBe(expected.reason);
  // Any of `names` will do: which of two actions that collide is "the" offender is the adapter's choice.
  const anyOf = typeof expected.names === 'string' ? [expected.names] : expected.names;
  const named = r.error.actionIds;
  expect(
    anyOf.some((id) => named.includes(id)),
    `${what}: the conflict names ${anyOf.join(' or ')} (it names ${JSON.stringify(named)})`,
  ).toBe(true);
}

export const create = (action: ActionRecord) => ({ action, expectedVersion: null });
export const update = (action: ActionRecord) => ({ action, expectedVersion: action.version - 1 });
export const batch = (
  writes: CommitBatch['writes'],
  events: readonly AuditEvent[],
  idempotencyKey: CommitBatch['idempotencyKey'] = null,
): CommitBatch => ({
  writes,
  events,
  idempotencyKey,
});

/** Stores histories the way the engine would: one commit per step, the histories' steps interleaved. */
export async function storeHistories(
  expect: Expect,
  repo: ActionRepository,
  histories: readonly ActionHistory[],
): Promise<void> {
  const longest = Math.max(0, ...histories.map((h) => h.steps.length));
  for (let i = 0; i < longest; i++) {
    for (const h of histories) {
      const step = h.steps[i];
      if (step === undefined) continue;
      await commitOk(
        expect,
        repo,
        batch([i === 0 ? create(step.action) : update(step.action)], [step.event]),
        `storing ${step.action.id} v${step.action.version}`,
      );
    }
  }
}

export function fixture(id: string): ActionHistory {
  const h = fixtureHistories().find((x) => x.action.id === id);
  if (h === undefined) throw new Error(`no fixture ${id}`);
  return h;
}

/** A record like `base`, as a new action with another id (and open key, unless given). */
export function another(base: ActionRecord, id: string, changes: Partial<ActionRecord> = {}): ActionRecord {
  return { ...structuredClone(base), id: asId<ActionId>(id), version: 1, ...changes };
}

export function createdEvent(action: ActionRecord): AuditEvent {
  return {
    id: asId(`${action.id}~evt1`),
    actionId: action.id,
    sequence: 1,
    type: 'created',
    at: action.createdAt,
    actor: { type: 'system', component: 'contract' },
    from: null,
    to: action.status,
    comment: null,
    details: {},
    hash: null,
    previousHash: null,
  };
}

export function eventFor(action: ActionRecord, from: ActionRecord): AuditEvent {
  return {
    ...createdEvent(action),
    id: asId(`${action.id}~evt${action.version}`),
    sequence: action.version,
    type: 'approve',
    from: from.status,
    at: action.updatedAt,
  };
}

/** The fixtures, and copies of a few with incident, alert and requester references. */
export async function storedWithReferences(expect: Expect, repo: ActionRepository): Promise<ActionRecord[]> {
  const histories = fixtureHistories();
  await storeHistories(expect, repo, histories);
  const records = histories.map((h) => h.action);
  const base = fixture('act-e').action;
  const extra = [
    another(base, 'act-ref-1', {
      incidentId: asId<IncidentId>('inc-1'),
      alertId: asId<AlertId>('alert-1'),
      openKey: null,
    }),
    another(base, 'act-ref-2', {
      incidentId: asId<IncidentId>('inc-1'),
      alertId: null,
      openKey: null,
      requestedBy: { type: 'principal', id: asId('carol@contoso.com') },
    }),
    another(base, 'act-ref-3', {
      incidentId: asId<IncidentId>('inc-2'),
      alertId: asId<AlertId>('alert-2'),
      openKey: null,
      requestedBy: { type: 'system', component: 'antivirus' },
    }),
  ];
  for (const action of extra)
    await commitOk(expect, repo, batch([create(action)], [createdEvent(action)]), `storing ${action.id}`);
  return [...records, ...extra];
}
/**
 * A property check of a group: every generated scenario gets a fresh repository from the factory
 * (torn down after it, pass or fail) and `check` runs on it, `numRuns` times (default 25).
 */
export function propertyCase<R extends ActionRepository, S>(
  options: RepositoryContractOptions<R>,
  fc: FastCheck,
  group: RepositoryContractGroup,
  title: string,
  scenario: Arbitrary<S>,
  check: (repo: R, scenario: S) => Promise<void>,
): ContractCase<RepositoryContractGroup, R> {
  return {
    group,
    title,
    run: async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async (drawn) => {
          const repo = await options.factory();
          try {
            await check(repo, drawn);
          } finally {
            await options.teardown?.(repo);
          }
        }),
        { numRuns: options.numRuns ?? 25 },
      );
    },
  };
}
