/**
 * Shared test fixtures: a complete stored {@link ActionRecord} and the device and file targets it
 * points at.
 *
 * Every ActionRecord field is required (`null` when absent), so tests build one here and override only
 * the fields they are about. The defaults are a plain pending automated quarantine of `C:\x.exe` on
 * LAPTOP-1 (Workstations), created and last updated at t = 1 000 ms; a test whose assertions depend on
 * other values passes them explicitly.
 */
import { type ActionId, type ActionRecord } from '../../src/index.js';
import { asId, type DeviceGroupId, type TargetOf } from '../../src/adapter-kit.js';

/** The device part of an endpoint target; `deviceGroup` is a plain string, branded here. */
export interface DeviceFields {
  readonly deviceId?: string;
  readonly deviceName?: string;
  readonly deviceGroup?: string;
}

/** The file part of a file target. */
export interface FileFields extends DeviceFields {
  readonly path?: string;
  readonly sha1?: string | null;
  readonly sha256?: string | null;
}

/**
 * A device target (defaults: `dev-1`, `LAPTOP-1`, group `Workstations`).
 *
 * @example
 * ```ts
 * deviceTarget({ deviceId: 'd1', deviceName: 'PC-1' });
 * ```
 */
export function deviceTarget(fields: DeviceFields = {}): TargetOf<'device'> {
  const { deviceId = 'dev-1', deviceName = 'LAPTOP-1', deviceGroup = 'Workstations' } = fields;
  return { kind: 'device', deviceId, deviceName, deviceGroup: asId<DeviceGroupId>(deviceGroup) };
}

/**
 * A file target on a device (defaults: {@link deviceTarget}'s device, `C:\x.exe`, no hashes).
 *
 * @example
 * ```ts
 * fileTarget({ deviceId: 'd2', sha256: 'ab'.repeat(32) });
 * ```
 */
export function fileTarget(fields: FileFields = {}): TargetOf<'file'> {
  const { path = 'C:\\x.exe', sha1 = null, sha256 = null } = fields;
  const { deviceId, deviceName, deviceGroup } = deviceTarget(fields);
  return { kind: 'file', deviceId, deviceName, deviceGroup, path, sha1, sha256 };
}

/**
 * A complete stored action: a pending automated quarantine of {@link fileTarget}'s default file, every
 * optional field `null`, with `overrides` applied on top.
 *
 * @example
 * ```ts
 * actionRecord({ id: asId<ActionId>('a1'), status: 'succeeded' });
 * ```
 */
export function actionRecord(overrides: Partial<ActionRecord> = {}): ActionRecord {
  return {
    id: asId<ActionId>('act-1'),
    version: 1,
    actionType: 'quarantineFile',
    workload: 'endpoint',
    source: 'automatedDeviceAction',
    target: fileTarget(),
    parameters: {},
    status: 'pending',
    investigationId: null,
    incidentId: null,
    alertId: null,
    approvalId: null,
    verdict: null,
    requestedBy: { type: 'system', component: 'automatedInvestigation' },
    requestComment: null,
    createdAt: 1_000,
    expiresAt: null,
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    startedAt: null,
    deadlineAt: null,
    completedAt: null,
    failure: null,
    undoActionId: null,
    undoOf: null,
    undoRequestedBy: null,
    undoRequestedAt: null,
    undoCompletedAt: null,
    updatedAt: 1_000,
    externalReference: null,
    executionDetails: null,
    attempt: 0,
    retryAt: null,
    openKey: null,
    auditHead: null,
    noteCount: 0,
    lastNote: null,
    revertAfterMs: null,
    revertAt: null,
    requiredApprovals: 1,
    approvals: [],
    retryOf: null,
    retriedBy: null,
    retryCount: 0,
    // Issue 16, approval deadlines: none. The empty group is frozen, as the rules share one (a record
    // stored deep-frozen is kept as it is).
    escalateAt: null,
    escalatedAt: null,
    escalatedTo: Object.freeze([]) as unknown as ActionRecord['escalatedTo'],
    ...overrides,
  };
}
