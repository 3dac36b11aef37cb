/**
 * The `changes` group of `repositoryContract`: the change feed holds every committed audit event
 * exactly once, in commit order, each action's events in sequence order, nothing of a refused
 * commit; a reader that resumes from the last position it saw misses nothing and sees nothing twice;
 * a malformed query is `invalidInput`.
 *
 * @module
 */
import { type ActionRecord, type ActionRepository, type AuditEvent, type ChangeEntry, type Result } from 'actioncenter';
import type { ChangesError, CommitBatch } from 'actioncenter/adapter-kit';
import type { FastCheck } from '../../fast-check.js';
import { actionCenterArbitraries } from '../../arbitraries.js';
import type { ActionHistory } from '../../histories.js';
import { fixtureHistories } from '../fixtures.js';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup, RepositoryContractOptions } from './options.js';
import { batch, commitConflict, create, eventFor, fixture, propertyCase, update, type Expect } from './shared.js';

function described(r: Result<unknown, ChangesError>): string {
  return r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`;
}

/** Reads the whole feed from the start, in pages of `limits` (taken in turn); checks each page's shape. */
export async function readFeed(
  expect: Expect,
  repo: ActionRepository,
  limits: readonly number[] = [1_000],
): Promise<ChangeEntry[]> {
  const all: ChangeEntry[] = [];
  let after: number | null = null;
  for (let page = 0; ; page++) {
    const limit = limits[page % limits.length] as number;
    const r = await repo.changes({ after, limit });
    expect(r.ok, `changes(after ${after}, limit ${limit}) returns ok (got ${described(r)})`).toBe(true);
    if (!r.ok) throw new Error(described(r));
    const { entries, next } = r.value;
    expect(entries.length <= limit, `a page holds at most limit (${limit}) entries`).toBe(true);
    const last = entries.at(-1);
    expect(next, 'next is the last position of the page (the query’s after on an empty page)').toBe(
      last === undefined ? (after === 0 ? null : after) : last.position,
    );
    for (const entry of entries) {
      const previous = all.at(-1)?.position ?? after ?? 0;
      expect(entry.position > previous, `positions increase (${entry.position} after ${previous})`).toBe(true);
      all.push(entry);
    }
    if (entries.length === 0) return all;
    if (page > 100_000) throw new Error('the feed does not end');
    after = next;
  }
}

/** Checks the feed against the accepted commits (in commit order): each commit's events, once, positions consecutive. */
function expectFeedOf(expect: Expect, feed: readonly ChangeEntry[], commits: readonly (readonly AuditEvent[])[]): void {
  const total = commits.reduce((n, c) => n + c.length, 0);
  expect(feed.length, `the feed holds every committed event once (${total})`).toBe(total);
  let at = 0;
  for (const [k, events] of commits.entries()) {
    const slice = feed.slice(at, at + events.length);
    at += events.length;
    const byId = (a: AuditEvent, b: AuditEvent) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    expect(
      slice.map((e) => e.event).sort(byId),
      `commit ${k + 1}: its events, together, after the commits before it`,
    ).toEqual([...events].sort(byId));
    for (let i = 1; i < slice.length; i++)
      expect((slice[i] as ChangeEntry).position, `commit ${k + 1}: its positions have no gap`).toBe(
        (slice[i - 1] as ChangeEntry).position + 1,
      );
  }
  const lastSequence = new Map<string, number>();
  for (const { event } of feed) {
    const before = lastSequence.get(event.actionId) ?? 0;
    expect(event.sequence > before, `${event.actionId}: its events in sequence order in the feed`).toBe(true);
    lastSequence.set(event.actionId, event.sequence);
  }
}

export function changeCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'changes',
      title: 'an empty store has an empty feed; next stays where the reader was',
      run: async (repo) => {
        expect(await readFeed(expect, repo), 'no entries').toEqual([]);
        const r = await repo.changes({ after: 41, limit: 10 });
        expect(r.ok ? r.value : described(r), 'past the end: empty, next is after').toEqual({ entries: [], next: 41 });
      },
    },
    {
      group: 'changes',
      title: 'every committed event is in the feed once, in commit order, read whole or one by one',
      run: async (repo) => {
        const histories = fixtureHistories();
        const commits: AuditEvent[][] = [];
        const longest = Math.max(0, ...histories.map((h) => h.steps.length));
        for (let i = 0; i < longest; i++) {
          for (const h of histories) {
            const step = h.steps[i];
            if (step === undefined) continue;
            const r = await repo.commit(batch([i === 0 ? create(step.action) : update(step.action)], [step.event]));
            expect(r.ok, `storing ${step.action.id} v${step.action.version}`).toBe(true);
            commits.push([step.event]);
          }
        }
        const whole = await readFeed(expect, repo);
        expectFeedOf(expect, whole, commits);
        expect(await readFeed(expect, repo, [1]), 'one by one: the same').toEqual(whole);
        expect(await readFeed(expect, repo, [3, 1, 7]), 'in pages of 3, 1 and 7: the same').toEqual(whole);
      },
    },
    {
      group: 'changes',
      title: 'a commit of several events takes consecutive positions; a refused commit takes none',
      run: async (repo) => {
        const a = fixture('act-k');
        const b = fixture('act-b');
        const [aCreated] = a.steps;
        const [bCreated] = b.steps;
        if (aCreated === undefined || bCreated === undefined) throw new Error('fixture too short');
        const first = batch([create(aCreated.action), create(bCreated.action)], [aCreated.event, bCreated.event]);
        expect((await repo.commit(first)).ok, 'two actions created in one commit').toBe(true);
        const before = await readFeed(expect, repo);
        await commitConflict(expect, repo, first, 'the same commit again', { names: [a.action.id, b.action.id] });
        const aNext: ActionRecord = { ...aCreated.action, version: 2, status: 'rejected', updatedAt: 2 };
        await commitConflict(
          expect,
          repo,
          batch([{ action: aNext, expectedVersion: 7 }], [eventFor(aNext, aCreated.action)]),
          'an update from a stale version',
          { reason: 'staleVersion', names: a.action.id },
        );
        expect(await readFeed(expect, repo), 'refused commits add nothing to the feed').toEqual(before);
        expectFeedOf(expect, before, [[aCreated.event, bCreated.event]]);
        const last = before.at(-1)?.position ?? 0;
        const after = await repo.changes({ after: last, limit: 5 });
        expect(after.ok ? after.value : described(after), 'nothing after the last').toEqual({
          entries: [],
          next: last,
        });
      },
    },
    {
      group: 'changes',
      title: 'a reader that resumes from the last position it saw gets exactly the newer events',
      run: async (repo) => {
        const [h1, h2] = fixtureHistories();
        if (h1 === undefined || h2 === undefined) throw new Error('fixtures missing');
        const [c1] = h1.steps;
        const [c2] = h2.steps;
        if (c1 === undefined || c2 === undefined) throw new Error('fixture too short');
        expect((await repo.commit(batch([create(c1.action)], [c1.event]))).ok, 'first commit').toBe(true);
        const seen = await readFeed(expect, repo);
        const cursor = seen.at(-1)?.position ?? null;
        expect((await repo.commit(batch([create(c2.action)], [c2.event]))).ok, 'second commit').toBe(true);
        const r = await repo.changes({ after: cursor, limit: 10 });
        expect(r.ok ? r.value.entries.map((e) => e.event) : described(r), 'resumed: the second commit only').toEqual([
          c2.event,
        ]);
      },
    },
    {
      group: 'changes',
      title: 'a malformed change query is invalidInput, never a throw, and reads nothing',
      run: async (repo) => {
        const revocable = Proxy.revocable({}, {});
        revocable.revoke();
        const throwing = {
          get after(): number {
            throw new Error('no after');
          },
          limit: 5,
        };
        const bad: unknown[] = [
          null,
          undefined,
          {},
          { after: null },
          { after: null, limit: 0 },
          { after: null, limit: 10_001 },
          { after: null, limit: 1.5 },
          { after: -1, limit: 5 },
          { after: 2.5, limit: 5 },
          { after: '3', limit: 5 },
          { after: Number.NaN, limit: 5 },
          { after: Number.POSITIVE_INFINITY, limit: 5 },
          { after: 2 ** 60, limit: 5 },
          { after: null, limit: 5, extra: true },
          revocable.proxy,
          throwing,
        ];
        for (const [i, query] of bad.entries()) {
          let r: Result<unknown, ChangesError>;
          try {
            r = await repo.changes(query as never);
          } catch (e) {
            throw new Error(`changes threw for a malformed query: ${String(e)}`);
          }
          expect(r.ok ? 'ok' : r.error.code, `malformed query ${i + 1} of ${bad.length} is invalidInput`).toBe(
            'invalidInput',
          );
        }
      },
    },
    {
      group: 'isolation',
      title: 'entries handed out by changes cannot change the feed',
      run: async (repo) => {
        const [h] = fixtureHistories();
        const step = h?.steps[0];
        if (step === undefined) throw new Error('fixtures missing');
        expect((await repo.commit(batch([create(step.action)], [step.event]))).ok, 'commit').toBe(true);
        const first = await readFeed(expect, repo);
        for (const entry of first) {
          try {
            (entry.event as { comment: string | null }).comment = 'changed by a reader';
            (entry as { position: number }).position = -1;
          } catch {
            // Frozen: the store hands out what cannot be changed, which is as good.
          }
        }
        expect(
          (await readFeed(expect, repo)).map((e) => e.event),
          'the feed reads as committed',
        ).toEqual([step.event]);
      },
    },
  ];
}

/** One commit attempt of the property: the next steps of one or two histories, maybe sent twice. */
interface Attempt {
  readonly picks: readonly number[];
  readonly twice: boolean;
}

export function changesProperty<R extends ActionRepository>(
  options: RepositoryContractOptions<R>,
  fc: FastCheck,
): ContractCase<RepositoryContractGroup, R> {
  const expect = options.expect;
  const arbitraries = actionCenterArbitraries(fc, { maxEvents: 4 });
  const attempt = fc.record({
    picks: fc.array(fc.nat({ max: 15 }), { minLength: 1, maxLength: 2 }),
    twice: fc.boolean(),
  });
  const scenario = fc.tuple(
    arbitraries.actionHistories({ maxLength: 8 }),
    fc.array(attempt, { maxLength: 40 }),
    fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
  );
  return propertyCase(
    options,
    fc,
    'changes',
    'property: after any commits (some refused), the feed read in pages of any size holds every committed event once, in commit order',
    scenario,
    async (repo, [histories, attempts, limits]) => {
      const next = new Map<ActionHistory, number>();
      const accepted: AuditEvent[][] = [];
      const send = async (b: CommitBatch) => {
        const r = await repo.commit(b);
        if (r.ok) accepted.push([...b.events]);
        return r.ok;
      };
      for (const { picks, twice } of attempts as readonly Attempt[]) {
        const chosen = [...new Set(picks.map((p) => histories[p % Math.max(1, histories.length)]))].filter(
          (h): h is ActionHistory => h !== undefined && (next.get(h) ?? 0) < h.steps.length,
        );
        if (chosen.length === 0) continue;
        const steps = chosen.map((h) => ({ h, i: next.get(h) ?? 0 }));
        const b = batch(
          steps.map(({ h, i }) => {
            const action = (h.steps[i] as ActionHistory['steps'][number]).action;
            return i === 0 ? create(action) : update(action);
          }),
          steps.map(({ h, i }) => (h.steps[i] as ActionHistory['steps'][number]).event),
        );
        // A refused commit (an open key held by another history, say) leaves its histories where they were.
        if (await send(b)) for (const { h, i } of steps) next.set(h, i + 1);
        // Sent again: refused (its events' sequences are written), and adds nothing.
        if (twice) await send(b);
      }
      expectFeedOf(expect, await readFeed(expect, repo, limits), accepted);
    },
  );
}
