/**
 * `repositoryContract`: the guarantees of the `ActionRepository` port as a test suite, after the
 * pattern of Keyv's storage test suite. You pass your runner's `test` and `expect` and a factory;
 * every test gets a fresh repository; groups can be switched off by name.
 *
 * @module
 */
import {
  ACTION_STATUSES,
  LABELLED_SORT_COLUMNS,
  SORT_COLUMNS,
  referenceInvestigations,
  type AlertId,
  type IncidentId,
  type InvestigationPage,
  type ResolvedInvestigationQuery,
  asId,
  encodeCursor,
  referenceQuery,
  sortValue,
  type ActionId,
  type ActionPage,
  type ActionRecord,
  type ActionRepository,
  type AuditEvent,
  type CommitBatch,
  type RepositoryError,
  type ResolvedQuery,
  type Result,
  type ScopeFilter,
} from 'actioncenter';
import { actionCenterArbitraries } from '../arbitraries.js';
import type { Arbitrary, FastCheck } from '../fast-check.js';
import type { ActionHistory } from '../histories.js';
import { fixtureHistories, FIXTURE_T0 } from './fixtures.js';
import { contractTimeout, registerCases, type ContractCase, type ContractExpect, type ContractTest } from './runner.js';

/**
 * The groups of {@link repositoryContract}, each switchable off with `skip`:
 * - `commit`: writes are read back as written; a commit is all or nothing;
 * - `conflicts`: stale versions, existing ids and racing writers are refused as conflicts;
 * - `openKeys`: two open actions never share an open key; closing releases it;
 * - `idempotency`: an idempotency key is claimed once;
 * - `query`: every query returns what `referenceQuery` returns over what was stored;
 * - `audit`: audit trails hold an action's events in sequence order;
 * - `isolation`: nothing a caller does with what it gave or got back changes stored state;
 * - `corruptRows`: readable records are never reported unreadable; with the `corrupt` option, an
 *   unreadable stored action is left out of its page and named in `skipped`, and paging goes past it;
 * - `scope`: a query's device-group scope (`filter.scope`, the reader's read scope) leaves out every
 *   action outside it, from pages and totals, alone and with the other filters (with `fc`, also over
 *   generated stores and scopes).
 * - `views`: incident, alert and requester references are stored and filtered on (seed 001), and
 *   every shown column sorts by the labels the query carries (seed 002), as `referenceQuery` does;
 * - `investigations`: `queryInvestigations` (the grouped view, seed 003) returns what
 *   `referenceInvestigations` returns (with `fc`, also over generated stores and queries). Skip it
 *   for a store without that optional method: the engine then groups `query` pages itself.
 *
 * @example
 * ```ts
 * import { REPOSITORY_CONTRACT_GROUPS } from 'actioncenter/testing';
 * REPOSITORY_CONTRACT_GROUPS.includes('query'); // true
 * ```
 */
export const REPOSITORY_CONTRACT_GROUPS = Object.freeze([
  'commit',
  'conflicts',
  'openKeys',
  'idempotency',
  'query',
  'audit',
  'isolation',
  'corruptRows',
  'scope',
  'views',
  'investigations',
] as const);

/**
 * One of {@link REPOSITORY_CONTRACT_GROUPS}.
 *
 * @example
 * ```ts
 * import type { RepositoryContractGroup } from 'actioncenter/testing';
 * const skip: RepositoryContractGroup[] = ['isolation'];
 * ```
 */
export type RepositoryContractGroup = (typeof REPOSITORY_CONTRACT_GROUPS)[number];

/**
 * Options of {@link repositoryContract}.
 *
 * @example
 * ```ts
 * import { test, expect } from 'vitest';
 * import { createMemoryRepository } from 'actioncenter';
 * import type { RepositoryContractOptions } from 'actioncenter/testing';
 * const options: RepositoryContractOptions = { test, expect, factory: () => createMemoryRepository(), skip: ['isolation'] };
 * ```
 */
export interface RepositoryContractOptions<R extends ActionRepository = ActionRepository> {
  /** Registers a test (vitest's or jest's `test`, node:test's `test`, ...). */
  readonly test: ContractTest;
  /** Your runner's `expect`, or any function of that shape. */
  readonly expect: ContractExpect;
  /** A fresh, empty repository; called once per test (and once per property run). */
  readonly factory: () => R | Promise<R>;
  /** Called after each test (and property run) with the repository the factory gave. */
  readonly teardown?: (repository: R) => void | Promise<void>;
  /** Prefixes every test name. Default `'repository contract'`. */
  readonly name?: string;
  /** Groups not to run. */
  readonly skip?: readonly RepositoryContractGroup[];
  /** Your fast-check: when given, the `query` group also checks generated stores and queries. */
  readonly fc?: FastCheck;
  /** Runs of each property check (with `fc`). Default 25. */
  readonly numRuns?: number;
  /**
   * Milliseconds each test may take, passed to `test` as its third argument (vitest's and jest's
   * `test(name, fn, timeout)`); a whole number from 1 to 2147483647. Default: none passed, so the
   * runner's own default applies (5 s in vitest and jest). Set it for slow stores (a database that
   * starts up, a loaded CI machine) and for the property check, whose time grows with `numRuns`.
   */
  readonly timeout?: number;
  /**
   * Makes the stored action `id` unreadable, as a hand edit or a buggy older version would (e.g. an
   * SQL UPDATE of its record). When given, the `corruptRows` group checks that such an action is left
   * out of its query page and named in `ActionPage.skipped`, that paging goes past it, and that `get`
   * answers `corruptRecord` for it. Stores that cannot hold unreadable records leave it out.
   */
  readonly corrupt?: (repository: R, id: ActionId) => Promise<void>;
}

