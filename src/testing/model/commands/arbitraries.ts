/**
 * The entry of the model-based commands: `actionCenterCommands(fc)` gives their arbitraries for
 * `fc.commands`, and `ACTION_CENTER_COMMANDS` names them.
 *
 * @module
 */
import type { ReportOutcome } from 'actioncenter';
import type { Arbitrary, FastCheck } from '../../fast-check.js';
import { assertSupportedFastCheck } from '../../fast-check.js';
import type { ScriptedOutcome, SubmitPlan } from '../model.js';
import type { ModelPersona } from '../personas.js';
import { AdvanceClockCommand } from './advance-clock.js';
import { BulkCommand } from './bulk.js';
import { DecisionCommand } from './decision.js';
import { ExpireCommand } from './expire.js';
import { ListCommand } from './list.js';
import { ReportCommand, type ReportAim, type ReportPool } from './report.js';
import { RunCommand } from './run.js';
import type { ActionCenterCommand } from './shared.js';
import { SubmitCommand } from './submit.js';
import { TickCommand } from './tick.js';
import { UndoCommand } from './undo.js';
import { AddNoteCommand, SetRevertCommand, type RevertChange } from './notes.js';
import { RetryCommand } from './retry.js';

/**
 * The names of the commands, to choose some with `actionCenterCommands(fc, { only })`.
 *
 * @example
 * ```ts
 * import { ACTION_CENTER_COMMANDS } from 'actioncenter/testing';
 * ACTION_CENTER_COMMANDS.includes('undo'); // true
 * ```
 */
export const ACTION_CENTER_COMMANDS = Object.freeze([
  'submit',
  'approve',
  'reject',
  'cancel',
  'undo',
  'bulk',
  'run',
  'expire',
  'list',
  'advanceClock',
  'report',
  // Issue 16: the clock moves and a sweep expires and escalates what is due.
  'tick',
  // Issue 16: notes, and the revert of time-limited actions (run's tick reverts them).
  'addNote',
  'setRevert',
  // Issue 16: a failed or timed-out action retried by hand (a new approved attempt).
  'retry',
] as const);

/**
 * One of {@link ACTION_CENTER_COMMANDS}.
 *
 * @example
 * ```ts
 * import type { ActionCenterCommandName } from 'actioncenter/testing';
 * const name: ActionCenterCommandName = 'approve';
 * ```
 */
export type ActionCenterCommandName = (typeof ACTION_CENTER_COMMANDS)[number];

/**
 * Options of {@link actionCenterCommands}.
 *
 * @example
 * ```ts
 * import type { ActionCenterCommandsOptions } from 'actioncenter/testing';
 * const options: ActionCenterCommandsOptions = { only: ['submit', 'approve', 'run'] };
 * ```
 */
export interface ActionCenterCommandsOptions {
  /** Only these commands (default: all of {@link ACTION_CENTER_COMMANDS}). */
  readonly only?: readonly ActionCenterCommandName[];
}

/**
 * The arbitraries of the model-based commands, for `fc.commands(...)`, run with `fc.asyncModelRun`
 * over the setup of {@link createModelRunSetup}. Submits, runs and reports come twice as often as
 * the rest, so that the other commands find actions to act on, actions reach their outcomes, and
 * dispatched work (the executor answers `accepted`) is reported on in every state.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { createActionCenter } from 'actioncenter';
 * import { actionCenterCommands, createModelRunSetup } from 'actioncenter/testing';
 * const setup = createModelRunSetup({ engine: (deps) => createActionCenter(deps) });
 * await fc.assert(fc.asyncProperty(fc.commands(actionCenterCommands(fc), { size: '+1' }), (cmds) => fc.asyncModelRun(setup, cmds)), { numRuns: 50 });
 * ```
 */
