/**
 * Regression tests of issue 11, item 5: clock readings are checked. A clock returning NaN made the
 * next memory `list()` loop for ever and one `expire()` expire every pending action; Infinity,
 * negative, fractional, `Date` and string readings were stored (PostgreSQL then answered
 * corruptRecord). Now every reading outside the timestamp schema is `clockInvalid` and changes
 * nothing; and times never go backwards on a record (a clock going back is clamped, and audited).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createActionCenter,
  createMemoryRepository,
  sequentialIdGenerator,
  type ActionCenter,
  type ActionRecord,
  type ActionRepository,
  type AuditEvent,
  type Clock,
  type ExecutionOutcome,
} from '../../src/index.js';
import { ActionRecordSchema, AuditEventSchema } from '../../src/adapter-kit.js';
import { freshRepository, usePGlite } from '../adapters/postgres-fixtures.js';
import { DAY, T0, isolate, must, people, quarantine } from './fixtures.js';

usePGlite();

/** A clock that answers whatever it is set to. */
function settableClock(start: unknown): Clock & { set(value: unknown): void } {
  let value = start;
  return { now: () => value as number, set: (v) => (value = v) };
}

const BAD_READINGS: [string, () => unknown][] = [
  ['NaN', () => Number.NaN],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['-Infinity', () => Number.NEGATIVE_INFINITY],
  ['negative', () => -1],
  ['fractional', () => T0 + 0.5],
  ['past 8.64e15', () => 9e15],
  ['a Date', () => new Date(T0)],
  ['a string', () => '2026-11-23T09:00:00Z'],
  ['undefined', () => undefined],
];

/** Everything stored: every action and its trail, read with a good clock. */
async function snapshot(repository: ActionRepository): Promise<{ actions: ActionRecord[]; trails: AuditEvent[][] }> {
  const reader = createActionCenter({ repository, clock: { now: () => T0 + 400 * DAY } });
  const page = await must(
    reader.list({ principal: people.reader, query: { filter: { view: 'all' }, page: { size: 500 } } }),
  );
  const actions = [...page.items].sort((a, b) => a.id.localeCompare(b.id));
  const trails = await Promise.all(actions.map((a) => must(reader.auditTrail({ principal: people.reader, id: a.id }))));
  return { actions, trails: trails.map((t) => [...t]) };
}

const stores: [string, () => Promise<ActionRepository>][] = [
  ['memory', async () => createMemoryRepository()],
  ['PGlite', () => freshRepository()],
];

