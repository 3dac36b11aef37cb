/**
 * `SubmitCommand`: submits a request and checks the engine's answer against the model's prediction.
 *
 * @module
 */
import {
  actionsOf,
  agree,
  isOpen,
  ModelMismatchError,
  requestOfPlan,
  type ActionCenterModel,
  type ActionCenterReal,
  type ScriptedOutcome,
  type SubmitPlan,
} from '../model.js';
import { MODEL_PERSONAS } from '../personas.js';
import { checkInvariants } from './invariants.js';
import { okOf, type ActionCenterCommand } from './shared.js';

/**
 * Submits a request (see {@link SubmitPlan}); the model predicts a refusal (access denied, a
 * duplicate), a join, a replay of an idempotency key, or a new action, pending or taken now.
 *
 * @example
 * ```ts
 * import { SubmitCommand } from 'actioncenter/testing';
 * const cmd = new SubmitCommand({ kind: 'quarantineFile', target: 0, verdict: 'suspicious' }, 'succeeded', null);
 * String(cmd); // 'submit(quarantineFile #0 suspicious, then succeeded)'
 * ```
 */
export class SubmitCommand implements ActionCenterCommand {
  constructor(
    readonly plan: SubmitPlan,
    readonly outcome: ScriptedOutcome,
    readonly idempotencyKey: string | null,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const what = String(this);
    const { request, persona, actionType, source, deviceGroup, openKey, startsPending } = requestOfPlan(this.plan);
    const input = {
      request: this.idempotencyKey === null ? request : { ...request, idempotencyKey: this.idempotencyKey },
      ...(persona === null ? {} : { principal: MODEL_PERSONAS[persona] }),
    };
    const result = await real.center.submit(input);

    if (
      persona !== null &&
      !model.rules.permissions(persona, 'propose' in this.plan && this.plan.propose ? 'propose' : 'submit', {
        actionType,
        deviceGroup,
      })
    ) {
      agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, 'accessDenied');
      return checkInvariants(model, real);
    }
    // A claimed key replays the first result to the same requester with the same request (once the
    // submitter is authorized); another request under it is a conflict. Keys are the requester's own.
    const requester = persona === null ? 'system' : `principal:${MODEL_PERSONAS[persona].id}`;
    const scopedKey = this.idempotencyKey === null ? null : `${requester}\u0000${this.idempotencyKey}`;
    const { comment: _comment, requestedBy: _by, ...asked } = request;
    const fingerprint = JSON.stringify(asked);
    const replayOf = scopedKey === null ? undefined : model.idempotencyKeys.get(scopedKey);
    if (replayOf !== undefined && scopedKey !== null && model.idempotencyRequests.get(scopedKey) !== fingerprint) {
      agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, 'idempotencyKeyConflict');
      return checkInvariants(model, real);
    }
    if (replayOf !== undefined) {
      const value = okOf(what, result);
      agree(`${what}: disposition`, value.disposition, 'replayed');
      agree(
        `${what}: replayed action`,
        [value.action.id, value.action.status],
        [replayOf, model.actions.get(replayOf)?.status],
      );
      return checkInvariants(model, real);
    }
    const holder = actionsOf(model).find((a) => a.openKey === openKey && isOpen(a));
    // Issue 16: another type of the group on the target is refused whatever the duplicates policy
    // (allowed duplicates: whatever open actions of the type itself there are beside it).
    const other = actionsOf(model).find((a) => a.openKey === openKey && isOpen(a) && a.actionType.id !== actionType.id);
    if (other !== undefined) {
      agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, 'conflictingAction');
      if (!result.ok && result.error.code === 'conflictingAction')
        agree(`${what}: the open action`, result.error.openActionId, other.id);
      return checkInvariants(model, real);
    }
    const open = model.rules.duplicates === 'allow' ? undefined : holder;
    if (open !== undefined) {
      if (model.rules.duplicates === 'refuse') {
        agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, 'duplicateOpenAction');
        if (!result.ok && result.error.code === 'duplicateOpenAction')
          agree(`${what}: the open duplicate`, result.error.existingActionId, open.id);
      } else {
        const value = okOf(what, result);
        agree(`${what}: joined`, [value.disposition, value.action.id], ['joined', open.id]);
      }
      return checkInvariants(model, real);
    }
    const value = okOf(what, result);
    const status = startsPending ? 'pending' : 'approved';
    agree(
      `${what}: disposition and record`,
      [value.disposition, value.action.status, value.action.actionType, value.action.version, value.action.createdAt],
      [startsPending ? 'pending' : 'takenNow', status, actionType.id, 1, model.now],
    );
    // Issue 16: taken now, it expires unstarted after the policy's approved expiry; pending, it escalates.
    const approvedExpiryMs = model.rules.approvedExpiryMs ?? null;
    const expiresAt = startsPending
      ? model.now + model.rules.pendingExpiryMs
      : approvedExpiryMs === null
        ? null
        : model.now + approvedExpiryMs;
    const decideWithinMs = model.rules.decideWithinMs ?? null;
    const escalateAt = startsPending && decideWithinMs !== null ? model.now + decideWithinMs : null;
    agree(
      `${what}: expiry and approval deadline`,
      [value.action.expiresAt, value.action.escalateAt],
      [expiresAt, escalateAt],
    );
    if (model.actions.has(value.action.id))
      throw new ModelMismatchError(`${what}: the new action reuses the id ${value.action.id}`);
    model.actions.set(value.action.id, {
      id: value.action.id,
      status,
      actionType,
      source,
      deviceGroup,
      openKey,
      expiresAt,
      escalateAt,
      undoOf: null,
      undoActionId: null,
      outcome: this.outcome,
      requestedBy: persona === null ? null : MODEL_PERSONAS[persona].id,
      // N-of-M approvals (issue 16): fixed at submission, for a pending action.
      requiredApprovals: startsPending ? (model.rules.requiredApprovals ?? 1) : 1,
    });
    agree(
      `${what}: required approvals`,
      value.action.requiredApprovals,
      startsPending ? (model.rules.requiredApprovals ?? 1) : 1,
    );
    model.order.push(value.action.id);
    if (scopedKey !== null) {
      model.idempotencyKeys.set(scopedKey, value.action.id);
      model.idempotencyRequests.set(scopedKey, fingerprint);
    }
    real.script.set(value.action.id, this.outcome);
    return checkInvariants(model, real);
  }

  toString(): string {
    const p = this.plan;
    const how =
      'verdict' in p ? ` ${p.verdict}` : 'persona' in p ? ` by ${p.persona}${p.propose ? ' (proposed)' : ''}` : '';
    return `submit(${p.kind} #${p.target}${how}${this.idempotencyKey === null ? '' : ` key ${this.idempotencyKey}`}, then ${this.outcome})`;
  }
}
