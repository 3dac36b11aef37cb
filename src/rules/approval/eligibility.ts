/**
 * May this principal approve this action now? The engine's answer to one item of `approve`,
 * foreseen without a store or a clock of its own, for a page that enables its Approve button only
 * where the center will take the approval (issue 17's web example; any custom UI). The same rules
 * the engine applies, in the same order: the expiry (given the time), the action's type, the access
 * policy widened by an escalation, the N-of-M steps (the requester never counts; one approval per
 * principal), then the status. The engine's messages for the N-of-M refusals are built here, for both.
 *
 * @module
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { ActionRecord } from '../../catalog/records.js';
import { describeThrown } from '../../result.js';
import { askPolicy } from '../access/ask.js';
import { isExpired } from '../lifecycle.js';
import type { AccessDecision, AccessPolicy, Principal } from '../principals.js';
import { approvalStepOf, type ApprovalState } from './approvals.js';

/**
 * Why {@link approvalEligibility} answers no:
 * - `unknownType`: the action's type is not in the catalogue;
 * - `notPermitted`: the access policy denies it (and no escalation to this principal widens it);
 * - `requester`: the principal requested an action that needs several approvals (never counts);
 * - `alreadyApproved`: the principal approved it already (it needs approvals from others);
 * - `notPending`: the action is not pending, or its expiry has passed (`now` given);
 * - `unreadable`: the arguments could not be read (a throwing getter): nothing is foreseen.
 *
 * @example
 * ```ts
 * import type { ApprovalIneligibleReason } from 'actioncenter/adapter-kit';
 * const mine = (r: ApprovalIneligibleReason) => r === 'requester' || r === 'alreadyApproved';
 * ```
 */
export type ApprovalIneligibleReason =
  'unknownType' | 'notPermitted' | 'requester' | 'alreadyApproved' | 'notPending' | 'unreadable';

/**
 * The answer of {@link approvalEligibility}: eligible, with the step the approval takes
 * (`addApproval` while more are needed, `approve` for the last) and whether an escalation to the
 * principal is what allows it; or not, with a reason and the message the engine answers (for
 * `notPermitted`, the access decision that denied it).
 *
 * @example
 * ```ts
 * import type { ApprovalEligibility } from 'actioncenter/adapter-kit';
 * const label = (e: ApprovalEligibility) => (e.eligible ? (e.step === 'approve' ? 'Approve' : 'Add my approval') : e.message);
 * ```
 */
export type ApprovalEligibility =
  | {
      readonly eligible: true;
      readonly step: 'approve' | 'addApproval';
      readonly byEscalation: boolean;
    }
  | {
      readonly eligible: false;
      readonly reason: ApprovalIneligibleReason;
      readonly message: string;
      readonly decision?: AccessDecision;
    };

/**
 * What {@link approvalEligibility} needs: the catalogue, the principal, the access policy that
 * judges them, and optionally the time (a pending action past its expiry is expired by the engine
 * before any decision).
 *
 * @example
 * ```ts
 * import { builtInCatalog, defaultAccessPolicy, type Principal } from 'actioncenter';
 * import type { ApprovalContext } from 'actioncenter/adapter-kit';
 * const contextOf = (principal: Principal): ApprovalContext => ({ catalog: builtInCatalog, principal, accessPolicy: defaultAccessPolicy });
 * ```
 */
export interface ApprovalContext {
  /** The catalogue the action's type is looked up in (the center's). */
  readonly catalog: Catalog;
  /** Who would approve. */
  readonly principal: Principal;
  /** The access policy the center asks (asked with `askPolicy`: nothing it does is trusted). */
  readonly accessPolicy: AccessPolicy;
  /** The time of the decision (ms since the epoch, UTC); without it expiry is not foreseen. */
  readonly now?: number;
}

/**
 * The engine's refusal of an approval by the requester of an action that needs `required` approvals.
 *
 * @example
 * ```ts
 * import { requesterApprovalMessage } from 'actioncenter/adapter-kit';
 * requesterApprovalMessage(2); // 'You requested this action, so it needs 2 approvals from other principals (the requester never counts).'
 * ```
 */
export function requesterApprovalMessage(required: number): string {
  return `You requested this action, so it needs ${required} approvals from other principals (the requester never counts).`;
}

/**
 * The engine's refusal of a second approval of `actionId` by one principal.
 *
 * @example
 * ```ts
 * import { alreadyApprovedMessage } from 'actioncenter/adapter-kit';
 * alreadyApprovedMessage('act-1', 1); // 'You approved action "act-1" already: it needs 1 more approval(s) from other principals'
 * ```
 */
