/**
 * Issue 12, item 1: reads scoped by device group. A principal whose assignments are limited to
 * device group G1 saw G2 actions through `list`, `get`, `auditTrail` and the CSV export (a G2 host
 * name appeared in the CSV), and a custom policy could not add read scoping. Run on the memory
 * repository, on PGlite, and on a real PostgreSQL server (DATABASE_URL; skipped with a message
 * without it).
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createMemoryRepository,
  defaultAccessPolicy,
  type AccessPolicy,
  type ActionRecord,
  type ActionRepository,
  type CsvExport,
  type PrincipalInput,
} from 'actioncenter';
import {
  DATABASE_URL,
  freshRepository,
  freshSchema,
  sharedPGlite,
  usePGlite,
  warnWhenNoServer,
} from '../adapters/postgres-fixtures.js';
import { isolate, must, people, quarantine, softDeleteCluster, testCenter } from './fixtures.js';

warnWhenNoServer('scoped-reads.test.ts');
usePGlite();

// PGlite on two busy cores: generous limits, never wall-clock assertions.
const SLOW = { timeout: 120_000 };

const readerG1: PrincipalInput = {
  id: 'reader-g1@contoso.com',
  assignments: [{ role: 'securityReader', assignedIn: 'entraId', deviceGroups: ['G1'] }],
};
const operatorG1: PrincipalInput = {
  id: 'operator-g1@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId', deviceGroups: ['G1'] }],
};

async function csvOf(exported: CsvExport): Promise<string> {
  let text = '';
  for await (const chunk of exported) text += chunk;
  return text;
}

/** Two G1 and two G2 device actions (pending and taken), and one email action on no device. */
async function seed(repository: ActionRepository, options: Parameters<typeof testCenter>[0] = {}) {
  const ctx = testCenter({ repository, ...options });
  const submit = async (request: Parameters<typeof ctx.center.submit>[0]) =>
    (await must(ctx.center.submit(request))).action;
  const g1 = [
    await submit({ request: quarantine('HOST-G1-A', { group: 'G1' }) }),
    await submit({ request: isolate('HOST-G1-B', people.globalAdmin, 'G1'), principal: people.globalAdmin }),
  ];
  const g2 = [
    await submit({ request: quarantine('HOST-G2-A', { group: 'G2' }) }),
    await submit({ request: isolate('HOST-G2-B', people.globalAdmin, 'G2'), principal: people.globalAdmin }),
  ];
  const email = await submit({ request: softDeleteCluster() });
  return { ...ctx, g1, g2, email };
}

const ids = (actions: readonly ActionRecord[]) => actions.map((a) => a.id).sort();

