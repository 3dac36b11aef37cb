/**
 * Adding a state, an event, a source or an operation without handling it must fail to compile.
 * Each `switch` below ends in `assertNever`; the `@ts-expect-error` twins prove that leaving one case
 * out is a compile error (the project's `tsc --noEmit` checks this file), and the runtime
 * assertions prove every member of today's unions is handled.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_STATUSES, type ActionSourceId, type ActionStatus, type Operation } from '../../src/index.js';
import {
  ACTION_SOURCE_IDS,
  LIFECYCLE_EVENT_TYPES,
  OPERATIONS,
  assertNever,
  type LifecycleEventType,
} from '../../src/adapter-kit.js';

function phaseOf(status: ActionStatus): 'waiting' | 'working' | 'done' {
  switch (status) {
    case 'pending':
    case 'approved':
      return 'waiting';
    case 'running':
    case 'undoing':
      return 'working';
    case 'succeeded':
    case 'failed':
    case 'timedOut':
    case 'rejected':
    case 'expired':
    case 'cancelled':
    case 'undone':
    case 'undoFailed':
      return 'done';
    default:
      return assertNever(status);
  }
}

function decidedByPerson(event: LifecycleEventType): boolean {
  switch (event) {
    case 'approve':
    case 'reject':
    case 'cancel':
    case 'requestUndo':
    case 'addNote':
    case 'setRevert':
    case 'addApproval':
    case 'retried':
      return true;
    case 'expire':
    case 'start':
    case 'succeed':
    case 'fail':
    case 'timeOut':
    case 'undoSucceeded':
    case 'undoFailed':
    case 'accept':
    case 'progress':
    case 'reportDiscarded':
    case 'retry':
    case 'escalate':
      return false;
    default:
      return assertNever(event);
  }
}

function sourceTab(source: ActionSourceId): 'devices' | 'email' | 'both' {
  switch (source) {
    case 'manualDeviceAction':
    case 'automatedDeviceAction':
    case 'manualLiveResponseAction':
    case 'liveResponseAction':
    case 'antivirus':
      return 'devices';
    case 'manualEmailAction':
    case 'automatedEmailAction':
    case 'explorerAction':
      return 'email';
    case 'advancedHuntingAction':
      return 'both';
    default:
      return assertNever(source);
  }
}

function changesState(operation: Operation): boolean {
  switch (operation) {
    case 'view':
    case 'export':
      return false;
    case 'submit':
    case 'propose':
    case 'approve':
    case 'reject':
    case 'cancel':
    case 'undo':
      return true;
    // A note changes the record (count, last note) but not the status.
    case 'addNote':
      return true;
    default:
      return assertNever(operation);
  }
}

describe('exhaustiveness over states, events, sources and operations', () => {
  it('every status, event, source and operation of today is handled', () => {
    expect(ACTION_STATUSES.map(phaseOf)).toHaveLength(12);
    expect(LIFECYCLE_EVENT_TYPES.filter(decidedByPerson)).toEqual([
      'approve',
      'reject',
      'cancel',
      'requestUndo',
      'addNote',
      'setRevert',
      'addApproval',
      'retried',
    ]);
    expect(new Set(ACTION_SOURCE_IDS.map(sourceTab))).toEqual(new Set(['devices', 'email', 'both']));
    expect(OPERATIONS.filter((o) => !changesState(o))).toEqual(['view', 'export']);
  });

  it('leaving a case out does not compile', () => {
    const missingStatus = (status: ActionStatus): string => {
      switch (status) {
        case 'pending':
        case 'approved':
        case 'running':
        case 'succeeded':
        case 'failed':
        case 'timedOut':
        case 'rejected':
        case 'expired':
        case 'cancelled':
        case 'undoing':
        case 'undone':
          return status;
        default:
          // @ts-expect-error 'undoFailed' is not handled, so `status` is not `never`.
          return assertNever(status);
      }
    };
    const missingSource = (source: ActionSourceId): string => {
      switch (source) {
        case 'manualDeviceAction':
        case 'manualEmailAction':
        case 'automatedDeviceAction':
        case 'automatedEmailAction':
        case 'advancedHuntingAction':
        case 'explorerAction':
        case 'manualLiveResponseAction':
        case 'liveResponseAction':
          return source;
        default:
          // @ts-expect-error 'antivirus' is not handled.
          return assertNever(source);
      }
    };
    // At run time the unhandled member reaches assertNever and throws: the guard is real.
    expect(() => missingStatus('undoFailed')).toThrow(/Unhandled case/);
    expect(() => missingSource('antivirus')).toThrow(/Unhandled case/);
    expect(missingStatus('pending')).toBe('pending');
  });
});
