/**
 * Issue 16, model-based regressions: command sequences the generated runs once failed on, replayed
 * as they were found. Each names the defect (in the model or the engine) it pins down; each run
 * checks the model's prediction of every step and the invariants after it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActionCenter, createMemoryRepository, type ActionCenter, type DuplicatePolicy } from 'actioncenter';
import {
  AdvanceClockCommand,
  BulkCommand,
  DecisionCommand,
  ReportCommand,
  RetryCommand,
  RunCommand,
  SetRevertCommand,
  SubmitCommand,
  TickCommand,
  UndoCommand,
  createModelRunSetup,
  type ActionCenterCommand,
  type ModelEngineDeps,
} from 'actioncenter/testing';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Replays `commands` against the model on the in-memory repository; answers how many events of each
 * kind (`<type> by <principal or system component>`) were committed.
 */
async function replay(
  commands: readonly ActionCenterCommand[],
  options: { requiredApprovals?: number; duplicates?: DuplicatePolicy } = {},
): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const engine = (deps: ModelEngineDeps): ActionCenter => {
    const center = createActionCenter({ ...deps, repository: createMemoryRepository() });
    center.subscribe((change) =>
      change.events.forEach((e) => {
        const kind = `${e.type} by ${actorOf(e.actor)}`;
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
      }),
    );
    return center;
  };
  const setup = createModelRunSetup({ engine, ...options });
  await fc.asyncModelRun(setup, commands);
  return seen;
}

function actorOf(actor: { readonly type: string; readonly component?: string; readonly id?: string }): string {
  return actor.type === 'system' ? (actor.component ?? 'system') : 'principal';
}

const isolate = (target: number, outcome: 'succeeded' | 'accepted' | 'hang' | 'failed' | 'transient') =>
  new SubmitCommand({ kind: 'isolateDevice', target, persona: 'securityAdministrator', propose: false }, outcome, null);

