/**
 * Issue 16's commands on one action: `AddNoteCommand` (a note, in any state) and `SetRevertCommand`
 * (the revert of a time-limited action set or cleared), and the model's side of `run`'s automatic
 * revert ({@link revertModel}).
 *
 * @module
 */
import { compareDue, isUndoEligibleSource, manualSourceOf } from 'actioncenter/adapter-kit';
import { builtInCatalog } from 'actioncenter';
import {
  actionsOf,
  agree,
  counterpartKeyOf,
  isOpen,
  ModelMismatchError,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
} from '../model.js';
import { MODEL_PERSONAS, type ModelPersona } from '../personas.js';
import { checkInvariants } from './invariants.js';
import { choose, okOf, subjectOf, SUPERVISOR, undoableNow, undoStarted, type ActionCenterCommand } from './shared.js';

/** Does the persona read the action (its device groups; actions on no device group are read by all)? */
function reads(persona: ModelPersona, action: ModelAction): boolean {
  const assignments = MODEL_PERSONAS[persona].assignments as readonly {
    readonly role: string;
    readonly deviceGroups?: readonly string[] | null;
  }[];
  if (action.deviceGroup === null) return true;
  return assignments.some(
    (a) =>
      a.role === 'globalAdministrator' ||
      a.deviceGroups === undefined ||
      a.deviceGroups === null ||
      a.deviceGroups.includes(action.deviceGroup as string),
  );
}

/**
 * What the engine must answer before the step itself: `accessDenied` when the persona may not read
 * at all, `notFound` outside its read scope, `accessDenied` without the operation's permission; null
 * when the step goes ahead.
 */
function refusalOf(
  model: Readonly<ActionCenterModel>,
  persona: ModelPersona,
  operation: 'addNote' | 'undo',
  action: ModelAction,
): 'accessDenied' | 'notFound' | null {
  if (!model.rules.permissions(persona, 'view', subjectOf(action))) return 'accessDenied';
  if (!reads(persona, action)) return 'notFound';
  return model.rules.permissions(persona, operation, subjectOf(action)) ? null : 'accessDenied';
}

/**
 * Adds a note to one action as a persona: the model predicts the refusal (see the engine's order:
 * read, scope, permission `addNote`) or the note counted, the status unchanged, whatever the state.
 *
 * @example
 * ```ts
 * import { AddNoteCommand } from 'actioncenter/testing';
 * String(new AddNoteCommand('securityOperator', 0, 'Called the owner')); // 'addNote(by securityOperator, pick 0)'
 * ```
 */
export class AddNoteCommand implements ActionCenterCommand {
  constructor(
    readonly persona: ModelPersona,
    readonly pick: number,
    readonly text: string,
  ) {}

  check(model: Readonly<ActionCenterModel>): boolean {
    return model.order.length > 0;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const target = choose(model, this.pick, false, () => true) as ModelAction;
    const what = `${String(this)} on ${target.id} (${target.actionType.id}, ${target.status})`;
    const result = await real.center.addNote({
      principal: MODEL_PERSONAS[this.persona],
      id: target.id,
      text: this.text,
    });
    const refused = refusalOf(model, this.persona, 'addNote', target);
    if (refused !== null) {
      agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, refused);
      return checkInvariants(model, real);
    }
    const after = okOf(what, result);
    target.noteCount = (target.noteCount ?? 0) + 1;
    agree(
      `${what}: status, note count and last note`,
      [after.status, after.noteCount, after.lastNote?.text],
      [target.status, target.noteCount, this.text],
    );
    return checkInvariants(model, real);
  }

  toString(): string {
    return `addNote(by ${this.persona}, pick ${this.pick})`;
  }
}

/**
 * How a {@link SetRevertCommand} changes the revert: `set` it `ms` from now (a succeeded action's
 * `revertAt`), or to `ms` after its success (an open one's `revertAfterMs`, at least a minute);
 * `clear` it.
 *
 * @example
 * ```ts
 * import type { RevertChange } from 'actioncenter/testing';
 * const inFourHours: RevertChange = { kind: 'set', ms: 4 * 3_600_000 };
 * ```
 */
export type RevertChange = { readonly kind: 'set'; readonly ms: number } | { readonly kind: 'clear' };

const MIN_REVERT_AFTER_MS = 60_000;

/**
 * Sets or clears the revert of one action as a persona (permission `undo`): on a succeeded action
 * its `revertAt`, on an open one its `revertAfterMs`; the model predicts the refusal (read, scope,
 * permission), `invalidTransition` for any other state or a type without an undo, or the change.
 *
 * @example
 * ```ts
 * import { SetRevertCommand } from 'actioncenter/testing';
 * String(new SetRevertCommand('securityAdministrator', 0, true, { kind: 'clear' })); // 'setRevert(clear, by securityAdministrator, pick 0 of revertible)'
 * ```
 */
