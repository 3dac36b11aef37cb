/**
 * Approval deadlines and per-type expiries (issue 16): the timers an action gets at submission
 * (its pending expiry, its approval deadline, the unstarted expiry of one taken at once), and the
 * escalation the due-time sweep commits when a pending action's deadline passes.
 *
 * Escalation is durable and exactly once: it is found through the store's due index (`escalateAt`
 * is a due time of `dueAtOf`), committed from the version read with its audit event, and its step
 * clears `escalateAt` (and the table refuses a second `escalate`), so a conflict means another
 * process escalated (or someone decided) first. The escalation group is resolved when the deadline
 * passes, from the policy in force then (`approvalRequirementsFor(...).escalateTo`), not from the
 * policy at submission: a roster changed meanwhile is the one that should be asked.
 *
 * @module
 */
import type { ActionTypeDefinition } from '../../catalog/action-type.js';
import type { ActionRecord, ActionRequest, Actor } from '../../catalog/records.js';
import { deviceOf } from '../../catalog/targets.js';
import { approvalRequirementsFor, type RequirementFacts } from '../../rules/approval/requirements.js';
import type { EngineContext } from './context.js';
import { commitItems } from './commit.js';
import { planEach, planEventNow } from './plan.js';

/** The system actor of escalations. */
export const ESCALATION: Actor = Object.freeze({ type: 'system', component: 'escalation' });

/** The facts requirement rules match on, of a request or of a stored action. */
export function requirementFactsOf(
  action: Pick<ActionRecord, 'actionType' | 'workload' | 'source' | 'target'> | ActionRequest,
  workload: RequirementFacts['workload'],
): RequirementFacts {
  return {
    actionType: action.actionType,
    workload,
    source: action.source,
    deviceGroup: deviceOf(action.target)?.deviceGroup ?? null,
  };
}

/**
 * The timers of a new action of `type`: its pending expiry (the type's, else the policy's), its
 * approval deadline (the shortest `decideWithinMs` of the matching requirement rules, or null) and
 * the expiry of an action taken at once that never starts (the type's, else the policy's, or null).
 */
export function timersOf(
  ctx: EngineContext,
  type: ActionTypeDefinition,
  request: ActionRequest,
): { pendingExpiryMs: number; escalateAfterMs: number | null; approvedExpiryMs: number | null } {
  const policy = ctx.approvalPolicy;
  // Policies built by hand before requirement rules existed have none.
  const requirements = policy.requirements ?? [];
  const rules =
    requirements.length === 0 ? null : approvalRequirementsFor(policy, requirementFactsOf(request, type.workload));
  return {
    pendingExpiryMs: type.pendingExpiryMs ?? policy.pendingExpiryMs,
    escalateAfterMs: rules?.decideWithinMs ?? null,
    approvedExpiryMs: type.approvedExpiryMs ?? policy.approvedExpiryMs ?? null,
  };
}

/** Is the pending action's approval deadline due at `now` (and not escalated yet)? */
export function isEscalationDue(action: ActionRecord, now: number): boolean {
  const at = action.escalateAt ?? null;
  return action.status === 'pending' && at !== null && at <= now && (action.escalatedAt ?? null) === null;
}

/**
 * Commits the escalation of those of `actions` whose deadline is due at `now` and that are not
 * expired at `now` (expiry wins when both are due in one tick: the action ends, there is nobody
 * left to escalate to). Answers the escalated records by id; conflicts (another process
 * escalated, or someone decided) are skipped.
 */
async function escalateAll(
  ctx: EngineContext,
  actions: readonly ActionRecord[],
  now: number,
): Promise<Map<string, ActionRecord>> {
  const escalated = new Map<string, ActionRecord>();
  const due = actions.filter((a) => isEscalationDue(a, now) && (a.expiresAt === null || a.expiresAt > now));
  if (due.length === 0) return escalated;
  const { planned } = await planEach(ctx, due, (action) => {
    const step = planEventNow(ctx, action, {
      type: 'escalate',
      by: ESCALATION,
      at: now,
      comment: null,
      escalatedTo: escalationGroupOf(ctx, action),
    });
    return step.ok ? step.value : null;
  });
  if (planned.length === 0) return escalated;
  const committed = await commitItems(ctx, planned);
  for (const p of planned) if (committed.get(p.actionId)?.ok === true) escalated.set(p.actionId, p.result);
  return escalated;
}

/** Escalates what is due among `actions` (see {@link escalateAll}); answers how many were committed. */
export async function escalateDue(ctx: EngineContext, actions: readonly ActionRecord[], now: number): Promise<number> {
  return (await escalateAll(ctx, actions, now)).size;
}

/** The actions, with those whose approval deadline is due escalated and committed (as read otherwise). */
export async function escalatedAmong(
  ctx: EngineContext,
  actions: readonly ActionRecord[],
  now: number,
): Promise<ActionRecord[]> {
  const escalated = await escalateAll(ctx, actions, now);
  return escalated.size === 0 ? [...actions] : actions.map((a) => escalated.get(a.id) ?? a);
}

/** Who may approve once the action escalated: the matching rules' `escalateTo`, under the policy in force now. */
function escalationGroupOf(ctx: EngineContext, action: ActionRecord): ActionRecord['escalatedTo'] {
  const policy = ctx.approvalPolicy;
  if ((policy.requirements ?? []).length === 0) return [];
  return [...approvalRequirementsFor(policy, requirementFactsOf(action, action.workload)).escalateTo];
}
