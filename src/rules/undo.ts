/**
 * Undo eligibility (seed 001, "Undo completed actions"): may this action be undone, and if not,
 * why not — as a pure function of the action, the catalogue and, optionally, who asks.
 *
 * @module
 */
import type { ActionTypeDefinition } from '../catalog/action-type.js';
import type { Catalog } from '../catalog/catalog.js';
import type { ActionRecord, ActionStatus } from '../catalog/records.js';
import { ACTION_SOURCES, type ActionSourceId, type OriginGroup } from '../catalog/sources.js';
import type { AccessDecision, AccessPolicy, Principal } from './principals.js';

/**
 * Why an action cannot be undone: a closed set of codes.
 *
 * @example
 * ```ts
 * import { UNDO_INELIGIBLE_REASONS } from 'actioncenter/adapter-kit';
 * UNDO_INELIGIBLE_REASONS.includes('alreadyUndone'); // true
 * ```
 */
export const UNDO_INELIGIBLE_REASONS = [
  /** The action is not in a state that can be undone (only succeeded or undoFailed can). */
  'wrongState',
  /** The type has no undo counterpart, is unknown to the catalogue, or the action is itself an undo. */
  'typeNotUndoable',
  /** The action came from a source whose actions are not undone from the Action center. */
  'sourceNotEligible',
  /** The action was undone already. */
  'alreadyUndone',
  /** An undo of this action is running. */
  'undoInProgress',
  /** The principal may not undo it (the access decision says why). */
  'notPermitted',
] as const;

/**
 * One of {@link UNDO_INELIGIBLE_REASONS}.
 *
 * @example
 * ```ts
 * import type { UndoIneligibleReason } from 'actioncenter/adapter-kit';
 * const r: UndoIneligibleReason = 'sourceNotEligible';
 * ```
 */
export type UndoIneligibleReason = (typeof UNDO_INELIGIBLE_REASONS)[number];

/**
 * The origin groups whose actions can be undone: seed 001's "Action source" column —
 * "Automated investigation", "Microsoft Defender Antivirus", "Manual response actions". Live
 * response, advanced hunting and Explorer actions are not undone from the Action center.
 *
 * @example
 * ```ts
 * import { UNDO_ELIGIBLE_ORIGIN_GROUPS } from 'actioncenter/adapter-kit';
 * UNDO_ELIGIBLE_ORIGIN_GROUPS; // ['automatedInvestigation', 'antivirus', 'manualResponse']
 * ```
 */
export const UNDO_ELIGIBLE_ORIGIN_GROUPS: readonly OriginGroup[] = Object.freeze([
  'automatedInvestigation',
  'antivirus',
  'manualResponse',
] as const);

/**
 * The statuses from which an undo may be requested: `succeeded`, and `undoFailed` (a failed undo
 * may be retried).
 *
 * @example
 * ```ts
 * import { UNDOABLE_STATUSES } from 'actioncenter/adapter-kit';
 * UNDOABLE_STATUSES; // ['succeeded', 'undoFailed']
 * ```
 */
export const UNDOABLE_STATUSES: readonly ActionStatus[] = Object.freeze(['succeeded', 'undoFailed'] as const);

/**
 * Are actions from this source undone from the Action center? (Its origin group is one of
 * {@link UNDO_ELIGIBLE_ORIGIN_GROUPS}.)
 *
 * @example
 * ```ts
 * import { isUndoEligibleSource } from 'actioncenter/adapter-kit';
 * isUndoEligibleSource('antivirus'); // true
 * isUndoEligibleSource('explorerAction'); // false
 * ```
 */
export function isUndoEligibleSource(source: ActionSourceId): boolean {
  return UNDO_ELIGIBLE_ORIGIN_GROUPS.includes(ACTION_SOURCES[source].originGroup);
}

/**
 * What {@link undoEligibility} needs: the catalogue, and either a principal with the access policy
 * that judges them, or neither (then only the action itself is judged). A principal without a
 * policy does not compile.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { type UndoContext } from 'actioncenter/adapter-kit';
 * const context: UndoContext = { catalog: builtInCatalog };
 * ```
 */
export type UndoContext =
  | { readonly catalog: Catalog; readonly principal?: never; readonly accessPolicy?: never }
  | { readonly catalog: Catalog; readonly principal: Principal; readonly accessPolicy: AccessPolicy };