export function actionCenterCommands(
  fc: FastCheck,
  options: ActionCenterCommandsOptions = {},
): Arbitrary<ActionCenterCommand>[] {
  assertSupportedFastCheck(fc, 'actionCenterCommands');
  const only = new Set(options.only ?? ACTION_CENTER_COMMANDS);
  // Mostly people who can act, so that decisions go through as often as they are refused.
  const persona: Arbitrary<ModelPersona> = fc.oneof(
    {
      arbitrary: fc.constantFrom<ModelPersona>(
        'securityAdministrator',
        'globalAdministrator',
        'emailSecurityAdministrator',
        'serversResponder',
      ),
      weight: 4,
    },
    {
      arbitrary: fc.constantFrom<ModelPersona>('securityOperator', 'securityReader', 'emailCollaborationOnly'),
      weight: 1,
    },
  );
  // Mostly successes (so that undo is reached), and each way of failing often enough to be met in a few dozen runs.
  const outcome: Arbitrary<ScriptedOutcome> = fc.oneof(
    { arbitrary: fc.constant<ScriptedOutcome>('succeeded'), weight: 3 },
    // `transient` fails at every start: retried by the type's policy (retry events), then failed.
    // Among the failures, so that the rarer report paths (after `accepted`) keep their share.
    { arbitrary: fc.constantFrom<ScriptedOutcome>('failed', 'partial', 'throws', 'transient'), weight: 2 },
    { arbitrary: fc.constant<ScriptedOutcome>('hang'), weight: 1 },
    // Dispatched: runs on until a report command or the deadline sweep of a run ends it.
    { arbitrary: fc.constant<ScriptedOutcome>('accepted'), weight: 2 },
  );
  // Undoable types (quarantine, isolate) most often, so that runs reach undo and its outcomes.
  const manualKind = fc.oneof(
    { arbitrary: fc.constant('isolateDevice' as const), weight: 2 },
    { arbitrary: fc.constantFrom('runAntivirusScan' as const, 'disableUser' as const), weight: 1 },
  );
  const plan: Arbitrary<SubmitPlan> = fc.oneof(
    {
      arbitrary: fc.record(
        {
          kind: fc.constant('quarantineFile' as const),
          target: fc.nat({ max: 3 }),
          verdict: fc.constantFrom('malicious' as const, 'suspicious' as const),
        },
        { noNullPrototype: true },
      ),
      weight: 2,
    },
    {
      arbitrary: fc.record(
        { kind: fc.constant('softDeleteEmailClusters' as const), target: fc.nat({ max: 1 }) },
        { noNullPrototype: true },
      ),
      weight: 1,
    },
    {
      arbitrary: fc.record(
        { kind: manualKind, target: fc.nat({ max: 3 }), persona, propose: fc.boolean() },
        { noNullPrototype: true },
      ),
      weight: 2,
    },
  );
  const pick = fc.nat({ max: 1000 });
  const fromPool = fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 });
  const unknownId = fc.oneof(
    { arbitrary: fc.constant(false), weight: 12 },
    { arbitrary: fc.constant(true), weight: 1 },
  );
  const decision = (operation: 'approve' | 'reject' | 'cancel') =>
    fc
      .tuple(persona, pick, fromPool, unknownId)
      .map(([who, n, pool, unknown]): ActionCenterCommand => new DecisionCommand(operation, who, n, pool, unknown));
  const submit = fc
    .tuple(plan, outcome, fc.option(fc.constantFrom('idem-1', 'idem-2'), { nil: null, freq: 8 }))
    .map(([p, o, key]): ActionCenterCommand => new SubmitCommand(p, o, key));
  const undo = fc
    .tuple(persona, pick, fromPool, outcome)
    .map(([who, n, pool, o]): ActionCenterCommand => new UndoCommand(who, n, pool, o));
  // A few fixed details and failures, so that the same report comes again (a duplicate) and a
  // progress report repeats what the record already holds (the executor's `Pending`).
  const details = fc.constantFrom(
    { machineActionStatus: 'Pending' },
    { machineActionStatus: 'InProgress' },
    { machineActionStatus: 'InProgress', percent: 50 },
  );
  const failure = fc.constantFrom(
    { code: 'deviceOffline', message: 'The device did not answer' },
    { code: 'remoteFailure', message: 'The agent refused the command' },
  );
  const reportOutcome: Arbitrary<ReportOutcome> = fc.oneof(
    fc
      .option(details, { nil: undefined })
      .map((d): ReportOutcome => (d === undefined ? { status: 'succeeded' } : { status: 'succeeded', details: d })),
    fc
      .tuple(fc.constantFrom('failed' as const, 'partial' as const), failure, fc.option(details, { nil: undefined }))
      .map(([status, f, d]): ReportOutcome =>
        d === undefined ? { status, failure: f } : { status, failure: f, details: d },
      ),
    details.map((d): ReportOutcome => ({ status: 'progress', details: d })),
  );
  const aim: Arbitrary<ReportAim> = fc.oneof(
    { arbitrary: fc.constant<ReportAim>('reference'), weight: 10 },
    { arbitrary: fc.constantFrom<ReportAim>('wrongReference', 'unknownId'), weight: 1 },
  );
  const reportPool: Arbitrary<ReportPool> = fc.oneof(
    { arbitrary: fc.constantFrom<ReportPool>('running', 'dispatched'), weight: 4 },
    { arbitrary: fc.constant<ReportPool>('any'), weight: 1 },
  );
  const report = fc
    .tuple(reportOutcome, pick, reportPool, aim, fc.boolean())
    .map(([o, n, pool, a, twice]): ActionCenterCommand => new ReportCommand(o, n, pool, a, twice));
  const byName: Record<ActionCenterCommandName, Arbitrary<ActionCenterCommand>[]> = {
    submit: [submit, submit],
    approve: [decision('approve')],
    reject: [decision('reject')],
    cancel: [decision('cancel')],
    undo: [undo],
    bulk: [
      fc
        .tuple(
          fc.constantFrom('approve' as const, 'reject' as const, 'undo' as const),
          persona,
          fc.array(pick, { minLength: 2, maxLength: 4 }),
          fromPool,
          outcome,
        )
        .map(
          ([operation, who, picks, pool, o]): ActionCenterCommand => new BulkCommand(operation, who, picks, pool, o),
        ),
    ],
    // Twice, like submit: runs are what move approved actions on to their outcome and undo to its end.
    run: [fc.constant<ActionCenterCommand>(new RunCommand()), fc.constant<ActionCenterCommand>(new RunCommand())],
    expire: [fc.constant<ActionCenterCommand>(new ExpireCommand())],
    list: [
      fc
        .tuple(persona, fc.constantFrom('pending' as const, 'history' as const, 'all' as const))
        .map(([who, view]): ActionCenterCommand => new ListCommand(who, view)),
    ],
    // Half an hour and an hour: within or at the deadline of dispatched work (30 min to 6 h, so a
    // report meets it running or overdue); days: past every deadline, and pending expiry.
    advanceClock: [
      fc
        .constantFrom(
          30 * 60 * 1000,
          60 * 60 * 1000,
          24 * 60 * 60 * 1000,
          3 * 24 * 60 * 60 * 1000,
          7 * 24 * 60 * 60 * 1000,
        )
        .map((ms): ActionCenterCommand => new AdvanceClockCommand(ms)),
    ],
    // Twice, like run: reports are what end dispatched work, and late ones need many states to meet.
    report: [report, report],
    // Within a deadline (an hour), past one of a day, and past the 7-day pending expiry.
    tick: [
      fc
        .constantFrom(60 * 60 * 1000, 24 * 60 * 60 * 1000, 8 * 24 * 60 * 60 * 1000)
        .map((ms): ActionCenterCommand => new TickCommand(ms)),
    ],
    addNote: [
      fc
        .tuple(persona, pick, fc.constantFrom('Called the owner', 'Device back online', 'Escalated to IR'))
        .map(([who, n, text]): ActionCenterCommand => new AddNoteCommand(who, n, text)),
    ],
    // An hour (a tick reaches it) or a week from now / after success, or cleared.
    setRevert: [
      fc
        .tuple(
          persona,
          pick,
          fromPool,
          fc.oneof(
            {
              arbitrary: fc
                .constantFrom(60 * 60 * 1000, 7 * 24 * 60 * 60 * 1000)
                .map((ms): RevertChange => ({ kind: 'set', ms })),
              weight: 3,
            },
            { arbitrary: fc.constant<RevertChange>({ kind: 'clear' }), weight: 1 },
          ),
        )
        .map(([who, n, pool, change]): ActionCenterCommand => new SetRevertCommand(who, n, pool, change)),
    ],
    retry: [
      fc
        .tuple(persona, pick, fromPool, outcome)
        .map(([who, n, pool, o]): ActionCenterCommand => new RetryCommand(who, n, pool, o)),
    ],
  };
  return ACTION_CENTER_COMMANDS.filter((name) => only.has(name)).flatMap((name) => byName[name]);
}
