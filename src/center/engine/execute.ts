/**
 * Execution of one approved action: start it (committed), hand it to the executor with a deadline,
 * and record the outcome, whatever the executor answers (a throw, garbage, never).
 *
 * @module
 */
import * as z from 'zod';
import type { ActionTypeDefinition } from '../../catalog/action-type.js';
import type { ActionId } from '../../catalog/ids.js';
import type { ActionRecord, ActionFailure, ExecutionDetails } from '../../catalog/records.js';
import { assertNever } from '../../catalog/targets.js';
import type { LifecycleEvent } from '../../rules/lifecycle.js';
import { canRetry } from '../../rules/lifecycle-retry.js';
import { readClock } from '../clock-reading.js';
import { readExecutionError, readExecutionOutcome } from '../executor-outcome.js';
import { isExpired } from '../../rules/lifecycle.js';
import { EXECUTOR, EXPIRY, safely, typeOf, type EngineContext } from './context.js';
import { commitPlans } from './commit.js';
import { planEvent } from './plan.js';

/**
 * What the engine records when an execution ends (or is dispatched: `accepted`, the action runs on
 * until a report or its deadline); `details` go onto the record, `audit` is added to the audit
 * event's details.
 */
export type Finish =
  | { kind: 'succeeded'; details?: ExecutionDetails | null; audit: Readonly<Record<string, unknown>> }
  | {
      kind: 'failed';
      failure: ActionFailure;
      details?: ExecutionDetails | null;
      audit: Readonly<Record<string, unknown>>;
      /** Transient (the executor said `retryable: true`): retried by the type's policy while attempts are left. */
      retryable?: boolean;
    }
  | { kind: 'timedOut'; failure: ActionFailure; audit: Readonly<Record<string, unknown>> }
  | {
      kind: 'accepted';
      reference: string;
      details?: ExecutionDetails | null;
      audit: Readonly<Record<string, unknown>>;
    };

/**
 * How one execution ended, for the run report; `retried`: a transient failure with attempts left,
 * approved again until its `retryAt`; `notDue`: approved but waiting for its `retryAt`, not started.
 */
export type Executed =
  'notStarted' | 'notDue' | 'unknownType' | 'succeeded' | 'failed' | 'timedOut' | 'accepted' | 'discarded' | 'retried';

const DEADLINE: unique symbol = Symbol('deadline');

/** Starts one approved action, executes it and records the outcome. */
export async function execute(ctx: EngineContext, action: ActionRecord): Promise<Executed> {
  const type = typeOf(ctx, action);
  const startedAt = readClock(ctx.clock);
  if (!startedAt.ok) return 'notStarted'; // a broken clock: leave it approved for the next run
  // Its type left the catalogue (a center restarted with a smaller one): it can never start, so
  // it fails now, audited, rather than staying approved for ever.
  if (!type.ok) return (await failUnknownType(ctx, action, startedAt.value)) ? 'unknownType' : 'notStarted';
  // Retried after a transient failure: not before its backoff (a queue's early delivery, a tick).
  if (action.retryAt !== null && action.retryAt > startedAt.value) return 'notDue';
  // Approved, never started and past its unstarted expiry (issue 16): expired instead, never started.
  if (isExpired(action, startedAt.value)) {
    const expired = await planEvent(ctx, action, { type: 'expire', by: EXPIRY, at: startedAt.value, comment: null });
    if (expired.ok) await commitPlans(ctx, [expired.value]);
    return 'notStarted';
  }
  const started = await planEvent(ctx, action, { type: 'start', by: EXECUTOR, at: startedAt.value, comment: null });
  if (!started.ok) return 'notStarted';
  const committed = await commitPlans(ctx, [started.value]);
  if (!committed.ok) return 'notStarted'; // another worker took it, or the store is down: try next run
  const current = started.value.result;
  // Held until the outcome is recorded, so that the `abort` effect of a cancel or a time-out reaches it.
  const controller = new AbortController();
  ctx.running.set(current.id, controller);
  try {
    const result: Finish = !safeSupports(ctx, type.value.id)
      ? {
          kind: 'failed',
          failure: { code: 'unsupportedActionType', message: `The executor does not support "${type.value.id}"` },
          audit: {},
        }
      : await executeWithDeadline(ctx, current, type.value, controller);
    const outcome = await finish(ctx, current.id, result);
    // The deadline is the executor's contract: stop it even when the time-out could not be recorded.
    if (result.kind === 'timedOut' && outcome !== 'timedOut') controller.abort(new Error('deadline passed'));
    return outcome;
  } finally {
    ctx.running.delete(current.id);
  }
}

