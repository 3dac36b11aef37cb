/**
 * Issue 15 (timers): `run` and `expire` find pending expiries and running deadlines through the
 * store's due index, page by page, and any number of processes may sweep at once: each due action
 * transitions exactly once, with one audit event, however their store calls interleave.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryRepository, type ActionRecord, type ActionRepository, type AuditEvent } from '../../src/index.js';
import { dueAtOf } from '../../src/adapter-kit.js';
import { actionCenterArbitraries, type ActionHistory } from '../../src/testing/index.js';
import { must, people, quarantine, scriptedExecutor, testCenter, scheduled, idsOf } from './fixtures.js';
import { resolveQuery } from '../../src/adapter-kit.js';

const arbitraries = actionCenterArbitraries(fc, { maxEvents: 4 });

/** A store holding the histories, as the engine would have written them. */
async function storeOf(histories: readonly ActionHistory[]): Promise<ActionRepository> {
  const store = createMemoryRepository();
  const loaded = store.load({ actions: histories.map((h) => h.action), events: histories.flatMap((h) => h.events) });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return store;
}

/** The actions due at `now` (pending: expiry, running: deadline). */
function dueAt(records: readonly ActionRecord[], now: number): ActionRecord[] {
  return records.filter((a) => {
    const due = dueAtOf(a);
    return due !== null && due <= now;
  });
}

async function trailOf(store: ActionRepository, id: string): Promise<readonly AuditEvent[]> {
  return must(store.auditTrail(id));
}

