/**
 * Bulk selection (seeds 001 and 002): which actions may be approved, rejected or undone together,
 * a selection a UI can drive one item at a time, and "Apply to X more instances of this file".
 *
 * Every refusal names every offending item and why, so a UI can mark them; nothing is silently
 * dropped.
 *
 * @module
 */
import type { ActionId } from '../catalog/ids.js';
import type { ActionRecord } from '../catalog/records.js';
import { assertNever } from '../catalog/targets.js';
import { err, ok, type Result } from '../result.js';
import type { AccessDecision } from './principals.js';
import { undoEligibility, type UndoContext, type UndoIneligibleReason } from './undo.js';

/**
 * The operations that act on a selection of several actions.
 *
 * @example
 * ```ts
 * import { BULK_OPERATIONS } from 'actioncenter';
 * BULK_OPERATIONS; // ['approve', 'reject', 'undo']
 * ```
 */
export const BULK_OPERATIONS = ['approve', 'reject', 'undo'] as const;

/**
 * One of {@link BULK_OPERATIONS}.
 *
 * @example
 * ```ts
 * import type { BulkOperation } from 'actioncenter';
 * const op: BulkOperation = 'undo';
 * ```
 */
export type BulkOperation = (typeof BULK_OPERATIONS)[number];

/**
 * The default largest selection: 10,000 actions. Large enough to undo a quarantine across a big
 * fleet ("Apply to X more instances of this file"), small enough to bound one bulk request.
 * Override it per call with `maxItems`.
 *
 * @example
 * ```ts
 * import { MAX_SELECTION_SIZE } from 'actioncenter';
 * MAX_SELECTION_SIZE; // 10000
 * ```
 */
export const MAX_SELECTION_SIZE = 10_000;

/**
 * Why a selection, or one item of it, is refused: a closed set of codes.
 *
 * @example
 * ```ts
 * import { SELECTION_REFUSAL_REASONS } from 'actioncenter';
 * SELECTION_REFUSAL_REASONS.includes('mixedActionType'); // true
 * ```
 */
export const SELECTION_REFUSAL_REASONS = [
  /** Nothing is selected. */
  'empty',
  /** The item lies beyond the size limit. */
  'tooMany',
  /** The same action is selected twice (the second and later occurrences offend). */
  'duplicate',
  /** Not of the selection's action type (the type of its first item). */
  'mixedActionType',
  /** Approve/reject: the action's type is not in the catalogue. */
  'unknownActionType',
  /** Approve/reject: the action is not pending. */
  'notPending',
  /** Approve/reject: the access policy denies the principal (undo reports this as an undo reason). */
  'notPermitted',
  /** Undo: the action cannot be undone; `undoReason` says why. */
  'notUndoEligible',
] as const;

/**
 * One of {@link SELECTION_REFUSAL_REASONS}.
 *
 * @example
 * ```ts
 * import type { SelectionRefusalReason } from 'actioncenter';
 * const r: SelectionRefusalReason = 'notPending';
 * ```
 */
export type SelectionRefusalReason = (typeof SELECTION_REFUSAL_REASONS)[number];

/**
 * One reason one item offends. An item that offends for several reasons appears once per reason.
 *
 * @example
 * ```ts
 * import type { SelectionOffence } from 'actioncenter';
 * const line = (o: SelectionOffence) => `${o.actionId}: ${o.message}`;
 * ```
 */
export interface SelectionOffence {
  /** The action that cannot be part of the selection. */
  readonly actionId: ActionId;
  /** Why (`tooMany`, `duplicate`, `mixedActionType`, ...; see `SELECTION_REFUSAL_REASONS`). */
  readonly reason: SelectionRefusalReason;
  /** For `notUndoEligible`: why the action cannot be undone; null otherwise. */
  readonly undoReason: UndoIneligibleReason | null;
  /** Why, in a sentence a person can read. */
  readonly message: string;
  /** For `notPermitted` (and undo's `notPermitted`): the access decision; null otherwise. */
  readonly decision: AccessDecision | null;
}

/**
 * A selection that cannot be acted on as a whole. `offending` names every offending item with its
 * reasons, in selection order; `reasons` lists the distinct reasons (`['empty']` for an empty
 * selection, which has no items to name).
 *
 * @example
 * ```ts
 * import type { SelectionRefusedError } from 'actioncenter';
 * const ids = (e: SelectionRefusedError) => [...new Set(e.offending.map((o) => o.actionId))];
 * ```
 */
