/**
 * Deterministic benchmark data: actions spread over six months, with realistic mixes of types,
 * targets, statuses and comments (a few of which need CSV quoting or formula neutralisation).
 *
 * Records are built by one object literal in `ActionRecord` field order, so they all share one
 * hidden class (uniform shapes), like the records the repository stores.
 *
 * @module
 */
import {
  type ActionId,
  type ActionRecord,
  type Actor,
  type ActionSourceId,
  type Target,
  type Workload,
} from '../src/index.js';
import { openKeyOf, type PrincipalId, type DeviceGroupId } from '../src/adapter-kit.js';
import { createHash } from 'node:crypto';
import { prng } from './harness.js';

/** "Now" for every case: the end of the six months of data. */
export const NOW = Date.UTC(2026, 5, 30, 12, 0, 0);
export const DAY = 24 * 60 * 60 * 1000;
/** The span the History data covers: six months back from {@link NOW}. */
export const SPAN = 182 * DAY;

interface TypeSpec {
  readonly id: string;
  readonly workload: Workload;
  readonly weight: number;
  readonly automated: boolean;
  readonly target: (n: number, r: () => number) => Target;
  readonly parameters: (target: Target) => Record<string, unknown>;
}

// Pools built once, at module load: strings shared by many records, as in real data (device names
// repeat, hashes repeat). Built before any heap measurement, so no case pays for them.
const DEVICES = Array.from({ length: 20_000 }, (_, i) => {
  const name = `${i % 5 === 0 ? 'SRV' : 'LAPTOP'}-${String(i).padStart(5, '0')}`;
  return {
    deviceId: `dev-${i}`,
    deviceName: name,
    deviceGroup: (i % 5 === 0 ? 'Servers' : 'Workstations') as DeviceGroupId,
  };
});
const MAILBOXES = Array.from({ length: 5_000 }, (_, i) => `user${i}@contoso.com`);
const SHA1S = Array.from({ length: 2_000 }, (_, i) => (i.toString(16).padStart(8, '0') + 'ab'.repeat(16)).slice(0, 40));
const PATHS = [
  'C:\\Users\\alex\\Downloads\\invoice.exe',
  'C:\\Windows\\Temp\\svc.dll',
  'C:\\ProgramData\\updater\\upd.exe',
  'D:\\share\\tools\\psexec.exe',
];
const URLS = Array.from({ length: 1_000 }, (_, i) => `https://phish${i}.example/login?session=${i}`);
const PRINCIPALS = Array.from({ length: 50 }, (_, i) => `analyst${i}@contoso.com` as PrincipalId);
const COMMENTS: readonly (string | null)[] = [
  null,
  null,
  null,
  'Confirmed malicious',
  'False positive, see ticket 4411',
  'Approved per runbook "IR-7", step 3',
  'Multi-line note:\nchecked with the device owner',
  '=HYPERLINK("http://evil.example")',
  'Verified',
  'OK',
];

/** The device fields of a target, written out (not spread) so every target of a kind has one shape. */
function onDevice(r: () => number): { deviceId: string; deviceName: string; deviceGroup: DeviceGroupId } {
  const d = DEVICES[Math.floor(r() * DEVICES.length)] as (typeof DEVICES)[number];
  return { deviceId: d.deviceId, deviceName: d.deviceName, deviceGroup: d.deviceGroup };
}
const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)] as T;

