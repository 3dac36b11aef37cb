/**
 * N-of-M approvals (issue 16), the pure part: which step an approval by a principal takes on an
 * action (`addApproval` while more are needed, `approve` for the last one), when it does not count
 * (the requester, a principal who approved already), whether an action awaits a principal's
 * approval, and how far along it is ("1 of 2").
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import { approvalsLeftOf } from '../lifecycle-table.js';

/**
 * The record fields the approval rules read (records stored before N-of-M approvals lack the last two).
 *
 * @example
 * ```ts
 * import type { ApprovalState } from 'actioncenter/adapter-kit';
 * const waiting: ApprovalState = { status: 'pending', requestedBy: { type: 'system', component: 'antivirus' }, requiredApprovals: 2, approvals: [] };
 * ```
 */
export type ApprovalState = Pick<ActionRecord, 'status' | 'requestedBy'> & {
  readonly requiredApprovals?: number;
  readonly approvals?: readonly ActionRecord['approvals'][number][];
};

/**
 * What an approval by one principal does to an action:
 * - `addApproval`: recorded, the action stays pending (more approvals are needed after it);
 * - `approve`: the approval that reaches the required number (or the only one needed): approved;
 * - `alreadyApproved`: the principal approved it already (approvals come from distinct principals);
 * - `requester`: the principal requested it, and it needs more than one approval: the requester
 *   never counts toward N, whatever the access policy says (with one approval needed, the access
 *   policy decides, four eyes by default).
 *
 * An action that is not pending answers `approve`: the lifecycle then refuses it with its reason.
 *
 * @example
 * ```ts
 * import type { ApprovalStep } from 'actioncenter/adapter-kit';
 * const counts = (s: ApprovalStep) => s === 'addApproval' || s === 'approve';
 * ```
 */
export type ApprovalStep = 'addApproval' | 'approve' | 'alreadyApproved' | 'requester';

/**
 * The {@link ApprovalStep} an approval by `principalId` takes on `action`.
 *
 * @example
 * ```ts
 * import { approvalStepOf } from 'actioncenter/adapter-kit';
 * const action = { status: 'pending', requestedBy: { type: 'system', component: 'automatedInvestigation' }, requiredApprovals: 2, approvals: [] } as const;
 * approvalStepOf(action, 'alice@contoso.com'); // 'addApproval'
 * ```
 */
export function approvalStepOf(action: ApprovalState, principalId: string): ApprovalStep {
  if (action.status !== 'pending') return 'approve';
  const required = action.requiredApprovals ?? 1;
  if (required > 1 && action.requestedBy.type === 'principal' && action.requestedBy.id === principalId)
    return 'requester';
  if ((action.approvals ?? []).some((a) => a.by === principalId)) return 'alreadyApproved';
  return approvalsLeftOf(action) > 1 ? 'addApproval' : 'approve';
}

/**
 * Does the action await `principalId`'s approval, as far as the record tells? Pending, not
 * requested by them, and not approved by them yet. (Whether they may approve it at all is the
 * access policy's question: the engine narrows by it.)
 *
 * @example
 * ```ts
 * import { awaitsApprovalBy } from 'actioncenter/adapter-kit';
 * const action = { status: 'pending', requestedBy: { type: 'system', component: 'antivirus' }, approvals: [] } as const;
 * awaitsApprovalBy(action, 'bob@contoso.com'); // true
 * ```
 */
export function awaitsApprovalBy(action: ApprovalState, principalId: string): boolean {
  return (
    action.status === 'pending' &&
    !(action.requestedBy.type === 'principal' && action.requestedBy.id === principalId) &&
    !(action.approvals ?? []).some((a) => a.by === principalId)
  );
}

/** The statuses an action reaches only once approved (a cancelled one may or may not have been). */
const PAST_APPROVAL: ReadonlySet<string> = new Set([
  'approved',
  'running',
  'succeeded',
  'failed',
  'timedOut',
  'undoing',
  'undone',
  'undoFailed',
]);

/**
 * How many approvals an action has of how many it needs, as a person reads it ("1 of 2"). An action
 * past its approval counts them all (the last one is its decision, not listed in `approvals`); any
 * other counts those listed. `''` for an action that needs one approval and lists none (as before
 * N-of-M approvals: nothing to show).
 *
 * @example
 * ```ts
 * import { approvalProgressText } from 'actioncenter/adapter-kit';
 * approvalProgressText({ status: 'pending', requestedBy: { type: 'system', component: 'antivirus' }, requiredApprovals: 2, approvals: [] }); // '0 of 2'
 * ```
 */
export function approvalProgressText(action: ApprovalState): string {
  const required = action.requiredApprovals ?? 1;
  const given = (action.approvals ?? []).length;
  if (required <= 1 && given === 0) return '';
  return `${PAST_APPROVAL.has(action.status) ? required : Math.min(given, required)} of ${required}`;
}