export interface SelectionRefusedError {
  /** Discriminant: always `'selectionRefused'`. Match on it, not on the message. */
  readonly code: 'selectionRefused';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The bulk operation refused (`approve`, `reject` or `undo`). */
  readonly operation: BulkOperation;
  /** Every distinct reason among the offending actions. */
  readonly reasons: readonly SelectionRefusalReason[];
  /** Each action that may not be in the selection, and why. */
  readonly offending: readonly SelectionOffence[];
}

/**
 * What the selection rules need: the catalogue, optionally a principal with the access policy that
 * judges them (both or neither), and optionally the size limit (default
 * {@link MAX_SELECTION_SIZE}). A `maxItems` that is not a positive integer fails closed: every
 * item is `tooMany`.
 *
 * @example
 * ```ts
 * import { builtInCatalog, type SelectionContext } from 'actioncenter';
 * const context: SelectionContext = { catalog: builtInCatalog, maxItems: 500 };
 * ```
 */
export type SelectionContext = UndoContext & { readonly maxItems?: number };

/**
 * A selection accepted for a bulk operation: its one action type and the actions, in the order
 * given.
 *
 * @example
 * ```ts
 * import type { BulkSelection } from 'actioncenter';
 * const count = (s: BulkSelection) => `${s.actions.length} × ${s.actionType}`;
 * ```
 */
export interface BulkSelection {
  /** The operation the selection is for. */
  readonly operation: BulkOperation;
  /** The one action type every selected action has. */
  readonly actionType: string;
  /** The selected actions, in the order given. */
  readonly actions: readonly ActionRecord[];
}

function limitOf(context: SelectionContext): number {
  const max = context.maxItems ?? MAX_SELECTION_SIZE;
  return Number.isSafeInteger(max) && max >= 1 ? max : 0;
}

function offence(
  action: ActionRecord,
  reason: SelectionRefusalReason,
  message: string,
  extra: { undoReason?: UndoIneligibleReason; decision?: AccessDecision } = {},
): SelectionOffence {
  return {
    actionId: action.id,
    reason,
    undoReason: extra.undoReason ?? null,
    message,
    decision: extra.decision ?? null,
  };
}

// What is wrong with one action for an operation, independently of the other items.
function itemOffences(operation: BulkOperation, action: ActionRecord, context: SelectionContext): SelectionOffence[] {
  switch (operation) {
    case 'approve':
    case 'reject': {
      const offences: SelectionOffence[] = [];
      const type = context.catalog.get(action.actionType);
      if (!type.ok) offences.push(offence(action, 'unknownActionType', type.error.message));
      if (action.status !== 'pending') {
        offences.push(
          offence(action, 'notPending', `Only pending actions can be ${operation}d; this one is ${action.status}`),
        );
      }
      if (type.ok && context.principal !== undefined) {
        const decision = context.accessPolicy.authorize(context.principal, operation, {
          kind: 'action',
          actionType: type.value,
          action,
        });
        if (!decision.allowed) offences.push(offence(action, 'notPermitted', decision.message, { decision }));
      }
      return offences;
    }
    case 'undo': {
      const e = undoEligibility(action, context);
      if (e.eligible) return [];
      return [
        offence(action, 'notUndoEligible', e.message, {
          undoReason: e.reason,
          ...(e.decision === undefined ? {} : { decision: e.decision }),
        }),
      ];
    }
    default:
      return assertNever(operation);
  }
}

const REASON_PHRASES: { readonly [R in SelectionRefusalReason]: string } = {
  empty: 'nothing is selected',
  tooMany: 'beyond the selection limit',
  duplicate: 'selected more than once',
  mixedActionType: 'of another action type',
  unknownActionType: 'of an unknown action type',
  notPending: 'not pending',
  notPermitted: 'not permitted',
  notUndoEligible: 'not eligible for undo',
};

