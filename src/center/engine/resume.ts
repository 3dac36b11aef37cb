/**
 * `resume`: take one action forward from wherever a crash or a queue left it, for a worker that got
 * its id from a job (at least once: the same id may come again, to this process or another).
 *
 * - approved: start it and execute it, as `run` does for one id;
 * - running and held by no executor of this process (its worker died: the job came back after its
 *   lease): executed again and the outcome recorded, or timed out when its deadline has passed;
 * - anything else (final, pending, held here, accepted and awaiting a report): nothing changes.
 *
 * Recording stays exactly once: every outcome goes through `finish`, which commits only on the
 * version it read, so two processes resuming the same action record one final state between them.
 *
 * @module
 */
import * as z from 'zod';
import type { ActionTypeDefinition } from '../../catalog/action-type.js';
import type { ActionRecord, ActionStatus } from '../../catalog/records.js';
import type { InternalError, InvalidInputError } from '../../errors.js';
import { err, ok, safeParseInput, type Result } from '../../result.js';
import { readClock } from '../clock-reading.js';
import type { NotFoundError } from '../errors.js';
import { readExecutionError, readExecutionOutcome } from '../executor-outcome.js';
import type { RepositoryError } from '../ports.js';
import { readFields, safely, typeOf, type EngineContext } from './context.js';
import { defaultSleep, execute, finish, type Finish } from './execute.js';

/**
 * Input of {@link ActionCenter.resume}: the id of one action (a worker's job names it).
 *
 * @example
 * ```ts
 * import type { ResumeInput } from 'actioncenter';
 * const input: ResumeInput = { id: 'act-1' };
 * ```
 */
export interface ResumeInput {
  /** The action to take forward. */
  readonly id: string;
}

/**
 * What {@link ActionCenter.resume} did:
 * - `succeeded`, `failed`, `timedOut`: it executed the action (or timed it out) and recorded that;
 * - `accepted`: the executor dispatched it (its reference recorded): the outcome comes by `report`;
 * - `discarded`: an outcome was reached but not recorded (another process recorded first, or the
 *   store refused): read `status`;
 * - `notStarted`: an approved action could not be started (another process started it, or the
 *   store or clock failed): try again later;
 * - `retried`: the executor answered a transient failure and the type's retry policy had attempts
 *   left: the attempt is recorded (`retry`), the action approved again, to start at its `retryAt`;
 * - `notDue`: approved after a retry, but its `retryAt` has not come: not started (`retryAt` says when);
 * - `unchanged`: nothing to do (final, pending, held by this process, or awaiting a report).
 *
 * @example
 * ```ts
 * import type { ResumeResult } from 'actioncenter';
 * const done = (r: ResumeResult) => r.outcome !== 'notStarted' && r.outcome !== 'discarded';
 * ```
 */
export interface ResumeResult {
  /** The action's id. */
  readonly id: string;
  /** What this call did. */
  readonly outcome:
    'succeeded' | 'failed' | 'timedOut' | 'accepted' | 'discarded' | 'notStarted' | 'unchanged' | 'retried' | 'notDue';
  /** When the action may start again: after `retried` and `notDue` (null otherwise). */
  readonly retryAt?: number | null;
  /** The action's status as read after the call (null when it could not be read). */
  readonly status: ActionStatus | null;
}

/**
 * The errors of {@link ActionCenter.resume}: a malformed input, an unknown id, the store.
 *
 * @example
 * ```ts
 * import type { ResumeError } from 'actioncenter';
 * const retry = (e: ResumeError) => e.code === 'repositoryUnavailable';
 * ```
 */
export type ResumeError = InvalidInputError | NotFoundError | RepositoryError | InternalError;

const IdSchema = z.string().min(1).max(200);