type Expect = ContractExpect;

/**
 * Registers the repository contract suite: the guarantees the `ActionRepository` port documents
 * (atomic commits, version conflicts, open keys, idempotency keys, queries equal to
 * `referenceQuery`, audit order, reads that cannot corrupt stored state) as tests of your runner.
 * Every test starts from `await factory()`; `teardown` runs after it. With `fc`, the `query` group
 * adds a property check over generated action histories and queries (`numRuns` each). `timeout`
 * sets each test's time limit; an invalid one registers a single failing test that names it.
 *
 * @example
 * ```ts
 * // With vitest or jest: `import { test, expect } from 'vitest'` and pass them as they are.
 * // Here with node:test, which needs a two-line `expect`:
 * import { test } from 'node:test';
 * import assert from 'node:assert/strict';
 * import fc from 'fast-check';
 * import { createMemoryRepository } from 'actioncenter';
 * import { repositoryContract, type ContractExpect } from 'actioncenter/testing';
 * const expect: ContractExpect = (actual, message) => ({
 *   toBe: (expected) => assert.equal(actual, expected, message),
 *   toEqual: (expected) => assert.deepEqual(actual, expected, message),
 * });
 * repositoryContract({ test: (name, body) => test(name, body), expect, fc, numRuns: 10, factory: () => createMemoryRepository(), name: 'memory repository' });
 * ```
 */
export function repositoryContract<R extends ActionRepository>(options: RepositoryContractOptions<R>): void {
  const expect = options.expect;
  const cases: ContractCase<RepositoryContractGroup, R>[] = [
    ...commitCases(expect),
    ...conflictCases(expect),
    ...openKeyCases(expect),
    ...idempotencyCases(expect),
    ...queryCases(expect),
    ...auditCases(expect),
    ...isolationCases(expect),
    ...corruptRowCases(expect, options.corrupt),
    ...scopeCases(expect),
    ...viewCases(expect),
    ...investigationCases(expect),
  ];
  if (options.fc !== undefined)
    cases.push(
      queryProperty(options, options.fc),
      scopeProperty(options, options.fc),
      investigationProperty(options, options.fc),
    );
  registerCases(
    {
      test: options.test,
      name: options.name ?? 'repository contract',
      suite: 'repositoryContract',
      skip: options.skip ?? [],
      factory: options.factory,
      teardown: options.teardown,
      timeout: contractTimeout(options),
    },
    cases,
  );
}

// ---- helpers ---------------------------------------------------------------------------------------

function describeError(r: Result<unknown, RepositoryError>): string {
  return r.ok
    ? 'ok'
    : `${r.error.code}${r.error.code === 'conflict' ? ` (${r.error.reason})` : ''}: ${r.error.message}`;
}

async function value<T>(expect: Expect, call: Promise<Result<T, RepositoryError>>, what: string): Promise<T> {
  const r = await call;
  expect(r.ok, `${what} returns ok (got ${describeError(r)})`).toBe(true);
  if (!r.ok) throw new Error(`${what}: ${describeError(r)}`);
  return r.value;
}

async function commitOk(expect: Expect, repo: ActionRepository, batch: CommitBatch, what: string): Promise<void> {
  await value(expect, repo.commit(batch), what);
}

