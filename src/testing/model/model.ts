/**
 * The model of the model-based tests: ids, statuses, who may act and what the executor will say,
 * with none of the engine's machinery. Commands predict from it, run the engine, compare, and move
 * it on.
 *
 * @module
 */
import {
  builtInCatalog,
  manualClock,
  type ActionCenter,
  type ActionRequestInput,
  type ActionSourceId,
  type ActionStatus,
  type ActionTypeDefinition,
  type DuplicatePolicy,
} from 'actioncenter';
import { DEFAULT_PENDING_EXPIRY_MS, openKeyOf, TargetSchema } from 'actioncenter/adapter-kit';
import type { ScriptedOutcome } from './executor.js';
import { MODEL_PERSONAS, type ModelPermissions, type ModelPersona } from './personas.js';

export type { ScriptedOutcome } from './executor.js';

/**
 * What the model knows of an action's execution, once a run started it: its deadline, the remote
 * reference (dispatched), the details and the reported failure on the record, and the reports kept
 * as discarded (each report's fingerprint), so that a report's answer can be predicted.
 *
 * @example
 * ```ts
 * import type { ModelExecution } from 'actioncenter/testing';
 * const dispatched = (e: ModelExecution) => e.reference !== null;
 * ```
 */
export interface ModelExecution {
  /** When the run started it. */
  readonly startedAt: number;
  /** Its deadline: started + the type's deadline. */
  readonly deadlineAt: number;
  /** The reference the executor answered `accepted` with, else null. */
  reference: string | null;
  /** The execution details on the record (merged), or null. */
  details: Readonly<Record<string, string | number | boolean | null>> | null;
  /** The failure a report recorded, or null (other failures are never equal to a report's). */
  reportedFailure: { readonly code: string; readonly message: string } | null;
  /** Fingerprints of the reports the trail keeps as discarded (or as the time-out they caused). */
  readonly discarded: Set<string>;
}

/**
 * One action as the model knows it.
 *
 * @example
 * ```ts
 * import type { ModelAction } from 'actioncenter/testing';
 * const open = (a: ModelAction) => a.status === 'pending' || a.status === 'approved' || a.status === 'running';
 * ```
 */
export interface ModelAction {
  /** The action's id, as the engine gave it. */
  readonly id: string;
  /** The status the engine must report. */
  status: ActionStatus;
  /** Its action type. */
  readonly actionType: ActionTypeDefinition;
  /** Its source. */
  readonly source: ActionSourceId;
  /** The target's device group, or null. */
  readonly deviceGroup: string | null;
  /**
   * The open key (`openKeyOf`: conflict group or type, and the target's identity), for duplicates
   * and conflicts; an undo counterpart has its own type's (issue 16: a release holds the isolation group).
   */
  readonly openKey: string | null;
  /** When a pending action expires; null once it left pending. */
  expiresAt: number | null;
  /** For a counterpart: the action it undoes, else `null`. */
  readonly undoOf: string | null;
  /** The principal id that requested it (four eyes), or `null`/absent for the system. */
  readonly requestedBy?: string | null;
  /** The counterpart carrying out its undo, once requested, else `null`. */
  undoActionId: string | null;
  /** Its manual retry (issue 16), once retried (absent or null: not retried). */
  retriedBy?: string | null;
  /** How many manual retries led to it (absent: 0). */
  retryCount?: number;
  /** What the scripted executor will do with it. */
  readonly outcome: ScriptedOutcome;
  /** Its execution, once a run started it (absent before). */
  execution?: ModelExecution;
  /** How many times a run started it (absent: never). */
  attempt?: number;
  /** When it may start again after a transient failure (absent or null: no retry waiting). */
  retryAt?: number | null;
  /** Its approval deadline while pending and not escalated (issue 16; absent or null: none). */
  escalateAt?: number | null;
  /** When its approval deadline escalated it (absent or null: not escalated). */
  escalatedAt?: number | null;
  /** Time-limited (issue 16): how long after its success its undo is requested (absent or null: not time-limited). */
  revertAfterMs?: number | null;
  /** Succeeded and time-limited: when `run` requests its undo by `autoRevert` (absent or null: never). */
  revertAt?: number | null;
  /** How many notes were added to it (issue 16; absent: none). */
  noteCount?: number;
  /** N-of-M approvals (issue 16): how many it needs while pending (absent: 1). */
  readonly requiredApprovals?: number;
  /** The principals whose approvals it has while pending, in order (absent: none). */
  approvals?: string[];
}

