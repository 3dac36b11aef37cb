/**
 * The XState v5 machine of the lifecycle bench (./lifecycle.ts): the same states, events and guards
 * as actioncenter's lifecycle; `assign` builds the same next record as `transition`, and effects are
 * named actions `transition()` returns unexecuted.
 *
 * @module
 */
import { assign, setup, type SnapshotFrom } from 'xstate';
import {
  builtInCatalog,
  type ActionRecord,
  type ActionStatus,
  type ActionTypeDefinition,
  type Actor,
  type LifecycleEvent,
} from '../../src/index.js';
import { isOpen } from '../../src/adapter-kit.js';

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

/** The lifecycle as an XState machine. */
export const machine = setup({
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
              // A start counts an attempt (retries of transient failures, issue 15).
              attempt: context.attempt + 1,
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

/** A state of {@link machine}. */
export type MachineSnapshot = SnapshotFrom<typeof machine>;