async function commitConflict(
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

const create = (action: ActionRecord) => ({ action, expectedVersion: null });
const update = (action: ActionRecord) => ({ action, expectedVersion: action.version - 1 });
const batch = (
  writes: CommitBatch['writes'],
  events: readonly AuditEvent[],
  idempotencyKey: CommitBatch['idempotencyKey'] = null,
): CommitBatch => ({
  writes,
  events,
  idempotencyKey,
});

/** Stores histories the way the engine would: one commit per step, the histories' steps interleaved. */
async function storeHistories(
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

function fixture(id: string): ActionHistory {
  const h = fixtureHistories().find((x) => x.action.id === id);
  if (h === undefined) throw new Error(`no fixture ${id}`);
  return h;
}

/** A record like `base`, as a new action with another id (and open key, unless given). */
function another(base: ActionRecord, id: string, changes: Partial<ActionRecord> = {}): ActionRecord {
  return { ...structuredClone(base), id: asId<ActionId>(id), version: 1, ...changes };
}

function createdEvent(action: ActionRecord): AuditEvent {
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
  };
}

function eventFor(action: ActionRecord, from: ActionRecord): AuditEvent {
  return {
    ...createdEvent(action),
    id: asId(`${action.id}~evt${action.version}`),
    sequence: action.version,
    type: 'approve',
    from: from.status,
    at: action.updatedAt,
  };
}

function query(
  filter: Partial<ResolvedQuery['filter']> = {},
  sort: ResolvedQuery['sort'] = { column: 'createdAt', direction: 'desc' },
  page: Partial<ResolvedQuery['page']> = {},
): ResolvedQuery {
  return {
    filter: {
      statuses: null,
      ids: null,
      actionTypes: null,
      sources: null,
      workloads: null,
      assets: null,
      decidedBy: null,
      investigationIds: null,
      approvalIds: null,
      createdFrom: null,
      createdTo: null,
      ...filter,
    },
    sort,
    page: { size: 50, cursor: null, index: 0, ...page },
  };
}

function describeQuery(q: ResolvedQuery): string {
  const filter = Object.entries(q.filter)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const labels =
    q.sort.labels === null || q.sort.labels === undefined ? '' : ` by labels ${JSON.stringify(q.sort.labels)}`;
  return `query [${filter || 'no filter'}] sort ${q.sort.column} ${q.sort.direction}${labels}, page size ${q.page.size} index ${q.page.index}${q.page.cursor === null ? '' : ` cursor ${q.page.cursor}`}`;
}

/** Compares a repository's page with the reference: ids (readable diff), total, cursor, then whole records. */
async function expectReferencePage(
  expect: Expect,
  repo: ActionRepository,
  stored: readonly ActionRecord[],
  q: ResolvedQuery,
): Promise<ActionPage> {
  const page = await value(expect, repo.query(q), describeQuery(q));
  const reference = referenceQuery(stored, q);
  const what = describeQuery(q);
  expect(
    page.items.map((a) => a.id),
    `${what}: item ids in order`,
  ).toEqual(reference.items.map((a) => a.id));
  expect(page.total, `${what}: total`).toBe(reference.total);
  expect(page.nextCursor, `${what}: nextCursor`).toBe(reference.nextCursor);
  expect(page.items, `${what}: items as stored`).toEqual(reference.items);
  return page;
}

/** Pages through a query by cursor and by index; both give the reference's full, sorted list. */
async function expectCompletePaging(
  expect: Expect,
  repo: ActionRepository,
  stored: readonly ActionRecord[],
  first: ResolvedQuery,
): Promise<void> {
  const everything = referenceQuery(stored, {
    ...first,
    page: { size: Math.max(1, stored.length), cursor: null, index: 0 },
  }).items.map((a) => a.id);
  const byCursor: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages <= everything.length + 1; pages++) {
    const page = await expectReferencePage(expect, repo, stored, {
      ...first,
      page: { ...first.page, cursor, index: 0 },
    });
    byCursor.push(...page.items.map((a) => a.id));
    cursor = page.nextCursor;
    if (cursor === null) break;
  }
  expect(byCursor, `${describeQuery(first)}: paging by nextCursor yields every match once, in order`).toEqual(
    everything,
  );
  const byIndex: string[] = [];
  for (let index = 0; index * first.page.size <= everything.length; index++) {
    const page = await expectReferencePage(expect, repo, stored, {
      ...first,
      page: { ...first.page, cursor: null, index },
    });
    byIndex.push(...page.items.map((a) => a.id));
  }
  expect(byIndex, `${describeQuery(first)}: paging by index yields every match once, in order`).toEqual(everything);
}

/** Tries to change a value in place, deeply; frozen values refuse (strict mode throws), which is fine. */
function tamper(value: unknown, depth = 0): void {
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

// ---- commit ----------------------------------------------------------------------------------------

function commitCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'commit',
      title: 'a created action is read back as written; an unknown id reads as null',
      run: async (repo) => {
        const { steps } = fixture('act-k');
        const [created] = steps;
        if (created === undefined) throw new Error('fixture without steps');
        await commitOk(expect, repo, batch([create(created.action)], [created.event]), 'create');
        expect(await value(expect, repo.get(created.action.id), 'get'), 'get returns the record as written').toEqual(
          created.action,
        );
        expect(await value(expect, repo.get(asId('act-unknown')), 'get of an unknown id'), 'get of an unknown id').toBe(
          null,
        );
      },
    },
    {
      group: 'commit',
      title: 'each update replaces the record with its next version',
      run: async (repo) => {
        const history = fixture('act-w');
        for (const [i, step] of history.steps.entries()) {
          await commitOk(
            expect,
            repo,
            batch([i === 0 ? create(step.action) : update(step.action)], [step.event]),
            `write v${step.action.version}`,
          );
          expect(
            await value(expect, repo.get(step.action.id), 'get'),
            `after v${step.action.version}, get returns it`,
          ).toEqual(step.action);
        }
      },
    },
    {
      group: 'commit',
      title: 'one commit writes several actions and all their events',
      run: async (repo) => {
        const a = fixture('act-k').steps[0];
        const b = fixture('act-g').steps[0];
        if (a === undefined || b === undefined) throw new Error('fixture without steps');
        await commitOk(
          expect,
          repo,
          batch([create(a.action), create(b.action)], [a.event, b.event]),
          'commit of two creates',
        );
        expect(await value(expect, repo.get(a.action.id), 'get'), 'first action stored').toEqual(a.action);
        expect(await value(expect, repo.get(b.action.id), 'get'), 'second action stored').toEqual(b.action);
        expect(await value(expect, repo.auditTrail(a.action.id), 'auditTrail'), 'first action trail').toEqual([
          a.event,
        ]);
        expect(await value(expect, repo.auditTrail(b.action.id), 'auditTrail'), 'second action trail').toEqual([
          b.event,
        ]);
      },
    },
    {
      group: 'commit',
      title: 'getMany returns the found actions in the order of the ids, leaving out the missing ones',
      run: async (repo) => {
        const histories = fixtureHistories().slice(0, 5);
        await storeHistories(expect, repo, histories);
        const [h0, h1, h2] = histories;
        if (h0 === undefined || h1 === undefined || h2 === undefined) throw new Error('fixtures missing');
        const found = await value(
          expect,
          repo.getMany([h2.action.id, asId('act-missing'), h0.action.id, h1.action.id]),
          'getMany',
        );
        expect(found, 'getMany in the order asked, missing ids left out').toEqual([h2.action, h0.action, h1.action]);
        expect(await value(expect, repo.getMany([]), 'getMany of nothing'), 'getMany of no ids').toEqual([]);
      },
    },
    {
      group: 'commit',
      title: 'a refused commit writes nothing: neither its valid writes nor any of its events',
      run: async (repo) => {
        const stored = fixture('act-b');
        await storeHistories(expect, repo, [stored]);
        const fresh = fixture('act-k').steps[0];
        if (fresh === undefined) throw new Error('fixture without steps');
        // A valid create next to an update from a version that is not the stored one.
        const stale: ActionRecord = { ...stored.action, version: stored.action.version, status: 'rejected' };
        await commitConflict(
          expect,
          repo,
          batch(
            [create(fresh.action), { action: stale, expectedVersion: stored.action.version - 1 }],
            [fresh.event, eventFor(stale, stored.action)],
          ),
          'a batch with one stale write',
          { names: stored.action.id },
        );
        expect(
          await value(expect, repo.get(fresh.action.id), 'get'),
          'the valid create of the refused batch is not stored',
        ).toBe(null);
        expect(await value(expect, repo.auditTrail(fresh.action.id), 'auditTrail'), 'nor its event').toEqual([]);
        expect(await value(expect, repo.get(stored.action.id), 'get'), 'the stale target is unchanged').toEqual(
          stored.action,
        );
        expect(await value(expect, repo.auditTrail(stored.action.id), 'auditTrail'), 'and its trail too').toEqual(
          stored.events,
        );
      },
    },
  ];
}

