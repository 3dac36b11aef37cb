/**
 * `npm run demo`: one morning in an Action center, end to end on the defaults (in-memory repository,
 * built-in catalogue, default policies), with a scripted executor in place of real devices.
 *
 * 1. An automated investigation proposes quarantine-file actions on three devices and a soft delete
 *    of an email cluster: all wait in Pending (suspicious verdict; email is never automatic).
 * 2. A Security Reader tries to approve and is refused, with the rule and what is missing.
 * 3. A mixed-type bulk approval is refused, naming the offending item.
 * 4. A Security Administrator bulk-approves the three quarantines; the executor fails one.
 * 5. The email action waits for a holder of Search and Purge, who then approves it.
 * 6. The quarantine is undone on every instance of the file ("Apply to X more instances").
 * 7. Pending and History print as tables; History is exported to CSV.
 * 8. Workflows (docs/workflows.md): isolating a server takes two approvals with a comment each, and
 *    is time-limited: the center releases it by itself four hours later. Its audit trail verifies.
 *
 * Every step asserts what it prints, so running the demo in CI proves the scenario still holds.
 */
import assert from 'node:assert/strict';
import {
  ACTION_SOURCES,
  builtInCatalog,
  collectCsv,
  createActionCenter,
  manualClock,
  sequentialIdGenerator,
  type ActionExecutor,
  single,
  type ActionRecord,
  type BuiltInRequestInput,
  type BulkResult,
  type PrincipalInput,
} from 'actioncenter';
import { STATUS_LABELS, approvalProgressText } from 'actioncenter/adapter-kit';
import { printTable, type Column } from './lib/table.js';

const start = Date.UTC(2026, 10, 23, 8, 30);
const clock = manualClock(start);
const minutes = (n: number) => n * 60_000;
const hours = (n: number) => n * 3_600_000;

