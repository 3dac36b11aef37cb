/**
 * Properties of actioncenter/postgres on PGlite against the reference semantics: random commit
 * histories (some conflicting) are accepted exactly when the port's guarantees allow them, and every
 * random query (filters, any sort column and direction, cursors taken from any column, garbage
 * cursors, page indexes) returns exactly what `referenceQuery` returns. The text domains are small
 * but hostile: NUL, U+0001, astral and private-use characters (where UTF-16 and UTF-8 orders
 * differ), and numeric-looking strings (which a number cursor on a text column compares by value).
 */
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTION_STATUSES,
  unwrap,
  type ActionId,
  type ActionPage,
  type ActionRecord,
  type ActionStatus,
  type Actor,
} from 'actioncenter';
import {
  SORT_COLUMNS,
  asId,
  encodeCursor,
  referenceQuery,
  sortValue,
  type ResolvedQuery,
} from 'actioncenter/adapter-kit';
import type { PostgresClient, PostgresRepository } from 'actioncenter/postgres';
import { columnText, originalText } from '../../src/adapters/postgres/text.js';
import { textArray } from '../../src/adapters/postgres/view-sql.js';
import {
  DATABASE_URL,
  T0,
  action,
  emptiedSchema,
  freshRepository,
  sharedPGlite,
  usePGlite,
  warnWhenNoServer,
} from './postgres-fixtures.js';

const RUNS = Number(process.env['POSTGRES_PROPERTY_RUNS'] ?? 60);
const OPEN: readonly ActionStatus[] = ['pending', 'approved', 'running'];

warnWhenNoServer('postgres.property.test.ts');

usePGlite();

// Text where JavaScript and PostgreSQL disagree unless the adapter bridges them.
const ID_TEXT = ['a', 'B', '1', '10', ' 2', '0x1f', '1e3', '-', '\u{1F600}', '\uE000', '\uFFFD', 'é'] as const;
const ANY_TEXT = [...ID_TEXT, '\u0000', '\u0001', 'Infinity', '.5'] as const;
const textOf = (alphabet: readonly string[], maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength }).map((parts) => parts.join(''));
const idText = textOf(ID_TEXT, 3);
const anyText = textOf(ANY_TEXT, 3);

const TYPES = ['quarantineFile', 'isolateDevice', '\u{1F600}type', '\uE000type'] as const;
const SOURCES = ['automatedDeviceAction', 'manualDeviceAction', 'automatedEmailAction'] as const;
const WORKLOADS = ['endpoint', 'email', 'identity'] as const;
const OPEN_KEYS = [null, 'k\u00001', 'k\u00002', 'k\u0001'] as const;
const IDEMPOTENCY_KEYS = ['idem-1', 'idem\u00002', '\u{1F600}'] as const;
const time = fc.integer({ min: 0, max: 5 }).map((n) => T0 + n * 1000);
const maybeTime = fc.option(time, { nil: null });
const sometimes = <T>(arb: fc.Arbitrary<T>, nullWeight: number) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: nullWeight }, { arbitrary: arb, weight: 1 });
const actor: fc.Arbitrary<Actor> = fc.oneof(
  idText.map((id): Actor => ({ type: 'principal', id: asId(id) })),
  anyText.map((component): Actor => ({ type: 'system', component })),
);

const fieldsArb = fc.record({
  status: fc.constantFrom(...ACTION_STATUSES),
  type: fc.constantFrom(...TYPES),
  source: fc.constantFrom(...SOURCES),
  workload: fc.constantFrom(...WORKLOADS),
  asset: anyText,
  decidedBy: sometimes(actor, 1),
  investigationId: sometimes(idText, 1),
  approvalId: sometimes(idText, 2),
  openKey: fc.constantFrom(...OPEN_KEYS),
  createdAt: time,
  decidedAt: maybeTime,
  completedAt: maybeTime,
});
type Fields = typeof fieldsArb extends fc.Arbitrary<infer T> ? T : never;

function record(id: string, f: Fields, version = 1): ActionRecord {
  return action(id, {
    version,
    actionType: f.type,
    workload: f.workload,
    source: f.source,
    status: f.status,
    target: { kind: 'device', deviceId: 'd', deviceName: f.asset, deviceGroup: asId('Workstations') },
    investigationId:
      f.investigationId === null ? null : asId<NonNullable<ActionRecord['investigationId']>>(f.investigationId),
    approvalId: f.approvalId === null ? null : asId<NonNullable<ActionRecord['approvalId']>>(f.approvalId),
    decidedBy: f.decidedBy,
    createdAt: f.createdAt,
    decidedAt: f.decidedAt,
    completedAt: f.completedAt,
    updatedAt: f.createdAt,
    openKey: f.openKey,
  });
}