// ---- conflicts -------------------------------------------------------------------------------------

function conflictCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
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

// ---- open keys ---------------------------------------------------------------------------------

function openKeyCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
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

// ---- idempotency ---------------------------------------------------------------------------------

function idempotencyCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
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

// ---- query ---------------------------------------------------------------------------------------

function queryCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  const stored = async (repo: ActionRepository) => {
    const histories = fixtureHistories();
    await storeHistories(expect, repo, histories);
    return histories.map((h) => h.action);
  };
  const HOUR = 60 * 60 * 1000;
  return [
    {
      group: 'query',
      title: 'every column sorts both ways, and pages by cursor and by index cover the list exactly',
      run: async (repo) => {
        const records = await stored(repo);
        for (const column of SORT_COLUMNS) {
          for (const direction of ['asc', 'desc'] as const) {
            await expectCompletePaging(expect, repo, records, query({}, { column, direction }, { size: 4 }));
          }
        }
      },
    },
    {
      group: 'query',
      title: 'each filter alone, with values that match and values that do not, returns the reference page',
      run: async (repo) => {
        const records = await stored(repo);
        const filters: Partial<ResolvedQuery['filter']>[] = [
          { statuses: ['pending'] },
          { statuses: ['succeeded', 'undone', 'undoFailed'] },
          { statuses: [] },
          { ids: ['act-k', 'act-v', 'act-none'] },
          { ids: ['act-none'] },
          { actionTypes: ['quarantineFile'] },
          { actionTypes: ['isolateDevice', 'noSuchType'] },
          { sources: ['automatedEmailAction'] },
          { sources: ['manualDeviceAction', 'advancedHuntingAction'] },
          { workloads: ['email'] },
          { workloads: ['identity'] },
          { assets: ['LAPTOP-1'] },
          { assets: ['alex@contoso.com', 'https://malicious.example/landing'] },
          { decidedBy: ['bob@contoso.com'] },
          { decidedBy: ['system:expiry', 'alice@contoso.com'] },
          { investigationIds: ['inv-1'] },
          { investigationIds: ['inv-none'] },
          { approvalIds: ['apr-act-k', 'apr-act-y'] },
          // Bounds fall exactly on creation times: from is inclusive, to exclusive.
          { createdFrom: FIXTURE_T0 + HOUR },
          { createdTo: FIXTURE_T0 + HOUR },
          { createdFrom: FIXTURE_T0 + HOUR, createdTo: FIXTURE_T0 + 5 * HOUR },
          { createdFrom: FIXTURE_T0 + 3 * HOUR, createdTo: FIXTURE_T0 + 3 * HOUR },
          { statuses: ['pending', 'approved'], actionTypes: ['quarantineFile'], investigationIds: ['inv-1'] },
        ];
        for (const filter of filters) {
          await expectReferencePage(expect, repo, records, query(filter));
          await expectReferencePage(
            expect,
            repo,
            records,
            query(filter, { column: 'id', direction: 'asc' }, { size: 2, index: 1 }),
          );
        }
      },
    },
    {
      group: 'query',
      title: 'a cursor made in another sort column, or past the end, pages as the reference does',
      run: async (repo) => {
        const records = await stored(repo);
        const at = records.find((r) => r.id === 'act-e') as ActionRecord;
        const last = [...records].sort((a, b) => (a.id < b.id ? 1 : -1))[0] as ActionRecord;
        const cursors = [
          encodeCursor({ value: sortValue(at, 'status'), id: at.id }),
          encodeCursor({ value: null, id: at.id }),
          encodeCursor({ value: sortValue(last, 'id'), id: last.id }),
        ];
        for (const cursor of cursors) {
          for (const column of ['createdAt', 'decidedAt', 'id'] as const) {
            await expectReferencePage(
              expect,
              repo,
              records,
              query({}, { column, direction: 'asc' }, { size: 3, cursor }),
            );
            await expectReferencePage(
              expect,
              repo,
              records,
              query({}, { column, direction: 'desc' }, { size: 3, cursor }),
            );
          }
        }
      },
    },
    {
      group: 'query',
      title: 'a page index past the end is an empty page with the full total',
      run: async (repo) => {
        const records = await stored(repo);
        await expectReferencePage(
          expect,
          repo,
          records,
          query({}, { column: 'createdAt', direction: 'desc' }, { size: 5, index: 40 }),
        );
      },
    },
  ];
}

