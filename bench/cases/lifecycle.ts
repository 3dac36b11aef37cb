/**
 * Lifecycle transitions per second: validate the event against the state (table lookup), check the
 * type guard, build the new record. Each chain takes a pending quarantine-file action through
 * approve → start → succeed → requestUndo (guarded: the type must be undoable) → undoSucceeded.
 *
 * Two rows of ours: the record step (`transitionRecord`: the next record in `{ ok, value }`), the
 * step the engine runs per action, with the target; and `transition()` (the record step, the
 * effects and the audit draft), for reference. Each row's note gives the bytes allocated per step.
 *
 * Baselines in the same run: XState v5's pure `transition()` over the same machine (same states,
 * events, guards; `assign` builds the same next record; effects are named actions it returns
 * unexecuted), and a hand-written table lookup + record copy, the practical limit.
 *
 * @module
 */
import { transition as xstateTransition } from 'xstate';
import {
  builtInCatalog,
  transition,
  transitionRecord,
  type ActionRecord,
  type ActionStatus,
  type ActionTypeDefinition,
  type Actor,
  type LifecycleEvent,
} from '../../src/index.js';
import { isOpen, type LifecycleEventType } from '../../src/adapter-kit.js';
import { pendingActions } from '../data.js';
import {
  canCollectGarbage,
  compare,
  count,
  heapAfterGc,
  measureVariants,
  median,
  timeRow,
  type BenchOptions,
  type BenchRow,
} from '../harness.js';
import { machine, type MachineSnapshot } from './lifecycle-xstate.js';