const writeArb = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('create' as const), id: idText, fields: fieldsArb }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      target: fc.nat(),
      fields: fieldsArb,
      /** 0 writes from the stored version; anything else is a stale (or future) expectation. */
      staleness: fc.constantFrom(0, 0, 0, 0, -1, 1),
    }),
    weight: 2,
  },
);
const batchArb = fc.record({
  writes: fc.array(writeArb, { minLength: 1, maxLength: 3 }),
  idempotencyKey: sometimes(fc.constantFrom(...IDEMPOTENCY_KEYS), 8),
});
type Batch = typeof batchArb extends fc.Arbitrary<infer T> ? T : never;
const historyArb = fc.array(batchArb, { minLength: 3, maxLength: 25 });

interface Model {
  actions: Map<string, ActionRecord>;
  claimed: Set<string>;
}

/** Would the port accept this batch? Stated directly from its guarantees. */
function acceptable(
  model: Model,
  writes: readonly { action: ActionRecord; expectedVersion: number | null }[],
  key: string | null,
): boolean {
  if (key !== null && model.claimed.has(key)) return false;
  if (new Set(writes.map((w) => w.action.id)).size !== writes.length) return false;
  for (const { action: a, expectedVersion } of writes) {
    const stored = model.actions.get(a.id);
    if (
      expectedVersion === null
        ? stored !== undefined
        : stored?.version !== expectedVersion || a.version !== expectedVersion + 1
    )
      return false;
  }
  const after = new Map(model.actions);
  for (const { action: a } of writes) after.set(a.id, a);
  const holders = [...after.values()]
    .filter((a) => a.openKey !== null && OPEN.includes(a.status))
    .map((a) => a.openKey);
  return new Set(holders).size === holders.length;
}

async function replay(repo: PostgresRepository, batches: readonly Batch[]): Promise<Model> {
  const model: Model = { actions: new Map(), claimed: new Set() };
  for (const b of batches) {
    const ids = [...model.actions.keys()];
    const writes = b.writes.map((w) => {
      if (w.kind === 'create') return { action: record(w.id, w.fields), expectedVersion: null };
      const current = ids.length === 0 ? undefined : model.actions.get(ids[w.target % ids.length] as string);
      if (current === undefined) return { action: record('missing', w.fields, 2), expectedVersion: 1 };
      return {
        action: { ...record(current.id, w.fields, current.version + 1), createdAt: current.createdAt },
        expectedVersion: current.version + w.staleness,
      };
    });
    const expected = acceptable(model, writes, b.idempotencyKey);
    const r = await repo.commit({
      writes,
      events: [],
      idempotencyKey:
        b.idempotencyKey === null ? null : { key: b.idempotencyKey, actionIds: writes.map((w) => w.action.id) },
    });
    if (!r.ok && r.error.code !== 'conflict') throw new Error(r.error.message);
    expect(r.ok, `commit of ${JSON.stringify(writes.map((w) => [w.action.id, w.expectedVersion]))}`).toBe(expected);
    if (r.ok) {
      for (const { action: a } of writes) model.actions.set(a.id, a);
      if (b.idempotencyKey !== null) model.claimed.add(b.idempotencyKey);
    } else if (r.error.code === 'conflict') {
      expect(r.error.actionIds.length).toBeGreaterThan(0);
    }
  }
  return model;
}

const listOf = <T>(arb: fc.Arbitrary<T>) => sometimes(fc.uniqueArray(arb, { minLength: 1, maxLength: 3 }), 6);

const queryArb = fc.record({
  statuses: fc.oneof(
    { arbitrary: fc.constant(null), weight: 2 },
    { arbitrary: fc.uniqueArray(fc.constantFrom(...ACTION_STATUSES), { minLength: 1, maxLength: 8 }), weight: 3 },
    { arbitrary: fc.constant([]), weight: 1 },
  ),
  actionTypes: listOf(fc.constantFrom<string>(...TYPES, 'unknownType')),
  sources: listOf(fc.constantFrom<string>(...SOURCES)),
  workloads: listOf(fc.constantFrom<string>(...WORKLOADS)),
  assets: listOf(anyText),
  decidedBy: listOf(anyText),
  investigationIds: listOf(idText),
  approvalIds: listOf(idText),
  createdFrom: sometimes(time, 2),
  createdTo: sometimes(time, 2),
  column: fc.oneof(
    { arbitrary: fc.constant('createdAt' as const), weight: 2 },
    { arbitrary: fc.constantFrom(...SORT_COLUMNS), weight: 3 },
  ),
  direction: fc.constantFrom('asc' as const, 'desc' as const),
  size: fc.integer({ min: 1, max: 6 }),
  index: fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 1, max: 6 }), weight: 1 }),
  /** A cursor at a stored record, in ANY column (cursors of another sort behave as in the reference), or hand-made, or garbage. */
  cursor: sometimes(
    fc.oneof(
      { arbitrary: fc.tuple(fc.constant('stored' as const), fc.nat(), fc.constantFrom(...SORT_COLUMNS)), weight: 4 },
      {
        arbitrary: fc.tuple(
          fc.constant('made' as const),
          fc.oneof(anyText, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
          idText,
        ),
        weight: 2,
      },
      { arbitrary: fc.constant(['garbage'] as const), weight: 1 },
    ),
    2,
  ),
  idsFromStore: sometimes(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), 8),
});
type QueryValue = typeof queryArb extends fc.Arbitrary<infer T> ? T : never;

