/**
 * Issue 12, the views: incident and alert references (item 13, seed 001), the "Requested by" column
 * and filter (item 10, view side), every shown column sorted by what it shows (item 15, seed 002),
 * and the grouped view by investigation with its details (item 14, seed 003). Run on the memory
 * repository, on PGlite, and on a real PostgreSQL server (DATABASE_URL; skipped with a message
 * without it).
 */
import pg from 'pg';
import { z } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import {
  COLUMN_IDS,
  builtInActionTypes,
  createCatalog,
  createMemoryRepository,
  defineActionType,
  type ActionRecord,
  type ActionRepository,
  type CsvExport,
  type PrincipalInput,
} from 'actioncenter';
import { SORT_COLUMNS } from 'actioncenter/adapter-kit';
import {
  DATABASE_URL,
  freshRepository,
  freshSchema,
  sharedPGlite,
  usePGlite,
  warnWhenNoServer,
} from '../adapters/postgres-fixtures.js';
import { cyclic, revokedProxy, throwingGetters, trapProxy } from '../support/hostile.js';
import { isolate, must, people, quarantine, softDeleteCluster, testCenter } from './fixtures.js';

warnWhenNoServer('views-issue12.test.ts');
usePGlite();

// PGlite on two busy cores: generous limits, never wall-clock assertions.
const SLOW = { timeout: 120_000 };

// A custom type whose display name sorts last and whose id sorts first.
const wipe = defineActionType({
  id: 'aaWipeDevice',
  displayName: 'Zz wipe device',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({}),
});
const catalog = (() => {
  const r = createCatalog([...builtInActionTypes, wipe]);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
})();

async function csvOf(exported: CsvExport): Promise<string> {
  let text = '';
  for await (const chunk of exported) text += chunk;
  return text;
}

const ids = (actions: readonly ActionRecord[]) => actions.map((a) => a.id);

/**
 * inv-1: two pending quarantines (G1 and G2) and a pending email cluster deletion; inv-2: one
 * pending quarantine; an isolation taken during incident inc-7 / alert al-9 (succeeded after run);
 * a custom wipe with no investigation.
 */
async function seed(repository: ActionRepository) {
  const ctx = testCenter({ repository, catalog });
  const submit = async (input: Parameters<typeof ctx.center.submit>[0]) =>
    (await must(ctx.center.submit(input))).action;
  const q1 = await submit({ request: quarantine('HOST-1', { group: 'G1' }) });
  const q2 = await submit({ request: quarantine('HOST-2', { group: 'G2', path: 'C:\\Temp\\b.exe' }) });
  const mail = await submit({ request: softDeleteCluster() });
  const q3 = await submit({ request: quarantine('HOST-3', { group: 'G1', investigationId: 'inv-2' }) });
  const iso = await submit({
    request: { ...isolate('HOST-4', people.globalAdmin, 'G1'), incidentId: 'inc-7', alertId: 'al-9' },
    principal: people.globalAdmin,
  });
  const wiped = await submit({
    request: {
      actionType: 'aaWipeDevice',
      target: { kind: 'device', deviceId: 'dev-5', deviceName: 'HOST-5', deviceGroup: 'G1' },
      parameters: {},
      source: 'manualDeviceAction',
      requestedBy: { type: 'principal', id: people.globalAdmin.id },
    },
    principal: people.globalAdmin,
  });
  await must(ctx.center.run());
  return { ...ctx, q1, q2, q3, mail, iso, wiped };
}