function refusal(
  operation: BulkOperation,
  offending: readonly SelectionOffence[],
  extra?: string,
): SelectionRefusedError {
  const reasons = SELECTION_REFUSAL_REASONS.filter((r) => offending.some((o) => o.reason === r));
  const parts = reasons.map((r) => {
    const n = new Set(offending.filter((o) => o.reason === r).map((o) => o.actionId)).size;
    return `${n} ${n === 1 ? 'item is' : 'items are'} ${REASON_PHRASES[r]}`;
  });
  return {
    code: 'selectionRefused',
    message: `Cannot ${operation} this selection: ${[...parts, ...(extra === undefined ? [] : [extra])].join('; ')}`,
    operation,
    reasons,
    offending,
  };
}

/**
 * Checks a selection for a bulk operation. Seed 002: "You can approve or reject actions one at a
 * time, or select multiple actions if they have the same type of action (such as Quarantine
 * file)." Seed 001, for undo: "Make sure to select items that have the same Action type."
 *
 * - approve/reject: every action is pending, its type is known and, with a principal, the access
 *   policy allows the operation on it;
 * - undo: every action is undo-eligible ({@link undoEligibility}, with the same principal);
 * - all: one action type — the FIRST item's type is the selection's type, as in a UI where the
 *   first pick sets the type, so every item of another type offends as `mixedActionType`;
 *   no duplicate ids (later occurrences offend); at most `maxItems` items (the items past the
 *   limit offend as `tooMany`); an empty selection is refused with reason `empty`.
 *
 * Every check runs on every item, so the error names every offending item with every reason.
 *
 * @example
 * ```ts
 * import { checkBulkSelection, builtInCatalog, type ActionRecord } from 'actioncenter';
 * const approvable = (selected: readonly ActionRecord[]) =>
 *   checkBulkSelection('approve', selected, { catalog: builtInCatalog }).ok;
 * ```
 */
export function checkBulkSelection(
  operation: BulkOperation,
  actions: readonly ActionRecord[],
  context: SelectionContext,
): Result<BulkSelection, SelectionRefusedError> {
  const first = actions[0];
  if (first === undefined) {
    return err({
      code: 'selectionRefused',
      message: `Cannot ${operation} an empty selection: select at least one action`,
      operation,
      reasons: ['empty'],
      offending: [],
    });
  }
  const limit = limitOf(context);
  const actionType = first.actionType;
  const seen = new Set<string>();
  const offending: SelectionOffence[] = [];
  for (const [index, action] of actions.entries()) {
    if (index >= limit) {
      offending.push(offence(action, 'tooMany', `At most ${limit} actions can be selected at once`));
    }
    if (seen.has(action.id)) {
      offending.push(offence(action, 'duplicate', 'This action is selected more than once'));
      continue;
    }
    seen.add(action.id);
    if (action.actionType !== actionType) {
      offending.push(
        offence(
          action,
          'mixedActionType',
          `Select items that have the same action type: the selection is "${actionType.slice(0, 100)}", this item is "${action.actionType.slice(0, 100)}"`,
        ),
      );
    }
    offending.push(...itemOffences(operation, action, context));
  }
  if (offending.length > 0) return err(refusal(operation, offending));
  return ok({ operation, actionType, actions: Object.freeze([...actions]) });
}

/**
 * What refuses a selection as a whole when the operation runs: only the seeds' rule (every item of
 * the first item's action type), with its shape (not empty, no duplicate ids, at most `maxItems`).
 * Everything else — an item already decided by someone else, out of the principal's scope, in the
 * wrong state, not undo-eligible — is refused item by item with its reason while the rest proceed
 * (issue 12, item 9); {@link checkBulkSelection} still tells a UI every problem up front.
 *
 * @example
 * ```ts
 * import { checkSelectionWhole, type ActionRecord } from 'actioncenter';
 * const sameType = (selected: readonly ActionRecord[]) => checkSelectionWhole('approve', selected).ok;
 * ```
 */
