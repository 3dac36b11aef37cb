/**
 * `ReportCommand`: reports the outcome of dispatched work (`center.report`) and checks the answer,
 * the record and the audit trail against the model.
 *
 * @module
 */
import type { AuditEvent, ReportOutcome } from 'actioncenter';
import { referenceOf } from '../executor.js';
import {
  actionsOf,
  agree,
  endUndo,
  ModelMismatchError,
  succeededModel,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
  type ModelExecution,
} from '../model.js';
import { checkInvariants } from './invariants.js';
import { choose, okOf, SUPERVISOR, type ActionCenterCommand } from './shared.js';

/**
 * Where a report is aimed: at the reference the action was dispatched as, at another reference,
 * or at an action id that does not exist.
 *
 * @example
 * ```ts
 * import type { ReportAim } from 'actioncenter/testing';
 * const aim: ReportAim = 'wrongReference'; // referenceMismatch, nothing changes
 * ```
 */
export type ReportAim = 'reference' | 'wrongReference' | 'unknownId';

/**
 * Among which actions a report picks its target: dispatched ones still running, any dispatched
 * one (running, finished, cancelled, timed out), or any action at all (most never dispatched).
 *
 * @example
 * ```ts
 * import type { ReportPool } from 'actioncenter/testing';
 * const pool: ReportPool = 'dispatched';
 * ```
 */
export type ReportPool = 'running' | 'dispatched' | 'any';

/** What the model predicts `center.report` answers. */
type Prediction =
  | { readonly kind: 'error'; readonly code: 'notFound' | 'notRunning' | 'referenceMismatch' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'discarded' }
  | { readonly kind: 'recorded'; readonly late: boolean; readonly event: 'succeed' | 'fail' | 'timeOut' | 'progress' };

/** The statuses in which the action's own outcome was a success (an undo may have come after). */
const SUCCEEDED = new Set(['succeeded', 'undoing', 'undone', 'undoFailed']);

/**
 * Reports the outcome of dispatched work, as the remote system would, later and from anywhere: a
 * success, a failure, a partial result or progress, aimed at an action the executor answered
 * `accepted` for (most often), at a wrong reference or an unknown id; sometimes sent twice. The
 * model predicts the answer: `notFound`, `notRunning` (never started), `referenceMismatch`;
 * recorded while running (a failure past the deadline is a time-out, a success late), progress
 * merged; a late success after a time-out recorded; the same report again a duplicate; any other
 * late report (after a cancel, a time-out, another outcome) discarded, kept once in the audit
 * trail. The record's status, reference, details and failure and the trail's last event are
 * checked, and a second sending changes nothing.
 *
 * @example
 * ```ts
 * import { ReportCommand } from 'actioncenter/testing';
 * const cmd = new ReportCommand({ status: 'succeeded' }, 0, 'dispatched', 'reference', false);
 * String(cmd); // 'report(succeeded, pick 0 of dispatched)'
 * ```
 */
export class ReportCommand implements ActionCenterCommand {
  constructor(
    readonly outcome: ReportOutcome,
    readonly pick: number,
    readonly pool: ReportPool,
    readonly aim: ReportAim,
    readonly twice: boolean,
  ) {}

  check(model: Readonly<ActionCenterModel>): boolean {
    return this.aim === 'unknownId' || model.order.length > 0;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    // Dispatched actions first (in the pool's states), so that reports meet them in every state.
    const dispatched = (a: ModelAction) => (a.execution?.reference ?? null) !== null;
    const inPool = this.pool === 'running' ? (a: ModelAction) => dispatched(a) && a.status === 'running' : dispatched;
    const running = this.pool === 'running' && actionsOf(model).some(inPool);
    const target =
      this.aim === 'unknownId'
        ? undefined
        : choose(model, this.pick, this.pool !== 'any', running ? inPool : dispatched);
    const actionId = target?.id ?? 'act-unknown';
    const reference = this.aim === 'wrongReference' ? 'ref-elsewhere' : referenceOf(actionId);
    const what = `${String(this)} on ${actionId}${target === undefined ? '' : ` (${target.actionType.id}, ${target.status})`}`;
    for (const round of this.twice ? [1, 2] : [1]) {
      const at = round === 1 ? what : `${what}, sent again`;
      const before = target === undefined ? 0 : (await trailOf(real, target.id)).length;
      const expected = predict(model, target, reference, this.outcome);
      // The same report again changes nothing: the model must agree with the issue's rule too.
      if (round === 2 && (expected.kind === 'recorded' || expected.kind === 'discarded'))
        throw new ModelMismatchError(`${at}: the model predicts a change from the same report sent again`);
      const result = await real.center.report({ actionId, reference, outcome: this.outcome });
      if (expected.kind === 'error') {
        agree(`${at}: answer`, result.ok ? 'ok' : result.error.code, expected.code);
      } else {
        const value = okOf(at, result);
        const answer = value.recorded
          ? { recorded: true, late: value.late }
          : { recorded: false, reason: value.reason };
        const predicted =
          expected.kind === 'recorded'
            ? { recorded: true, late: expected.late }
            : { recorded: false, reason: expected.kind };
        agree(`${at}: answer`, answer, predicted);
        const action = target as ModelAction;
        applyReport(model, action, expected, this.outcome);
        const execution = action.execution as ModelExecution;
        agree(
          `${at}: the record`,
          [value.action.status, value.action.externalReference, value.action.executionDetails],
          [action.status, execution.reference, execution.details],
        );
        if (value.action.status === 'failed' && execution.reportedFailure !== null)
          agree(`${at}: the failure recorded`, value.action.failure, execution.reportedFailure);
      }
      if (target === undefined) continue;
      const trail = await trailOf(real, target.id);
      const changed = expected.kind === 'recorded' || expected.kind === 'discarded';
      agree(`${at}: audit events added`, trail.length - before, changed ? 1 : 0);
      if (changed) checkLastEvent(at, trail[trail.length - 1], expected, this.outcome, reference);
    }
    return checkInvariants(model, real);
  }

