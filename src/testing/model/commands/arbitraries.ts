/**
 * The entry of the model-based commands: `actionCenterCommands(fc)` gives their arbitraries for
 * `fc.commands`, and `ACTION_CENTER_COMMANDS` names them.
 *
 * @module
 */
import type { Arbitrary, FastCheck } from '../../fast-check.js';
import { assertSupportedFastCheck } from '../../fast-check.js';
import type { ScriptedOutcome, SubmitPlan } from '../model.js';
import type { ModelPersona } from '../personas.js';
import { AdvanceClockCommand } from './advance-clock.js';
import { BulkCommand } from './bulk.js';
import { DecisionCommand } from './decision.js';
import { ExpireCommand } from './expire.js';
import { ListCommand } from './list.js';
import { RunCommand } from './run.js';
import type { ActionCenterCommand } from './shared.js';
import { SubmitCommand } from './submit.js';
import { UndoCommand } from './undo.js';

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
 * over the setup of {@link createModelRunSetup}. Submits and runs come twice as often as the rest,
 * so that the other commands find actions to act on and actions reach their outcomes.
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
    { arbitrary: fc.constantFrom<ScriptedOutcome>('failed', 'partial', 'throws'), weight: 2 },
    { arbitrary: fc.constant<ScriptedOutcome>('hang'), weight: 1 },
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
    advanceClock: [
      fc
        .constantFrom(60 * 60 * 1000, 24 * 60 * 60 * 1000, 3 * 24 * 60 * 60 * 1000, 7 * 24 * 60 * 60 * 1000)
        .map((ms): ActionCenterCommand => new AdvanceClockCommand(ms)),
    ],
  };
  return ACTION_CENTER_COMMANDS.filter((name) => only.has(name)).flatMap((name) => byName[name]);
}