export class SetRevertCommand implements ActionCenterCommand {
  constructor(
    readonly persona: ModelPersona,
    readonly pick: number,
    readonly fromPool: boolean,
    readonly change: RevertChange,
  ) {}

  check(model: Readonly<ActionCenterModel>): boolean {
    return model.order.length > 0;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const revertible = (a: ModelAction) => a.actionType.undo !== null && (a.status === 'succeeded' || isOpen(a));
    const target = choose(model, this.pick, this.fromPool, revertible) as ModelAction;
    const what = `${String(this)} on ${target.id} (${target.actionType.id}, ${target.status})`;
    const succeeded = target.status === 'succeeded';
    const value =
      this.change.kind === 'clear'
        ? null
        : succeeded
          ? model.now + Math.max(1, this.change.ms)
          : Math.max(MIN_REVERT_AFTER_MS, this.change.ms);
    const principal = MODEL_PERSONAS[this.persona];
    // The field the action's state takes (any other state is refused by the lifecycle, whichever is sent).
    const result = await real.center.setRevert(
      succeeded || !isOpen(target)
        ? { principal, id: target.id, revertAt: value }
        : { principal, id: target.id, revertAfterMs: value },
    );
    const refused = refusalOf(model, this.persona, 'undo', target);
    if (refused !== null) {
      agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, refused);
      return checkInvariants(model, real);
    }
    if (!revertible(target)) {
      agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, 'invalidTransition');
      return checkInvariants(model, real);
    }
    // A revert that could never happen (the source's actions are not undone here) is refused.
    if (value !== null && !isUndoEligibleSource(target.source)) {
      agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, 'invalidInput');
      return checkInvariants(model, real);
    }
    const after = okOf(what, result);
    if (succeeded) target.revertAt = value;
    else target.revertAfterMs = value;
    agree(
      `${what}: status and revert`,
      [after.status, after.revertAfterMs, after.revertAt],
      [target.status, target.revertAfterMs ?? null, target.revertAt ?? null],
    );
    return checkInvariants(model, real);
  }

  toString(): string {
    const how = this.change.kind === 'clear' ? 'clear' : `set ${this.change.ms} ms`;
    return `setRevert(${how}, by ${this.persona}, pick ${this.pick}${this.fromPool ? ' of revertible' : ''})`;
  }
}

/**
 * Is the open key the counterpart would claim (its conflict group on the original's target) held by
 * an open action? Never with duplicates allowed: then no action holds a key.
 */
function blockedOnTarget(
  model: Readonly<ActionCenterModel>,
  action: ModelAction,
  counterpartType: ModelAction['actionType'],
): boolean {
  if (model.rules.duplicates === 'allow') return false;
  const key = counterpartKeyOf(action, counterpartType);
  return key !== null && actionsOf(model).some((o) => isOpen(o) && o.openKey === key);
}

/**
 * The model's side of `run`'s automatic revert (issue 16), before it executes approved actions:
 * every succeeded action whose `revertAt` has come is undone by `autoRevert` (its counterpart,
 * approved, whose id the engine chose, succeeds in the same run); one that can no longer be undone
 * (its source's actions are not undone from the Action center) only loses its revert.
 */
export async function revertModel(model: ActionCenterModel, real: ActionCenterReal): Promise<number> {
  let reverted = 0;
  // In the due index's order (revert time, then id), as the engine's sweep commits them: of two
  // reverts claiming one key (two quarantines of a file), the first due is the one done.
  const due = actionsOf(model)
    .filter((a) => a.status === 'succeeded' && (a.revertAt ?? null) !== null && (a.revertAt as number) <= model.now)
    .sort((a, b) => compareDue({ dueAt: a.revertAt as number, id: a.id }, { dueAt: b.revertAt as number, id: b.id }));
  for (const action of due) {
    if (!undoableNow(action)) {
      action.revertAt = null;
      continue;
    }
    const what = `run(): the automatic revert of ${action.id}`;
    const counterpartType = builtInCatalog.undoCounterpartOf(action.actionType.id);
    // The counterpart may not open beside an open action of its conflict group on the same target
    // (issue 16, conflicting actions): the revert waits, due, for a later run.
    if (counterpartType !== null && blockedOnTarget(model, action, counterpartType)) continue;
    action.revertAt = null;
    const record = okOf(what, await real.center.get({ principal: SUPERVISOR, id: action.id }));
    // The undo as a person's, but requested by the system (its counterpart succeeds in the same run).
    undoStarted(model, real, what, action, record.undoActionId, 'succeeded', null);
    reverted += 1;
  }
  return reverted;
}