  toString(): string {
    const o = this.outcome;
    const parts: string[] = [o.status];
    if (o.status === 'failed' || o.status === 'partial') parts.push(o.failure.code);
    if (o.details !== undefined) parts.push(JSON.stringify(o.details));
    const aim =
      this.aim === 'unknownId'
        ? 'an unknown id'
        : `pick ${this.pick}${this.pool === 'any' ? '' : ` of ${this.pool}`}${this.aim === 'wrongReference' ? ', wrong reference' : ''}`;
    return `report(${parts.join(' ')}, ${aim}${this.twice ? ', twice' : ''})`;
  }
}

async function trailOf(real: ActionCenterReal, id: string): Promise<readonly AuditEvent[]> {
  return okOf(`auditTrail(${id})`, await real.center.auditTrail({ principal: SUPERVISOR, id }));
}

/** The audit event a report added: its type, and what a discarded or late report keeps. */
function checkLastEvent(
  what: string,
  event: AuditEvent | undefined,
  expected: Prediction,
  outcome: ReportOutcome,
  reference: string,
): void {
  if (expected.kind === 'discarded') {
    agree(`${what}: audit event`, event?.type, 'reportDiscarded');
    agree(
      `${what}: what the discarded report keeps`,
      [event?.details['outcome'], event?.details['reference']],
      [outcome.status, reference],
    );
    return;
  }
  if (expected.kind !== 'recorded') return;
  agree(`${what}: audit event`, event?.type, expected.event);
  if (expected.late) agree(`${what}: the late mark`, event?.details['late'], true);
  if (expected.event === 'timeOut') agree(`${what}: the report kept`, event?.details['reported'] !== undefined, true);
}

/** The failure a report records: a partial result is a failure whose message says so. */
function failureOf(outcome: ReportOutcome): { code: string; message: string } | null {
  if (outcome.status !== 'failed' && outcome.status !== 'partial') return null;
  const message = outcome.status === 'partial' ? `Partial: ${outcome.failure.message}` : outcome.failure.message;
  return { code: outcome.failure.code, message };
}

/** One report as the trail tells it apart from others: its outcome, failure and details. */
function fingerprintOf(outcome: ReportOutcome): string {
  return JSON.stringify([outcome.status, failureOf(outcome), outcome.details ?? null]);
}

/** The model's rule for `center.report` (see the class comment). */
function predict(
  model: Readonly<ActionCenterModel>,
  action: ModelAction | undefined,
  reference: string,
  outcome: ReportOutcome,
): Prediction {
  if (action === undefined) return { kind: 'error', code: 'notFound' };
  const execution = action.execution;
  if (execution === undefined) return { kind: 'error', code: 'notRunning' };
  if (execution.reference !== reference) return { kind: 'error', code: 'referenceMismatch' };
  if (action.status === 'running') {
    if (outcome.status === 'progress') {
      const current = execution.details;
      const same =
        current !== null &&
        Object.entries(outcome.details).every(([k, v]) => Object.hasOwn(current, k) && Object.is(current[k], v));
      return same ? { kind: 'duplicate' } : { kind: 'recorded', late: false, event: 'progress' };
    }
    const overdue = model.now > execution.deadlineAt;
    if (outcome.status === 'succeeded') return { kind: 'recorded', late: overdue, event: 'succeed' };
    return { kind: 'recorded', late: false, event: overdue ? 'timeOut' : 'fail' };
  }
  if (action.status === 'timedOut' && outcome.status === 'succeeded')
    return { kind: 'recorded', late: true, event: 'succeed' };
  if (SUCCEEDED.has(action.status) && outcome.status === 'succeeded') return { kind: 'duplicate' };
  const failure = failureOf(outcome);
  if (
    action.status === 'failed' &&
    failure !== null &&
    JSON.stringify(execution.reportedFailure) === JSON.stringify(failure)
  )
    return { kind: 'duplicate' };
  return execution.discarded.has(fingerprintOf(outcome)) ? { kind: 'duplicate' } : { kind: 'discarded' };
}

/** Moves the model on after a report the engine answered as predicted. */
function applyReport(
  model: ActionCenterModel,
  action: ModelAction,
  expected: Prediction,
  outcome: ReportOutcome,
): void {
  const execution = action.execution as ModelExecution;
  if (expected.kind === 'discarded') {
    execution.discarded.add(fingerprintOf(outcome));
    return;
  }
  if (expected.kind !== 'recorded') return;
  const merge = () => {
    if (outcome.details !== undefined) execution.details = { ...(execution.details ?? {}), ...outcome.details };
  };
  switch (expected.event) {
    case 'progress':
      merge();
      return;
    case 'succeed':
      succeededModel(action, model.now);
      merge();
      break;
    case 'fail':
      action.status = 'failed';
      execution.reportedFailure = failureOf(outcome);
      merge();
      break;
    case 'timeOut':
      // A failure past the deadline: the time-out `run` would have recorded, the report kept in it.
      action.status = 'timedOut';
      execution.discarded.add(fingerprintOf(outcome));
      break;
  }
  endUndo(model, action);
}
