/**
 * The Action center on PostgreSQL: here PGlite (PostgreSQL compiled to WebAssembly, in process), so
 * it runs without a server. With a server, pass a `pg` Pool instead:
 *   createPostgresRepository({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) })
 *
 * Migrate once, build the center on the repository, then submit, approve, run and list as with the
 * in-memory store. Every instance of your application can share the database: commits are
 * transactions, version-checked, and open keys are unique among open actions in the database itself.
 */
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { createActionCenter, sequentialIdGenerator, type BuiltInRequestInput, type PrincipalInput } from 'actioncenter';
import { SCHEMA_VERSION, createPostgresRepository, migrate } from 'actioncenter/postgres';

const db = new PGlite();

// 1. Create the tables (safe to run on every start: a database that is up to date is left alone).
const migrated = await migrate(db);
if (!migrated.ok) throw new Error(migrated.error.message);
// A new database gets every migration, 1 up to the version this release needs.
assert.deepEqual(
  migrated.value.applied,
  Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
);
assert.equal(migrated.value.to, SCHEMA_VERSION);
const second = await migrate(db);
assert.ok(second.ok && second.value.applied.length === 0);
console.log(`schema version ${migrated.value.to} (applied: ${migrated.value.applied.join(', ')})`);

// 2. Two centers on one database, as two instances of an application would be.
const repository = createPostgresRepository({ client: db });
let tick = Date.UTC(2026, 10, 23, 9, 0, 0);
const clock = { now: () => (tick += 1000) };
// Ids must be unique across instances: random ones by default; here one shared sequence, for readable output.
const idGenerator = sequentialIdGenerator();
const center = createActionCenter({ repository, clock, idGenerator });
const otherInstance = createActionCenter({ repository: createPostgresRepository({ client: db }), clock, idGenerator });

const quarantine = (device: string): BuiltInRequestInput => ({
  actionType: 'quarantineFile',
  target: {
    kind: 'file',
    deviceId: `dev-${device}`,
    deviceName: device,
    deviceGroup: 'Workstations',
    path: 'C:\\Users\\alex\\Downloads\\invoice.exe',
    sha1: 'ab'.repeat(20),
  },
  source: 'automatedDeviceAction',
  verdict: 'suspicious',
  investigationId: 'inv-42',
  requestedBy: { type: 'system', component: 'automatedInvestigation' },
});
const analyst: PrincipalInput = {
  id: 'alice@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};

// 3. An automated investigation proposes three quarantines: suspicious files wait for approval.
const submitted: string[] = [];
for (const device of ['LAPTOP-1', 'LAPTOP-2', 'LAPTOP-3']) {
  const r = await center.submit({ request: quarantine(device) });
  if (!r.ok) throw new Error(r.error.message);
  assert.equal(r.value.disposition, 'pending');
  submitted.push(r.value.action.id);
}
// The same action again, from the other instance: refused, one open action per type and target.
const again = await otherInstance.submit({ request: quarantine('LAPTOP-1') });
assert.equal(again.ok ? 'ok' : again.error.code, 'duplicateOpenAction');

// 4. The Pending view, filtered and sorted in SQL.
const pending = await center.list({
  principal: analyst,
  query: { filter: { view: 'pending' }, sort: { column: 'createdAt', direction: 'asc' } },
});
if (!pending.ok) throw new Error(pending.error.message);
assert.equal(pending.value.total, 3);
console.log(
  `pending: ${pending.value.items.map((a) => `${a.id} on ${a.target.kind === 'file' ? a.target.deviceName : '?'}`).join(', ')}`,
);

// 5. Both instances approve the first two at once: each action is decided exactly once.
const [mine, theirs] = await Promise.all([
  center.approve({ principal: analyst, ids: submitted.slice(0, 2), comment: 'Confirmed malicious' }),
  otherInstance.approve({ principal: analyst, ids: submitted.slice(0, 2), comment: 'Confirmed malicious' }),
]);
if (!mine.ok || !theirs.ok) throw new Error('approve failed as a whole');
// An id the other instance decided first is not applied here (`conflict` or `invalidState`), not lost.
assert.equal(mine.value.counts.applied + theirs.value.counts.applied, 2);
console.log(
  `approvals recorded: ${mine.value.counts.applied} here, ${theirs.value.counts.applied} by the other instance`,
);

// 6. Run the approved actions (the default executor does nothing and succeeds).
const report = await center.run();
if (!report.ok) throw new Error(report.error.message);
assert.equal(report.value.succeeded, 2);

// 7. The History view and an audit trail.
const history = await center.list({ principal: analyst, query: { filter: { view: 'history' } } });
if (!history.ok) throw new Error(history.error.message);
assert.deepEqual(
  history.value.items.map((a) => a.status),
  ['succeeded', 'succeeded'],
);
const trail = await center.auditTrail({ principal: analyst, id: submitted[0] as string });
if (!trail.ok) throw new Error(trail.error.message);
assert.deepEqual(
  trail.value.map((e) => e.type),
  ['created', 'approve', 'start', 'succeed'],
);
console.log(
  `history: ${history.value.total} succeeded; audit trail of ${submitted[0]}: ${trail.value.map((e) => e.type).join(' -> ')}`,
);

await db.close();