const reader: PrincipalInput = {
  id: 'riley.reader@contoso.com',
  assignments: [{ role: 'securityReader', assignedIn: 'entraId' }],
};
const secAdmin: PrincipalInput = {
  id: 'sam.secadmin@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};
const purger: PrincipalInput = {
  id: 'pat.purge@contoso.com',
  assignments: [
    { role: 'securityAdministrator', assignedIn: 'entraId' },
    { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' },
  ],
};
const lead: PrincipalInput = {
  id: 'kim.lead@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};

// Stands in for Defender's device agents: LAPTOP-03 is offline, everything else works.
const executor: ActionExecutor = {
  supports: () => true,
  execute: async ({ action }) =>
    'deviceName' in action.target && action.target.deviceName === 'LAPTOP-03' && action.actionType === 'quarantineFile'
      ? { status: 'failed', failure: { code: 'deviceUnreachable', message: 'LAPTOP-03 did not respond' } }
      : { status: 'succeeded' },
};

// Servers are isolated only by two people, each saying why (issue 16's requirement rules).
const approvalPolicy = {
  requirements: [
    {
      match: { actionTypes: ['isolateDevice'], deviceGroups: ['Servers'] },
      requiredApprovals: 2,
      justification: ['submit', 'approve'],
    },
  ],
} as const;
const center = createActionCenter({ clock, idGenerator: sequentialIdGenerator(), executor, approvalPolicy });

const MALWARE_SHA1 = '3395856ce81f2b7382dee72602f798b642f14140';
const automation = { type: 'system', component: 'automatedInvestigation' } as const;

function quarantine(device: string): BuiltInRequestInput {
  return {
    actionType: 'quarantineFile',
    target: {
      kind: 'file',
      deviceId: `dev-${device.toLowerCase()}`,
      deviceName: device,
      deviceGroup: 'Workstations',
      path: 'C:\\Users\\alex\\Downloads\\Invoice_2026-11.pdf.exe',
      sha1: MALWARE_SHA1,
    },
    source: 'automatedDeviceAction',
    verdict: 'suspicious',
    investigationId: 'inv-1042',
    requestedBy: automation,
  };
}

const clusterQuery = 'Subject:"Invoice overdue" AND SenderDomain:fabrikam-billing.example';

function step(title: string): void {
  console.log(`\n== ${title}`);
}

async function must<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

// An item outcome says whether the decision was recorded, not the action's status: print both.
function summarise(result: BulkResult, verb: string): string {
  return result.items
    .map((i) =>
      i.ok
        ? `${i.actionId}: ${verb} recorded, now ${STATUS_LABELS[i.action.status]}`
        : `${i.actionId}: ${i.outcome} (${i.error.code})`,
    )
    .join('; ');
}

const displayName = (a: ActionRecord) => {
  const type = builtInCatalog.get(a.actionType);
  return type.ok ? type.value.displayName : a.actionType;
};
const asset = (a: ActionRecord) =>
  'deviceName' in a.target ? a.target.deviceName : a.target.kind === 'emailCluster' ? 'email cluster' : a.target.kind;
const VIEW_COLUMNS: readonly Column<ActionRecord>[] = [
  { header: 'Action ID', cell: (a) => a.id },
  { header: 'Action type', cell: displayName },
  { header: 'Asset', cell: asset },
  { header: 'Action source', cell: (a) => ACTION_SOURCES[a.source].label },
  { header: 'Status', cell: (a) => STATUS_LABELS[a.status] },
  {
    header: 'Decided by',
    cell: (a) =>
      a.decidedBy === null
        ? null
        : a.decidedBy.type === 'principal'
          ? a.decidedBy.id
          : `Automation (${a.decidedBy.component})`,
  },
  { header: 'Undo of', cell: (a) => a.undoOf },
];

// 1. The investigation proposes.
step('1. Automated investigation inv-1042 proposes remediation');
const quarantines: ActionRecord[] = [];
for (const device of ['LAPTOP-01', 'LAPTOP-02', 'LAPTOP-03']) {
  const r = await must(center.submit({ request: quarantine(device) }));
  console.log(`${r.action.id} Quarantine file on ${device}: ${r.disposition} (${r.rule})`);
  assert.equal(r.disposition, 'pending');
  quarantines.push(r.action);
}
const email = await must(
  center.submit({
    request: {
      actionType: 'softDeleteEmailClusters',
      target: { kind: 'emailCluster', query: clusterQuery, messageCount: 38 },
      parameters: { query: clusterQuery },
      source: 'automatedEmailAction',
      investigationId: 'inv-1042',
      requestedBy: automation,
    },
  }),
);
console.log(`${email.action.id} Soft delete email clusters: ${email.disposition} (${email.rule})`);
assert.equal(email.disposition, 'pending');
const quarantineIds: string[] = quarantines.map((a) => a.id);
const [firstQuarantine = '', , thirdQuarantine = ''] = quarantineIds;

// 2. A reader may look but not act.
clock.advance(minutes(12));
step('2. A Security Reader tries to approve');
// One item: single() turns the bulk answer into "the action as changed, or the typed reason".
const byReader = single(await center.approve({ principal: reader, ids: [firstQuarantine] }));
assert.equal(byReader.ok, false);
if (!byReader.ok && byReader.error.code === 'accessDenied' && !byReader.error.decision.allowed) {
  const { decision } = byReader.error;
  console.log(`approval not recorded: refused by rule ${decision.rule} (${decision.reason}): ${decision.message}`);
}

// 3. Bulk approval needs one action type.
step('3. A bulk approval mixing two action types');
const mixed = await center.approve({ principal: secAdmin, ids: [...quarantineIds, email.action.id] });
assert.equal(mixed.ok, false);
if (!mixed.ok && mixed.error.code === 'selectionRefused') {
  console.log(`refused: ${mixed.error.message}`);
  console.log(`offending: ${mixed.error.offending.map((o) => `${o.actionId} (${o.reason})`).join(', ')}`);
  assert.deepEqual(
    mixed.error.offending.map((o) => o.actionId),
    [email.action.id],
  );
}

// 4. The Security Administrator approves the quarantines together; the executor runs them.
clock.advance(minutes(3));
step('4. Security Administrator bulk-approves the three quarantines');
const approved = await must(
  center.approve({ principal: secAdmin, ids: quarantineIds, comment: 'Same file on three laptops: quarantine' }),
);
console.log(summarise(approved, 'approval'));
assert.equal(approved.allApplied, true);
assert.equal(approved.counts.applied, 3);
clock.advance(minutes(1));
const run1 = await must(center.run());
console.log(`executor: ${run1.started} started, ${run1.succeeded} succeeded, ${run1.failed} failed`);
assert.deepEqual([run1.succeeded, run1.failed], [2, 1]);
const failed = await must(center.get({ principal: reader, id: thirdQuarantine }));
console.log(
  `${failed.id} on LAPTOP-03: ${STATUS_LABELS[failed.status]} (${failed.failure?.code}: ${failed.failure?.message})`,
);

// 5. Email remediation needs Security Administrator AND Search and Purge.
step('5. The email action waits for a holder of Search and Purge');
const bySecAdmin = await must(center.approve({ principal: secAdmin, ids: [email.action.id] }));
const [secAdminItem] = bySecAdmin.items;
assert.equal(secAdminItem?.outcome, 'denied');
if (secAdminItem?.outcome === 'denied' && !secAdminItem.error.decision.allowed)
  console.log(`Security Administrator alone: approval not recorded: ${secAdminItem.error.decision.message}`);
const byPurger = await must(
  center.approve({ principal: purger, ids: [email.action.id], comment: 'Phishing campaign confirmed' }),
);
assert.equal(byPurger.counts.applied, 1);
console.log(`${purger.id}: ${summarise(byPurger, 'approval')}`);
await must(center.run());

// 6. The file turns out to be a false positive: undo it on every device at once.
clock.advance(minutes(40));
step('6. False positive: undo the quarantine on every instance of the file');
const undone = await must(
  center.undo({
    principal: secAdmin,
    ids: [firstQuarantine],
    applyToOtherInstances: true,
    comment: 'Vendor-signed installer, false positive',
  }),
);
console.log(`Apply to ${undone.items.length - 1} more instances of this file: ${summarise(undone, 'undo request')}`);
assert.equal(undone.counts.applied, 2); // LAPTOP-03's quarantine failed, so there is nothing to undo there
await must(center.run());
for (const id of quarantineIds.slice(0, 2))
  assert.equal((await must(center.get({ principal: reader, id }))).status, 'undone');

// 7. The two tabs, and the export.
step('7. Pending and History');
const pending = await must(center.list({ principal: reader, query: { filter: { view: 'pending' } } }));
printTable(pending.items, VIEW_COLUMNS, `Pending (${pending.total})`);
const history = await must(
  center.list({
    principal: reader,
    query: {
      filter: { view: 'history', time: { period: 'pastDay' } },
      sort: { column: 'createdAt', direction: 'asc' },
      page: { size: 50 },
    },
  }),
);
printTable(history.items, VIEW_COLUMNS, `History, past day (${history.total})`);
assert.equal(pending.total, 0);
assert.equal(history.total, 6); // 3 quarantines, 1 email action, 2 releases from quarantine

const trail = await must(center.auditTrail({ principal: reader, id: firstQuarantine }));
printTable(
  trail,
  [
    { header: '#', cell: (e) => e.sequence, align: 'right' },
    { header: 'When (UTC)', cell: (e) => new Date(e.at).toISOString().slice(11, 16) },
    { header: 'Event', cell: (e) => e.type },
    { header: 'From', cell: (e) => e.from },
    { header: 'To', cell: (e) => e.to },
    { header: 'By', cell: (e) => (e.actor.type === 'principal' ? e.actor.id : `system:${e.actor.component}`) },
    { header: 'Comment', cell: (e) => e.comment },
  ],
  `Audit trail of ${firstQuarantine}`,
);
assert.deepEqual(
  trail.map((e) => e.to),
  ['pending', 'approved', 'running', 'succeeded', 'undoing', 'undone'],
);

step('History exported to CSV');
const csv = await collectCsv(
  await must(
    center.exportCsv({
      principal: reader,
      query: { filter: { view: 'history' }, sort: { column: 'createdAt', direction: 'asc' } },
    }),
  ),
);
console.log(csv.trimEnd());
assert.equal(csv.split('\r\n').length - 1, 7); // header + 6 rows, CRLF line ends

// 8. Two workflows of issue 16: N-of-M approvals (with a justification each) and a time-limited action.
clock.advance(minutes(5));
step('8. Isolating a server: two approvals, each with a reason; released by itself after 4 hours');
const isolation = await must(
  center.submit({
    principal: secAdmin,
    request: {
      actionType: 'isolateDevice',
      target: { kind: 'device', deviceId: 'dev-srv-db-01', deviceName: 'SRV-DB-01', deviceGroup: 'Servers' },
      parameters: { isolationType: 'selective' },
      source: 'manualDeviceAction',
      requestedBy: { type: 'principal', id: secAdmin.id },
      comment: 'LAPTOP-03 reached SRV-DB-01 over SMB: contain it while we look',
      propose: true,
      revertAfterMs: hours(4),
    },
  }),
);
const isolationId = isolation.action.id;
console.log(`${isolationId} Isolate SRV-DB-01, proposed by ${secAdmin.id}: ${isolation.disposition}`);
const withoutReason = await center.approve({ principal: purger, ids: [isolationId] });
assert.equal(!withoutReason.ok && withoutReason.error.code, 'justificationRequired');
if (!withoutReason.ok) console.log(`an approval without a comment: ${withoutReason.error.code}`);
for (const [approver, why] of [
  [purger, 'Confirmed: SMB sessions from LAPTOP-03'],
  [lead, 'Agreed, the replica takes the load'],
] as const) {
  const approval = single(await center.approve({ principal: approver, ids: [isolationId], comment: why }));
  assert.ok(approval.ok);
  if (approval.ok)
    console.log(
      `${approver.id}: ${STATUS_LABELS[approval.value.status]}, ${approvalProgressText(approval.value)} approvals`,
    );
}
await must(center.run());
const isolated = await must(center.get({ principal: reader, id: isolationId }));
assert.equal(isolated.status, 'succeeded');
console.log(`isolated; the center releases it at ${new Date(isolated.revertAt ?? 0).toISOString()}`);

clock.advance(hours(4));
await must(center.run()); // the revert is due: the release is requested by the center and carried out
const released = await must(center.get({ principal: reader, id: isolationId }));
assert.equal(released.status, 'undone');
const isolationTrail = await must(center.auditTrail({ principal: reader, id: isolationId }));
printTable(
  isolationTrail,
  [
    { header: '#', cell: (e) => e.sequence, align: 'right' },
    { header: 'When (UTC)', cell: (e) => new Date(e.at).toISOString().slice(11, 16) },
    { header: 'Event', cell: (e) => e.type },
    { header: 'To', cell: (e) => e.to },
    { header: 'By', cell: (e) => (e.actor.type === 'principal' ? e.actor.id : `system:${e.actor.component}`) },
  ],
  `Audit trail of ${isolationId}`,
);
assert.deepEqual(
  isolationTrail.map((e) => e.type),
  ['created', 'addApproval', 'approve', 'start', 'succeed', 'requestUndo', 'undoSucceeded'],
);
const verification = await must(center.verifyAuditTrail({ principal: reader, id: isolationId }));
assert.ok(verification.intact);
if (verification.intact) console.log(`audit trail verified: ${verification.chained} events, hash-chained`);