/** approved → failed with `unknownActionType`: the type the action names is not in the catalogue. */
async function failUnknownType(ctx: EngineContext, action: ActionRecord, at: number): Promise<boolean> {
  const failure: ActionFailure = {
    code: 'unknownActionType',
    message: `The action type "${action.actionType}" is not in the catalogue: the action cannot run`.slice(0, 2000),
  };
  // The lifecycle reads the type only for guards and the start deadline; this edge has neither,
  // so a stand-in for the missing type is never consulted.
  const event: LifecycleEvent = { type: 'fail', by: EXECUTOR, at, comment: null, failure };
  const step = await planEvent(ctx, action, event, { actionType: missingType(action) });
  if (!step.ok) return false;
  return (await commitPlans(ctx, [step.value])).ok;
}

function safeSupports(ctx: EngineContext, typeId: string): boolean {
  try {
    // Only a real `true` supports: a truthy string or number from a broken executor does not.
    return ctx.executor.supports(typeId) === true;
  } catch {
    return false;
  }
}

async function executeWithDeadline(
  ctx: EngineContext,
  action: ActionRecord,
  actionType: ActionTypeDefinition,
  controller: AbortController,
): Promise<Finish> {
  const deadlineAt = action.deadlineAt ?? (action.startedAt ?? action.updatedAt) + actionType.deadlineMs;
  const timer = new AbortController();
  try {
    const now = readClock(ctx.clock);
    const wait = Math.max(0, now.ok ? deadlineAt - now.value : actionType.deadlineMs);
    const deadline = safeSleep(ctx, wait, timer.signal).then((): typeof DEADLINE => DEADLINE);
    // Every answer, however broken, becomes a Finish: `work` never rejects.
    const work = startWork(ctx, action, actionType, controller.signal);
    const first = await Promise.race([work, deadline]);
    const timedOut: Finish = {
      kind: 'timedOut',
      failure: { code: 'deadlineExceeded', message: `No result within ${actionType.deadlineMs} ms` },
      audit: first === DEADLINE ? {} : first.audit,
    };
    if (first === DEADLINE) {
      // The executor may still report a success (the remote side did the work): record it late.
      // A late `accepted` is not recorded: the action timed out before it was dispatched.
      void work.then((late) =>
        late.kind === 'succeeded' ? finish(ctx, action.id, withLate(late, deadlineAt)) : undefined,
      );
      return timedOut; // the time-out's `abort` effect stops the executor
    }
    // Dispatched, even past the deadline: the reference is recorded, and the `run` sweep times the
    // action out at its deadline unless a report comes first (this process no longer holds it).
    if (first.kind === 'accepted') return first;
    const answeredAt = readClock(ctx.clock);
    if (answeredAt.ok && answeredAt.value > deadlineAt) {
      // The clock passed the deadline while the executor worked. A success is still a success
      // (recorded late, undoable); a failure after the deadline is a time-out, as before.
      return first.kind === 'succeeded' ? withLate(first, deadlineAt) : timedOut;
    }
    return first;
  } finally {
    timer.abort();
  }
}

function startWork(
  ctx: EngineContext,
  action: ActionRecord,
  actionType: ActionTypeDefinition,
  signal: AbortSignal,
): Promise<Finish> {
  let answer: unknown;
  try {
    answer = ctx.executor.execute({ action, actionType, signal });
  } catch (cause) {
    return Promise.resolve(readExecutionError(cause));
  }
  // An answer that is not a promise (a plain value, a Proxy) is read as it is: handing it to
  // Promise.resolve would read its `then`, and a throw there would look like the executor's error.
  if (!isThenable(answer)) return Promise.resolve(readExecutionOutcome(answer));
  return Promise.resolve(answer).then(readExecutionOutcome, readExecutionError);
}

async function safeSleep(ctx: EngineContext, ms: number, signal: AbortSignal): Promise<void> {
  try {
    await ctx.sleep(ms, signal);
  } catch {
    // A sleep that fails cannot measure the deadline: fall back to the timer.
    await defaultSleep(ms, signal);
  }
}