/**
 * The model: the time, the actions in creation order, the claimed idempotency keys, and the rules
 * it predicts by (duplicate policy, permissions, pending expiry).
 *
 * @example
 * ```ts
 * import type { ActionCenterModel } from 'actioncenter/testing';
 * const pending = (m: ActionCenterModel) => [...m.actions.values()].filter((a) => a.status === 'pending').length;
 * ```
 */
export interface ActionCenterModel {
  /** The model's clock, epoch milliseconds; commands advance it with the real clock. */
  now: number;
  /** The actions the model expects, by id. */
  readonly actions: Map<string, ModelAction>;
  /** Their ids in submission order. */
  readonly order: string[];
  /** Idempotency keys seen, by requester and key (a key is its requester's own), each with the action id it created. */
  readonly idempotencyKeys: Map<string, string>;
  /** The request each of those keys was first used for (a fingerprint): another request under it is a conflict. */
  readonly idempotencyRequests: Map<string, string>;
  /** What the model predicts with: the duplicate policy, who may do what, and the pending expiry. */
  readonly rules: {
    readonly duplicates: DuplicatePolicy;
    readonly permissions: ModelPermissions;
    readonly pendingExpiryMs: number;
    /** Whether the requester of an action is denied its approval or rejection (the default policy's four eyes). */
    readonly fourEyes: boolean;
    /** The approval deadline of every pending action (issue 16; absent or null: none). */
    readonly decideWithinMs?: number | null;
    /** How long an approved action never started waits before it expires (issue 16; absent or null: never). */
    readonly approvedExpiryMs?: number | null;
    /** N-of-M approvals (issue 16): the approvals every pending action needs (absent: 1). */
    readonly requiredApprovals?: number;
  };
}

/**
 * The system under test: the engine, the clock the commands move, and the script the executor follows
 * (by action id; unscripted actions succeed).
 *
 * @example
 * ```ts
 * import type { ActionCenterReal } from 'actioncenter/testing';
 * const scripted = (r: ActionCenterReal) => r.script.size;
 * ```
 */
export interface ActionCenterReal {
  /** The engine under test. */
  readonly center: ActionCenter;
  /** Its manual clock; commands move it. */
  readonly clock: ReturnType<typeof manualClock>;
  /** What the scripted executor does, by action id (unscripted actions succeed). */
  readonly script: Map<string, ScriptedOutcome>;
}

/**
 * A model-based check failed: the engine did something the model did not predict.
 *
 * @example
 * ```ts
 * import { ModelMismatchError } from 'actioncenter/testing';
 * const e = new ModelMismatchError('approve(act-1): expected "succeeded", got "denied"');
 * e.name; // 'ModelMismatchError'
 * ```
 */
export class ModelMismatchError extends Error {
  override readonly name = 'ModelMismatchError';
}

/** Throws a {@link ModelMismatchError} unless `actual` equals `expected` (compared as JSON). */
export function agree(what: string, actual: unknown, expected: unknown): void {
  // Object keys in code-unit order: a map such as `executionDetails` read back from PostgreSQL's
  // JSONB comes in the order JSONB keeps (shorter keys first), and key order means nothing there.
  const a = JSON.stringify(actual, sortedKeys);
  const e = JSON.stringify(expected, sortedKeys);
  if (a !== e) throw new ModelMismatchError(`${what}: the model expected ${e}, the engine gave ${a}`);
}

/** A JSON.stringify replacer writing every plain object's keys in code-unit order (arrays keep theirs). */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) sorted[k] = (value as Record<string, unknown>)[k];
  return sorted;
}

const DEVICES = [
  { name: 'LAPTOP-1', group: 'Workstations' },
  { name: 'SRV-DB-01', group: 'Servers' },
  { name: 'LAPTOP-2', group: 'Workstations' },
  { name: 'SRV-WEB-02', group: 'Servers' },
] as const;
const CLUSTERS = ['subject:"Invoice overdue"', 'from:billing@fabrikam.example'] as const;
const USERS = [
  { userId: 'user-1', userPrincipalName: 'alex@contoso.com' },
  { userId: 'user-2', userPrincipalName: 'ceo@contoso.com' },
] as const;

/**
 * What a submit command submits: an automated quarantine (malicious: taken now; suspicious: pending),
 * an automated email cluster soft delete (always pending), or a manual isolate, scan or disable
 * user by a persona, taken directly or proposed. `target` picks among a few fixed targets, so that
 * duplicates happen. (Every undoable action a plan makes comes from a source whose actions may be
 * undone: automated investigation or manual response.)
 *
 * @example
 * ```ts
 * import type { SubmitPlan } from 'actioncenter/testing';
 * const plan: SubmitPlan = { kind: 'isolateDevice', target: 1, persona: 'serversResponder', propose: false };
 * ```
 */
