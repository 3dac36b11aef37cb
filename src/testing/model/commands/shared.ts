/**
 * What the model-based commands share: the command interface, picking an action, and the model's
 * rules for who may act, which statuses accept a decision or an undo, and how the model moves on.
 *
 * @module
 */
import { builtInCatalog, type BulkResult, type Result } from 'actioncenter';
import { isUndoEligibleSource, manualSourceOf } from 'actioncenter/adapter-kit';
import {
  actionsOf,
  agree,
  counterpartKeyOf,
  endUndo,
  ModelMismatchError,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
  type ScriptedOutcome,
} from '../model.js';
import { MODEL_PERSONAS, type ModelPersona } from '../personas.js';

/**
 * A model-based command: fast-check's `AsyncCommand<ActionCenterModel, ActionCenterReal>`, typed
 * structurally so that no fast-check is imported here.
 *
 * @example
 * ```ts
 * import type { ActionCenterCommand } from 'actioncenter/testing';
 * const names = (cmds: Iterable<ActionCenterCommand>) => [...cmds].map(String);
 * ```
 */
export interface ActionCenterCommand {
  /** Whether the command may run in this model state (fast-check skips it otherwise). */
  check(model: Readonly<ActionCenterModel>): boolean;
  /** Predicts the result from the model, runs the engine, compares, moves the model on and checks the invariants. */
  run(model: ActionCenterModel, real: ActionCenterReal): Promise<void>;
  /** How the command reads in a counterexample (`submit(isolateDevice #0 by securityAdministrator, then succeeded)`). */
  toString(): string;
}

export const SUPERVISOR = MODEL_PERSONAS.globalAdministrator;

export function okOf<T>(what: string, result: Result<T, { code: string; message: string }>): T {
  if (!result.ok)
    throw new ModelMismatchError(`${what}: the engine failed with ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Picks an action: among those the pool accepts when any does (and `fromPool`), else among all. */
export function choose(
  model: Readonly<ActionCenterModel>,
  pick: number,
  fromPool: boolean,
  pool: (a: ModelAction) => boolean,
): ModelAction | undefined {
  const all = actionsOf(model);
  const preferred = fromPool ? all.filter(pool) : [];
  const candidates = preferred.length > 0 ? preferred : all;
  return candidates[pick % Math.max(1, candidates.length)];
}

/** The one item of a single-id bulk result. */
export function singleItem(what: string, result: BulkResult) {
  agree(`${what}: one result per id`, result.items.length, 1);
  return result.items[0] as BulkResult['items'][number];
}

/** The operation's subject for the permission table. */
export const subjectOf = (action: ModelAction) => ({ actionType: action.actionType, deviceGroup: action.deviceGroup });

/** May the persona do this to the action: the permission table, and four eyes on approve and reject. */
export function mayAct(
  model: Readonly<ActionCenterModel>,
  persona: ModelPersona,
  operation: DecisionOperation | 'undo',
  action: ModelAction,
): boolean {
  if (!model.rules.permissions(persona, operation, subjectOf(action))) return false;
  const own =
    action.requestedBy !== undefined &&
    action.requestedBy !== null &&
    action.requestedBy === MODEL_PERSONAS[persona].id;
  return !(model.rules.fourEyes && own && (operation === 'approve' || operation === 'reject'));
}

export type DecisionOperation = 'approve' | 'reject' | 'cancel';

/** Does the action's status accept the decision? */
export function acceptsDecision(operation: DecisionOperation, action: ModelAction): boolean {
  switch (operation) {
    case 'approve':
    case 'reject':
      return action.status === 'pending';
    case 'cancel':
      return (
        action.status === 'pending' ||
        action.status === 'approved' ||
        (action.status === 'running' && action.actionType.cancellableWhileRunning)
      );
    default:
      return false;
  }
}

/**
 * May the action be undone now, whoever asks (seed 001): a type with an undo, not itself an undo,
 * from automated investigation, antivirus or manual response, and succeeded or failed to undo.
 */
export function undoableNow(action: ModelAction): boolean {
  return (
    action.actionType.undo !== null &&
    action.undoOf === null &&
    isUndoEligibleSource(action.source) &&
    (action.status === 'succeeded' || action.status === 'undoFailed')
  );
}

export const NEXT_STATUS = { approve: 'approved', reject: 'rejected', cancel: 'cancelled' } as const;

/**
 * Records a decision the engine took: the next status, no approval deadline, no expiry (but an
 * approval's unstarted expiry, issue 16), and the end of an undo it cancels.
 */
export function decided(model: ActionCenterModel, operation: DecisionOperation, action: ModelAction): void {
  const approvedExpiryMs = model.rules.approvedExpiryMs ?? null;
  action.expiresAt = operation === 'approve' && approvedExpiryMs !== null ? model.now + approvedExpiryMs : null;
  action.status = NEXT_STATUS[operation];
  action.escalateAt = null;
  endUndo(model, action);
}

/** Records an undo the engine started: the original is undoing, its new counterpart approved. */
export function undoStarted(
  model: ActionCenterModel,
  real: ActionCenterReal,
  what: string,
  action: ModelAction,
  counterpartId: string | null,
  outcome: ScriptedOutcome,
  // Null for the system's `autoRevert` (no principal: four eyes does not apply).
  by: ModelPersona | null,
): void {
  if (counterpartId === null || model.actions.has(counterpartId))
    throw new ModelMismatchError(`${what}: the counterpart id ${String(counterpartId)} is missing or not new`);
  const counterpartType = builtInCatalog.undoCounterpartOf(action.actionType.id);
  if (counterpartType === null) throw new ModelMismatchError(`${what}: ${action.actionType.id} has no counterpart`);
  action.status = 'undoing';
  action.undoActionId = counterpartId;
  // Any undo request cancels a scheduled automatic revert (issue 16).
  action.revertAt = null;
  model.actions.set(counterpartId, {
    id: counterpartId,
    status: 'approved',
    actionType: counterpartType,
    // A person's undo is a manual action of its workload (issue 12, item 10).
    source: manualSourceOf(counterpartType.workload),
    deviceGroup: action.deviceGroup,
    // Issue 16: the counterpart holds its own open key (a release, the isolation group's).
    openKey: counterpartKeyOf(action, counterpartType),
    expiresAt: null,
    undoOf: action.id,
    undoActionId: null,
    outcome,
    requestedBy: by === null ? null : MODEL_PERSONAS[by].id,
  });
  model.order.push(counterpartId);
  real.script.set(counterpartId, outcome);
}
