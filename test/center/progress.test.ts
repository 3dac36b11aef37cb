/**
 * Issue 17: long bulk operations report progress (`onProgress`) and can be aborted (`signal`).
 * An abort before the commit changes nothing (the store and the audit feed are read back to check);
 * once the commit starts it completes. On the memory repository and PGlite.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createMemoryRepository,
  type ActionCenter,
  type ActionRepository,
  type DecisionInput,
} from '../../src/index.js';
import type { BulkProgress } from '../../src/adapter-kit.js';
import { freshRepository, usePGlite } from '../adapters/postgres-fixtures.js';
import { must, people, quarantine, scriptedExecutor, testCenter } from './fixtures.js';

usePGlite();

const stores: [string, () => Promise<ActionRepository>][] = [
  ['memory', async () => createMemoryRepository()],
  ['PGlite', () => freshRepository()],
];

/** Generous: seeding hundreds of actions on PGlite on a loaded machine takes seconds. */
const SLOW = 120_000;

/** A repository whose `commit` first calls `before` (the operation's commit has started by then). */
function onCommit(repository: ActionRepository, before: () => void): ActionRepository {
  return new Proxy(repository, {
    get(target, prop) {
      if (prop === 'commit') {
        return (batch: Parameters<ActionRepository['commit']>[0]) => {
          before();
          return target.commit(batch);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `n` pending quarantines on distinct devices. */
async function pendingSet(repository: ActionRepository, n: number) {
  const { center } = testCenter({ repository });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await must(center.submit({ request: quarantine(`DEV-${i}`) }))).action.id);
  return { center, ids };
}

/** Everything a bulk operation could change: the records of `ids` and the whole audit feed. */
async function snapshot(repository: ActionRepository, ids: readonly string[]) {
  const records = await repository.getMany(ids);
  const feed = await repository.changes({ after: null, limit: 10_000 });
  if (!records.ok || !feed.ok) throw new Error('the store could not be read');
  return {
    records: [...records.value].sort((a, b) => a.id.localeCompare(b.id)),
    feed: feed.value.entries.map((e) => `${e.position} ${e.event.actionId} ${e.event.type}`),
  };
}

/** Checks a progress sequence: phases in order, `done` never decreasing, ending at `total`. */
function expectWellFormed(seen: readonly BulkProgress[], operation: string, total: number, readingTotal = total): void {
  const order = ['reading', 'checking', 'committing', 'done'];
  expect(seen.map((p) => p.phase).filter((p, i, all) => all[i - 1] !== p)).toEqual(order);
  for (let i = 1; i < seen.length; i++) {
    expect(order.indexOf(seen[i]!.phase)).toBeGreaterThanOrEqual(order.indexOf(seen[i - 1]!.phase));
    expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
  }
  for (const p of seen) expect(p).toMatchObject({ operation, total: p.phase === 'reading' ? readingTotal : total });
  expect(seen.at(-1)).toEqual({ operation, phase: 'done', done: total, total });
  // Throttled: about one report per 1% of the items, plus the phase changes.
  expect(seen.length).toBeLessThanOrEqual(100 + 5);
}

describe.each(stores)('progress of bulk operations (%s)', (_name, makeStore) => {
  it(
    'approve, reject and cancel report reading → checking → committing → done, totals the ids count',
    async () => {
      for (const operation of ['approve', 'reject', 'cancel'] as const) {
        const { center, ids } = await pendingSet(await makeStore(), 120);
        const seen: BulkProgress[] = [];
        const r = await must(center[operation]({ principal: people.secAdmin, ids, onProgress: (p) => seen.push(p) }));
        expect(r.allApplied).toBe(true);
        expectWellFormed(seen, operation, ids.length);
        // Checked item by item in between: more than the phase changes.
        expect(seen.filter((p) => p.phase === 'checking').length).toBeGreaterThan(10);
      }
    },
    SLOW,
  );

  it(
    'undo (with the other instances of the file) and retry report progress too',
    async () => {
      const repository = await makeStore();
      const failing = { now: false };
      const executor = scriptedExecutor(async () =>
        failing.now
          ? { status: 'failed', failure: { code: 'deviceOffline', message: 'offline' } }
          : { status: 'succeeded' },
      );
      const { center } = testCenter({ repository, executor });
      const done: string[] = [];
      for (let i = 0; i < 6; i++)
        done.push(
          (await must(center.submit({ request: quarantine(`UNDO-${i}`, { verdict: 'malicious' }) }))).action.id,
        );
      await must(center.run());
      const undone: BulkProgress[] = [];
      const u = await must(
        center.undo({
          principal: people.secAdmin,
          ids: [done[0]!],
          applyToOtherInstances: true,
          onProgress: (p) => undone.push(p),
        }),
      );
      expect(u.items).toHaveLength(6);
      expect(u.allApplied).toBe(true);
      // The total grows by the other instances once they are read.
      expect(undone[0]).toEqual({ operation: 'undo', phase: 'reading', done: 0, total: 1 });
      expectWellFormed(undone, 'undo', 6, 1);

      failing.now = true;
      const failed: string[] = [];
      for (let i = 0; i < 5; i++)
        failed.push(
          (await must(center.submit({ request: quarantine(`RETRY-${i}`, { verdict: 'malicious' }) }))).action.id,
        );
      await must(center.run());
      const retried: BulkProgress[] = [];
      const r = await must(
        center.retry({ principal: people.secAdmin, ids: failed, onProgress: (p) => retried.push(p) }),
      );
      expect(r.allApplied).toBe(true);
      expectWellFormed(retried, 'retry', 5);
    },
    SLOW,
  );

  it(
    'a listener that throws, or rejects, is isolated: the operation goes on and commits everything',
    async () => {
      const { center, ids } = await pendingSet(await makeStore(), 30);
      let calls = 0;
      const r = await must(
        center.approve({
          principal: people.secAdmin,
          ids: ids.slice(0, 15),
          onProgress: () => {
            calls++;
            throw new Error('listener bug');
          },
        }),
      );
      expect(r.allApplied).toBe(true);
      expect(calls).toBeGreaterThan(3);
      const rejected = await must(
        center.approve({
          principal: people.secAdmin,
          ids: ids.slice(15),
          onProgress: (async () => {
            throw new Error('async listener bug');
          }) as unknown as DecisionInput['onProgress'] & {},
        }),
      );
      expect(rejected.allApplied).toBe(true);
    },
    SLOW,
  );

  it(
    'hostile onProgress and signal values are invalidInput and change nothing',
    async () => {
      const repository = await makeStore();
      const { center, ids } = await pendingSet(repository, 3);
      const before = await snapshot(repository, ids);
      const revoked = Proxy.revocable({}, {});
      revoked.revoke();
      const throwing = new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
          has() {
            throw new Error('trap');
          },
        },
      );
      const throwingGetter = {
        get aborted(): boolean {
          throw new Error('getter');
        },
        addEventListener() {},
      };
      const hostile: Record<string, unknown>[] = [
        { onProgress: 'not a function' },
        { onProgress: 42 },
        { onProgress: {} },
        { onProgress: null },
        { onProgress: throwing },
        { signal: {} },
        { signal: { aborted: 'yes', addEventListener() {} } },
        { signal: { aborted: false } },
        { signal: () => undefined },
        { signal: null },
        { signal: throwing },
        { signal: revoked.proxy },
        { signal: throwingGetter },
      ];
      for (const fields of hostile) {
        for (const operation of ['approve', 'reject', 'cancel', 'undo', 'retry'] as const) {
          const r = await (center[operation] as (input: unknown) => ReturnType<ActionCenter['approve']>)({
            principal: people.secAdmin,
            ids,
            ...fields,
          });
          expect(r.ok ? 'ok' : r.error.code, `${operation} ${Object.keys(fields).join()}`).toBe('invalidInput');
        }
        const exported = await center.exportCsv({ principal: people.secAdmin, ...fields } as never);
        if ('signal' in fields) expect(exported.ok ? 'ok' : exported.error.code).toBe('invalidInput');
      }
      expect(await snapshot(repository, ids)).toEqual(before);
    },
    SLOW,
  );

  it(
    'an abort before, while reading, while checking or right before the commit changes nothing',
    async () => {
      const repository = await makeStore();
      const { center, ids } = await pendingSet(repository, 60);
      const before = await snapshot(repository, ids);
      const cases: { phase: string; abortAt?: (p: BulkProgress) => boolean; before?: boolean }[] = [
        { phase: 'reading', before: true },
        { phase: 'reading', abortAt: (p) => p.phase === 'reading' },
        { phase: 'checking', abortAt: (p) => p.phase === 'checking' && p.done === 0 },
        { phase: 'checking', abortAt: (p) => p.phase === 'checking' && p.done > ids.length / 2 },
        { phase: 'committing', abortAt: (p) => p.phase === 'committing' },
      ];
      for (const operation of ['approve', 'reject', 'cancel'] as const) {
        for (const c of cases) {
          const controller = new AbortController();
          if (c.before === true) controller.abort();
          const r = await center[operation]({
            principal: people.secAdmin,
            ids,
            signal: controller.signal,
            onProgress: (p) => {
              if (c.abortAt?.(p) === true) controller.abort();
            },
          });
          expect(r.ok ? 'ok' : r.error).toMatchObject({ code: 'aborted', operation, phase: c.phase });
          expect(await snapshot(repository, ids)).toEqual(before);
        }
      }
    },
    SLOW,
  );

  it(
    'an abort from outside (a later turn of the event loop) is heard while checking',
    async () => {
      const repository = await makeStore();
      const { center, ids } = await pendingSet(repository, 60);
      const before = await snapshot(repository, ids);
      const controller = new AbortController();
      let scheduled = false;
      const r = await center.approve({
        principal: people.secAdmin,
        ids,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'checking' && p.done > 0 && !scheduled) {
            scheduled = true;
            setImmediate(() => controller.abort());
          }
        },
      });
      expect(r.ok ? 'ok' : r.error).toMatchObject({ code: 'aborted', operation: 'approve', phase: 'checking' });
      expect(await snapshot(repository, ids)).toEqual(before);
    },
    SLOW,
  );

  it(
    'an abort once the commit has started, or after it, does not interrupt it: everything is committed',
    async () => {
      // One repository (and one center: its id generator) throughout; the hook is armed after seeding.
      let hook = (): void => undefined;
      const repository = onCommit(await makeStore(), () => hook());
      const { center, ids } = await pendingSet(repository, 40);
      const before = await snapshot(repository, ids);
      const live = new AbortController();
      hook = () => live.abort();
      const r = await center.approve({ principal: people.secAdmin, ids, signal: live.signal });
      hook = () => undefined;
      expect(live.signal.aborted).toBe(true);
      expect(r.ok && r.value.allApplied).toBe(true);
      const after = await snapshot(repository, ids);
      expect(after.records.every((a) => a.status === 'approved')).toBe(true);
      expect(after.feed.length).toBe(before.feed.length + ids.length);

      const late = new AbortController();
      const r2 = await center.cancel({
        principal: people.secAdmin,
        ids,
        signal: late.signal,
        onProgress: (p) => {
          if (p.phase === 'done') late.abort();
        },
      });
      expect(late.signal.aborted).toBe(true);
      expect(r2.ok && r2.value.allApplied).toBe(true);
    },
    SLOW,
  );
});

