/**
 * The `due` group of `repositoryContract`: `due` answers exactly the stored actions whose due time
 * (`dueAtOf`) is at or before the query's time, in (due time, id) order, paged by `limit` and
 * `after`, through commits that move actions into and out of due states; malformed queries are
 * `invalidInput`.
 *
 * @module
 */
import type { ActionRecord, ActionRepository, Result } from 'actioncenter';
import { referenceDue, type DueCursor, type DueError, type DuePage } from 'actioncenter/adapter-kit';
import type { FastCheck } from '../../fast-check.js';
import { actionCenterArbitraries } from '../../arbitraries.js';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup, RepositoryContractOptions } from './options.js';
import {
  another,
  batch,
  commitOk,
  create,
  createdEvent,
  eventFor,
  fixture,
  propertyCase,
  update,
  type Expect,
} from './shared.js';

const T = Date.UTC(2026, 10, 29);

/** The page a due query answers; fails the test on an error. */
async function value(expect: Expect, call: Promise<Result<DuePage, DueError>>, what: string): Promise<DuePage> {
  const r = await call;
  expect(r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`, `${what} returns ok`).toBe('ok');
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Every due action at or before `before`, read through `due` a page of `limit` at a time. */
async function allDue(
  expect: Expect,
  repo: ActionRepository,
  before: number,
  limit: number,
): Promise<{ ids: string[]; pages: DuePage[] }> {
  const ids: string[] = [];
  const pages: DuePage[] = [];
  let after: DueCursor | null = null;
  for (let n = 0; n < 10_000; n++) {
    const page: DuePage = await value(
      expect,
      repo.due({ before, limit, after }),
      `due before ${before} after ${JSON.stringify(after)}`,
    );
    pages.push(page);
    expect(page.items.length <= limit, `a page holds at most limit (${limit}) actions`).toBe(true);
    for (const a of page.items) ids.push(a.id);
    if (page.next === null) return { ids, pages };
    expect(page.items.length > 0 || (page.skipped ?? []).length > 0, 'a page with a next cursor read something').toBe(
      true,
    );
    after = page.next;
  }
  throw new Error('due paged for ever');
}

/** Checks that paging through `due` gives exactly the reference answer over `records`. */
async function expectReferenceDue(
  expect: Expect,
  repo: ActionRepository,
  records: readonly ActionRecord[],
  before: number,
  limit: number,
  what: string,
): Promise<void> {
  const expected = referenceDue(records, { before, limit: Number.MAX_SAFE_INTEGER, after: null }).items.map(
    (a) => a.id,
  );
  const { ids } = await allDue(expect, repo, before, limit);
  expect(ids, `${what}: due before ${before}, pages of ${limit}`).toEqual(expected);
  const first = referenceDue(records, { before, limit, after: null });
  const page = await value(expect, repo.due({ before, limit }), `${what}: first page`);
  expect(page.items, `${what}: the first page holds the stored records`).toEqual(first.items);
  expect(page.next, `${what}: the first page's next cursor`).toEqual(first.next);
}

/** Records in each due state and out of them, ids chosen so that JavaScript's order shows. */
function dueRecords(): ActionRecord[] {
  const base = { ...fixture('act-e').action, openKey: null };
  const at = (h: number) => T + h * 3_600_000;
  const pending = (id: string, expiresAt: number | null) =>
    another(base, id, { status: 'pending', expiresAt, deadlineAt: null, startedAt: null, completedAt: null });
  const running = (id: string, deadlineAt: number | null) =>
    another(base, id, { status: 'running', expiresAt: null, deadlineAt, startedAt: at(-1), completedAt: null });
  return [
    pending('due-p1', at(1)),
    pending('due-p0', at(0)), // due exactly at T
    pending('due-B', at(2)),
    pending('due-a', at(2)), // same time as due-B: by id, 'B' < 'a'
    running('due-\uFF01', at(3)),
    running('due-\u{1F600}', at(3)), // a surrogate pair sorts before U+FF01 in JavaScript
    running('due-r-late', at(100)),
    pending('due-no-expiry', null),
    running('due-no-deadline', null),
    another(base, 'due-approved', { status: 'approved', expiresAt: at(0), deadlineAt: at(0) }),
    another(base, 'due-final', { status: 'succeeded', expiresAt: null, deadlineAt: at(0), completedAt: at(0) }),
  ];
}

export function dueCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  const store = async (repo: ActionRepository, records: readonly ActionRecord[]) => {
    for (const r of records) await commitOk(expect, repo, batch([create(r)], [createdEvent(r)]), `storing ${r.id}`);
  };
  return [
    {
      group: 'due',
      title:
        'due answers pending actions by expiry and running ones by deadline, at or before the time, in (due time, id) order; none other',
      run: async (repo) => {
        const records = dueRecords();
        await store(repo, records);
        const page = await value(expect, repo.due({ before: T + 3 * 3_600_000, limit: 100 }), 'due');
        expect(
          page.items.map((a) => a.id),
          'due actions in order',
        ).toEqual(['due-p0', 'due-p1', 'due-B', 'due-a', 'due-\u{1F600}', 'due-\uFF01']);
        expect(page.next, 'nothing more is due').toBe(null);
        expect(page.items[0], 'items are the stored records').toEqual(records[1]);
        const none = await value(expect, repo.due({ before: T - 1, limit: 100 }), 'due before anything');
        expect(none.items, 'nothing is due before the first expiry').toEqual([]);
        for (const before of [T, T + 3_600_000, T + 2 * 3_600_000, T + 1000 * 3_600_000])
          await expectReferenceDue(expect, repo, records, before, 100, 'stored records');
      },
    },
    {
      group: 'due',
      title: 'due pages by limit and cursor: every due action once, in order, next null after the last',
      run: async (repo) => {
        const records = dueRecords();
        await store(repo, records);
        const before = T + 1000 * 3_600_000;
        for (const limit of [1, 2, 3, 10_000]) await expectReferenceDue(expect, repo, records, before, limit, 'paging');
        const two = await value(expect, repo.due({ before, limit: 2 }), 'first page of 2');
        expect(two.next, 'the cursor is the last item').toEqual({ dueAt: T + 3_600_000, id: 'due-p1' });
        const rest = await value(
          expect,
          repo.due({ before, limit: 100, after: { dueAt: T + 2 * 3_600_000, id: 'due-B' } }),
          'after due-B',
        );
        expect(
          rest.items.map((a) => a.id),
          'after a cursor (it need not be a stored action)',
        ).toEqual(['due-a', 'due-\u{1F600}', 'due-\uFF01', 'due-r-late']);
      },
    },
    {
      group: 'due',
      title: 'commits move actions into and out of due: approving, starting, finishing, a new expiry',
      run: async (repo) => {
        const [p0, p1] = dueRecords();
        if (p0 === undefined || p1 === undefined) throw new Error('fixture');
        await store(repo, [p0, p1]);
        const before = T + 1000 * 3_600_000;
        const approved: ActionRecord = {
          ...p0,
          version: 2,
          status: 'approved',
          expiresAt: null,
          updatedAt: p0.updatedAt + 1,
        };
        await commitOk(expect, repo, batch([update(approved)], [eventFor(approved, p0)]), 'approve');
        await expectReferenceDue(expect, repo, [approved, p1], before, 1, 'after an approval');
        const running: ActionRecord = {
          ...approved,
          version: 3,
          status: 'running',
          deadlineAt: T - 5,
          updatedAt: p0.updatedAt + 2,
        };
        await commitOk(expect, repo, batch([update(running)], [eventFor(running, approved)]), 'start');
        await expectReferenceDue(expect, repo, [running, p1], before, 1, 'after a start');
        const later: ActionRecord = { ...p1, version: 2, expiresAt: T - 10, updatedAt: p1.updatedAt + 1 };
        await commitOk(expect, repo, batch([update(later)], [eventFor(later, p1)]), 'a new expiry');
        await expectReferenceDue(expect, repo, [running, later], before, 1, 'after a new expiry');
        const done: ActionRecord = {
          ...running,
          version: 4,
          status: 'succeeded',
          completedAt: T,
          updatedAt: p0.updatedAt + 3,
        };
        await commitOk(expect, repo, batch([update(done)], [eventFor(done, running)]), 'finish');
        await expectReferenceDue(expect, repo, [done, later], before, 2, 'after finishing');
      },
    },
    {
      group: 'due',
      title: 'a malformed due query is invalidInput and reads nothing; a throwing or Proxy query never throws',
      run: async (repo) => {
        await store(repo, dueRecords());
        const hostile = new Proxy(
          {},
          {
            get() {
              throw new Error('no reading me');
            },
            ownKeys() {
              throw new Error('no listing me');
            },
          },
        );
        const bad: unknown[] = [
          null,
          undefined,
          42,
          'due',
          {},
          { before: T, limit: 0 },
          { before: T, limit: 10_001 },
          { before: T, limit: 1.5 },
          { before: T, limit: Number.NaN },
          { before: -1, limit: 10 },
          { before: Number.NaN, limit: 10 },
          { before: Number.POSITIVE_INFINITY, limit: 10 },
          { before: T, limit: 10, after: { dueAt: T } },
          { before: T, limit: 10, after: { dueAt: -1, id: 'x' } },
          { before: T, limit: 10, after: 'cursor' },
          { before: T, limit: 10, extra: true },
          hostile,
          {
            before: T,
            get limit(): number {
              throw new Error('getter');
            },
          },
        ];
        for (const query of bad) {
          let r: Awaited<ReturnType<ActionRepository['due']>>;
          try {
            r = await repo.due(query as never);
          } catch (cause) {
            expect(`threw ${String(cause)}`, `due(${describe(query)}) never throws`).toBe('a result');
            continue;
          }
          expect(r.ok ? 'ok' : r.error.code, `due(${describe(query)})`).toBe('invalidInput');
        }
      },
    },
  ];
}

