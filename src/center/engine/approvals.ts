/**
 * N-of-M approvals in the engine (issue 16): the number of approvals an action needs (fixed at
 * submission), and the step one approval takes on one action: `addApproval` while more are needed,
 * `approve` for the last, refused for the requester (N > 1) or a principal who approved already.
 *
 * @module
 */
import type { ActionTypeDefinition } from '../../catalog/action-type.js';
import type { ActionRecord, ActionRequest, Actor } from '../../catalog/records.js';
import type { InvalidInputError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import { askPolicy } from '../../rules/access.js';
import { approvalStepOf } from '../../rules/approval/approvals.js';
import {
  alreadyApprovedMessage,
  escalationAllows,
  requesterApprovalMessage,
} from '../../rules/approval/eligibility.js';
import { approvalRequirementsFor } from '../../rules/approval/requirements.js';
import type { Principal } from '../../rules/principals.js';
import type { ResolvedQuery } from '../../rules/query.js';
import type { EngineContext } from './context.js';
import { requirementFactsOf } from './escalation.js';
import { invalidStateItem, planEventNow, type Planned } from './plan.js';
import type { ItemFailure } from './results.js';

/**
 * How many distinct approvals a new action of `type` needs: the most any matching requirement rule
 * asks (1 without rules). Read once, at submission: the record keeps it.
 */
export function requiredApprovalsOf(ctx: EngineContext, type: ActionTypeDefinition, request: ActionRequest): number {
  const rules = ctx.approvalPolicy.requirements ?? [];
  if (rules.length === 0) return 1;
  return approvalRequirementsFor(ctx.approvalPolicy, requirementFactsOf(request, type.workload)).requiredApprovals;
}

/**
 * May `principal` approve `action`? `refused`: the access policy's answer (decide.ts `permission`),
 * widened by an escalation: a member of the action's `escalatedTo` may approve a pending action the
 * policy would not let them, unless the policy refused because they requested it (four eyes holds).
 */
function mayApprove(principal: Principal, action: ActionRecord, refused: ItemFailure | null): ItemFailure | null {
  if (refused === null) return null;
  const because =
    refused.outcome === 'denied' && !refused.error.decision.allowed ? refused.error.decision.reason : undefined;
  return escalationAllows(action, principal.id, because) ? null : refused;
}

/**
 * The plan of one approval of `action` by `principal` at `now`, or the item's failure: not allowed
 * (`denied`), the requester of an action that needs several approvals (`denied`, reason
 * `ownAction`: the requester never counts, whatever the access policy), approved by them already
 * (`invalidState`, `alreadyApproved`), or refused by the lifecycle (`invalidState`). `policyRefusal`:
 * the access policy's answer for `approve` on the action (null: allowed). `approvalEligibility`
 * (rules/approval/eligibility.ts) foresees the same answer for a UI.
 */
export function planApproval(
  ctx: EngineContext,
  principal: Principal,
  action: ActionRecord,
  by: Extract<Actor, { type: 'principal' }>,
  now: number,
  comment: string | null,
  policyRefusal: ItemFailure | null,
): Planned | ItemFailure {
  const refused = mayApprove(principal, action, policyRefusal);
  if (refused !== null) return refused;
  const step = approvalStepOf(action, principal.id);
  const required = action.requiredApprovals ?? 1;
  const given = (action.approvals ?? []).length;
  if (step === 'requester') {
    const message = requesterApprovalMessage(required);
    return {
      actionId: action.id,
      ok: false,
      outcome: 'denied',
      error: {
        code: 'accessDenied',
        message,
        decision: {
          allowed: false,
          rule: 'approval.requesterNeverCounts',
          operation: 'approve',
          principalId: principal.id,
          reason: 'ownAction',
          missing: [{ kind: 'differentPrincipal', requestedBy: principal.id }],
          message,
        },
      },
    };
  }
  if (step === 'alreadyApproved') {
    return {
      actionId: action.id,
      ok: false,
      outcome: 'invalidState',
      error: {
        code: 'alreadyApproved',
        message: alreadyApprovedMessage(action.id, required - given),
        actionId: action.id,
        principalId: principal.id,
        approvals: given,
        requiredApprovals: required,
      },
    };
  }
  // `by`: the operation's frozen principal actor, shared by every record and event it writes.
  const event =
    step === 'addApproval'
      ? ({ type: 'addApproval', by, at: now, comment } as const)
      : ({ type: 'approve', by, at: now, comment } as const);
  const planned = planEventNow(ctx, action, event);
  return planned.ok ? planned.value : invalidStateItem(action.id, planned.error);
}

/** The most device groups of a principal's role assignments tried per type (bounds the policy calls of a view). */
const REPRESENTATIVE_GROUPS = 20;

/**
 * The engine's part of the "awaiting my approval" filter (issue 16) of a view (list, grouped
 * investigations, export): the filter as resolved, unchanged without `awaitingApprovalBy`; with it,
 * it must be the calling principal's own id (else `invalidInput`: nobody lists another's queue), and
 * it is narrowed to the action types the principal may approve (`awaitingApprovalTypes`; actions
 * escalated to them match whatever their type).
 *
 * Which types they may approve is asked of the access policy once per catalogue type, for a
 * representative request of that type: on no device group, and on each device group their role
 * assignments name (the first 20). A type is in when the policy allows any of them. This narrows by
 * type, not by action: a principal allowed to approve a type in one device group sees its pending
 * actions in every group they may read (their read scope), and an approval there may be denied.
 */
export function narrowAwaiting<F extends ResolvedQuery['filter']>(
  ctx: EngineContext,
  principal: Principal,
  filter: F,
): Result<F, InvalidInputError> {
  const by = filter.awaitingApprovalBy ?? null;
  if (by === null) return ok(filter);
  if (by !== principal.id) {
    const message = "must be the calling principal's own id: a view lists only its reader's approvals";
    return err({
      code: 'invalidInput',
      message: `Invalid query: filter.awaitingApprovalBy: ${message}`,
      issues: [{ path: ['filter', 'awaitingApprovalBy'], code: 'custom', message }],
    });
  }
  const groups: (string | null)[] = [null];
  for (const assignment of principal.assignments)
    for (const group of assignment.deviceGroups ?? [])
      if (groups.length <= REPRESENTATIVE_GROUPS && !groups.includes(group)) groups.push(group);
  const types = ctx.catalog.types
    .filter((actionType) =>
      groups.some(
        (deviceGroup) =>
          askPolicy(ctx.accessPolicy, principal, 'approve', { kind: 'request', actionType, deviceGroup }).allowed,
      ),
    )
    .map((t) => t.id);
  return ok({ ...filter, awaitingApprovalTypes: types });
}
