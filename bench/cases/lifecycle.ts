/**
 * Lifecycle transitions per second: validate the event against the state (table lookup), check the
 * type guard, build the new record. Each chain takes a pending quarantine-file action through
 * approve → start → succeed → requestUndo (guarded: the type must be undoable) → undoSucceeded.
 *
 * Baselines in the same run: XState v5's pure `transition()` over the same machine (same states,
 * events, guards; `assign` builds the same next record; effects are named actions it returns
 * unexecuted), and a hand-written table lookup + record copy, the practical limit.
 *
 * @module
 */
import { assign, setup, transition as xstateTransition, type SnapshotFrom } from 'xstate';
import {
  builtInCatalog,
  transition,
  type ActionRecord,
  type ActionStatus,
  type ActionTypeDefinition,
  type Actor,
  type LifecycleEvent,
} from '../../src/index.js';
import { isOpen, type LifecycleEventType } from '../../src/adapter-kit.js';
import { pendingActions } from '../data.js';
import { compare, count, measureVariants, timeRow, type BenchOptions, type BenchRow } from '../harness.js';

const GROUP = 'Lifecycle transitions';

// ---- the XState machine --------------------------------------------------------------------------

const typeOf = (record: ActionRecord): ActionTypeDefinition => builtInCatalog.require(record.actionType);
const copyActor = (a: Actor): Actor =>
  a.type === 'principal' ? { type: 'principal', id: a.id } : { type: 'system', component: a.component };

/** The fields every step sets, as in actioncenter's `transition` (leaving the open statuses releases the open key). */
const step = (status: ActionStatus, context: ActionRecord, event: LifecycleEvent) => ({
  status,
  version: context.version + 1,
  updatedAt: event.at,
  openKey: context.openKey !== null && isOpen(status) ? context.openKey : null,
});