describe.each(stores)('abort at the k-th progress report (%s)', (name, makeStore) => {
  it(
    'commits everything or nothing, never part',
    async () => {
      const n = 150;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 100 }), async (k) => {
          const repository = await makeStore();
          const { center, ids } = await pendingSet(repository, n);
          const before = await snapshot(repository, ids);
          const controller = new AbortController();
          const seen: BulkProgress[] = [];
          const r = await center.approve({
            principal: people.secAdmin,
            ids,
            signal: controller.signal,
            onProgress: (p) => {
              seen.push(p);
              if (seen.length === k) controller.abort();
            },
          });
          const after = await snapshot(repository, ids);
          const abortedBeforeDone = seen.length >= k && seen[k - 1]!.phase !== 'done';
          if (abortedBeforeDone) {
            expect(r.ok ? 'ok' : r.error.code).toBe('aborted');
            expect(after).toEqual(before);
          } else {
            expect(r.ok && r.value.allApplied).toBe(true);
            expect(after.records.every((a) => a.status === 'approved')).toBe(true);
            expect(after.feed.length).toBe(before.feed.length + n);
          }
        }),
        // 150 items: 79 reports (reading, 76 checking, committing, done); both sides of `done` always tried.
        { numRuns: name === 'memory' ? 40 : 4, examples: [[1], [78], [79], [80]] },
      );
    },
    SLOW * 3,
  );
});

describe('abort between reading chunks (memory)', () => {
  it(
    'a selection read in several chunks stops reading at the first chunk after the abort',
    async () => {
      const controller = new AbortController();
      let reads = 0;
      const base = createMemoryRepository();
      const { center, ids } = await pendingSet(
        new Proxy(base, {
          get(target, prop) {
            const value: unknown = Reflect.get(target, prop, target);
            if (prop === 'getMany')
              return (chunk: readonly string[]) => {
                reads++;
                if (chunk.length > 1) controller.abort();
                return target.getMany(chunk);
              };
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
          },
        }),
        1500,
      );
      const before = await snapshot(base, ids);
      reads = 0;
      const r = await center.reject({ principal: people.secAdmin, ids, signal: controller.signal });
      expect(r.ok ? 'ok' : r.error).toMatchObject({ code: 'aborted', operation: 'reject', phase: 'reading' });
      expect(reads).toBe(1);
      expect(await snapshot(base, ids)).toEqual(before);
    },
    SLOW,
  );
});
