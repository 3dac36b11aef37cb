/**
 * N-of-M approvals in the model (issue 16): what one approval by a persona does to a pending action
 * that needs several (the model's `requiredApprovals`, from {@link createModelRunSetup}'s option of
 * the same name). `DecisionCommand` asks it for every `approve`.
 *
 * @module
 */
import type { ActionCenterModel, ModelAction } from '../model.js';
import { MODEL_PERSONAS, type ModelPersona } from '../personas.js';
import { acceptsDecision, decided, mayAct } from './shared.js';

/**
 * What the engine must answer for an approval of `action` by `persona`: `denied` (the policy, or
 * the requester of an action needing several: never counted), `invalidState` (not pending, or the
 * persona approved it already: `alreadyApproved`), or `applied` with the status it leaves the action
 * in (`pending` while approvals are outstanding, `approved` at the last).
 */
export function predictApproval(
  model: Readonly<ActionCenterModel>,
  persona: ModelPersona,
  action: ModelAction,
): { readonly outcome: 'denied' | 'invalidState' | 'applied'; readonly status: 'pending' | 'approved' | null } {
  const id = MODEL_PERSONAS[persona].id;
  const required = action.requiredApprovals ?? 1;
  if (!mayAct(model, persona, 'approve', action)) return { outcome: 'denied', status: null };
  if (required > 1 && action.status === 'pending' && action.requestedBy === id)
    return { outcome: 'denied', status: null };
  if (!acceptsDecision('approve', action)) return { outcome: 'invalidState', status: null };
  const given = action.approvals ?? [];
  if (given.includes(id)) return { outcome: 'invalidState', status: null };
  return { outcome: 'applied', status: given.length + 1 < required ? 'pending' : 'approved' };
}

/** Moves the model on after an approval the engine applied: one approval more, or the decision. */
export function approvalApplied(model: ActionCenterModel, persona: ModelPersona, action: ModelAction): void {
  const given = action.approvals ?? [];
  if (given.length + 1 < (action.requiredApprovals ?? 1)) action.approvals = [...given, MODEL_PERSONAS[persona].id];
  else decided(model, 'approve', action);
}