describe('sweeps through the due index, from several processes at once', () => {
  it('two centers ticking run() at once: each due action expires or times out exactly once, one audit event each', async () => {
    const seen = { pending: 0, running: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        arbitraries.actionHistories({ minLength: 1, maxLength: 10 }),
        async (s, histories) => {
          const store = await storeOf(histories);
          const records = histories.map((h) => h.action);
          const times = records.map(dueAtOf).filter((t): t is number => t !== null);
          const now = Math.min(8.64e15, Math.max(0, ...times));
          const clock = { now: () => now };
          const executor = scriptedExecutor(async () => ({ status: 'succeeded' }));
          const a = testCenter({ repository: scheduled(store, s), clock, executor, idGenerator: idsOf('a') }).center;
          const b = testCenter({ repository: scheduled(store, s), clock, executor, idGenerator: idsOf('b') }).center;
          const [ra, rb] = await s.waitFor(Promise.all([a.run(), b.run()]));
          if (!ra.ok || !rb.ok) throw new Error(`a tick failed: ${JSON.stringify(ra.ok ? rb : ra)}`);
          // Timers only: an approved action due at its retry time (issue 15) is work run executes; one
          // never started due at its unstarted expiry (issue 16) expires.
          const expiring = (x: ActionRecord) => x.expiresAt !== null && x.expiresAt <= now;
          const due = dueAt(records, now).filter(
            (x) =>
              x.status === 'pending' ||
              x.status === 'running' ||
              (x.status === 'approved' && x.retryAt === null && expiring(x)),
          );
          seen.pending += due.filter((x) => x.status === 'pending').length;
          seen.running += due.filter((x) => x.status === 'running').length;
          // A pending action due only at its approval deadline escalates (issue 16); expiry wins over it.
          const expired = due.filter((x) => x.status !== 'running' && expiring(x));
          const escalated = due.filter((x) => x.status === 'pending' && !expiring(x));
          const running = due.filter((x) => x.status === 'running');
          expect(ra.value.expired + rb.value.expired).toBe(expired.length);
          expect(ra.value.timedOut + rb.value.timedOut).toBe(running.length);
          for (const action of due) {
            const trail = await trailOf(store, action.id);
            const kind = action.status === 'running' ? 'timeOut' : expiring(action) ? 'expire' : 'escalate';
            expect(trail.filter((e) => e.type === kind && e.sequence > action.version)).toHaveLength(1);
            expect(trail.map((e) => e.sequence)).toEqual(trail.map((_, i) => i + 1));
            const stored = await must(store.get(action.id));
            expect(stored?.status).toBe(kind === 'timeOut' ? 'timedOut' : kind === 'expire' ? 'expired' : 'pending');
            // Escalated at the sweep's time, or at the record's last change when the sweeper's clock is
            // behind it (times never go backwards on a record: the lifecycle clamps, clockSkewMs says by how much).
            if (kind === 'escalate') {
              const at = Math.max(now, action.updatedAt);
              expect([stored?.escalatedAt, stored?.escalateAt]).toEqual([at, null]);
              expect(trail.find((e) => e.type === 'escalate')?.at).toBe(at);
            }
          }
          expect(escalated.every((x) => x.escalatedAt === null)).toBe(true);
          // Nothing is due any more: a third tick changes nothing.
          const again = await must(testCenter({ repository: store, clock, executor }).center.run());
          expect([again.expired, again.timedOut]).toEqual([0, 0]);
        },
      ),
      { numRuns: 60 },
    );
    // The runs had due actions of both kinds to race on.
    expect(seen.pending).toBeGreaterThan(0);
    expect(seen.running).toBeGreaterThan(0);
  }, 120_000);

  it('run() racing expire() and a decision on the same actions: one final transition each, never two', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        arbitraries.actionHistories({ minLength: 1, maxLength: 8 }),
        async (s, histories) => {
          const store = await storeOf(histories);
          const records = histories.map((h) => h.action);
          const times = records.map(dueAtOf).filter((t): t is number => t !== null);
          const now = Math.min(8.64e15, Math.max(0, ...times));
          const clock = { now: () => now };
          const a = testCenter({ repository: scheduled(store, s), clock, idGenerator: idsOf('a') }).center;
          const b = testCenter({ repository: scheduled(store, s), clock, idGenerator: idsOf('b') }).center;
          const c = testCenter({ repository: scheduled(store, s), clock, idGenerator: idsOf('c') }).center;
          const pendingIds = records.filter((x) => x.status === 'pending').map((x) => x.id);
          const [ra, rb] = await s.waitFor(
            Promise.all([
              a.run(),
              b.expire(),
              pendingIds.length > 0
                ? c.approve({ principal: people.globalAdmin, ids: pendingIds, comment: 'racing the sweep' })
                : Promise.resolve(null),
            ]),
          );
          if (!ra.ok || !rb.ok) throw new Error(`a tick failed: ${JSON.stringify(ra.ok ? rb : ra)}`);
          for (const action of records) {
            const trail = await trailOf(store, action.id);
            // One event per version, and at most one step out of pending or running.
            expect(trail.map((e) => e.sequence)).toEqual(trail.map((_, i) => i + 1));
            const fromPending = trail.filter(
              (e) => e.from === 'pending' && e.to !== 'pending' && e.sequence > action.version,
            );
            expect(fromPending.length).toBeLessThanOrEqual(1);
            // An approval deadline escalates once (issue 16), whoever swept.
            const escalations = trail.filter((e) => e.type === 'escalate' && e.sequence > action.version);
            expect(escalations.length).toBeLessThanOrEqual(action.escalateAt === null ? 0 : 1);
            const timeOuts = trail.filter((e) => e.type === 'timeOut' && e.sequence > action.version);
            expect(timeOuts.length).toBeLessThanOrEqual(1);
          }
          const expiredNow = (
            await Promise.all(
              records.map(async (x) =>
                (await trailOf(store, x.id)).filter((e) => e.type === 'expire' && e.sequence > x.version),
              ),
            )
          ).flat();
          // The decision expires what it finds due too (its own event): the sweeps count only theirs.
          expect(ra.value.expired + rb.value).toBeLessThanOrEqual(expiredNow.length);
          for (const action of dueAt(records, now)) {
            const stored = await must(store.get(action.id));
            // Due only at its approval deadline (issue 16): escalated, or decided, but maybe still pending.
            const escalationOnly = action.status === 'pending' && (action.expiresAt === null || action.expiresAt > now);
            if (escalationOnly) expect(stored?.status !== 'pending' || stored.escalatedAt !== null).toBe(true);
            else if (action.status === 'succeeded' && stored?.status === 'succeeded') {
              // Due at its revert time (issue 16) but not undoable here (a source whose actions are
              // not undone from the Action center): run clears the revert, audited, instead of undoing.
              expect(stored.revertAt).toBeNull();
              const trail = await trailOf(store, action.id);
              expect(trail.filter((e) => e.type === 'setRevert' && e.sequence > action.version)).toMatchObject([
                { actor: { type: 'system', component: 'autoRevert' }, details: { field: 'revertAt', to: null } },
              ]);
            } else expect(stored?.status).not.toBe(action.status);
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});

function statusPending() {
  const q = resolveQuery({ filter: { status: ['pending'] }, page: { size: 100 } }, 0);
  if (!q.ok) throw new Error(q.error.message);
  return q.value;
}

describe('a tick reads only what is due', () => {
  it('expire() with nothing due makes one due lookup and no view query; run() reads only the approved', async () => {
    const store = createMemoryRepository();
    const calls: string[] = [];
    const counting: ActionRepository = {
      ...store,
      query: async (q) => {
        calls.push(`query ${JSON.stringify(q.filter.statuses)}`);
        return store.query(q);
      },
      due: async (q) => {
        calls.push('due');
        return store.due(q);
      },
    };
    const { center, clock } = testCenter({ repository: counting });
    for (let i = 0; i < 30; i++)
      await must(center.submit({ request: quarantine(`PC-${i}`, { path: `C:\\Temp\\file-${i}.exe` }) }));
    const stored = await must(store.query(statusPending()));
    expect(stored.items.length).toBe(30);
    clock.advance(1);
    calls.length = 0;
    const report = await must(center.expire());
    expect(report).toBe(0);
    expect(calls).toEqual(['due']);
    calls.length = 0;
    const tick = await must(center.run());
    expect([tick.expired, tick.timedOut, tick.started]).toEqual([0, 0, 0]);
    expect(calls).toEqual(['due', 'query ["approved"]']);
  });
});