function queryProperty<R extends ActionRepository>(
  options: RepositoryContractOptions<R>,
  fc: FastCheck,
): ContractCase<RepositoryContractGroup, R> {
  const expect = options.expect;
  const arbitraries = actionCenterArbitraries(fc, { maxEvents: 5 });
  const scenario = arbitraries
    .actionHistories({ maxLength: 16 })
    .chain((histories) =>
      fc.tuple(
        fc.constant(histories),
        fc.array(arbitraries.resolvedQueryOver(histories.map((h) => h.action)), { minLength: 1, maxLength: 4 }),
      ),
    );
  return {
    group: 'query',
    title: 'property: over generated stores, generated queries return the reference page, and page completely',
    run: async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async ([histories, queries]) => {
          const repo = await options.factory();
          try {
            await storeHistories(expect, repo, histories);
            const records = histories.map((h) => h.action);
            for (const q of queries) await expectReferencePage(expect, repo, records, q);
            const [first] = queries;
            if (first !== undefined)
              await expectCompletePaging(expect, repo, records, {
                ...first,
                page: { ...first.page, cursor: null, index: 0 },
              });
          } finally {
            await options.teardown?.(repo);
          }
        }),
        { numRuns: options.numRuns ?? 25 },
      );
    },
  };
}

// ---- scope ---------------------------------------------------------------------------------------

/** The device group of an action's target, or null when it is on no device. */
function groupOf(action: ActionRecord): string | null {
  const target = action.target as { readonly deviceId?: unknown; readonly deviceGroup?: unknown };
  return typeof target.deviceId === 'string' && typeof target.deviceGroup === 'string' ? target.deviceGroup : null;
}

/** Checks that a page holds nothing outside the scope: a reference that itself ignored it would pass the equality checks. */
function expectInside(expect: Expect, page: ActionPage, scope: ScopeFilter, what: string): void {
  const outside = page.items.filter((a) => {
    const g = groupOf(a);
    return g === null ? !scope.includeUngrouped : !scope.deviceGroups.includes(g);
  });
  expect(
    outside.map((a) => a.id),
    `${what}: no item outside the scope`,
  ).toEqual([]);
}

function scopeCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  const scopes: ScopeFilter[] = [
    { deviceGroups: ['Workstations'], includeUngrouped: false },
    { deviceGroups: ['Servers'], includeUngrouped: true },
    { deviceGroups: ['Servers', 'Workstations'], includeUngrouped: false },
    { deviceGroups: [], includeUngrouped: true },
    { deviceGroups: [], includeUngrouped: false },
    { deviceGroups: ['NoSuchGroup'], includeUngrouped: false },
  ];
  return [
    {
      group: 'scope',
      title: 'a device-group scope leaves out every action outside it, from the page and from the total',
      run: async (repo) => {
        const histories = fixtureHistories();
        await storeHistories(expect, repo, histories);
        const records = histories.map((h) => h.action);
        for (const scope of scopes) {
          const q = query({ scope });
          const page = await expectReferencePage(expect, repo, records, q);
          expectInside(expect, page, scope, describeQuery(q));
          const inside = records.filter((a) => {
            const g = groupOf(a);
            return g === null ? scope.includeUngrouped : scope.deviceGroups.includes(g);
          });
          expect(page.total, `${describeQuery(q)}: the total counts only the actions inside the scope`).toBe(
            inside.length,
          );
        }
      },
    },
    {
      group: 'scope',
      title: 'a scope combines with the other filters, every sort and both ways of paging',
      run: async (repo) => {
        const histories = fixtureHistories();
        await storeHistories(expect, repo, histories);
        const records = histories.map((h) => h.action);
        const scope: ScopeFilter = { deviceGroups: ['Workstations'], includeUngrouped: true };
        const filters: Partial<ResolvedQuery['filter']>[] = [
          { statuses: ['pending'] },
          { actionTypes: ['quarantineFile', 'isolateDevice'] },
          { ids: ['act-k', 'act-m', 'act-g'] },
          { workloads: ['endpoint'] },
          { createdFrom: FIXTURE_T0 + 60 * 60 * 1000 },
        ];
        for (const filter of filters) {
          const page = await expectReferencePage(expect, repo, records, query({ ...filter, scope }));
          expectInside(expect, page, scope, describeQuery(query({ ...filter, scope })));
        }
        for (const column of SORT_COLUMNS) {
          await expectCompletePaging(
            expect,
            repo,
            records,
            query(
              { scope: { deviceGroups: ['Servers'], includeUngrouped: true } },
              { column, direction: 'asc' },
              { size: 3 },
            ),
          );
        }
        await expectCompletePaging(
          expect,
          repo,
          records,
          query({ scope }, { column: 'createdAt', direction: 'desc' }, { size: 2 }),
        );
      },
    },
  ];
}