describe('model regressions (issue 16)', () => {
  it('an automatic revert is held only by an open action on its own target: an approved isolate of another device runs beside it (model: it matched keys by a separator they do not have)', async () => {
    const seen = await replay(
      [
        isolate(0, 'accepted'),
        new RunCommand(),
        isolate(1, 'succeeded'),
        new ReportCommand({ status: 'succeeded' }, 0, 'running', 'reference', false),
        new SetRevertCommand('securityAdministrator', 0, true, { kind: 'set', ms: HOUR }),
        new AdvanceClockCommand(3 * DAY),
        // The revert's counterpart and the other device's isolate both start and succeed.
        new RunCommand(),
      ],
      { requiredApprovals: 3 },
    );
    expect(seen.get('requestUndo by autoRevert')).toBe(1);
    expect(seen.get('undoSucceeded by executor') ?? seen.get('succeed by executor')).toBeGreaterThan(0);
  });

  it('an automatic revert waits while an isolate is open on the same device, and happens at the run after it ended', async () => {
    const seen = await replay([
      isolate(0, 'succeeded'),
      new RunCommand(),
      new SetRevertCommand('securityAdministrator', 0, true, { kind: 'set', ms: HOUR }),
      // Allowed: the first isolate is no longer open. It holds the isolation key on device 0 until it ends.
      isolate(0, 'hang'),
      new AdvanceClockCommand(3 * DAY),
      // The revert is due but held (the hang is approved); the hang times out in this run.
      new RunCommand(),
      new RunCommand(),
    ]);
    expect([seen.get('timeOut by executor'), seen.get('requestUndo by autoRevert')]).toEqual([1, 1]);
  });

  it('a bulk undo meets the open key of a retried release on the device: that item is a conflict (model: bulk undo ignored open keys)', async () => {
    const seen = await replay([
      isolate(3, 'succeeded'),
      isolate(0, 'hang'),
      new DecisionCommand('cancel', 'securityAdministrator', 241, true, false),
      new RunCommand(),
      new BulkCommand('undo', 'securityAdministrator', [0, 0], true, 'accepted'),
      new RunCommand(),
      new TickCommand(HOUR),
      new RunCommand(),
      new RetryCommand('serversResponder', 0, true, 'failed'),
      new BulkCommand('undo', 'securityAdministrator', [0, 0], true, 'failed'),
    ]);
    // One undo request (the first bulk undo): the second met the retried release's key.
    expect([seen.get('retried by principal'), seen.get('requestUndo by principal')]).toEqual([1, 1]);
  });

  it('a bulk undo of two isolates of one device: the first release is created, the second item is a conflict', async () => {
    const seen = await replay([
      isolate(0, 'succeeded'),
      new RunCommand(),
      new UndoCommand('securityAdministrator', 0, true, 'failed'),
      new RunCommand(),
      // The first isolate failed to undo; a second isolate of the same device succeeds beside it.
      isolate(0, 'succeeded'),
      new RunCommand(),
      new BulkCommand('undo', 'securityAdministrator', [0, 1], true, 'succeeded'),
      new RunCommand(),
    ]);
    // The single undo and the first item of the bulk undo; its second item met the first's release.
    expect(seen.get('requestUndo by principal')).toBe(2);
  });

  it('duplicates allowed: an isolate meets an open release of the device even with another isolate open before it (model: it looked only at the first holder)', async () => {
    const seen = await replay(
      [
        isolate(3, 'succeeded'),
        isolate(3, 'transient'),
        new RunCommand(),
        new UndoCommand('securityAdministrator', 0, true, 'failed'),
        isolate(3, 'failed'),
      ],
      { duplicates: 'allow' },
    );
    // Two isolates created, the third refused (conflictingAction, naming the release).
    expect([seen.get('created by principal'), seen.get('requestUndo by principal')]).toEqual([3, 1]);
  });

  it('two reverts due in one run claim one key (a quarantine and its retry, both succeeded): the first due is done, the other waits (model: it took them in creation order)', async () => {
    const seen = await replay([
      new SubmitCommand({ kind: 'quarantineFile', target: 0, verdict: 'malicious' }, 'accepted', null),
      new RunCommand(),
      new TickCommand(HOUR),
      new SetRevertCommand('securityAdministrator', 0, true, { kind: 'set', ms: HOUR }),
      // The dispatched quarantine times out; its retry (time-limited too) succeeds.
      new RunCommand(),
      new RetryCommand('securityAdministrator', 0, true, 'succeeded'),
      new RunCommand(),
      new AdvanceClockCommand(HOUR / 2),
      // A late success of the original: its revert is due half an hour after the retry's.
      new ReportCommand({ status: 'succeeded' }, 0, 'running', 'reference', false),
      new TickCommand(HOUR),
      new RunCommand(),
      new RunCommand(),
    ]);
    expect(seen.get('requestUndo by autoRevert')).toBe(2);
  });

  it('a retry runs as a new approved action: the run starts it and counts its outcome', async () => {
    const seen = await replay([
      isolate(1, 'failed'),
      new RunCommand(),
      // The requester may not retry (four eyes, as approve): denied, nothing changes.
      new RetryCommand('securityAdministrator', 0, true, 'succeeded'),
      new RetryCommand('globalAdministrator', 0, true, 'transient'),
      // The retry starts (three attempts under its type's policy), and fails for good.
      new RunCommand(),
      new AdvanceClockCommand(HOUR),
      new RunCommand(),
      new AdvanceClockCommand(HOUR),
      new RunCommand(),
      // The original was retried already; the retry is retried in turn.
      new RetryCommand('globalAdministrator', 0, false, 'succeeded'),
      new RetryCommand('globalAdministrator', 1, false, 'succeeded'),
      new RunCommand(),
    ]);
    expect([seen.get('retried by principal'), seen.get('start by executor')]).toEqual([2, 5]);
  });
});