/**
 * The answer of {@link undoEligibility}: eligible, with the action's type, the counterpart type that
 * will undo it and the access decision (null when no principal was given); or not, with a reason,
 * a message and, for `notPermitted`, the access decision that denied it.
 *
 * @example
 * ```ts
 * import type { UndoEligibility } from 'actioncenter/adapter-kit';
 * const label = (e: UndoEligibility) => (e.eligible ? `Undo with ${e.counterpart.displayName}` : e.message);
 * ```
 */
export type UndoEligibility =
  | {
      readonly eligible: true;
      readonly actionType: ActionTypeDefinition;
      readonly counterpart: ActionTypeDefinition;
      readonly decision: AccessDecision | null;
    }
  | {
      readonly eligible: false;
      readonly reason: UndoIneligibleReason;
      readonly message: string;
      readonly decision?: AccessDecision;
    };

const no = (reason: UndoIneligibleReason, message: string): UndoEligibility => ({ eligible: false, reason, message });

/**
 * May this action be undone (by this principal)? Checks, in order, and answers with the first
 * that fails:
 *
 * 1. the type is in the catalogue and has an undo counterpart, and the action is not itself a
 *    counterpart (`undoOf !== null`: an undo is never undone) → else `typeNotUndoable`;
 * 2. the source's origin group is in {@link UNDO_ELIGIBLE_ORIGIN_GROUPS} → else `sourceNotEligible`;
 * 3. the status is one of {@link UNDOABLE_STATUSES} (`succeeded`, `undoFailed`) → `undoing` gives
 *    `undoInProgress`, `undone` gives `alreadyUndone`, any other status `wrongState`;
 * 4. with a principal, `accessPolicy.authorize(principal, 'undo', { kind: 'action', ... })` allows
 *    it → else `notPermitted`, carrying the decision.
 *
 * @example
 * ```ts
 * import { undoEligibility, builtInCatalog, type ActionRecord } from 'actioncenter';
 * // For a succeeded quarantineFile from an automated investigation: 'releaseFromQuarantine'
 * const undoneBy = (a: ActionRecord) => {
 *   const e = undoEligibility(a, { catalog: builtInCatalog });
 *   return e.eligible ? e.counterpart.id : e.reason;
 * };
 * ```
 */
export function undoEligibility(action: ActionRecord, context: UndoContext): UndoEligibility {
  const found = context.catalog.get(action.actionType);
  if (!found.ok) {
    return no(
      'typeNotUndoable',
      `"${action.actionType.slice(0, 100)}" is not a known action type, so it cannot be undone`,
    );
  }
  const actionType = found.value;
  if (action.undoOf !== null) {
    return no('typeNotUndoable', `"${actionType.displayName}" undid another action; an undo cannot itself be undone`);
  }
  const counterpart = context.catalog.undoCounterpartOf(actionType.id);
  if (actionType.undo === null || counterpart === null) {
    return no('typeNotUndoable', `"${actionType.displayName}" actions cannot be undone`);
  }
  if (!isUndoEligibleSource(action.source)) {
    return no(
      'sourceNotEligible',
      `Actions from "${ACTION_SOURCES[action.source].label}" cannot be undone in the Action center; only actions from automated investigation, antivirus or manual response can`,
    );
  }
  const state = stateProblem(action.status);
  if (state !== null) return no(state.reason, state.message);
  if (context.principal === undefined) return { eligible: true, actionType, counterpart, decision: null };
  const decision = context.accessPolicy.authorize(context.principal, 'undo', { kind: 'action', actionType, action });
  if (!decision.allowed) {
    return { eligible: false, reason: 'notPermitted', message: decision.message, decision };
  }
  return { eligible: true, actionType, counterpart, decision };
}

function stateProblem(status: ActionStatus): { reason: UndoIneligibleReason; message: string } | null {
  // UNDOABLE_STATUSES alone decides; the rest only words the refusal.
  if (UNDOABLE_STATUSES.includes(status)) return null;
  switch (status) {
    case 'undoing':
      return { reason: 'undoInProgress', message: 'An undo of this action is already in progress' };
    case 'undone':
      return { reason: 'alreadyUndone', message: 'This action was undone already' };
    default:
      return { reason: 'wrongState', message: `Only actions that succeeded can be undone; this one is ${status}` };
  }
}