describe.each(stores)('clock readings are validated (%s)', (_, makeStore) => {
  async function seeded() {
    const repository = await makeStore();
    const clock = settableClock(T0);
    const center = createActionCenter({ repository, clock, idGenerator: sequentialIdGenerator() });
    const pending = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    const other = await must(center.submit({ request: quarantine('LAPTOP-2') }));
    const approved = await must(
      center.submit({ request: isolate('LAPTOP-3', people.secAdmin), principal: people.secAdmin }),
    );
    // Every pending action is past its expiry for a clock read now.
    clock.set(T0 + 30 * DAY);
    return { repository, clock, center, pending: pending.action, other: other.action, approved: approved.action };
  }

  it.each(BAD_READINGS)(
    'clockInvalid: a clock reading %s is a typed error at every operation, and nothing changes',
    async (_, reading) => {
      const { repository, clock, center, pending, other, approved } = await seeded();
      const before = await snapshot(repository);
      clock.set(reading());
      const operations: [string, () => Promise<{ ok: boolean; error?: unknown }>][] = [
        ['submit', () => center.submit({ request: quarantine('LAPTOP-9') })],
        ['approve', () => center.approve({ principal: people.secAdmin, ids: [pending.id] })],
        ['reject', () => center.reject({ principal: people.secAdmin, ids: [other.id] })],
        ['cancel', () => center.cancel({ principal: people.secAdmin, ids: [approved.id] })],
        ['run', () => center.run()],
        ['expire', () => center.expire()],
        ['list', () => center.list({ principal: people.reader, query: { filter: { view: 'pending' } } })],
        ['exportCsv', () => center.exportCsv({ principal: people.reader })],
      ];
      for (const [name, operation] of operations) {
        const r = await operation();
        expect(r.ok, name).toBe(false);
        expect((r as { error: { code: string } }).error.code, name).toBe('clockInvalid');
      }
      expect(await snapshot(repository)).toEqual(before);
    },
    60_000,
  );

  it('clockInvalid: the error describes the bad value and says why', async () => {
    const { clock, center } = await seeded();
    clock.set(Number.NaN);
    const r = await center.expire();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'clockInvalid', value: 'number NaN', reason: 'notFinite' });
    clock.set('yesterday');
    const s = await center.run();
    expect(!s.ok && s.error).toMatchObject({ code: 'clockInvalid', value: 'string yesterday', reason: 'notANumber' });
  }, 60_000);

  it('clockInvalid: a clock that throws is a typed error too', async () => {
    const repository = await makeStore();
    const center = createActionCenter({
      repository,
      clock: {
        now: () => {
          throw new Error('ntp down');
        },
      },
    });
    const r = await center.submit({ request: quarantine('LAPTOP-1') });
    expect(!r.ok && r.error).toMatchObject({ code: 'clockInvalid', reason: 'threw' });
  }, 60_000);

  it('clock NaN: expire() under NaN expires nothing (it expired every pending action)', async () => {
    const { repository, clock, center } = await seeded();
    clock.set(Number.NaN);
    expect((await center.expire()).ok).toBe(false);
    clock.set(T0 + DAY);
    const pending = await must(
      createActionCenter({ repository, clock: { now: () => T0 + DAY } }).list({
        principal: people.reader,
        query: { filter: { view: 'pending' } },
      }),
    );
    expect(pending.items).toHaveLength(2);
  }, 60_000);

  it("clock going backwards: an event earlier than the record's last time is recorded at that time, and the audit shows the skew", async () => {
    const repository = await makeStore();
    const clock = settableClock(T0 + DAY);
    const center = createActionCenter({ repository, clock, idGenerator: sequentialIdGenerator() });
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    clock.set(T0); // a day back
    const decided = await must(center.approve({ principal: people.secAdmin, ids: [action.id] }));
    expect(decided.items[0]?.outcome).toBe('applied');
    await must(center.run());
    const stored = await must(center.get({ principal: people.reader, id: action.id }));
    expect(stored.status).toBe('succeeded');
    expect(stored.decidedAt).toBe(T0 + DAY);
    expect(stored.startedAt).toBe(T0 + DAY);
    expect(stored.completedAt).toBe(T0 + DAY);
    const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.map((e) => e.at)).toEqual([T0 + DAY, T0 + DAY, T0 + DAY, T0 + DAY]);
    expect(trail.slice(1).map((e) => e.details['clockSkewMs'])).toEqual([DAY, DAY, DAY]);
  }, 60_000);
});

describe('clock NaN on the memory store', () => {
  it('clock NaN: list() answers clockInvalid at once instead of looping for ever', async () => {
    const clock = settableClock(T0);
    const center = createActionCenter({ clock, idGenerator: sequentialIdGenerator() });
    await must(center.submit({ request: quarantine('LAPTOP-1') }));
    clock.set(Number.NaN);
    const r = await center.list({
      principal: people.reader,
      query: { filter: { view: 'history', time: { period: 'pastDay' } } },
    });
    expect(!r.ok && r.error.code).toBe('clockInvalid');
  }, 60_000);

  it("a broken clock when an outcome arrives does not lose it: recorded at the record's last time, audited", async () => {
    const clock = settableClock(T0);
    const executor = {
      supports: () => true,
      execute: async (): Promise<ExecutionOutcome> => {
        clock.set(Number.NaN);
        return { status: 'succeeded' };
      },
    };
    const center = createActionCenter({
      clock,
      executor,
      idGenerator: sequentialIdGenerator(),
      sleep: () => new Promise(() => undefined),
    });
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    expect(await must(center.run())).toMatchObject({ succeeded: 1 });
    clock.set(T0);
    const stored = await must(center.get({ principal: people.reader, id: action.id }));
    expect(stored).toMatchObject({ status: 'succeeded', completedAt: T0 });
    const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.at(-1)?.details).toMatchObject({ clockInvalid: 'number NaN' });
  }, 60_000);
});