function scopedReadsSuite(name: string, makeRepository: () => Promise<ActionRepository>): void {
  describe(name, () => {
    for (const [who, principal] of [
      ['reader', readerG1],
      ['operator', operatorG1],
    ] as const) {
      it(
        `regression: a G1-scoped ${who} saw G2 actions in list, get, auditTrail and the CSV export`,
        SLOW,
        async () => {
          const { center, g1, g2, email } = await seed(await makeRepository());
          const visible = [...g1, email];

          // list: items and totals, in every view, count only G1 and the action on no device.
          const all = await must(center.list({ principal, query: { filter: { view: 'all' }, page: { size: 2 } } }));
          expect(all.total).toBe(visible.length);
          const everything = await must(
            center.list({ principal, query: { filter: { view: 'all' }, page: { size: 100 } } }),
          );
          expect(ids(everything.items)).toEqual(ids(visible));
          const pending = await must(center.list({ principal, query: { filter: { view: 'pending' } } }));
          expect(ids(pending.items)).toEqual(ids(visible.filter((a) => a.status === 'pending')));
          expect(pending.total).toBe(pending.items.length);
          // A filter naming G2 ids finds nothing.
          const named = await must(center.list({ principal, query: { filter: { ids: g2.map((a) => a.id) } } }));
          expect([named.total, named.items.length]).toEqual([0, 0]);

          // get and auditTrail: a G2 action reads as missing, the same answer as an unknown id.
          for (const a of g2) {
            const got = await center.get({ principal, id: a.id });
            expect(got.ok ? 'ok' : got.error).toEqual({
              code: 'notFound',
              message: `No action "${a.id}"`,
              actionId: a.id,
            });
            const trail = await center.auditTrail({ principal, id: a.id });
            expect(trail.ok ? 'ok' : trail.error.code).toBe('notFound');
          }
          for (const a of visible) {
            expect((await must(center.get({ principal, id: a.id }))).id).toBe(a.id);
            expect((await must(center.auditTrail({ principal, id: a.id }))).length).toBeGreaterThan(0);
          }

          // The export holds the G1 host names and no G2 one.
          const exported = await must(center.exportCsv({ principal }));
          const csv = await csvOf(exported);
          expect(csv).toContain('HOST-G1-A');
          expect(csv).toContain('HOST-G1-B');
          expect(csv).not.toContain('HOST-G2');
          const done = await exported.completion;
          expect(done.ok ? done.value.rows : done.error).toBe(visible.length);

          // An unscoped reader still sees everything.
          const wide = await must(center.list({ principal: people.reader, query: { page: { size: 100 } } }));
          expect(ids(wide.items)).toEqual(ids([...g1, ...g2, email]));
        },
      );
    }

    it(
      'a custom policy narrowing the read scope is honoured in list, get, auditTrail, export and undo instances',
      SLOW,
      async () => {
        // The default decisions, but the security administrator reads G1 only, and nothing on no device.
        const narrowing: AccessPolicy = {
          name: 'g1-reads',
          authorize: (principal, operation, subject) => defaultAccessPolicy.authorize(principal, operation, subject),
          readScope: (principal) =>
            principal.id === people.secAdmin.id
              ? { kind: 'deviceGroups', deviceGroups: ['G1'], includeUngrouped: false }
              : { kind: 'all' },
        };
        const repository = await makeRepository();
        const { center, g1, g2 } = await seed(repository, { accessPolicy: narrowing });
        const principal = people.secAdmin;
        const page = await must(center.list({ principal, query: { page: { size: 100 } } }));
        expect(ids(page.items)).toEqual(ids(g1));
        expect(page.total).toBe(g1.length);
        for (const a of g2) {
          const got = await center.get({ principal, id: a.id });
          expect(got.ok ? 'ok' : got.error.code).toBe('notFound');
          const trail = await center.auditTrail({ principal, id: a.id });
          expect(trail.ok ? 'ok' : trail.error.code).toBe('notFound');
        }
        const csv = await csvOf(await must(center.exportCsv({ principal })));
        expect(csv).not.toContain('HOST-G2');
        expect(csv).toContain('HOST-G1-A');
        // Others keep the policy's other answer.
        expect((await must(center.list({ principal: people.reader, query: { page: { size: 100 } } }))).total).toBe(5);

        // "Apply to X more instances": the same file quarantined on G1 and G2 hosts; the undo offers only G1's.
        const file = { verdict: 'malicious', sha1: 'cd'.repeat(20) } as const;
        const picked = (await must(center.submit({ request: quarantine('HOST-G1-C', { ...file, group: 'G1' }) })))
          .action;
        const sameG1 = (await must(center.submit({ request: quarantine('HOST-G1-D', { ...file, group: 'G1' }) })))
          .action;
        const sameG2 = (await must(center.submit({ request: quarantine('HOST-G2-C', { ...file, group: 'G2' }) })))
          .action;
        await must(center.run());
        const undone = await must(center.undo({ principal, ids: [picked.id], applyToOtherInstances: true }));
        expect(undone.items.map((i) => i.actionId).sort()).toEqual([picked.id, sameG1.id].sort());
        expect(undone.items.map((i) => i.actionId)).not.toContain(sameG2.id);
      },
    );

    it('a custom readScope that throws or answers garbage denies the read (fail closed)', SLOW, async () => {
      for (const readScope of [
        () => {
          throw new Error('directory down');
        },
        () => ({ kind: 'deviceGroups', deviceGroups: 'G1' }),
        () => undefined,
      ]) {
        const policy = {
          name: 'broken',
          authorize: defaultAccessPolicy.authorize,
          readScope,
        } as unknown as AccessPolicy;
        const { center, g1 } = await seed(await makeRepository(), { accessPolicy: policy });
        const listed = await center.list({ principal: people.reader });
        expect(
          listed.ok ? 'ok' : [listed.error.code, 'decision' in listed.error ? listed.error.decision.rule : null],
        ).toEqual(['accessDenied', 'default.policyError']);
        const got = await center.get({ principal: people.reader, id: g1[0]?.id ?? '' });
        expect(got.ok ? 'ok' : got.error.code).toBe('accessDenied');
        const exported = await center.exportCsv({ principal: people.reader });
        expect(exported.ok ? 'ok' : exported.error.code).toBe('accessDenied');
      }
    });
  });
}

scopedReadsSuite('on the memory repository', async () => createMemoryRepository());
scopedReadsSuite('on PGlite', async () => freshRepository(sharedPGlite()));

describe.runIf(DATABASE_URL !== undefined)('on the PostgreSQL server (DATABASE_URL)', () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }, 60_000);
  scopedReadsSuite('server', async () => {
    const schema = freshSchema('ac_scoped');
    schemas.push(schema);
    return freshRepository(pool, schema);
  });
});