const TYPES: readonly TypeSpec[] = [
  {
    id: 'quarantineFile',
    workload: 'endpoint',
    weight: 25,
    automated: true,
    target: (_n, r) => ({ kind: 'file', ...onDevice(r), path: pick(PATHS, r), sha1: pick(SHA1S, r), sha256: null }),
    parameters: () => ({}),
  },
  {
    id: 'isolateDevice',
    workload: 'endpoint',
    weight: 10,
    automated: false,
    target: (_n, r) => ({ kind: 'device', ...onDevice(r) }),
    parameters: () => ({ isolationType: 'full' }),
  },
  {
    id: 'runAntivirusScan',
    workload: 'endpoint',
    weight: 10,
    automated: false,
    target: (_n, r) => ({ kind: 'device', ...onDevice(r) }),
    parameters: () => ({ scanType: 'quick' }),
  },
  {
    id: 'killProcess',
    workload: 'endpoint',
    weight: 7,
    automated: true,
    target: (n, r) => ({
      kind: 'process',
      ...onDevice(r),
      processName: 'evil.exe',
      processId: n % 65_536,
      sha1: pick(SHA1S, r),
    }),
    parameters: () => ({}),
  },
  {
    id: 'removeRegistryKey',
    workload: 'endpoint',
    weight: 5,
    automated: true,
    target: (_n, r) => ({
      kind: 'registryKey',
      ...onDevice(r),
      keyPath: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
      valueName: null,
    }),
    parameters: () => ({}),
  },
  {
    id: 'softDeleteEmail',
    workload: 'email',
    weight: 15,
    automated: true,
    target: (n, r) => ({
      kind: 'emailMessage',
      mailbox: pick(MAILBOXES, r),
      networkMessageId: `nmi-${n}`,
      subject: 'Invoice overdue, pay now',
    }),
    parameters: (t) => ({ networkMessageId: t.kind === 'emailMessage' ? t.networkMessageId : '' }),
  },
  {
    id: 'moveToJunk',
    workload: 'email',
    weight: 10,
    automated: true,
    target: (n, r) => ({
      kind: 'emailMessage',
      mailbox: pick(MAILBOXES, r),
      networkMessageId: `nmi-${n}`,
      subject: null,
    }),
    parameters: (t) => ({ networkMessageId: t.kind === 'emailMessage' ? t.networkMessageId : '' }),
  },
  {
    id: 'blockUrl',
    workload: 'email',
    weight: 8,
    automated: true,
    target: (_n, r) => ({ kind: 'url', url: pick(URLS, r) }),
    parameters: (t) => ({ url: t.kind === 'url' ? t.url : '' }),
  },
  {
    id: 'disableUser',
    workload: 'identity',
    weight: 5,
    automated: false,
    target: (_n, r) => {
      const upn = pick(MAILBOXES, r);
      return { kind: 'user', userId: `uid-${upn}`, userPrincipalName: upn };
    },
    parameters: () => ({}),
  },
  {
    id: 'softDeleteEmailClusters',
    workload: 'email',
    weight: 5,
    automated: true,
    target: (n) => ({
      kind: 'emailCluster',
      query: `subject:"Invoice ${n % 97}" AND from:billing@fabrikam.example`,
      messageCount: 12,
    }),
    parameters: (t) => ({ query: t.kind === 'emailCluster' ? t.query : '' }),
  },
];
const TYPE_TABLE: readonly TypeSpec[] = TYPES.flatMap((t) => Array.from({ length: t.weight }, () => t));
const TYPES_BY_ID = new Map(TYPES.map((t) => [t.id, t]));

/** Final statuses of History, weighted (most actions succeed). */
const FINAL_MIX: readonly ActionRecord['status'][] = [
  ...Array.from({ length: 60 }, () => 'succeeded' as const),
  ...Array.from({ length: 8 }, () => 'failed' as const),
  ...Array.from({ length: 8 }, () => 'rejected' as const),
  ...Array.from({ length: 8 }, () => 'expired' as const),
  ...Array.from({ length: 6 }, () => 'cancelled' as const),
  ...Array.from({ length: 5 }, () => 'undone' as const),
  ...Array.from({ length: 3 }, () => 'timedOut' as const),
  ...Array.from({ length: 2 }, () => 'undoFailed' as const),
];

/** Action id of the `n`th generated action: fixed width, so id order is generation order. */
export function actionId(n: number): ActionId {
  return `act-${String(n).padStart(8, '0')}` as ActionId;
}

interface RecordSpec {
  readonly n: number;
  readonly type: TypeSpec;
  readonly status: ActionRecord['status'];
  readonly createdAt: number;
  readonly r: () => number;
  /** A target of its own instead of one generated for the type. */
  readonly target?: Target;
}