function toQuery(q: QueryValue, model: Model): ResolvedQuery {
  const stored = [...model.actions.values()];
  let cursor: string | null = null;
  if (q.cursor !== null) {
    if (q.cursor[0] === 'garbage') cursor = 'not-a-cursor';
    else if (q.cursor[0] === 'made') cursor = encodeCursor({ value: q.cursor[1], id: q.cursor[2] });
    else {
      const at = stored[q.cursor[1] % Math.max(1, stored.length)];
      cursor = at === undefined ? null : encodeCursor({ value: sortValue(at, q.cursor[2]), id: at.id });
    }
  }
  const ids =
    q.idsFromStore !== null && stored.length > 0
      ? q.idsFromStore.map((n) => (stored[n % stored.length] as ActionRecord).id as string)
      : null;
  return {
    filter: {
      statuses: q.statuses,
      ids,
      actionTypes: q.actionTypes,
      sources: q.sources,
      workloads: q.workloads,
      assets: q.assets,
      decidedBy: q.decidedBy,
      investigationIds: q.investigationIds,
      approvalIds: q.approvalIds,
      createdFrom: q.createdFrom,
      createdTo: q.createdTo,
    },
    sort: { column: q.column, direction: q.direction },
    page: { size: q.size, cursor, index: q.index },
  };
}

/** The properties, on repositories from `fresh` (empty each time). */
function referenceProperties(fresh: () => Promise<PostgresRepository>, runs: number): void {
  it('accepts exactly the valid commits; reads return what was committed', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async (batches) => {
        const repo = await fresh();
        const model = await replay(repo, batches);
        const all = unwrap(await repo.getMany([...model.actions.keys()] as ActionId[]));
        expect(all).toEqual([...model.actions.values()]);
        for (const key of OPEN_KEYS) {
          if (key === null) continue;
          const holder = [...model.actions.values()].find((a) => a.openKey === key && OPEN.includes(a.status));
          expect(unwrap(await repo.findOpen(key))).toEqual(holder ?? null);
        }
      }),
      { numRuns: Math.ceil(runs / 2) },
    );
  }, 120_000);

  it('query returns exactly what referenceQuery returns: items, order, total and next cursor', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, fc.array(queryArb, { minLength: 1, maxLength: 8 }), async (batches, queries) => {
        const repo = await fresh();
        const model = await replay(repo, batches);
        const all = [...model.actions.values()];
        for (const q of queries) {
          const query = toQuery(q, model);
          expect(unwrap(await repo.query(query)), JSON.stringify(query)).toEqual(referenceQuery(all, query));
        }
      }),
      { numRuns: runs },
    );
  }, 120_000);

  it('paging with nextCursor, or by index, yields the full sorted list: no duplicates, no gaps', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, queryArb, async (batches, q) => {
        const repo = await fresh();
        const model = await replay(repo, batches);
        const first = toQuery({ ...q, cursor: null, index: 0 }, model);
        const everything = referenceQuery([...model.actions.values()], {
          ...first,
          page: { size: 1000, cursor: null, index: 0 },
        }).items;
        const byCursor: ActionRecord[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: ActionPage = unwrap(
            await repo.query({ ...first, page: { size: first.page.size, cursor, index: 0 } }),
          );
          expect(page.total).toBe(everything.length);
          byCursor.push(...page.items);
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor !== null && pages <= everything.length + 1);
        expect(byCursor).toEqual(everything);
      }),
      { numRuns: Math.ceil(runs / 2) },
    );
  }, 120_000);
}

describe('postgres repository on PGlite: properties against the reference semantics', () => {
  const store = emptiedSchema(sharedPGlite, 'ac_property');
  referenceProperties(() => store.fresh(), RUNS);
});