/** Records an execution result (on a counterpart, the `settleUndo` effect ends the original's undo too). */
export async function finish(
  ctx: EngineContext,
  actionId: ActionId,
  result: Finish,
): Promise<'succeeded' | 'failed' | 'timedOut' | 'accepted' | 'discarded' | 'retried'> {
  const fresh = await safely(() => ctx.repository.get(actionId));
  // Cancelled (or otherwise moved on) while the executor worked: the late outcome changes nothing.
  // The one exception: a success after a time-out is recorded (late; the work was done).
  if (!fresh.ok || fresh.value === null) return 'discarded';
  const action = fresh.value;
  if (action.status !== 'running' && !(action.status === 'timedOut' && result.kind === 'succeeded')) return 'discarded';
  const reading = readClock(ctx.clock);
  // A broken clock must not lose the outcome: it is recorded at the record's last time, and the
  // audit says the clock was invalid.
  const at = reading.ok ? reading.value : action.updatedAt;
  // A transient failure while the type's policy has attempts left: approved again (retryAt the
  // backoff) instead of failed. Read from the record as stored, so two processes agree.
  const type = result.kind === 'failed' && result.retryable === true ? typeOf(ctx, action) : null;
  const retry = type !== null && type.ok && canRetry(action, type.value);
  const event: LifecycleEvent =
    retry && result.kind === 'failed'
      ? { type: 'retry', by: EXECUTOR, at, comment: null, failure: result.failure, ...detailsOf(result.details) }
      : finishEvent(result, at);
  const extra: Record<string, unknown> = { ...result.audit };
  if (result.kind === 'succeeded' && action.status === 'timedOut' && extra['late'] === undefined) {
    extra['late'] = true;
    if (action.deadlineAt !== null) extra['deadlineAt'] = action.deadlineAt;
  }
  if (!reading.ok) extra['clockInvalid'] = reading.error.value;
  const step = await planEvent(ctx, action, event, Object.keys(extra).length === 0 ? {} : { details: extra });
  if (!step.ok) return 'discarded';
  const committed = await commitPlans(ctx, [step.value]);
  if (!committed.ok) return 'discarded';
  return retry ? 'retried' : result.kind;
}

/** The lifecycle event that records `result` at `at`, with the executor's details when it gave some. */
function finishEvent(result: Finish, at: number): LifecycleEvent {
  switch (result.kind) {
    case 'succeeded':
      return { type: 'succeed', by: EXECUTOR, at, comment: null, ...detailsOf(result.details) };
    case 'failed':
      return { type: 'fail', by: EXECUTOR, at, comment: null, failure: result.failure, ...detailsOf(result.details) };
    case 'accepted':
      return {
        type: 'accept',
        by: EXECUTOR,
        at,
        comment: null,
        reference: result.reference,
        ...detailsOf(result.details),
      };
    case 'timedOut':
      return { type: 'timeOut', by: EXECUTOR, at, comment: null, failure: result.failure };
    default:
      return assertNever(result);
  }
}

function detailsOf(details: ExecutionDetails | null | undefined): { details?: ExecutionDetails } {
  return details === null || details === undefined ? {} : { details };
}

/** A native promise, or an object with a callable `then`; false when reading it throws. */
function isThenable(value: unknown): boolean {
  try {
    if (value instanceof Promise) return true;
    return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

/** A success that arrived after the deadline: the audit event says so. */
function withLate(result: Finish & { kind: 'succeeded' }, deadlineAt: number): Finish {
  return { kind: 'succeeded', details: result.details ?? null, audit: { ...result.audit, late: true, deadlineAt } };
}

/**
 * A stand-in for an action type the catalogue no longer holds, for the one lifecycle step that
 * needs no type (approved → failed): no undo, not cancellable, no deadline.
 */
function missingType(action: ActionRecord): ActionTypeDefinition {
  return {
    id: action.actionType,
    displayName: action.actionType,
    description: '',
    workload: action.workload,
    targetKind: action.target.kind,
    parameters: z.never(),
    undo: null,
    cancellableWhileRunning: false,
    deadlineMs: 0,
    permission: 'deviceRemediation',
    undoes: [],
    checkTarget: null,
    retry: null,
  };
}

/** Waits `ms` with `setTimeout`, or until `signal` aborts. */
export function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const handle = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => clearTimeout(handle), { once: true });
  });
}