function scopeProperty<R extends ActionRepository>(
  options: RepositoryContractOptions<R>,
  fc: FastCheck,
): ContractCase<RepositoryContractGroup, R> {
  const expect = options.expect;
  const groups = ['Servers', 'Workstations', 'Kiosks'];
  const arbitraries = actionCenterArbitraries(fc, { maxEvents: 4, deviceGroups: groups });
  const scopeArbitrary: Arbitrary<ScopeFilter> = fc.record({
    deviceGroups: fc.subarray([...groups, 'NoSuchGroup']),
    includeUngrouped: fc.boolean(),
  });
  const scenario = arbitraries.actionHistories({ maxLength: 14 }).chain((histories) =>
    fc.tuple(
      fc.constant(histories),
      fc.array(fc.tuple(arbitraries.resolvedQueryOver(histories.map((h) => h.action)), scopeArbitrary), {
        minLength: 1,
        maxLength: 3,
      }),
    ),
  );
  return {
    group: 'scope',
    title: 'property: over generated stores, scoped queries return the reference page and total, and page completely',
    run: async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async ([histories, queries]) => {
          const repo = await options.factory();
          try {
            await storeHistories(expect, repo, histories);
            const records = histories.map((h) => h.action);
            for (const [q, scope] of queries) {
              const scoped: ResolvedQuery = { ...q, filter: { ...q.filter, scope } };
              const page = await expectReferencePage(expect, repo, records, scoped);
              expectInside(expect, page, scope, describeQuery(scoped));
            }
            const [first] = queries;
            if (first !== undefined) {
              const [q, scope] = first;
              await expectCompletePaging(expect, repo, records, {
                ...q,
                filter: { ...q.filter, scope },
                page: { ...q.page, cursor: null, index: 0 },
              });
            }
          } finally {
            await options.teardown?.(repo);
          }
        }),
        { numRuns: options.numRuns ?? 25 },
      );
    },
  };
}

// ---- audit ---------------------------------------------------------------------------------------

function auditCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'audit',
      title: "auditTrail returns an action's events in sequence order, and only its own",
      run: async (repo) => {
        const histories = fixtureHistories();
        await storeHistories(expect, repo, histories);
        for (const h of histories) {
          const trail = await value(expect, repo.auditTrail(h.action.id), 'auditTrail');
          expect(trail, `the trail of ${h.action.id}`).toEqual(h.events);
        }
      },
    },
    {
      group: 'audit',
      title: "events committed together for two actions go to each one's trail",
      run: async (repo) => {
        const a = fixture('act-k');
        const b = fixture('act-b');
        await storeHistories(expect, repo, [a, fixture('act-g')]);
        const [bCreated, bApproved] = b.steps;
        if (bCreated === undefined || bApproved === undefined) throw new Error('fixture too short');
        const aNext: ActionRecord = { ...a.action, version: 2, status: 'rejected', updatedAt: a.action.updatedAt + 1 };
        await commitOk(
          expect,
          repo,
          batch([update(aNext), create(bCreated.action)], [eventFor(aNext, a.action), bCreated.event]),
          'one commit for two actions',
        );
        await commitOk(expect, repo, batch([update(bApproved.action)], [bApproved.event]), 'update of the second');
        expect(
          (await value(expect, repo.auditTrail(a.action.id), 'auditTrail')).map((e) => e.sequence),
          'first trail',
        ).toEqual([1, 2]);
        expect(await value(expect, repo.auditTrail(b.action.id), 'auditTrail'), 'second trail').toEqual([
          bCreated.event,
          bApproved.event,
        ]);
      },
    },
    {
      group: 'audit',
      title: 'the trail of an unknown action is empty',
      run: async (repo) => {
        expect(await value(expect, repo.auditTrail(asId('act-unknown')), 'auditTrail'), 'no events').toEqual([]);
      },
    },
  ];
}

// ---- isolation -----------------------------------------------------------------------------------

function isolationCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
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