/** The `resume` operation. */
export async function resume(ctx: EngineContext, input: unknown): Promise<Result<ResumeResult, ResumeError>> {
  const fields = readFields(input, ['id'], 'resume input');
  if (!fields.ok) return fields;
  const id = safeParseInput(IdSchema, fields.value.id, 'resume input');
  if (!id.ok) return id;
  const read = await safely(() => ctx.repository.get(id.value));
  if (!read.ok) return read;
  const action = read.value;
  if (action === null) return err({ code: 'notFound', message: `No action "${id.value}"`, actionId: id.value });
  let outcome: ResumeResult['outcome'] = 'unchanged';
  if (action.status === 'approved') {
    const executed = await execute(ctx, action);
    outcome = executed === 'unknownType' ? 'failed' : executed;
  } else if (action.status === 'running' && !ctx.running.has(action.id) && !awaitsReport(action)) {
    outcome = await executeAgain(ctx, action);
  }
  // A recorded outcome is the status; only an unrecorded attempt (or a retry's time) needs the store read again.
  if (outcome === 'unchanged') return ok({ id: id.value, outcome, status: action.status });
  if (outcome === 'notDue') return ok({ id: id.value, outcome, status: action.status, retryAt: action.retryAt });
  if (outcome !== 'notStarted' && outcome !== 'discarded' && outcome !== 'retried') {
    return ok({ id: id.value, outcome, status: outcome === 'accepted' ? 'running' : outcome });
  }
  const after = await safely(() => ctx.repository.get(id.value));
  const found = after.ok ? after.value : null;
  const status = found !== null ? found.status : outcome === 'retried' ? 'approved' : null;
  if (outcome === 'retried') return ok({ id: id.value, outcome, status, retryAt: found?.retryAt ?? null });
  return ok({ id: id.value, outcome, status });
}

/** Accepted by the remote system (issue 15's dispatch and report): the outcome comes by `report`. */
function awaitsReport(action: ActionRecord): boolean {
  const reference = (action as { readonly externalReference?: unknown }).externalReference;
  return reference !== undefined && reference !== null;
}

/**
 * Executes a running action whose executor is gone, and records the outcome (the audit event says
 * `resumed`); past its deadline, times it out instead of calling the executor.
 */
async function executeAgain(ctx: EngineContext, action: ActionRecord): Promise<ResumeResult['outcome']> {
  const type = typeOf(ctx, action);
  const now = readClock(ctx.clock);
  if (!now.ok) return 'discarded';
  if (!type.ok) {
    const failure = {
      code: 'unknownActionType',
      message: `The action type "${action.actionType}" is not in the catalogue`,
    };
    return finish(ctx, action.id, { kind: 'failed', failure, audit: { resumed: true } });
  }
  const deadlineAt = action.deadlineAt ?? (action.startedAt ?? action.updatedAt) + type.value.deadlineMs;
  const timedOut: Finish = {
    kind: 'timedOut',
    failure: { code: 'deadlineExceeded', message: 'The deadline passed while no executor held the action' },
    audit: { resumed: true },
  };
  if (deadlineAt <= now.value) return finish(ctx, action.id, timedOut);
  const controller = new AbortController();
  ctx.running.set(action.id, controller);
  const timer = new AbortController();
  try {
    const deadline = sleepSafely(ctx, deadlineAt - now.value, timer.signal).then(() => null);
    const answer = await Promise.race([work(ctx, action, type.value, controller.signal), deadline]);
    if (answer === null) {
      controller.abort(new Error('deadline passed'));
      return finish(ctx, action.id, timedOut);
    }
    // Every answer as it came (details, a dispatch's reference), the audit saying it was resumed.
    const result: Finish = { ...answer, audit: { ...answer.audit, resumed: true } };
    return await finish(ctx, action.id, result);
  } finally {
    timer.abort();
    ctx.running.delete(action.id);
  }
}

/** Calls the executor once; every answer, however broken, is read into an outcome (never rejects). */
async function work(
  ctx: EngineContext,
  action: ActionRecord,
  actionType: ActionTypeDefinition,
  signal: AbortSignal,
): Promise<ReturnType<typeof readExecutionOutcome>> {
  try {
    if (ctx.executor.supports(actionType.id) !== true) {
      const failure = { code: 'unsupportedActionType', message: `The executor does not support "${actionType.id}"` };
      return { kind: 'failed', failure, details: null, audit: {} };
    }
    const answer: unknown = await ctx.executor.execute({ action, actionType, signal });
    return readExecutionOutcome(answer);
  } catch (cause) {
    return readExecutionError(cause);
  }
}

async function sleepSafely(ctx: EngineContext, ms: number, signal: AbortSignal): Promise<void> {
  try {
    await ctx.sleep(ms, signal);
  } catch {
    await defaultSleep(ms, signal);
  }
}