export function checkSelectionWhole(
  operation: BulkOperation,
  actions: readonly ActionRecord[],
  options: { readonly maxItems?: number } = {},
): Result<BulkSelection, SelectionRefusedError> {
  const first = actions[0];
  if (first === undefined) {
    return err({
      code: 'selectionRefused',
      message: `Cannot ${operation} an empty selection: select at least one action`,
      operation,
      reasons: ['empty'],
      offending: [],
    });
  }
  const max = options.maxItems ?? MAX_SELECTION_SIZE;
  const limit = Number.isSafeInteger(max) && max >= 1 ? max : 0;
  const seen = new Set<string>();
  const offending: SelectionOffence[] = [];
  for (const [index, action] of actions.entries()) {
    if (index >= limit) offending.push(offence(action, 'tooMany', `At most ${limit} actions can be selected at once`));
    if (seen.has(action.id)) {
      offending.push(offence(action, 'duplicate', 'This action is selected more than once'));
      continue;
    }
    seen.add(action.id);
    if (action.actionType !== first.actionType) {
      offending.push(
        offence(
          action,
          'mixedActionType',
          `Select items that have the same action type: the selection is "${first.actionType.slice(0, 100)}", this item is "${action.actionType.slice(0, 100)}"`,
        ),
      );
    }
  }
  if (offending.length > 0) return err(refusal(operation, offending));
  return ok({ operation, actionType: first.actionType, actions: Object.freeze([...actions]) });
}

/**
 * A selection a UI builds one item at a time, as an immutable value: the operation, the action
 * type the first item locked it to (null while empty), and the selected ids in insertion order.
 * The selection holds ids only; check the actions again with {@link checkBulkSelection} when the
 * operation runs, since they may have changed meanwhile.
 *
 * @example
 * ```ts
 * import { emptySelection, type Selection } from 'actioncenter';
 * const s: Selection = emptySelection('approve'); // { operation: 'approve', actionType: null, actionIds: [] }
 * ```
 */
export interface Selection {
  /** The operation the selection is being built for. */
  readonly operation: BulkOperation;
  /** The action type of the actions selected so far; `null` while empty. */
  readonly actionType: string | null;
  /** The ids selected so far, in the order added. */
  readonly actionIds: readonly ActionId[];
}

/**
 * The answer of {@link canAddToSelection}: allowed, or the first reason it is not (checked in the
 * order duplicate, tooMany, mixedActionType, then the item's own problems) with a message.
 *
 * @example
 * ```ts
 * import type { CanAddToSelection } from 'actioncenter';
 * const tooltip = (c: CanAddToSelection) => (c.allowed ? '' : c.message);
 * ```
 */
export type CanAddToSelection =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: SelectionRefusalReason;
      readonly undoReason: UndoIneligibleReason | null;
      readonly message: string;
      readonly decision: AccessDecision | null;
    };

/**
 * An empty selection for an operation: no type locked yet.
 *
 * @example
 * ```ts
 * import { emptySelection } from 'actioncenter';
 * emptySelection('undo').actionIds.length; // 0
 * ```
 */
export function emptySelection(operation: BulkOperation): Selection {
  return Object.freeze({ operation, actionType: null, actionIds: Object.freeze([]) });
}

function additionOffences(selection: Selection, action: ActionRecord, context: SelectionContext): SelectionOffence[] {
  if (selection.actionIds.includes(action.id)) {
    return [offence(action, 'duplicate', 'This action is already selected')];
  }
  const offending: SelectionOffence[] = [];
  const limit = limitOf(context);
  if (selection.actionIds.length >= limit) {
    offending.push(offence(action, 'tooMany', `At most ${limit} actions can be selected at once`));
  }
  if (selection.actionType !== null && action.actionType !== selection.actionType) {
    offending.push(
      offence(
        action,
        'mixedActionType',
        `Select items that have the same action type: the selection is "${selection.actionType.slice(0, 100)}", this item is "${action.actionType.slice(0, 100)}"`,
      ),
    );
  }
  offending.push(...itemOffences(selection.operation, action, context));
  return offending;
}

/**
 * May this action be added to the selection? Says why not, for a UI to grey the row out with a
 * reason.
 *
 * @example
 * ```ts
 * import { canAddToSelection, emptySelection, builtInCatalog, type ActionRecord } from 'actioncenter';
 * const why = (a: ActionRecord) => {
 *   const c = canAddToSelection(emptySelection('approve'), a, { catalog: builtInCatalog });
 *   return c.allowed ? null : c.reason; // e.g. 'notPending'
 * };
 * ```
 */
export function canAddToSelection(
  selection: Selection,
  action: ActionRecord,
  context: SelectionContext,
): CanAddToSelection {
  const first = additionOffences(selection, action, context)[0];
  if (first === undefined) return { allowed: true };
  return {
    allowed: false,
    reason: first.reason,
    undoReason: first.undoReason,
    message: first.message,
    decision: first.decision,
  };
}