// ---- property: a hostile clock -----------------------------------------------------------------

/** Clock readings: good times, times going backwards, and every kind of garbage. */
const readingArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 40 }).map((d) => T0 + d * 3_600_000), weight: 6 },
  { arbitrary: fc.integer({ min: 1, max: 10 * DAY }).map((back) => T0 - back), weight: 2 },
  {
    arbitrary: fc.constantFrom<unknown>(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -1,
      T0 + 0.25,
      9e15,
      new Date(T0),
      '1795424400000',
      null,
      undefined,
    ),
    weight: 2,
  },
);

type Op = 'submitPending' | 'submitApproved' | 'approve' | 'reject' | 'cancel' | 'run' | 'expire' | 'list';
const opArb = fc.constantFrom<Op>(
  'submitPending',
  'submitApproved',
  'approve',
  'reject',
  'cancel',
  'run',
  'expire',
  'list',
);

function checkRecord(action: ActionRecord, trail: readonly AuditEvent[]): void {
  expect(ActionRecordSchema.safeParse(action).success).toBe(true);
  for (const e of trail) expect(AuditEventSchema.safeParse(e).success).toBe(true);
  // Times never go backwards on a record.
  for (let i = 1; i < trail.length; i += 1) expect(trail[i]!.at).toBeGreaterThanOrEqual(trail[i - 1]!.at);
  expect(action.updatedAt).toBe(trail.at(-1)?.at);
  for (const t of [
    action.decidedAt,
    action.startedAt,
    action.completedAt,
    action.undoRequestedAt,
    action.undoCompletedAt,
  ]) {
    if (t !== null) {
      expect(t).toBeGreaterThanOrEqual(action.createdAt);
      expect(t).toBeLessThanOrEqual(action.updatedAt);
    }
  }
}

describe('hostile clock (property)', () => {
  it('whatever the clock answers (NaN, ±Infinity, negative, fractional, Date, string, going backwards), no operation throws or hangs, a clockInvalid changes nothing, every record reads back and its times never go backwards', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(readingArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(opArb, fc.nat({ max: 5 })), { minLength: 1, maxLength: 14 }),
        async (readings, ops) => {
          let i = 0;
          const clock: Clock = { now: () => readings[i++ % readings.length] as number };
          const repository = createMemoryRepository();
          const center: ActionCenter = createActionCenter({
            repository,
            clock,
            idGenerator: sequentialIdGenerator(),
            sleep: () => new Promise(() => undefined),
          });
          let devices = 0;
          for (const [op, pick] of ops) {
            const before = await snapshot(repository);
            const ids = before.actions.map((a) => a.id);
            const id = ids.length === 0 ? 'act-none' : ids[pick % ids.length]!;
            devices += 1;
            const r: { ok: boolean; error?: { code: string } } =
              op === 'submitPending'
                ? await center.submit({ request: quarantine(`PC-${devices}`) })
                : op === 'submitApproved'
                  ? await center.submit({ request: quarantine(`PC-${devices}`, { verdict: 'malicious' }) })
                  : op === 'approve'
                    ? await center.approve({ principal: people.secAdmin, ids: [id] })
                    : op === 'reject'
                      ? await center.reject({ principal: people.secAdmin, ids: [id] })
                      : op === 'cancel'
                        ? await center.cancel({ principal: people.secAdmin, ids: [id] })
                        : op === 'run'
                          ? await center.run()
                          : op === 'expire'
                            ? await center.expire()
                            : await center.list({
                                principal: people.reader,
                                query: { filter: { view: 'all', time: { period: 'pastWeek' } } },
                              });
            const after = await snapshot(repository);
            if (!r.ok && r.error?.code === 'clockInvalid') expect(after).toEqual(before);
            for (const [k, action] of after.actions.entries()) checkRecord(action, after.trails[k]!);
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
