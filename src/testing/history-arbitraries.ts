/**
 * The history arbitraries of `actionCenterArbitraries`: records and their audit events from random
 * walks over the lifecycle (any reachable state, or heading for a given one), and lifecycle events.
 *
 * @module
 */
import {
  type ActionRequest,
  type ActionStatus,
  type ActionTypeDefinition,
  type Catalog,
  type LifecycleEvent,
} from 'actioncenter';
import {
  LIFECYCLE_EVENT_TYPES,
  acceptedEvents,
  approvalsLeftOf,
  asId,
  type PrincipalId,
  attemptsOf,
  lifecycleEdge,
  type LifecycleEventType,
} from 'actioncenter/adapter-kit';
import type { actorArbitraries } from './domain.js';
import type { Arbitrary, FastCheck } from './fast-check.js';
import {
  applyStep,
  currentOf,
  distancesTo,
  finishHistory,
  startHistory,
  type ActionHistory,
  type HistoryStepInput,
} from './histories.js';

const DAY = 24 * 60 * 60 * 1000;
const FAILURE_CODES = ['deviceOffline', 'accessDenied', 'fileLocked', 'deadlineExceeded'] as const;

/** What the history arbitraries draw on, as `actionCenterArbitraries` prepared it. */
export interface HistoryArbitrariesContext {
  readonly catalog: Catalog;
  /** Any type of the catalogue. */
  readonly actionType: Arbitrary<ActionTypeDefinition>;
  /** Valid requests of one action type. */
  readonly requestOf: (actionType: ActionTypeDefinition) => Arbitrary<ActionRequest>;
  readonly actors: ReturnType<typeof actorArbitraries>;
  /** Comments and failure messages. */
  readonly text: Arbitrary<string>;
  readonly time: { readonly min: number; readonly max: number };
  readonly maxEvents: number;
}