/**
 * Adds an action to the selection: a new selection, locked to the action's type if it was empty;
 * or a `selectionRefused` error naming the action with every reason it cannot be added.
 *
 * @example
 * ```ts
 * import { addToSelection, emptySelection, builtInCatalog, type ActionRecord } from 'actioncenter';
 * const pick = (a: ActionRecord) => addToSelection(emptySelection('approve'), a, { catalog: builtInCatalog });
 * ```
 */
export function addToSelection(
  selection: Selection,
  action: ActionRecord,
  context: SelectionContext,
): Result<Selection, SelectionRefusedError> {
  const offending = additionOffences(selection, action, context);
  if (offending.length > 0) return err(refusal(selection.operation, offending));
  return ok(
    Object.freeze({
      operation: selection.operation,
      actionType: selection.actionType ?? action.actionType,
      actionIds: Object.freeze([...selection.actionIds, action.id]),
    }),
  );
}

/**
 * Removes an action from the selection (no change if it is not there). Removing the last item
 * unlocks the action type.
 *
 * @example
 * ```ts
 * import { removeFromSelection, emptySelection, asId, type ActionId } from 'actioncenter';
 * removeFromSelection(emptySelection('reject'), asId<ActionId>('a1')).actionIds; // []
 * ```
 */
export function removeFromSelection(selection: Selection, actionId: ActionId): Selection {
  if (!selection.actionIds.includes(actionId)) return selection;
  const actionIds = Object.freeze(selection.actionIds.filter((id) => id !== actionId));
  return Object.freeze({
    operation: selection.operation,
    actionType: actionIds.length === 0 ? null : selection.actionType,
    actionIds,
  });
}

/**
 * The action type a selection is locked to, or null while it is empty.
 *
 * @example
 * ```ts
 * import { selectionActionType, emptySelection } from 'actioncenter';
 * selectionActionType(emptySelection('approve')); // null
 * ```
 */
export function selectionActionType(selection: Selection): string | null {
  return selection.actionType;
}

/**
 * Seed 001: "select Apply to X more instances of this file, and then select Undo." Given one
 * action on a file (a Quarantine file action, or any action whose target is a file), the OTHER
 * candidates that:
 * - are of the same action type, and target a file;
 * - share its SHA-1 or its SHA-256 (case-insensitive; a file without hashes matches nothing);
 * - are on another device (other than the given action's device);
 * - are undo-eligible under the same context (with the same principal, if any);
 * - are not the action itself.
 * Each candidate appears once (the first occurrence of an id), ordered by `createdAt`, then id.
 * An action whose target is not a file has no other instances.
 *
 * @example
 * ```ts
 * import { otherInstancesOfFile, builtInCatalog, type ActionRecord } from 'actioncenter';
 * const applyToMore = (picked: ActionRecord, history: readonly ActionRecord[]) =>
 *   otherInstancesOfFile(picked, history, { catalog: builtInCatalog }).length; // the X of "Apply to X more"
 * ```
 */
export function otherInstancesOfFile(
  action: ActionRecord,
  candidates: readonly ActionRecord[],
  context: UndoContext,
): ActionRecord[] {
  const target = action.target;
  if (target.kind !== 'file') return [];
  const sha1 = target.sha1?.toLowerCase() ?? null;
  const sha256 = target.sha256?.toLowerCase() ?? null;
  if (sha1 === null && sha256 === null) return [];
  const seen = new Set<string>([action.id]);
  const found: ActionRecord[] = [];
  for (const candidate of candidates) {
    if (seen.has(candidate.id)) continue;
    seen.add(candidate.id);
    const t = candidate.target;
    if (candidate.actionType !== action.actionType || t.kind !== 'file' || t.deviceId === target.deviceId) continue;
    const sameFile =
      (sha1 !== null && t.sha1 !== null && t.sha1.toLowerCase() === sha1) ||
      (sha256 !== null && t.sha256 !== null && t.sha256.toLowerCase() === sha256);
    if (!sameFile) continue;
    if (undoEligibility(candidate, context).eligible) found.push(candidate);
  }
  return found.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