const GROUP = 'Lifecycle transitions';

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
    externalReference: a.externalReference,
    executionDetails: a.executionDetails,
    attempt: a.attempt,
    retryAt: a.retryAt,
    openKey: a.openKey !== null && isOpen(to) ? a.openKey : null,
    auditHead: a.auditHead,
    noteCount: a.noteCount,
    lastNote: a.lastNote,
    revertAfterMs: a.revertAfterMs,
    revertAt: a.revertAt,
    escalateAt: a.escalateAt,
    escalatedAt: a.escalatedAt,
    escalatedTo: a.escalatedTo,
    requiredApprovals: a.requiredApprovals,
    approvals: a.approvals,
    retryOf: a.retryOf,
    retriedBy: a.retriedBy,
    retryCount: a.retryCount,
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
  // Frozen, as the engine's actors are (its EXECUTOR is a frozen constant; a decision freezes its
  // actor once for all the actions it decides): the step shares a frozen actor instead of copying it.
  const by: Actor = Object.freeze({
    type: 'principal',
    id: 'secadmin@contoso.com' as Extract<Actor, { type: 'principal' }>['id'],
  });
  const executor: Actor = Object.freeze({ type: 'system', component: 'executor' });
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
        name: 'record',
        ops: chains * stepsPerChain,
        run: () => {
          let last: ActionRecord | undefined;
          for (let i = 0; i < chains; i++) {
            let record = pool[i % pool.length] as ActionRecord;
            for (const event of events) {
              const r = transitionRecord(record, event, context);
              if (!r.ok) throw new Error(r.error.message);
              record = r.value;
            }
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
  const record = stats.get('record');
  if (xstate === undefined || hand === undefined || spread === undefined || ours === undefined || record === undefined)
    throw new Error('lifecycle: missing measurements');
  // Bytes allocated per step: every step's result kept alive, so the heap after a GC holds all of it.
  const allocChains = options.quick ? 1_000 : 4_000;
  const bytes = (
    step: (a: ActionRecord, e: LifecycleEvent) => { readonly next: ActionRecord; readonly kept: unknown },
  ) => allocationPerStep(pool, events, allocChains, step);
  const handBytes = bytes((a, e) => {
    const next = handWritten(a, e);
    return { next, kept: next };
  });
  const recordBytes = bytes((a, e) => {
    const r = transitionRecord(a, e, context);
    if (!r.ok) throw new Error(r.error.message);
    return { next: r.value, kept: r };
  });
  const transitionBytes = bytes((a, e) => {
    const r = transition(a, e, context);
    if (!r.ok) throw new Error(r.error.message);
    return { next: r.value.action, kept: r };
  });
  return [
    timeRow(GROUP, 'baseline: XState v5 transition()', `${count(xstateChains)} chains × 5 steps`, xstate),
    timeRow(
      GROUP,
      'baseline: hand-written table + literal copy',
      `${count(chains)} chains × 5 steps`,
      hand,
      [],
      `the practical limit; ${handBytes} per step`,
    ),
    timeRow(GROUP, 'reference: hand-written table + spread copy', `${count(spreadChains)} chains × 5 steps`, spread, [
      compare(spread, 'hand-written', hand, null),
    ]),
    timeRow(
      GROUP,
      'actioncenter transitionRecord()',
      `${count(chains)} chains × 5 steps`,
      record,
      [
        compare(record, 'XState', xstate, { maxRatio: 1 / 25, words: '≥ 25x faster' }),
        compare(record, 'hand-written', hand, { maxRatio: 1.5, words: '≤ 1.5x' }),
      ],
      `the record step the engine runs per action: next record in { ok, value }; ${recordBytes} per step`,
    ),
    timeRow(
      GROUP,
      'reference: actioncenter transition()',
      `${count(chains)} chains × 5 steps`,
      ours,
      [
        compare(ours, 'XState', xstate, { maxRatio: 1 / 25, words: '≥ 25x faster' }),
        compare(ours, 'hand-written', hand, null),
      ],
      `next record + effects + audit draft per step (transitionRecord + transitionEffects + transitionAudit); ${transitionBytes} per step`,
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
  let recordOnly = start;
  let hand = start;
  let spread = start;
  let theirs = snapshot;
  for (const event of events) {
    const r = transition(ours, event, context);
    if (!r.ok) throw new Error(r.error.message);
    ours = r.value.action;
    const n = transitionRecord(recordOnly, event, context);
    if (!n.ok) throw new Error(n.error.message);
    recordOnly = n.value;
    hand = handWritten(hand, event);
    spread = handWrittenSpread(spread, event);
    [theirs] = xstateTransition(machine, theirs, event);
  }
  const key = (a: ActionRecord) => `${a.status}/${a.version}/${a.updatedAt}`;
  if (JSON.stringify(recordOnly) !== JSON.stringify(ours))
    throw new Error('lifecycle: transitionRecord builds a different record from transition');
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
  if (JSON.stringify(ours) !== JSON.stringify(theirs.context)) {
    const other = theirs.context as unknown as Record<string, unknown>;
    const fields = Object.keys(ours).filter(
      (k) => JSON.stringify((ours as Record<string, unknown>)[k]) !== JSON.stringify(other[k]),
    );
    throw new Error(`lifecycle: XState builds a different record (${fields.join(', ') || 'key order'})`);
  }
}

/**
 * Bytes allocated per step by `step`, as "N B", measured by keeping every step's result alive and
 * reading the heap after a full GC before and after (no GC can reclaim what is kept, so the growth
 * is all the step allocated). "not measured" without `--expose-gc`.
 */
function allocationPerStep(
  pool: readonly ActionRecord[],
  events: readonly LifecycleEvent[],
  chains: number,
  step: (a: ActionRecord, e: LifecycleEvent) => { readonly next: ActionRecord; readonly kept: unknown },
): string {
  if (!canCollectGarbage) return 'allocation not measured (run with --expose-gc)';
  const steps = chains * events.length;
  // Made to size before the first reading: storing into it allocates nothing.
  const kept: unknown[] = new Array<unknown>(steps).fill(null);
  const walk = () => {
    let k = 0;
    for (let i = 0; i < chains; i++) {
      let record = pool[i % pool.length] as ActionRecord;
      for (const event of events) {
        const out = step(record, event);
        kept[k++] = out.kept;
        record = out.next;
      }
    }
  };
  // Once unmeasured first: code compiled, lazily built tables and caches made, before the readings.
  walk();
  // The median of three readings: a full GC now and then frees something else (one reading in a
  // few dozen came out near zero on a loaded machine).
  const readings: number[] = [];
  for (let r = 0; r < 3; r++) {
    kept.fill(null);
    const h0 = heapAfterGc();
    walk();
    const h1 = heapAfterGc();
    if (kept[steps - 1] === null) throw new Error('lifecycle: allocation run incomplete');
    readings.push((h1 - h0) / steps);
  }
  return `${Math.round(median(readings))} B allocated`;
}