const machine = setup({
  types: { context: {} as ActionRecord, events: {} as LifecycleEvent, input: {} as ActionRecord },
  guards: {
    cancellableWhileRunning: ({ context }) => typeOf(context).cancellableWhileRunning,
    undoable: ({ context }) => typeOf(context).undo !== null,
  },
  actions: {
    // Effects: returned by transition() for the caller to run, like actioncenter's effects.
    run: () => undefined,
    abort: () => undefined,
    undo: () => undefined,
    notify: () => undefined,
  },
}).createMachine({
  id: 'action',
  context: ({ input }) => input,
  initial: 'pending',
  states: {
    pending: {
      on: {
        approve: {
          target: 'approved',
          actions: [
            assign(({ context, event }) => ({
              ...step('approved', context, event),
              decidedBy: copyActor(event.by),
              decidedAt: event.at,
              decisionComment: event.comment,
              expiresAt: null,
            })),
            'run',
            'notify',
          ],
        },
        reject: {
          target: 'rejected',
          actions: [
            assign(({ context, event }) => ({
              ...step('rejected', context, event),
              decidedBy: copyActor(event.by),
              decidedAt: event.at,
              decisionComment: event.comment,
              expiresAt: null,
            })),
            'notify',
          ],
        },
        expire: {
          target: 'expired',
          actions: [
            assign(({ context, event }) => ({
              ...step('expired', context, event),
              decidedBy: copyActor(event.by),
              decidedAt: event.at,
              decisionComment: event.comment,
              expiresAt: null,
            })),
            'notify',
          ],
        },
        cancel: {
          target: 'cancelled',
          actions: [
            assign(({ context, event }) => ({
              ...step('cancelled', context, event),
              decidedBy: copyActor(event.by),
              decidedAt: event.at,
              decisionComment: event.comment,
              expiresAt: null,
            })),
            'notify',
          ],
        },
      },
    },
    approved: {
      on: {
        start: {
          target: 'running',
          actions: [
            assign(({ context, event }) => ({
              ...step('running', context, event),
              startedAt: event.at,
              deadlineAt: event.at + typeOf(context).deadlineMs,
            })),
            'notify',
          ],
        },
        cancel: {
          target: 'cancelled',
          actions: [
            assign(({ context, event }) => ({
              ...step('cancelled', context, event),
              decidedBy: copyActor(event.by),
              decidedAt: event.at,
              decisionComment: event.comment,
            })),
            'notify',
          ],
        },
      },
    },
    running: {
      on: {
        succeed: {
          target: 'succeeded',
          actions: [
            assign(({ context, event }) => ({
              ...step('succeeded', context, event),
              completedAt: event.at,
              failure: null,
            })),
            'notify',
          ],
        },
        fail: {
          target: 'failed',
          actions: [
            assign(({ context, event }) => ({
              ...step('failed', context, event),
              completedAt: event.at,
              failure: 'failure' in event ? { ...event.failure } : null,
            })),
            'notify',
          ],
        },
        timeOut: {
          target: 'timedOut',
          actions: [
            assign(({ context, event }) => ({
              ...step('timedOut', context, event),
              completedAt: event.at,
              failure: 'failure' in event ? { ...event.failure } : null,
            })),
            'abort',
            'notify',
          ],
        },
        cancel: {
          guard: 'cancellableWhileRunning',
          target: 'cancelled',
          actions: [
            assign(({ context, event }) => ({
              ...step('cancelled', context, event),
              decidedBy: copyActor(event.by),
              decidedAt: event.at,
              decisionComment: event.comment,
            })),
            'abort',
            'notify',
          ],
        },
      },
    },
    succeeded: {
      on: {
        requestUndo: {
          guard: 'undoable',
          target: 'undoing',
          actions: [
            assign(({ context, event }) => ({
              ...step('undoing', context, event),
              undoActionId: 'undoActionId' in event ? event.undoActionId : null,
              undoRequestedBy: copyActor(event.by),
              undoRequestedAt: event.at,
              undoCompletedAt: null,
              failure: null,
            })),
            'undo',
            'notify',
          ],
        },
      },
    },
    undoing: {
      on: {
        undoSucceeded: {
          target: 'undone',
          actions: [
            assign(({ context, event }) => ({
              ...step('undone', context, event),
              undoCompletedAt: event.at,
              failure: null,
            })),
            'notify',
          ],
        },
        undoFailed: {
          target: 'undoFailed',
          actions: [
            assign(({ context, event }) => ({
              ...step('undoFailed', context, event),
              undoCompletedAt: event.at,
              failure: 'failure' in event ? { ...event.failure } : null,
            })),
            'notify',
          ],
        },
      },
    },
    undoFailed: {
      on: {
        requestUndo: {
          guard: 'undoable',
          target: 'undoing',
          actions: [
            assign(({ context, event }) => ({
              ...step('undoing', context, event),
              undoActionId: 'undoActionId' in event ? event.undoActionId : null,
              undoRequestedBy: copyActor(event.by),
              undoRequestedAt: event.at,
              undoCompletedAt: null,
              failure: null,
            })),
            'undo',
            'notify',
          ],
        },
      },
    },
    failed: {},
    timedOut: {},
    rejected: {},
    expired: {},
    cancelled: {},
    undone: {},
  },
});

type MachineSnapshot = SnapshotFrom<typeof machine>;

// ---- the hand-written limit ------------------------------------------------------------------------

const TABLE: Readonly<Record<string, Readonly<Partial<Record<LifecycleEventType, ActionStatus>>> | undefined>> = {
  pending: { approve: 'approved', reject: 'rejected', expire: 'expired', cancel: 'cancelled' },
  approved: { start: 'running', cancel: 'cancelled' },
  running: { succeed: 'succeeded', fail: 'failed', timeOut: 'timedOut', cancel: 'cancelled' },
  succeeded: { requestUndo: 'undoing' },
  undoing: { undoSucceeded: 'undone', undoFailed: 'undoFailed' },
  undoFailed: { requestUndo: 'undoing' },
};

/**
 * Table lookup + record copy: the least any lifecycle can do per step. The copy is one object
 * literal of every field, the fastest copy V8 offers for these records (see {@link handWrittenSpread}).
 */