function corruptRowCases<R extends ActionRepository>(
  expect: Expect,
  corrupt: ((repository: R, id: ActionId) => Promise<void>) | undefined,
): ContractCase<RepositoryContractGroup, R>[] {
  /** Every page of `q` (page size 1: an unreadable action is alone on its page), items and skipped. */
  const allPages = async (repo: R, q: ResolvedQuery) => {
    const items: string[] = [];
    const skipped: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page: ActionPage = await value(expect, repo.query({ ...q, page: { size: 1, cursor, index: 0 } }), 'query');
      items.push(...page.items.map((a) => a.id));
      skipped.push(...(page.skipped ?? []).map((e) => e.actionId));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    return { items, skipped };
  };
  const cases: ContractCase<RepositoryContractGroup, R>[] = [
    {
      group: 'corruptRows',
      title: 'a store of readable records reports none as unreadable: no page has skipped entries',
      run: async (repo) => {
        const histories = fixtureHistories();
        await storeHistories(expect, repo, histories);
        const pages = await allPages(repo, query({}, { column: 'createdAt', direction: 'asc' }));
        expect(pages.skipped, 'skipped actions').toEqual([]);
        expect([...pages.items].sort(), 'every action, page by page').toEqual(
          histories.map((h) => h.action.id as string).sort(),
        );
      },
    },
  ];
  if (corrupt === undefined) return cases;
  cases.push({
    group: 'corruptRows',
    title:
      'an unreadable stored action is left out of its page and named in skipped, paging goes past it, and get answers corruptRecord',
    run: async (repo) => {
      const histories = fixtureHistories();
      await storeHistories(expect, repo, histories);
      const ids = histories.map((h) => h.action.id as string).sort();
      // The first, a middle one and the last in id order, so one is the last row of the view.
      const bad = [...new Set([ids[0], ids[Math.floor(ids.length / 2)], ids[ids.length - 1]])].filter(
        (id): id is string => id !== undefined,
      );
      for (const id of bad) await corrupt(repo, asId<ActionId>(id));
      for (const direction of ['asc', 'desc'] as const) {
        const pages = await allPages(repo, query({}, { column: 'id', direction }));
        expect([...pages.skipped].sort(), `skipped (${direction})`).toEqual([...bad].sort());
        expect([...pages.items].sort(), `the readable ones (${direction})`).toEqual(
          ids.filter((id) => !bad.includes(id)),
        );
      }
      const got = await repo.get(asId<ActionId>(bad[0] as string));
      expect(got.ok ? 'ok' : got.error.code, 'get of an unreadable action').toBe('corruptRecord');
    },
  });
  return cases;
}

// ---- views: references, requester and sorting by what is shown (issue 12, items 10, 13, 15) -------

/** The fixtures, and copies of a few with incident, alert and requester references. */
async function storedWithReferences(expect: Expect, repo: ActionRepository): Promise<ActionRecord[]> {
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

function viewCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'views',
      title:
        'seed 001 (actions taken while investigating alerts or incidents): incident and alert references are read back and filtered on, with requesters',
      run: async (repo) => {
        const records = await storedWithReferences(expect, repo);
        const got = await value(expect, repo.get(asId('act-ref-1')), 'get act-ref-1');
        expect(got === null ? null : [got.incidentId, got.alertId], 'act-ref-1 reads back its references').toEqual([
          'inc-1',
          'alert-1',
        ]);
        const filters: Partial<ResolvedQuery['filter']>[] = [
          { incidentIds: ['inc-1'] },
          { incidentIds: ['inc-2', 'inc-none'] },
          { incidentIds: ['inc-none'] },
          { alertIds: ['alert-1', 'alert-2'] },
          { alertIds: ['alert-none'] },
          { requestedBy: ['carol@contoso.com'] },
          { requestedBy: ['system:antivirus', 'bob@contoso.com'] },
          { requestedBy: ['nobody@contoso.com'] },
          { incidentIds: ['inc-1'], alertIds: ['alert-1'], requestedBy: null },
        ];
        for (const filter of filters) {
          const page = await expectReferencePage(expect, repo, records, query(filter));
          expect(
            page.total > 0 || JSON.stringify(filter).includes('none') || JSON.stringify(filter).includes('nobody'),
            `${JSON.stringify(filter)} matches some action`,
          ).toBe(true);
        }
      },
    },
    {
      group: 'views',
      title:
        'seed 002 ("Select a column heading to sort"): every shown column sorts both ways by what it shows, and pages completely',
      run: async (repo) => {
        const records = await storedWithReferences(expect, repo);
        // Labels that reorder the stored ids: "Completed" for succeeded, display names of a custom catalogue.
        const labels: { readonly [C in (typeof LABELLED_SORT_COLUMNS)[number]]: Readonly<Record<string, string>> } = {
          status: {
            ...Object.fromEntries(ACTION_STATUSES.map((s) => [s, s])),
            succeeded: 'Completed',
            pending: 'Pending',
            undoFailed: 'Undo failed',
          },
          actionType: { quarantineFile: 'Zz quarantine', blockUrl: 'Aa block', isolateDevice: 'Quarantine file' },
          source: {
            automatedDeviceAction: 'Automated device action',
            automatedEmailAction: 'Automated email action',
            manualDeviceAction: 'Manual device action',
          },
          workload: { endpoint: 'Devices', email: 'Email & collaboration', identity: 'Identities' },
        };
        for (const column of SORT_COLUMNS) {
          const columnLabels = (LABELLED_SORT_COLUMNS as readonly string[]).includes(column)
            ? labels[column as keyof typeof labels]
            : null;
          for (const direction of ['asc', 'desc'] as const) {
            await expectCompletePaging(
              expect,
              repo,
              records,
              query({}, { column, direction, labels: columnLabels }, { size: 3 }),
            );
          }
        }
        const completedFirst = await value(
          expect,
          repo.query(
            query(
              { statuses: ['succeeded', 'failed', 'undone'] },
              { column: 'status', direction: 'asc', labels: labels.status },
            ),
          ),
          'status by label',
        );
        expect(completedFirst.items[0]?.status, 'sorted by label, "Completed" (succeeded) comes before "Failed"').toBe(
          'succeeded',
        );
      },
    },
  ];
}