/** One record, built by one literal in `ActionRecord` field order (one hidden class for all). */
function record(spec: RecordSpec): ActionRecord {
  const { n, type, status, createdAt, r } = spec;
  const target = spec.target ?? type.target(n, r);
  const decided = status !== 'pending';
  const ran =
    status === 'succeeded' ||
    status === 'failed' ||
    status === 'timedOut' ||
    status === 'undone' ||
    status === 'undoFailed' ||
    status === 'running';
  const done = ran && status !== 'running';
  const decidedAt = decided ? createdAt + 60_000 : null;
  const startedAt = ran ? createdAt + 120_000 : null;
  const open = status === 'pending' || status === 'approved' || status === 'running';
  const failure =
    status === 'failed' || status === 'timedOut'
      ? { code: status === 'failed' ? 'deviceUnreachable' : 'deadlineExceeded', message: 'The device did not answer' }
      : null;
  const requestedBy: Actor = type.automated
    ? { type: 'system', component: 'automatedInvestigation' }
    : { type: 'principal', id: pick(PRINCIPALS, r) };
  const decidedBy: Actor | null = !decided
    ? null
    : status === 'expired'
      ? { type: 'system', component: 'expiry' }
      : { type: 'principal', id: pick(PRINCIPALS, r) };
  const undone = status === 'undone' || status === 'undoFailed';
  return {
    id: actionId(n),
    version: 1 + (decided ? 1 : 0) + (ran ? 1 : 0) + (done ? 1 : 0) + (undone ? 2 : 0),
    actionType: type.id,
    workload: type.workload,
    source: (type.automated
      ? type.workload === 'email'
        ? 'automatedEmailAction'
        : 'automatedDeviceAction'
      : 'manualDeviceAction') as ActionSourceId,
    target,
    parameters: type.parameters(target),
    status,
    investigationId: type.automated ? (`inv-${Math.floor(n / 8)}` as ActionRecord['investigationId']) : null,
    incidentId: null,
    alertId: null,
    approvalId: type.automated ? (`apr-${n}` as ActionRecord['approvalId']) : null,
    verdict: type.automated ? (r() < 0.5 ? 'malicious' : 'suspicious') : null,
    requestedBy,
    requestComment: null,
    createdAt,
    expiresAt: status === 'pending' ? createdAt + 7 * DAY : null,
    decidedBy,
    decidedAt,
    decisionComment: decided ? pick(COMMENTS, r) : null,
    startedAt,
    deadlineAt: startedAt === null ? null : startedAt + 60 * 60_000,
    completedAt: done ? createdAt + 300_000 : null,
    failure,
    undoActionId: undone ? actionId(n + 1_000_000_000) : null,
    undoOf: null,
    undoRequestedBy: undone ? decidedBy : null,
    undoRequestedAt: undone ? createdAt + 3_600_000 : null,
    undoCompletedAt: undone ? createdAt + 3_900_000 : null,
    updatedAt: done ? createdAt + 300_000 : (decidedAt ?? createdAt),
    externalReference: null,
    executionDetails: null,
    attempt: startedAt === null ? 0 : 1,
    retryAt: null,
    openKey: open ? openKeyOf(type.id, target) : null,
    auditHead: null,
    noteCount: 0,
    lastNote: null,
    revertAfterMs: null,
    revertAt: null,
    // The schema's order, as the rules build records: one object shape for every record.
    escalateAt: null,
    escalatedAt: null,
    escalatedTo: [],
    requiredApprovals: 1,
    approvals: [],
    retryOf: null,
    retriedBy: null,
    retryCount: 0,
  };
}

/**
 * `size` actions created over the six months before {@link NOW}, oldest first (ids in creation
 * order). Actions of the last week may still be open (pending, approved, running); older ones are
 * final. Deterministic for a given size and seed.
 */
export function historyActions(size: number, seed = 1): ActionRecord[] {
  const r = prng(seed);
  const start = NOW - SPAN;
  const out = new Array<ActionRecord>(size);
  for (let n = 0; n < size; n++) {
    const createdAt = start + Math.floor(((n + 0.5) * SPAN) / size);
    const type = pick(TYPE_TABLE, r);
    let status = pick(FINAL_MIX, r);
    if (NOW - createdAt < 7 * DAY) {
      const x = r();
      // Open actions need distinct open keys: the generated targets (unique message ids, devices...)
      // can repeat, so only a few types with per-record targets stay open.
      if (x < 0.3 && (type.id === 'softDeleteEmail' || type.id === 'moveToJunk')) status = 'pending';
    }
    out[n] = record({ n, type, status, createdAt, r });
  }
  return out;
}

/**
 * `size` pending actions of the last week, alternating `quarantineFile` and `isolateDevice` (each
 * on its own file or device, so open keys stay distinct), for the bulk approve case.
 */