function handWritten(a: ActionRecord, event: LifecycleEvent): ActionRecord {
  const to = TABLE[a.status]?.[event.type];
  if (to === undefined) throw new Error(`${a.status} does not accept ${event.type}`);
  return {
    id: a.id,
    version: a.version + 1,
    actionType: a.actionType,
    workload: a.workload,
    source: a.source,
    target: a.target,
    parameters: a.parameters,
    status: to,
    investigationId: a.investigationId,
    incidentId: a.incidentId,
    alertId: a.alertId,
    approvalId: a.approvalId,
    verdict: a.verdict,
    requestedBy: a.requestedBy,
    requestComment: a.requestComment,
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt,
    decisionComment: a.decisionComment,
    startedAt: a.startedAt,
    deadlineAt: a.deadlineAt,
    completedAt: a.completedAt,
    failure: a.failure,
    undoActionId: a.undoActionId,
    undoOf: a.undoOf,
    undoRequestedBy: a.undoRequestedBy,
    undoRequestedAt: a.undoRequestedAt,
    undoCompletedAt: a.undoCompletedAt,
    updatedAt: event.at,
    openKey: a.openKey !== null && isOpen(to) ? a.openKey : null,
  };
}

/**
 * The same with a spread copy, as most hand-written code would do it. V8 copies a spread of a
 * record holding number fields on a slow path (most fields out of line): shown for reference.
 */
function handWrittenSpread(action: ActionRecord, event: LifecycleEvent): ActionRecord {
  const to = TABLE[action.status]?.[event.type];
  if (to === undefined) throw new Error(`${action.status} does not accept ${event.type}`);
  const openKey = action.openKey !== null && isOpen(to) ? action.openKey : null;
  return { ...action, status: to, version: action.version + 1, updatedAt: event.at, openKey };
}

// ---- the case ----------------------------------------------------------------------------------