function describe(query: unknown): string {
  try {
    return JSON.stringify(query) ?? String(query);
  } catch {
    return 'an unreadable query';
  }
}

/**
 * Property: over generated action histories stored step by step (actions moving in and out of
 * pending and running), `due` paged with a generated limit equals the reference answer after every
 * round of commits, at generated times around the actions' due times.
 */
export function dueProperty<R extends ActionRepository>(
  options: RepositoryContractOptions<R>,
  fc: FastCheck,
): ContractCase<RepositoryContractGroup, R> {
  const expect = options.expect;
  const arbitraries = actionCenterArbitraries(fc, { maxEvents: 4 });
  const scenario = fc.tuple(
    arbitraries.actionHistories({ maxLength: 10 }),
    fc.integer({ min: 1, max: 4 }),
    fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 3 }),
  );
  return propertyCase(
    options,
    fc,
    'due',
    'property: through commits that move actions in and out of due states, due pages equal the reference answer',
    scenario,
    async (repo, [histories, limit, offsets]) => {
      const current = new Map<string, ActionRecord>();
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
          current.set(step.action.id, step.action);
        }
        const records = [...current.values()];
        // Times at, just before and just after the due times stored now, and far ahead.
        const times = records.flatMap((a) => [a.expiresAt, a.deadlineAt]).filter((t): t is number => t !== null);
        const before =
          times.length === 0
            ? T
            : Math.max(0, (times[i % times.length] as number) + (offsets[i % offsets.length] as number));
        await expectReferenceDue(expect, repo, records, before, limit, `round ${i}`);
        await expectReferenceDue(expect, repo, records, 8.64e15, limit, `round ${i}, everything`);
      }
    },
  );
}
