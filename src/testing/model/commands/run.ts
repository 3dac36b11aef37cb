/**
 * `RunCommand`: runs the center once and checks its report against the model.
 *
 * @module
 */
import { ACCEPTED_DETAILS, PARTIAL_DETAILS, referenceOf } from '../executor.js';
import {
  actionsOf,
  agree,
  endUndo,
  sweepModel,
  statusAfterRun,
  succeededModel,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
} from '../model.js';
import { checkInvariants } from './invariants.js';
import { revertModel } from './notes.js';
import { okOf, type ActionCenterCommand } from './shared.js';

/**
 * Runs the center once: pending actions past their expiry expire, dispatched actions still running
 * at or past their deadline time out (no executor holds them), then every approved action runs and
 * ends as its script says (succeeded; failed for a failure, a partial result or a throw; timedOut
 * for a hang; still running for `accepted`, dispatched with its reference), and a finished undo
 * counterpart ends its original's undo. A `transient` failure with attempts left under its type's
 * retry policy is approved again with a `retryAt` (the backoff), and no run starts it before then;
 * the last attempt's transient failure is final (failed).
 *
 * @example
 * ```ts
 * import { RunCommand } from 'actioncenter/testing';
 * String(new RunCommand()); // 'run()'
 * ```
 */
export class RunCommand implements ActionCenterCommand {
  check(): boolean {
    return true;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const report = okOf('run()', await real.center.run());
    const { expired, escalated } = sweepModel(model);
    // The model's store holds no unreadable record: nothing is skipped as corrupt.
    const counts = {
      expired,
      started: 0,
      succeeded: 0,
      failed: 0,
      timedOut: 0,
      accepted: 0,
      discarded: 0,
      escalated,
      reverted: 0,
      corrupt: [],
    };
    const ended: ModelAction[] = [];
    // The deadline sweep comes before any execution: dispatched work no report ended in time.
    for (const action of actionsOf(model)) {
      if (action.status !== 'running' || action.execution === undefined) continue;
      if (action.execution.deadlineAt > model.now) continue;
      action.status = 'timedOut';
      counts.timedOut += 1;
      ended.push(action);
    }
    // Issue 16: time-limited actions whose revert is due: their undo, requested by autoRevert, whose
    // counterpart (approved) this same run executes; one that can no longer be undone loses its revert.
    counts.reverted = await revertModel(model, real);
    for (const action of actionsOf(model)) {
      if (action.status !== 'approved') continue;
      // Approved again after a transient failure: not started before its backoff is over.
      if (action.retryAt !== undefined && action.retryAt !== null && action.retryAt > model.now) continue;
      const attempt = (action.attempt ?? 0) + 1;
      action.attempt = attempt;
      action.retryAt = null;
      const retryAt = action.outcome === 'transient' ? retryAtAfter(action, attempt, model.now) : null;
      const status = retryAt === null ? statusAfterRun(action.outcome) : 'approved';
      if (status === 'succeeded') succeededModel(action, model.now);
      else action.status = status;
      action.retryAt = retryAt;
      const accepted = action.outcome === 'accepted';
      action.execution = {
        startedAt: model.now,
        deadlineAt: model.now + action.actionType.deadlineMs,
        reference: accepted ? referenceOf(action.id) : null,
        details: accepted ? { ...ACCEPTED_DETAILS } : action.outcome === 'partial' ? { ...PARTIAL_DETAILS } : null,
        reportedFailure: null,
        discarded: new Set(),
      };
      counts.started += 1;
      // Retried: started, but no outcome counted (it starts again once its retryAt has come).
      if (status === 'approved') continue;
      if (status === 'running') counts.accepted += 1;
      else {
        counts[status] += 1;
        ended.push(action);
      }
    }
    for (const action of ended) endUndo(model, action);
    agree('run(): report', report, counts);
    return checkInvariants(model, real);
  }

  toString(): string {
    return 'run()';
  }
}

/**
 * When an action that failed transiently at `now` on its `attempt`-th start may start again: its
 * type's policy, `now + min(backoffMs * 2^(attempt - 1), maxBackoffMs)`; null when the type has no
 * policy or the attempt was its last (then the failure is final).
 */
function retryAtAfter(action: ModelAction, attempt: number, now: number): number | null {
  const policy = action.actionType.retry;
  if (policy === undefined || policy === null || attempt >= policy.maxAttempts) return null;
  return now + Math.min(policy.backoffMs * 2 ** (attempt - 1), policy.maxBackoffMs);
}