/** `actionHistory`, `actionHistoryIn` and `lifecycleEvent` of `actionCenterArbitraries`. */
export function historyArbitraries(
  fc: FastCheck,
  context: HistoryArbitrariesContext,
): {
  readonly actionHistory: Arbitrary<ActionHistory>;
  readonly actionHistoryIn: (status: ActionStatus) => Arbitrary<ActionHistory>;
  readonly lifecycleEvent: Arbitrary<LifecycleEvent>;
} {
  const { catalog, actionType, requestOf, actors, text, time, maxEvents } = context;
  const types = catalog.types;

  // Execution details as executors and reports give them (issue 15): a few flat scalars.
  const details = fc.dictionary(
    fc.constantFrom('machineActionStatus', 'progress', 'filesCollected', 'note', 'done'),
    fc.oneof(text, fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null)),
    { minKeys: 1, maxKeys: 4, noNullPrototype: true },
  );
  const reference = fc.stringMatching(/^[a-f0-9]{8}-[a-f0-9]{4}$/);

  const stepChoice = fc.record(
    {
      pick: fc.nat(),
      afterMs: fc.oneof(fc.integer({ min: 0, max: 60 * 60 * 1000 }), fc.integer({ min: 0, max: 3 * DAY })),
      by: actors.principal,
      comment: fc.option(text, { nil: null, freq: 3 }),
      failure: fc.record({ code: fc.constantFrom(...FAILURE_CODES), message: text }, { noNullPrototype: true }),
      details: fc.option(details, { nil: undefined }),
    },
    { noNullPrototype: true, requiredKeys: ['pick', 'afterMs', 'by', 'comment', 'failure'] },
  );
  type StepChoice = typeof stepChoice extends Arbitrary<infer C> ? C : never;
  const id = fc.stringMatching(/^[a-z0-9]{1,10}$/).map((s) => `act-${s}`);

  /** How a history starts: pending or approved; undo counterparts start approved, linked to an original. */
  const startOf = (type: ActionTypeDefinition, statuses: readonly ('pending' | 'approved')[]) =>
    fc.record(
      {
        id,
        createdAt: fc.integer({ min: time.min, max: time.max }),
        status: fc.constantFrom(...(type.undoes.length > 0 ? statuses.filter((s) => s === 'approved') : statuses)),
        // Issue 16: an approval deadline, and an expiry of the approved action never started.
        escalateAfterMs: fc.option(fc.integer({ min: 1, max: 3 * DAY }), { nil: null }),
        approvedExpiryMs: fc.option(fc.integer({ min: 1, max: 3 * DAY }), { nil: null }),
      },
      { noNullPrototype: true },
    );

  const toStep = (type: LifecycleEventType, choice: StepChoice): HistoryStepInput => ({
    type,
    afterMs: choice.afterMs,
    comment: choice.comment,
    failure: choice.failure,
    ...(choice.details === undefined ? {} : { details: choice.details }),
    ...(type === 'approve' || type === 'reject' || type === 'cancel' || type === 'requestUndo' || type === 'addApproval'
      ? { by: choice.by }
      : {}),
  });

  // Half of the histories are of undoable types, so that walks reach the undo states often.
  const undoable = types.filter((t) => t.undo !== null && catalog.has(t.undo.counterpart));
  const historyType = undoable.length === 0 ? actionType : fc.oneof(actionType, fc.constantFrom(...undoable));
  // The random walk: from the created record, an event the state accepts at each step, until the
  // choices run out or the state accepts nothing.
  const actionHistory: Arbitrary<ActionHistory> = historyType.chain((type) =>
    fc
      .tuple(
        requestOf(type),
        startOf(type, ['pending', 'approved']),
        fc.array(stepChoice, { maxLength: maxEvents }),
        // N-of-M approvals (issue 16): a pending action needs up to 3 approvals, mostly 1.
        fc.oneof({ arbitrary: fc.constant(1), weight: 3 }, { arbitrary: fc.integer({ min: 2, max: 3 }), weight: 1 }),
      )
      .map(([request, start, choices, requiredApprovals]) => {
        const building = startHistory(request, type, {
          ...start,
          requiredApprovals,
          undoOf: type.undoes.length > 0 ? `${start.id}-original` : null,
          // A quarter of the others are manual retries (issue 16), 1 to 3 retries down the chain.
          ...(type.undoes.length === 0 && start.createdAt % 4 === 0
            ? { retryOf: `${start.id}-failed`, retryCount: 1 + (start.createdAt % 3) }
            : {}),
        });
        for (const choice of choices) {
          // Cancel is accepted almost everywhere: make it rarer, so that walks go deeper (undo and its outcomes).
          const accepted = acceptedEvents(currentOf(building), { actionType: type }).flatMap((e) =>
            e === 'cancel' ? [e] : [e, e, e],
          );
          const event = accepted[choice.pick % Math.max(1, accepted.length)];
          if (event === undefined) break;
          applyStep(building, toStep(event, choice));
        }
        return finishHistory(building);
      }),
  );

  const actionHistoryIn = (status: ActionStatus): Arbitrary<ActionHistory> => {
    const reaching = types
      .map((type) => {
        const distance = distancesTo(status, type);
        // Undo counterparts start approved; other actions pending or approved.
        const starts = (type.undoes.length > 0 ? (['approved'] as const) : (['pending', 'approved'] as const)).filter(
          (s) => (distance.get(s) ?? Infinity) < Infinity,
        );
        return { type, distance, starts };
      })
      .filter(({ starts }) => starts.length > 0);
    if (reaching.length === 0) throw new Error(`No action type of the catalogue can reach "${status}"`);
    const budget = maxEvents;
    return fc.constantFrom(...reaching).chain(({ type, distance, starts }) => {
      return fc
        .tuple(
          requestOf(type),
          startOf(type, starts),
          fc.array(stepChoice, {
            minLength: budget + ACTION_STATUSES_COUNT,
            maxLength: budget + ACTION_STATUSES_COUNT,
          }),
        )
        .map(([request, start, choices]) => {
          const building = startHistory(request, type, {
            ...start,
            undoOf: type.undoes.length > 0 ? `${start.id}-original` : null,
          });
          for (const [i, choice] of choices.entries()) {
            const current = currentOf(building);
            const here = current.status;
            if (here === status) break;
            const near = (to: ActionStatus) => distance.get(to) ?? Infinity;
            // Wander while the budget lasts (never where the target is out of reach); then head straight for it.
            const candidates = LIFECYCLE_EVENT_TYPES.filter((e) => {
              // The retry (and never-started) guard reads how often the action was started; the
              // escalation guard whether it escalated (issue 16).
              const escalated = (current.escalatedAt ?? null) !== null;
              const edge = lifecycleEdge(here, e, type, attemptsOf(current), escalated, approvalsLeftOf(current));
              return edge.accepted && (i < budget ? near(edge.to) < Infinity : near(edge.to) < near(here));
            });
            const event = candidates[choice.pick % Math.max(1, candidates.length)];
            if (event === undefined) break;
            applyStep(building, toStep(event, choice));
          }
          const history = finishHistory(building);
          if (history.action.status !== status)
            throw new Error(`actionHistoryIn("${status}") ended in "${history.action.status}" for ${type.id}`);
          return history;
        });
    });
  };

  const lifecycleEvent: Arbitrary<LifecycleEvent> = fc
    .record(
      {
        type: fc.constantFrom(...LIFECYCLE_EVENT_TYPES),
        by: actors.any,
        at: fc.integer({ min: time.min, max: time.max }),
        comment: fc.option(text, { nil: null }),
        failure: fc.record({ code: fc.constantFrom(...FAILURE_CODES), message: text }, { noNullPrototype: true }),
        undoActionId: id,
        reference,
        details: fc.option(details, { nil: undefined }),
        outcome: fc.constantFrom('succeeded', 'failed', 'partial', 'progress'),
      },
      { noNullPrototype: true },
    )
    .map(({ type, by, at, comment, failure, undoActionId, reference, details, outcome }): LifecycleEvent => {
      const withDetails = details === undefined ? {} : { details };
      switch (type) {
        case 'succeed':
          return { type, by, at, comment, ...withDetails };
        case 'fail':
        case 'retry':
          return { type, by, at, comment, failure, ...withDetails };
        case 'accept':
          return { type, by, at, comment, reference, ...withDetails };
        case 'progress':
          return { type, by, at, comment, details: details ?? { progress: 50 } };
        case 'reportDiscarded':
          return {
            type,
            by,
            at,
            comment,
            outcome,
            reference,
            failure: outcome === 'failed' || outcome === 'partial' ? failure : null,
            ...withDetails,
          };
        case 'timeOut':
        case 'undoFailed':
          return { type, by, at, comment, failure };
        case 'requestUndo':
          return {
            type,
            by,
            at,
            comment,
            undoActionId: undoActionId as Extract<LifecycleEvent, { type: 'requestUndo' }>['undoActionId'],
          };
        case 'retried':
          // The retry's id: the drawn undo id serves (any action id will do).
          return {
            type,
            by,
            at,
            comment,
            retryActionId: undoActionId as Extract<LifecycleEvent, { type: 'retried' }>['retryActionId'],
          };
        case 'addNote':
          return { type, by, at, comment: comment !== null && comment.trim() !== '' ? comment : 'Note' };
        case 'addApproval':
          // Only a principal approves: a system actor drawn stands for a principal of the same name.
          return {
            type,
            by:
              by.type === 'principal'
                ? by
                : { type: 'principal', id: asId<PrincipalId>(`${by.component}@contoso.com`) },
            at,
            comment,
          };
        case 'setRevert':
          // Derived from the other draws: a time (or a cleared one), or a delay.
          return at % 3 === 0
            ? { type, by, at, comment, revertAt: at % 2 === 0 ? null : at }
            : { type, by, at, comment, revertAfterMs: at % 2 === 0 ? null : 60_000 + (at % 1_000_000) };
        case 'escalate':
          // Derived from the other draws: the actor's principal as the group, or nobody.
          return { type, by, at, comment, escalatedTo: by.type === 'principal' ? [by.id] : [] };
        default:
          return { type, by, at, comment };
      }
    });

  return { actionHistory, actionHistoryIn, lifecycleEvent };
}

/** Enough extra steps to go from any state to any reachable one (there are 12 states). */
const ACTION_STATUSES_COUNT = 12;