/** Runs the lifecycle case. */
export async function lifecycleBench(options: BenchOptions): Promise<BenchRow[]> {
  const chains = options.quick ? 2_000 : 120_000;
  // XState is far slower per step: fewer chains keep its runs near the others' length; ratios are per step.
  const xstateChains = options.quick ? 200 : 2_000;
  const spreadChains = options.quick ? 500 : 10_000;
  const pool = pendingActions(2_000).filter((a) => a.actionType === 'quarantineFile');
  const type = builtInCatalog.require('quarantineFile');
  const context = { actionType: type };
  const by: Actor = { type: 'principal', id: 'secadmin@contoso.com' as Extract<Actor, { type: 'principal' }>['id'] };
  const executor: Actor = { type: 'system', component: 'executor' };
  const at = Date.UTC(2026, 5, 30, 12);
  const events: readonly LifecycleEvent[] = [
    { type: 'approve', by, at, comment: 'Confirmed' },
    { type: 'start', by: executor, at: at + 1_000, comment: null },
    { type: 'succeed', by: executor, at: at + 2_000, comment: null },
    {
      type: 'requestUndo',
      by,
      at: at + 3_000,
      comment: 'False positive',
      undoActionId: 'act-undo-1' as ActionRecord['id'],
    },
    { type: 'undoSucceeded', by: executor, at: at + 4_000, comment: null },
  ];
  const starts: MachineSnapshot[] = pool.map((record) => machine.resolveState({ value: 'pending', context: record }));

  // The three agree on the record they end with (status, version, times): a wrong machine would time nothing useful.
  checkAgreement(pool[0] as ActionRecord, starts[0] as MachineSnapshot, events, context);

  const stepsPerChain = events.length;
  const stats = await measureVariants(
    [
      {
        name: 'xstate',
        ops: xstateChains * stepsPerChain,
        run: () => {
          let last: MachineSnapshot | undefined;
          for (let i = 0; i < xstateChains; i++) {
            let snapshot = starts[i % starts.length] as MachineSnapshot;
            for (const event of events) [snapshot] = xstateTransition(machine, snapshot, event);
            last = snapshot;
          }
          return last;
        },
      },
      {
        name: 'hand',
        ops: chains * stepsPerChain,
        run: () => {
          let last: ActionRecord | undefined;
          for (let i = 0; i < chains; i++) {
            let record = pool[i % pool.length] as ActionRecord;
            for (const event of events) record = handWritten(record, event);
            last = record;
          }
          return last;
        },
      },
      {
        name: 'spread',
        ops: spreadChains * stepsPerChain,
        run: () => {
          let last: ActionRecord | undefined;
          for (let i = 0; i < spreadChains; i++) {
            let record = pool[i % pool.length] as ActionRecord;
            for (const event of events) record = handWrittenSpread(record, event);
            last = record;
          }
          return last;
        },
      },
      {
        name: 'actioncenter',
        ops: chains * stepsPerChain,
        run: () => {
          let last: ActionRecord | undefined;
          // The engine reads the effects and the audit draft of every step: so does the bench, so
          // that no compiler can drop them as unused and time less than a step's whole result.
          let effects = 0;
          for (let i = 0; i < chains; i++) {
            let record = pool[i % pool.length] as ActionRecord;
            for (const event of events) {
              const r = transition(record, event, context);
              if (!r.ok) throw new Error(r.error.message);
              record = r.value.action;
              effects += r.value.effects.length + (r.value.audit.to === record.status ? 0 : 1);
            }
            last = record;
          }
          return { last, effects };
        },
      },
    ],
    options,
  );
  const xstate = stats.get('xstate');
  const hand = stats.get('hand');
  const spread = stats.get('spread');
  const ours = stats.get('actioncenter');
  if (xstate === undefined || hand === undefined || spread === undefined || ours === undefined)
    throw new Error('lifecycle: missing measurements');
  return [
    timeRow(GROUP, 'baseline: XState v5 transition()', `${count(xstateChains)} chains × 5 steps`, xstate),
    timeRow(
      GROUP,
      'baseline: hand-written table + literal copy',
      `${count(chains)} chains × 5 steps`,
      hand,
      [],
      'the practical limit',
    ),
    timeRow(GROUP, 'reference: hand-written table + spread copy', `${count(spreadChains)} chains × 5 steps`, spread, [
      compare(spread, 'hand-written', hand, null),
    ]),
    timeRow(
      GROUP,
      'actioncenter transition()',
      `${count(chains)} chains × 5 steps`,
      ours,
      [
        compare(ours, 'XState', xstate, { maxRatio: 1 / 25, words: '≥ 25x faster' }),
        compare(ours, 'hand-written', hand, { maxRatio: 1.5, words: '≤ 1.5x' }),
      ],
      'next record + effects + audit draft per step',
    ),
  ];
}

function checkAgreement(
  start: ActionRecord,
  snapshot: MachineSnapshot,
  events: readonly LifecycleEvent[],
  context: { actionType: ActionTypeDefinition },
): void {
  let ours = start;
  let hand = start;
  let spread = start;
  let theirs = snapshot;
  for (const event of events) {
    const r = transition(ours, event, context);
    if (!r.ok) throw new Error(r.error.message);
    ours = r.value.action;
    hand = handWritten(hand, event);
    spread = handWrittenSpread(spread, event);
    [theirs] = xstateTransition(machine, theirs, event);
  }
  const key = (a: ActionRecord) => `${a.status}/${a.version}/${a.updatedAt}`;
  if (
    key(ours) !== key(hand) ||
    key(ours) !== key(spread) ||
    key(ours) !== key(theirs.context) ||
    theirs.value !== ours.status
  ) {
    throw new Error(
      `lifecycle baselines disagree: ${key(ours)} / ${key(hand)} / ${key(theirs.context)} (${String(theirs.value)})`,
    );
  }
  if (JSON.stringify(ours) !== JSON.stringify(theirs.context))
    throw new Error('lifecycle: XState builds a different record');
}