// ---- investigations: the grouped view (issue 12, item 14; seed 003) --------------------------------

function investigationQuery(
  filter: Partial<ResolvedQuery['filter']> = {},
  sort: ResolvedInvestigationQuery['sort'] = { column: 'latestActivity', direction: 'desc' },
  page: Partial<ResolvedInvestigationQuery['page']> = {},
): ResolvedInvestigationQuery {
  return { filter: query(filter).filter, sort, page: { size: 50, index: 0, ...page } };
}

async function expectReferenceInvestigations(
  expect: Expect,
  repo: ActionRepository,
  stored: readonly ActionRecord[],
  q: ResolvedInvestigationQuery,
): Promise<InvestigationPage> {
  const what = `investigations of ${describeQuery({ filter: q.filter, sort: { column: 'id', direction: 'asc' }, page: { size: q.page.size, cursor: null, index: q.page.index } })} sorted by ${q.sort.column} ${q.sort.direction}`;
  expect(
    typeof repo.queryInvestigations,
    `${what}: the repository implements queryInvestigations (or skip the 'investigations' group)`,
  ).toBe('function');
  if (repo.queryInvestigations === undefined) throw new Error('queryInvestigations is not implemented');
  const page = await value(expect, repo.queryInvestigations(q), what);
  const reference = referenceInvestigations(stored, q);
  expect(
    page.items.map((g) => g.investigationId),
    `${what}: investigation ids in order`,
  ).toEqual(reference.items.map((g) => g.investigationId));
  expect(page.total, `${what}: total`).toBe(reference.total);
  expect(page.items, `${what}: counts by status and type, times`).toEqual(reference.items);
  return page;
}

function investigationCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'investigations',
      title:
        'seed 003 (the Pending and History tabs list investigations): actions grouped by investigation, counted by status and type, sorted and paged as the reference',
      run: async (repo) => {
        const records = await storedWithReferences(expect, repo);
        const filters: Partial<ResolvedQuery['filter']>[] = [
          {},
          { statuses: ['pending'] },
          {
            statuses: [
              'approved',
              'running',
              'succeeded',
              'failed',
              'timedOut',
              'rejected',
              'expired',
              'cancelled',
              'undoing',
              'undone',
              'undoFailed',
            ],
          },
          { actionTypes: ['quarantineFile'] },
          { incidentIds: ['inc-1'] },
          { investigationIds: ['inv-2', 'inv-none'] },
          { createdFrom: FIXTURE_T0 + 60 * 60 * 1000 },
          { statuses: [] },
          // A reader's device-group scope (issue 12, item 1): groups and counts hold only what it may see.
          { scope: { deviceGroups: ['Servers'], includeUngrouped: false } },
          { scope: { deviceGroups: ['Workstations'], includeUngrouped: true } },
        ];
        for (const filter of filters) {
          for (const column of ['latestActivity', 'count', 'investigationId'] as const) {
            for (const direction of ['asc', 'desc'] as const) {
              await expectReferenceInvestigations(
                expect,
                repo,
                records,
                investigationQuery(filter, { column, direction }),
              );
              await expectReferenceInvestigations(
                expect,
                repo,
                records,
                investigationQuery(filter, { column, direction }, { size: 1, index: 1 }),
              );
            }
          }
        }
        const all = await expectReferenceInvestigations(expect, repo, records, investigationQuery());
        expect(all.total, 'the fixtures span three investigations').toBe(3);
        await expectReferenceInvestigations(
          expect,
          repo,
          records,
          investigationQuery({}, undefined, { size: 2, index: 40 }),
        );
      },
    },
  ];
}

function investigationProperty<R extends ActionRepository>(
  options: RepositoryContractOptions<R>,
  fc: FastCheck,
): ContractCase<RepositoryContractGroup, R> {
  const expect = options.expect;
  const arbitraries = actionCenterArbitraries(fc, { maxEvents: 5 });
  const sort = fc.record(
    {
      column: fc.constantFrom('latestActivity' as const, 'count' as const, 'investigationId' as const),
      direction: fc.constantFrom('asc' as const, 'desc' as const),
    },
    { noNullPrototype: true },
  );
  const page = fc.record(
    { size: fc.integer({ min: 1, max: 4 }), index: fc.integer({ min: 0, max: 3 }) },
    { noNullPrototype: true },
  );
  const scenario = arbitraries.actionHistories({ maxLength: 16 }).chain((histories) =>
    fc.tuple(
      fc.constant(histories),
      fc.array(
        fc
          .tuple(arbitraries.resolvedQueryOver(histories.map((h) => h.action)), sort, page)
          .map(([q, s, p]): ResolvedInvestigationQuery => ({ filter: q.filter, sort: s, page: p })),
        { minLength: 1, maxLength: 4 },
      ),
    ),
  );
  return {
    group: 'investigations',
    title: 'property: over generated stores, generated grouped queries return the reference groups',
    run: async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async ([histories, queries]) => {
          const repo = await options.factory();
          try {
            await storeHistories(expect, repo, histories);
            const records = histories.map((h) => h.action);
            for (const q of queries) await expectReferenceInvestigations(expect, repo, records, q);
          } finally {
            await options.teardown?.(repo);
          }
        }),
        { numRuns: options.numRuns ?? 25 },
      );
    },
  };
}