export function pendingActions(size: number, seed = 2): ActionRecord[] {
  const r = prng(seed);
  const out = new Array<ActionRecord>(size);
  const quarantine = TYPES_BY_ID.get('quarantineFile') as TypeSpec;
  const isolate = TYPES_BY_ID.get('isolateDevice') as TypeSpec;
  for (let n = 0; n < size; n++) {
    const type = n % 2 === 0 ? quarantine : isolate;
    // Distinct targets: the n-th file or device of its own.
    const target: Target =
      type === quarantine
        ? {
            kind: 'file',
            deviceId: `dev-p${n}`,
            deviceName: `PC-${n}`,
            deviceGroup: 'Workstations' as DeviceGroupId,
            path: 'C:\\Users\\alex\\Downloads\\invoice.exe',
            sha1: pick(SHA1S, r),
            sha256: null,
          }
        : {
            kind: 'device',
            deviceId: `dev-p${n}`,
            deviceName: `PC-${n}`,
            deviceGroup: 'Workstations' as DeviceGroupId,
          };
    out[n] = record({
      n,
      type,
      status: 'pending',
      createdAt: NOW - 7 * DAY + Math.floor(((n + 0.5) * 6 * DAY) / size),
      r,
      target,
    });
  }
  return out;
}

/**
 * The raw update a bulk approve is compared with, part one: the approved record as one spread copy
 * (the baselines of bench/cases/bulk-approve.ts, bench/bulk-approve-alloc.ts, bench/scaling-size.ts).
 * Two functions rather than one returning both, so the baseline allocates nothing more than the
 * record and the event.
 *
 * @example
 * ```ts
 * import { rawApprovedRecord, pendingActions } from './data.js';
 * const [a] = pendingActions(1);
 * // rawApprovedRecord(a, { type: 'principal', id: 'x' }, 'ok').status === 'approved'
 * ```
 */
export function rawApprovedRecord(a: ActionRecord, by: ActionRecord['decidedBy'], comment: string): ActionRecord {
  return {
    ...a,
    status: 'approved',
    version: a.version + 1,
    decidedBy: by,
    decidedAt: NOW,
    decisionComment: comment,
    expiresAt: null,
    updatedAt: NOW,
  };
}

/**
 * The raw update's part two: the approval's audit event as one plain object (`k` numbers its id).
 *
 * @example
 * ```ts
 * import { rawApprovalEvent, pendingActions } from './data.js';
 * const [a] = pendingActions(1);
 * // rawApprovalEvent(a, { type: 'principal', id: 'x' }, 'ok', 0).type === 'approve'
 * ```
 */
export function rawApprovalEvent(a: ActionRecord, by: ActionRecord['decidedBy'], comment: string, k: number): object {
  return {
    id: `evt-${k}`,
    actionId: a.id,
    sequence: a.version + 1,
    type: 'approve',
    at: NOW,
    actor: by,
    from: 'pending',
    to: 'approved',
    comment,
    details: {},
  };
}

/**
 * The raw update with a hash chain, the floor of any engine that keeps a tamper-evident audit trail
 * (issue 16): the approval's event gets `previousHash` (the record's audit head) and `hash`, the
 * SHA-256 of its JSON by `node:crypto` (native code, cheaper per byte than any hash a pure core can
 * carry), and the approved record gets the event's hash as its audit head. Writes the event at
 * `events[k]`; returns the record.
 *
 * @example
 * ```ts
 * import { rawChainedApproval, pendingActions } from './data.js';
 * const [a] = pendingActions(1);
 * // const events: object[] = []; rawChainedApproval(a, { type: 'principal', id: 'x' }, 'ok', 0, events).auditHead
 * ```
 */
export function rawChainedApproval(
  a: ActionRecord,
  by: ActionRecord['decidedBy'],
  comment: string,
  k: number,
  events: object[],
): ActionRecord {
  // The raw update's two objects, given the chain's fields in place (no second copy of either).
  const event = rawApprovalEvent(a, by, comment, k) as { previousHash?: string | null; hash?: string };
  event.previousHash = a.auditHead;
  const hash = createHash('sha256').update(JSON.stringify(event)).digest('hex');
  event.hash = hash;
  events[k] = event;
  const record = rawApprovedRecord(a, by, comment) as { auditHead: string | null };
  record.auditHead = hash;
  return record as ActionRecord;
}
