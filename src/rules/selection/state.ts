/**
 * A selection a UI drives one item at a time: a small state machine that says what may be added next,
 * and why not.
 *
 * @module
 */
import type { ActionId } from '../../catalog/ids.js';
import type { ActionRecord } from '../../catalog/records.js';
import { err, ok, type Result } from '../../result.js';
import type { AccessDecision } from '../principals.js';
import type { UndoIneligibleReason } from '../undo.js';
import {
  type BulkOperation,
  type SelectionContext,
  type SelectionOffence,
  type SelectionRefusalReason,
  type SelectionRefusedError,
  itemOffences,
  limitOf,
  offence,
  refusal,
} from './offences.js';

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
 * import type { CanAddToSelection } from 'actioncenter/adapter-kit';
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
 * import { removeFromSelection, emptySelection } from 'actioncenter';
 * removeFromSelection(emptySelection('reject'), 'a1').actionIds; // []
 * ```
 */
export function removeFromSelection(selection: Selection, actionId: string): Selection {
  if (!selection.actionIds.some((id) => id === actionId)) return selection;
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