export type SubmitPlan =
  | { readonly kind: 'quarantineFile'; readonly target: number; readonly verdict: 'malicious' | 'suspicious' }
  | { readonly kind: 'softDeleteEmailClusters'; readonly target: number }
  | {
      readonly kind: 'isolateDevice' | 'runAntivirusScan' | 'disableUser';
      readonly target: number;
      readonly persona: ModelPersona;
      readonly propose: boolean;
    };

/** The engine's request for a plan, the persona submitting it (null: the system), and what the model keeps. */
export function requestOfPlan(plan: SubmitPlan): {
  readonly request: ActionRequestInput;
  readonly persona: ModelPersona | null;
  readonly actionType: ActionTypeDefinition;
  readonly source: ActionSourceId;
  readonly deviceGroup: string | null;
  readonly openKey: string;
  readonly startsPending: boolean;
} {
  const automation = { type: 'system', component: 'automatedInvestigation' } as const;
  const device = DEVICES[plan.target % DEVICES.length] as (typeof DEVICES)[number];
  const onDevice = { deviceId: `dev-${device.name}`, deviceName: device.name, deviceGroup: device.group };
  const actionType = builtInCatalog.require(plan.kind);
  switch (plan.kind) {
    case 'quarantineFile':
      return {
        request: {
          actionType: plan.kind,
          target: { kind: 'file', ...onDevice, path: 'C:\\Users\\alex\\Downloads\\invoice.exe', sha1: 'ab'.repeat(20) },
          source: 'automatedDeviceAction',
          verdict: plan.verdict,
          investigationId: 'inv-model',
          requestedBy: automation,
        },
        persona: null,
        actionType,
        source: 'automatedDeviceAction',
        deviceGroup: device.group,
        openKey: keyOf(actionType, {
          kind: 'file',
          ...onDevice,
          path: 'C:\\Users\\alex\\Downloads\\invoice.exe',
          sha1: 'ab'.repeat(20),
        }),
        // Full automation (the default level) remediates malicious files at once.
        startsPending: plan.verdict !== 'malicious',
      };
    case 'softDeleteEmailClusters': {
      const query = CLUSTERS[plan.target % CLUSTERS.length] as string;
      return {
        request: {
          actionType: plan.kind,
          target: { kind: 'emailCluster', query },
          parameters: { query },
          source: 'automatedEmailAction',
          investigationId: 'inv-model',
          requestedBy: automation,
        },
        persona: null,
        actionType,
        source: 'automatedEmailAction',
        deviceGroup: null,
        openKey: keyOf(actionType, { kind: 'emailCluster', query }),
        // Seed 004: no email remediation is taken automatically.
        startsPending: true,
      };
    }
    case 'isolateDevice':
    case 'runAntivirusScan':
    case 'disableUser': {
      const by = { type: 'principal', id: MODEL_PERSONAS[plan.persona].id } as const;
      if (plan.kind === 'disableUser') {
        const user = USERS[plan.target % USERS.length] as (typeof USERS)[number];
        return {
          // Identity actions come only through advanced hunting among the built-in sources.
          request: {
            actionType: plan.kind,
            target: { kind: 'user', ...user },
            source: 'advancedHuntingAction',
            requestedBy: by,
            propose: plan.propose,
          },
          persona: plan.persona,
          actionType,
          source: 'advancedHuntingAction',
          deviceGroup: null,
          openKey: keyOf(actionType, { kind: 'user', ...user }),
          startsPending: plan.propose,
        };
      }
      return {
        request: {
          actionType: plan.kind,
          target: { kind: 'device', ...onDevice },
          parameters: plan.kind === 'isolateDevice' ? { isolationType: 'full' } : { scanType: 'quick' },
          source: 'manualDeviceAction',
          requestedBy: by,
          propose: plan.propose,
        },
        persona: plan.persona,
        actionType,
        source: 'manualDeviceAction',
        deviceGroup: device.group,
        openKey: keyOf(actionType, { kind: 'device', ...onDevice }),
        startsPending: plan.propose,
      };
    }
    default: {
      const unknown: never = plan;
      throw new Error(`Unknown plan ${JSON.stringify(unknown)}`);
    }
  }
}