function viewsSuite(name: string, makeRepository: () => Promise<ActionRepository>): void {
  describe(name, () => {
    it(
      'seed 001 ("while investigating alerts or incidents"): requests carry incident and alert references, read back, filtered on, and shown in the Incident ID and Alert ID columns and CSV',
      SLOW,
      async () => {
        const { center, iso } = await seed(await makeRepository());
        const got = await must(center.get({ principal: people.reader, id: iso.id }));
        expect([got.incidentId, got.alertId]).toEqual(['inc-7', 'al-9']);
        const byIncident = await must(
          center.list({ principal: people.reader, query: { filter: { incidentId: ['inc-7'] } } }),
        );
        expect([byIncident.total, ids(byIncident.items)]).toEqual([1, [iso.id]]);
        const byAlert = await must(
          center.list({ principal: people.reader, query: { filter: { alertId: ['al-9', 'al-none'] } } }),
        );
        expect(ids(byAlert.items)).toEqual([iso.id]);
        const none = await must(
          center.list({ principal: people.reader, query: { filter: { incidentId: ['inc-none'] } } }),
        );
        expect(none.total).toBe(0);
        const csv = await csvOf(
          await must(
            center.exportCsv({
              principal: people.reader,
              query: { filter: { ids: [iso.id] } },
              columns: ['id', 'incidentId', 'alertId'],
            }),
          ),
        );
        expect(csv.trim().split('\r\n')).toEqual(['Action ID,Incident ID,Alert ID', `${iso.id},inc-7,al-9`]);
        // A bad reference is refused like any id.
        const bad = await center.submit({ request: { ...quarantine('HOST-9'), incidentId: 'inc\u0000' } });
        expect(bad.ok ? 'ok' : bad.error.code).toBe('invalidInput');
      },
    );

    it(
      'item 10: the "Requested by" column shows the principal or the system component, and the requestedBy filter finds them',
      SLOW,
      async () => {
        const { center, q1, q2, q3, mail, iso, wiped } = await seed(await makeRepository());
        const byPerson = await must(
          center.list({
            principal: people.reader,
            query: { filter: { requestedBy: [people.globalAdmin.id] }, sort: { column: 'id', direction: 'asc' } },
          }),
        );
        expect(ids(byPerson.items)).toEqual(ids([iso, wiped]).sort());
        const bySystem = await must(
          center.list({
            principal: people.reader,
            query: { filter: { requestedBy: ['system:automatedInvestigation'] } },
          }),
        );
        expect(ids(bySystem.items).sort()).toEqual(ids([q1, q2, q3, mail]).sort());
        const csv = await csvOf(
          await must(
            center.exportCsv({
              principal: people.reader,
              query: { filter: { ids: [iso.id, q1.id] }, sort: { column: 'id', direction: 'asc' } },
              columns: ['id', 'requestedBy'],
            }),
          ),
        );
        expect(csv.trim().split('\r\n')).toEqual([
          'Action ID,Requested by',
          ...[
            [q1.id, 'Automation (automatedInvestigation)'],
            [iso.id, people.globalAdmin.id],
          ]
            .sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
            .map((r) => r.join(',')),
        ]);
      },
    );

    it(
      'seed 002 ("Select a column heading to sort"): every shown column sorts both ways (Comment, Workload and Undo of were invalidInput)',
      SLOW,
      async () => {
        const { center } = await seed(await makeRepository());
        // Issue 16: the notes and approvals columns are shown and exported, not sorted by.
        const sortable = COLUMN_IDS.filter((c) => c !== 'notes' && c !== 'lastNote' && c !== 'approvals');
        expect([...sortable].sort()).toEqual([...SORT_COLUMNS].sort());
        for (const column of sortable) {
          for (const direction of ['asc', 'desc'] as const) {
            const page = await center.list({
              principal: people.reader,
              query: { sort: { column, direction }, page: { size: 2 } },
            });
            expect(page.ok ? page.value.total : page.error.code, `${column} ${direction}`).toBe(6);
            // Every page after the first, by cursor, is served too.
            if (page.ok && page.value.nextCursor !== null) {
              const next = await center.list({
                principal: people.reader,
                query: { sort: { column, direction }, page: { size: 2, cursor: page.value.nextCursor } },
              });
              expect(next.ok ? next.value.items.length : next.error.code, `${column} ${direction}, second page`).toBe(
                2,
              );
            }
          }
        }
      },
    );

    it(
      'regression (seed 002): type, source and status sorted by stored id, not by the label shown; "Completed" (succeeded) now sorts before "Pending", a custom display name by its name',
      SLOW,
      async () => {
        const { center, iso, wiped } = await seed(await makeRepository());
        const byStatus = await must(
          center.list({
            principal: people.reader,
            query: { sort: { column: 'status', direction: 'asc' }, page: { size: 100 } },
          }),
        );
        // Completed < Pending as shown; by id, pending < succeeded.
        expect(byStatus.items.map((a) => a.status)).toEqual([
          'succeeded',
          'succeeded',
          'pending',
          'pending',
          'pending',
          'pending',
        ]);
        const byType = await must(
          center.list({
            principal: people.reader,
            query: { sort: { column: 'actionType', direction: 'asc' }, page: { size: 100 } },
          }),
        );
        // Isolate device < Quarantine file < Soft delete email clusters < Zz wipe device; by id, aaWipeDevice came first.
        expect(byType.items.map((a) => a.actionType)).toEqual([
          'isolateDevice',
          'quarantineFile',
          'quarantineFile',
          'quarantineFile',
          'softDeleteEmailClusters',
          'aaWipeDevice',
        ]);
        expect([byType.items[0]?.id, byType.items[5]?.id]).toEqual([iso.id, wiped.id]);
        // Pages by cursor follow the labels too.
        const first = await must(
          center.list({
            principal: people.reader,
            query: { sort: { column: 'actionType', direction: 'desc' }, page: { size: 1 } },
          }),
        );
        const second = await must(
          center.list({
            principal: people.reader,
            query: { sort: { column: 'actionType', direction: 'desc' }, page: { size: 5, cursor: first.nextCursor } },
          }),
        );
        const allDesc = await must(
          center.list({
            principal: people.reader,
            query: { sort: { column: 'actionType', direction: 'desc' }, page: { size: 100 } },
          }),
        );
        expect([...ids(first.items), ...ids(second.items)]).toEqual(ids(allDesc.items));
        expect(first.items[0]?.actionType).toBe('aaWipeDevice');
        expect(second.items.map((a) => a.actionType)).toEqual([
          'softDeleteEmailClusters',
          'quarantineFile',
          'quarantineFile',
          'quarantineFile',
          'isolateDevice',
        ]);
        // The CSV export follows the same order.
        const csv = await csvOf(
          await must(
            center.exportCsv({
              principal: people.reader,
              query: { sort: { column: 'status', direction: 'asc' } },
              columns: ['status'],
            }),
          ),
        );
        expect(csv.trim().split('\r\n')).toEqual([
          'Status',
          'Completed',
          'Completed',
          'Pending',
          'Pending',
          'Pending',
          'Pending',
        ]);
      },
    );

    it(
      'seed 003 (the Pending tab lists investigations; selecting one opens its details): listInvestigations groups by investigation with counts, investigation() lists its actions',
      SLOW,
      async () => {
        const { center, q1, q2, q3, mail } = await seed(await makeRepository());
        const pending = await must(
          center.listInvestigations({
            principal: people.reader,
            query: { filter: { view: 'pending' }, sort: { column: 'count', direction: 'desc' } },
          }),
        );
        expect(pending.total).toBe(2);
        expect(pending.items.map((g) => [g.investigationId, g.count])).toEqual([
          ['inv-1', 3],
          ['inv-2', 1],
        ]);
        expect(pending.items[0]?.byStatus).toEqual([{ status: 'pending', count: 3 }]);
        expect(pending.items[0]?.byActionType).toEqual([
          { actionType: 'quarantineFile', count: 2 },
          { actionType: 'softDeleteEmailClusters', count: 1 },
        ]);
        expect([pending.items[0]?.oldestCreatedAt, pending.items[0]?.newestCreatedAt]).toEqual([
          q1.createdAt,
          mail.createdAt,
        ]);
        // History lists past investigations: none of these has a past action yet.
        const history = await must(
          center.listInvestigations({ principal: people.reader, query: { filter: { view: 'history' } } }),
        );
        expect(history).toEqual({ items: [], total: 0 });
        // Paged, and sorted by investigation id.
        const second = await must(
          center.listInvestigations({
            principal: people.reader,
            query: { sort: { column: 'investigationId', direction: 'asc' }, page: { size: 1, index: 1 } },
          }),
        );
        expect([second.total, second.items.map((g) => g.investigationId)]).toEqual([2, ['inv-2']]);
        // Details: the investigation's actions, with the list's filters and sort.
        const details = await must(
          center.investigation({
            principal: people.reader,
            investigationId: 'inv-1',
            query: { sort: { column: 'id', direction: 'asc' } },
          }),
        );
        expect(ids(details.items)).toEqual(ids([q1, q2, mail]).sort());
        const narrowed = await must(
          center.investigation({
            principal: people.reader,
            investigationId: 'inv-1',
            query: { filter: { actionType: ['quarantineFile'], investigationId: ['inv-2'] } },
          }),
        );
        expect(ids(narrowed.items).sort()).toEqual(ids([q1, q2]).sort());
        expect(
          (await must(center.investigation({ principal: people.reader, investigationId: 'inv-2' }))).items.map(
            (a) => a.id,
          ),
        ).toEqual([q3.id]);
      },
    );

    it(
      'seed 003: the grouped view is read-scoped and authorized like the list (a G1 reader counts only G1; no view permission is denied; bad input is invalidInput)',
      SLOW,
      async () => {
        const { center, q1, mail } = await seed(await makeRepository());
        const readerG1: PrincipalInput = {
          id: 'reader-g1@contoso.com',
          assignments: [{ role: 'securityReader', assignedIn: 'entraId', deviceGroups: ['G1'] }],
        };
        const scoped = await must(
          center.listInvestigations({
            principal: readerG1,
            query: { filter: { view: 'pending' }, sort: { column: 'investigationId', direction: 'asc' } },
          }),
        );
        // G2's quarantine is out of scope; the email action (on no device) stays.
        expect(scoped.items.map((g) => [g.investigationId, g.count])).toEqual([
          ['inv-1', 2],
          ['inv-2', 1],
        ]);
        const details = await must(center.investigation({ principal: readerG1, investigationId: 'inv-1' }));
        expect(ids(details.items).sort()).toEqual(ids([q1, mail]).sort());
        for (const denied of [
          center.listInvestigations({ principal: people.nobody }),
          center.investigation({ principal: people.nobody, investigationId: 'inv-1' }),
        ]) {
          const r = await denied;
          expect(r.ok ? 'ok' : r.error.code).toBe('accessDenied');
        }
        for (const bad of [
          center.listInvestigations({
            principal: people.reader,
            query: { sort: { column: 'status', direction: 'asc' } } as never,
          }),
          center.listInvestigations({ principal: people.reader, query: { page: { cursor: 'x' } } as never }),
          center.investigation({ principal: people.reader, investigationId: '' }),
          center.investigation({
            principal: people.reader,
            investigationId: 'inv-1',
            query: { filter: { nope: 1 } } as never,
          }),
          center.investigation({ principal: people.reader, investigationId: 'inv-1', query: 5 as never }),
        ]) {
          const r = await bad;
          expect(r.ok ? 'ok' : r.error.code).toBe('invalidInput');
        }
      },
    );
  });
}

