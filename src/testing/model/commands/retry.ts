/**
 * `RetryCommand`: retries one failed or timed-out action by hand as a persona (issue 16).
 *
 * @module
 */
import { DEFAULT_MAX_RETRIES } from 'actioncenter/adapter-kit';
import {
  actionsOf,
  agree,
  isOpen,
  ModelMismatchError,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
  type ScriptedOutcome,
} from '../model.js';
import { MODEL_PERSONAS, type ModelPersona } from '../personas.js';
import { checkInvariants } from './invariants.js';
import { choose, mayAct, okOf, singleItem, type ActionCenterCommand } from './shared.js';

const retryable = (a: ModelAction): boolean => a.status === 'failed' || a.status === 'timedOut';

/**
 * Retries one action as a persona: the model predicts denied (approve's permission, four eyes
 * included), invalidState (another status; `alreadyRetried`; `retryLimitReached`; an open action
 * holding the target: `conflictingAction` or `duplicateOpenAction`), or a new approved action
 * linked both ways, which the next run executes as the script says.
 *
 * @example
 * ```ts
 * import { RetryCommand } from 'actioncenter/testing';
 * String(new RetryCommand('securityAdministrator', 0, true, 'succeeded')); // 'retry(by securityAdministrator, pick 0 of retryable, then succeeded)'
 * ```
 */
export class RetryCommand implements ActionCenterCommand {
  constructor(
    readonly persona: ModelPersona,
    readonly pick: number,
    readonly fromPool: boolean,
    readonly outcome: ScriptedOutcome,
  ) {}

  check(model: Readonly<ActionCenterModel>): boolean {
    return model.order.length > 0;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const target = choose(model, this.pick, this.fromPool, retryable) as ModelAction;
    const what = `${String(this)} on ${target.id} (${target.actionType.id}, ${target.status})`;
    const result = okOf(
      what,
      await real.center.retry({ principal: MODEL_PERSONAS[this.persona], ids: [target.id], comment: 'retry' }),
    );
    const item = singleItem(what, result);
    const refusal = (code: string) => {
      agree(`${what}: outcome`, [item.outcome, item.ok ? null : item.error.code], ['invalidState', code]);
      return checkInvariants(model, real);
    };
    if (!mayAct(model, this.persona, 'approve', target)) {
      agree(`${what}: outcome`, item.outcome, 'denied');
      return checkInvariants(model, real);
    }
    if (!retryable(target)) return refusal('invalidTransition');
    if (target.retriedBy !== undefined && target.retriedBy !== null) return refusal('alreadyRetried');
    const retryCount = target.retryCount ?? 0;
    if (retryCount >= (target.actionType.maxRetries ?? DEFAULT_MAX_RETRIES)) return refusal('retryLimitReached');
    const holder =
      model.rules.duplicates === 'allow'
        ? undefined
        : actionsOf(model).find((a) => a.openKey === target.openKey && isOpen(a));
    if (holder !== undefined)
      return refusal(holder.actionType.id === target.actionType.id ? 'duplicateOpenAction' : 'conflictingAction');
    agree(`${what}: outcome`, [item.outcome, item.ok ? item.action.status : null], ['applied', target.status]);
    if (!item.ok) return;
    const retryId = item.action.retriedBy;
    if (retryId === null || model.actions.has(retryId))
      throw new ModelMismatchError(`${what}: the retry id ${String(retryId)} is missing or not new`);
    target.retriedBy = retryId;
    model.actions.set(retryId, {
      id: retryId,
      status: 'approved',
      actionType: target.actionType,
      source: target.source,
      deviceGroup: target.deviceGroup,
      openKey: target.openKey,
      expiresAt: null,
      undoOf: null,
      undoActionId: null,
      outcome: this.outcome,
      requestedBy: target.requestedBy ?? null,
      retryCount: retryCount + 1,
      // The retry repeats the request: a time-limited one stays time-limited.
      revertAfterMs: target.revertAfterMs ?? null,
    });
    model.order.push(retryId);
    real.script.set(retryId, this.outcome);
    return checkInvariants(model, real);
  }

  toString(): string {
    return `retry(by ${this.persona}, pick ${this.pick}${this.fromPool ? ' of retryable' : ''}, then ${this.outcome})`;
  }
}