export function alreadyApprovedMessage(actionId: string, left: number): string {
  return `You approved action "${actionId}" already: it needs ${left} more approval(s) from other principals`;
}

/**
 * Does an escalation let `principalId` approve `action` although the access policy denied it? A
 * member of the action's `escalatedTo` may approve a pending action the policy would not let them,
 * unless the policy refused because they requested it (four eyes holds).
 *
 * @example
 * ```ts
 * import { escalationAllows } from 'actioncenter/adapter-kit';
 * escalationAllows({ status: 'pending', escalatedTo: ['lead@contoso.com'] }, 'lead@contoso.com', 'notInScope'); // true
 * ```
 */
export function escalationAllows(
  action: Pick<ActionRecord, 'status'> & { readonly escalatedTo?: readonly string[] },
  principalId: string,
  deniedBecause: string | undefined,
): boolean {
  return (
    action.status === 'pending' && deniedBecause !== 'ownAction' && (action.escalatedTo ?? []).includes(principalId)
  );
}

/**
 * May `context.principal` approve `action` now? Answers as the engine's `approve` would for this
 * one item, checking in its order, the first failure winning:
 *
 * 1. the type is in the catalogue → else `unknownType`; a pending action past its expiry (`now`
 *    given) is judged as expired from here on, as the engine expires it before deciding;
 * 2. the access policy allows `approve` (asked with `askPolicy`: a policy that throws or answers
 *    nonsense denies), or an escalation to the principal widens it ({@link escalationAllows}) →
 *    else `notPermitted`;
 * 3. the principal is not the requester of an action needing several approvals → else `requester`;
 * 4. the principal has not approved it already → else `alreadyApproved`;
 * 5. it is pending, and not past its expiry when `now` is given → else `notPending`.
 *
 * A selection rule (one type per bulk operation) and a justification the approval policy requires
 * are the operation's, not the item's: see `checkBulkSelection` and the policy. Pure; never throws.
 *
 * @example
 * ```ts
 * import { builtInCatalog, defaultAccessPolicy, type ActionRecord, type Principal } from 'actioncenter';
 * import { approvalEligibility } from 'actioncenter/adapter-kit';
 * const approveButton = (action: ActionRecord, principal: Principal) => {
 *   const e = approvalEligibility(action, { catalog: builtInCatalog, principal, accessPolicy: defaultAccessPolicy });
 *   return e.eligible ? { disabled: false } : { disabled: true, title: e.message };
 * };
 * ```
 */
export function approvalEligibility(action: ActionRecord, context: ApprovalContext): ApprovalEligibility {
  try {
    return judge(action, context);
  } catch (cause) {
    return {
      eligible: false,
      reason: 'unreadable',
      message: `The approval could not be foreseen: ${describeThrown(cause)}`,
    };
  }
}

function judge(action: ActionRecord, context: ApprovalContext): ApprovalEligibility {
  const { catalog, principal, accessPolicy, now } = context;
  const type = catalog.get(action.actionType);
  if (!type.ok)
    return {
      eligible: false,
      reason: 'unknownType',
      message: `"${String(action.actionType).slice(0, 100)}" is not a known action type, so it cannot be approved`,
    };
  // The engine expires a pending action past its expiry before any decision meets it.
  const expired = action.status === 'pending' && now !== undefined && isExpired(action, now);
  const status = expired ? 'expired' : action.status;
  const decision = askPolicy(accessPolicy, principal, 'approve', { kind: 'action', actionType: type.value, action });
  let byEscalation = false;
  if (!decision.allowed) {
    byEscalation = escalationAllows({ ...action, status }, principal.id, decision.reason);
    if (!byEscalation) return { eligible: false, reason: 'notPermitted', message: decision.message, decision };
  }
  const state: ApprovalState = { ...(action as ApprovalState), status };
  const step = approvalStepOf(state, principal.id);
  const required = state.requiredApprovals ?? 1;
  if (step === 'requester')
    return { eligible: false, reason: 'requester', message: requesterApprovalMessage(required) };
  if (step === 'alreadyApproved')
    return {
      eligible: false,
      reason: 'alreadyApproved',
      message: alreadyApprovedMessage(action.id, required - (state.approvals ?? []).length),
    };
  if (status !== 'pending')
    return {
      eligible: false,
      reason: 'notPending',
      message: expired
        ? 'This action expired before it was decided'
        : `Only pending actions can be approved; this one is ${status}`,
    };
  return { eligible: true, step, byEscalation };
}