describe.runIf(DATABASE_URL !== undefined)(
  'postgres repository on the server (DATABASE_URL): properties against the reference semantics',
  () => {
    let pool: pg.Pool;
    const store = emptiedSchema(() => pool, 'ac_property');
    beforeAll(() => {
      pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    });
    afterAll(async () => {
      await store.drop();
      await pool.end();
    });
    referenceProperties(() => store.fresh(), Math.ceil(RUNS / 2));
  },
);

describe('column text: any JavaScript string, stored so that PostgreSQL orders it as JavaScript does', () => {
  // Any sequence of UTF-16 code units, lone surrogates and NUL included.
  const units = fc.array(
    fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0, 1, 2, 0xd83d, 0xde00, 0xe000, 0xffff)),
    { maxLength: 8 },
  );
  const jsString = units.map((us) => String.fromCharCode(...us));

  it('is one-to-one and keeps the order of code units (checked in JavaScript)', () => {
    fc.assert(
      fc.property(jsString, jsString, (a, b) => {
        expect(originalText(columnText(a))).toBe(a);
        const codePointOrder = (x: string, y: string) => {
          const xs = [...x].map((c) => c.codePointAt(0) as number);
          const ys = [...y].map((c) => c.codePointAt(0) as number);
          for (let i = 0; i < Math.min(xs.length, ys.length); i++)
            if (xs[i] !== ys[i]) return Math.sign((xs[i] as number) - (ys[i] as number));
          return Math.sign(xs.length - ys.length);
        };
        // UTF-8 byte order (COLLATE "C") is code point order; column text in code point order is the strings' code unit order.
        expect(codePointOrder(columnText(a), columnText(b))).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(
          /[\u0000]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(columnText(a)),
        ).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('PostgreSQL sorts column text (COLLATE "C") exactly as JavaScript sorts the strings', async () => {
    const db = sharedPGlite();
    await fc.assert(
      fc.asyncProperty(fc.array(jsString, { minLength: 1, maxLength: 30 }), async (strings) => {
        const r = await db.query<{ t: string }>(`SELECT t FROM unnest($1::text[]) AS u(t) ORDER BY t COLLATE "C"`, [
          textArray(strings.map(columnText)),
        ]);
        expect(r.rows.map((row) => originalText(row.t))).toEqual([...strings].sort());
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});

describe('actioncenter_js_number: JavaScript Number(string) in SQL (for number cursors on text columns)', () => {
  const CHARS = [
    '0',
    '1',
    '7',
    '9',
    'x',
    'X',
    'o',
    'b',
    'B',
    'e',
    'E',
    '+',
    '-',
    '.',
    'I',
    'n',
    'f',
    'i',
    't',
    'y',
    'a',
    'F',
    '_',
    ' ',
    '\t',
    '\n',
    '\u00A0',
    '\u2028',
    '\u3000',
    '\uFEFF',
    '\u0000',
    '\u200B',
  ];
  const numberish = fc.oneof(
    fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((cs) => cs.join('')),
    fc.constantFrom(
      '1e400',
      '-1e400',
      '1e-400',
      '-1e-400',
      `0x${'f'.repeat(300)}`,
      `0b${'1'.repeat(1100)}`,
      '5e-324',
      '2e-324',
      '1.7976931348623159e308',
      '0x1F',
      '-0x10',
      '+Infinity',
      ' -Infinity\n',
      '1_000',
      '00012',
      '.5e1',
      '0.000001e7',
      `${'9'.repeat(400)}`,
      `0.${'0'.repeat(400)}1`,
    ),
    fc.double().map((d) => String(d)),
  );
  const same = (x: number) => (x === 0 ? 0 : x);

  async function agrees(client: PostgresClient, runs: number): Promise<void> {
    const schema = (await freshRepository(client)).schema as string;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(numberish, { minLength: 1, maxLength: 40 }), async (strings) => {
          const r = await client.query(
            `SELECT "${schema}".actioncenter_js_number(t) AS n FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i`,
            [textArray(strings.map(columnText))],
          );
          expect(r.rows.map((row) => same(Number(row['n'])))).toEqual(strings.map((s) => same(Number(s))));
        }),
        { numRuns: runs },
      );
    } finally {
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
    }
  }

  it('agrees with Number() on numeric-looking text (PGlite)', async () => {
    await agrees(sharedPGlite(), 150);
  }, 60_000);

  it.runIf(DATABASE_URL !== undefined)(
    'agrees with Number() on numeric-looking text (server)',
    async () => {
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
      try {
        await agrees(pool, 100);
      } finally {
        await pool.end();
      }
    },
    60_000,
  );
});
