/**
 * What may be wrong with a selection: the bulk operations, the refusal reasons, and the offences of
 * each item that every check of a selection shares.
 *
 * @module
 */
import type { ActionId } from '../../catalog/ids.js';
import type { ActionRecord } from '../../catalog/records.js';
import { assertNever } from '../../result.js';
import type { AccessDecision } from '../principals.js';
import { undoEligibility, type UndoContext, type UndoIneligibleReason } from '../undo.js';

/**
 * The operations that act on a selection of several actions.
 *
 * @example
 * ```ts
 * import { BULK_OPERATIONS } from 'actioncenter/adapter-kit';
 * BULK_OPERATIONS; // ['approve', 'reject', 'undo']
 * ```
 */
export const BULK_OPERATIONS = ['approve', 'reject', 'undo'] as const;

/**
 * One of {@link BULK_OPERATIONS}.
 *
 * @example
 * ```ts
 * import type { BulkOperation } from 'actioncenter/adapter-kit';
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
 * import { MAX_SELECTION_SIZE } from 'actioncenter/adapter-kit';
 * MAX_SELECTION_SIZE; // 10000
 * ```
 */
export const MAX_SELECTION_SIZE = 10_000;

/**
 * Why a selection, or one item of it, is refused: a closed set of codes.
 *
 * @example
 * ```ts
 * import { SELECTION_REFUSAL_REASONS } from 'actioncenter/adapter-kit';
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
 * import type { SelectionRefusalReason } from 'actioncenter/adapter-kit';
 * const r: SelectionRefusalReason = 'notPending';
 * ```
 */
export type SelectionRefusalReason = (typeof SELECTION_REFUSAL_REASONS)[number];

/**
 * One reason one item offends. An item that offends for several reasons appears once per reason.
 *
 * @example
 * ```ts
 * import type { SelectionOffence } from 'actioncenter/adapter-kit';
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
 * import type { SelectionRefusedError } from 'actioncenter/adapter-kit';
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
 * import { builtInCatalog } from 'actioncenter';
 * import { type SelectionContext } from 'actioncenter/adapter-kit';
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
 * import type { BulkSelection } from 'actioncenter/adapter-kit';
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

export function limitOf(context: SelectionContext): number {
  const max = context.maxItems ?? MAX_SELECTION_SIZE;
  return Number.isSafeInteger(max) && max >= 1 ? max : 0;
}

export function offence(
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
export function itemOffences(
  operation: BulkOperation,
  action: ActionRecord,
  context: SelectionContext,
): SelectionOffence[] {
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

export function refusal(
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