/** The engine's open key of a type on a target (issue 16: conflict group and target identity). */
function keyOf(actionType: ActionTypeDefinition, target: unknown): string {
  return openKeyOf(actionType, TargetSchema.parse(target));
}

/** The open key an undo counterpart of `original` holds: its own type's on the same target (same identity). */
export function counterpartKeyOf(original: ModelAction, counterpartType: ActionTypeDefinition): string | null {
  if (original.openKey === null) return null;
  const identity = original.openKey.slice(original.openKey.indexOf('\u0000') + 1);
  const first =
    counterpartType.conflictGroup === undefined ? counterpartType.id : `group:${counterpartType.conflictGroup}`;
  return `${first}\u0000${identity}`;
}

/** A fresh model. */
export function emptyModel(
  now: number,
  duplicates: DuplicatePolicy,
  permissions: ModelPermissions,
  fourEyes = true,
): ActionCenterModel {
  return {
    now,
    actions: new Map(),
    order: [],
    idempotencyKeys: new Map(),
    idempotencyRequests: new Map(),
    rules: { duplicates, permissions, pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS, fourEyes },
  };
}

const OPEN: ReadonlySet<ActionStatus> = new Set<ActionStatus>(['pending', 'approved', 'running']);

/** Is the model action open (pending, approved, running)? */
export function isOpen(action: ModelAction): boolean {
  return OPEN.has(action.status);
}

/** The model's actions in creation order. */
export function actionsOf(model: Readonly<ActionCenterModel>): ModelAction[] {
  return model.order.map((id) => model.actions.get(id) as ModelAction);
}

/**
 * The sweep of the model: expires the pending actions (and, issue 16, the approved ones never
 * started) whose time has come, and escalates the pending ones whose approval deadline passed;
 * returns how many expired.
 */
export function expireModel(model: ActionCenterModel): number {
  return sweepModel(model).expired;
}

/** {@link expireModel}, answering how many it expired and how many it escalated. */
export function sweepModel(model: ActionCenterModel): { expired: number; escalated: number } {
  let expired = 0;
  let escalated = 0;
  for (const action of actionsOf(model)) {
    const due = action.expiresAt !== null && action.expiresAt <= model.now;
    // Pending, or approved and never started (issue 16: a retry-waiting one does not expire).
    const neverStarted = action.status === 'approved' && (action.attempt ?? 0) === 0;
    if (due && (action.status === 'pending' || neverStarted)) {
      action.status = 'expired';
      action.expiresAt = null;
      action.escalateAt = null;
      expired += 1;
    } else if (action.status === 'pending' && (action.escalateAt ?? null) !== null) {
      // Issue 16: the approval deadline passed: escalated once, at the sweep's time (expiry wins above).
      if ((action.escalateAt as number) <= model.now) {
        action.escalatedAt = model.now;
        action.escalateAt = null;
        escalated += 1;
      }
    }
  }
  return { expired, escalated };
}

/**
 * Records a success (issue 16): a time-limited action's undo is due `revertAfterMs` after it, however
 * the success came (a run, a report, a late success after a time-out).
 */
export function succeededModel(action: ModelAction, now: number): void {
  action.status = 'succeeded';
  const after = action.revertAfterMs ?? null;
  action.revertAt = after === null ? null : now + after;
}

/**
 * Ends an undo: the original of a finished counterpart leaves `undoing`. Only the undo the
 * counterpart carries out: a late success of a counterpart that timed out settles nothing again.
 */
export function endUndo(model: ActionCenterModel, counterpart: ModelAction): void {
  if (counterpart.undoOf === null || counterpart.status === 'running') return;
  const original = model.actions.get(counterpart.undoOf);
  if (original === undefined || original.status !== 'undoing' || original.undoActionId !== counterpart.id) return;
  original.status = counterpart.status === 'succeeded' ? 'undone' : 'undoFailed';
}

/**
 * The status an execution ends in, by script (`accepted`: it runs on, dispatched; `transient`: the
 * final failure, once its type's policy has no attempt left).
 */
export function statusAfterRun(outcome: ScriptedOutcome): 'succeeded' | 'failed' | 'timedOut' | 'running' {
  switch (outcome) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
    case 'partial':
    case 'throws':
    case 'transient':
      return 'failed';
    case 'hang':
      return 'timedOut';
    case 'accepted':
      return 'running';
    default: {
      const unknown: never = outcome;
      throw new Error(`Unknown outcome ${String(unknown)}`);
    }
  }
}

// The scripted executor and deadline timer live in ./executor.ts; this path stays for imports of them.
export { nextTurnSleep, scriptedExecutor } from './executor.js';