viewsSuite('on the memory repository', async () => createMemoryRepository());
viewsSuite('on PGlite', async () => freshRepository(sharedPGlite()));

describe('the grouped view on hostile input (revoked Proxies, throwing getters, traps, cycles)', () => {
  const hostileValues: [string, () => unknown][] = [
    ['a revoked Proxy', revokedProxy],
    [
      'an object whose getters throw',
      () => throwingGetters(['principal', 'query', 'investigationId', 'filter', 'sort', 'page']),
    ],
    ['a Proxy whose every trap throws', trapProxy],
    ['a cycle', cyclic],
    ['null', () => null],
  ];
  it.each(hostileValues)(
    'listInvestigations and investigation answer %s with a typed error, never throwing',
    SLOW,
    async (_name, make) => {
      const { center } = await seed(createMemoryRepository());
      const calls: [string, (h: unknown) => Promise<{ ok: boolean; error?: { code: string } }>][] = [
        ['listInvestigations', (h) => center.listInvestigations(h as never)],
        ['listInvestigations query', (h) => center.listInvestigations({ principal: people.reader, query: h as never })],
        ['listInvestigations principal', (h) => center.listInvestigations({ principal: h as never })],
        ['investigation', (h) => center.investigation(h as never)],
        ['investigation id', (h) => center.investigation({ principal: people.reader, investigationId: h as never })],
        [
          'investigation query',
          (h) => center.investigation({ principal: people.reader, investigationId: 'inv-1', query: h as never }),
        ],
        [
          'investigation filter',
          (h) =>
            center.investigation({ principal: people.reader, investigationId: 'inv-1', query: { filter: h as never } }),
        ],
      ];
      for (const [label, call] of calls) {
        let r: { ok: boolean; error?: { code: string } } | undefined;
        try {
          r = await call(make());
        } catch (cause) {
          expect.fail(`${label} threw or rejected: ${String(cause)}`);
        }
        // A null query or filter is the default one, as in list; anything else hostile is refused.
        const allowed =
          _name === 'null' && /query|filter/.test(label)
            ? /^(ok|invalidInput)$/
            : /^(invalidInput|unauthenticated|accessDenied)$/;
        expect(r?.ok === false ? r.error?.code : 'ok', label).toMatch(allowed);
      }
    },
  );
});

describe('a repository without queryInvestigations (optional in the port)', () => {
  it('seed 003: the engine groups the pages of query itself, with the same answer', SLOW, async () => {
    const inner = createMemoryRepository();
    const { queryInvestigations: _omitted, ...rest } = inner;
    const withGroups = await seed(inner);
    const plain = testCenter({ repository: rest as ActionRepository, catalog }).center;
    for (const query of [
      {},
      { filter: { view: 'pending' as const }, sort: { column: 'count' as const, direction: 'desc' as const } },
      { page: { size: 1, index: 1 } },
    ]) {
      const expected = await must(withGroups.center.listInvestigations({ principal: people.reader, query }));
      expect(await must(plain.listInvestigations({ principal: people.reader, query }))).toEqual(expected);
    }
  });
});

describe.runIf(DATABASE_URL !== undefined)('on the PostgreSQL server (DATABASE_URL)', () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }, 60_000);
  viewsSuite('server', async () => {
    const schema = freshSchema('ac_views');
    schemas.push(schema);
    return freshRepository(pool, schema);
  });
});
