/**
 * `UndoCommand`: undoes one action as a persona.
 *
 * @module
 */
import { builtInCatalog } from 'actioncenter';
import {
  actionsOf,
  agree,
  counterpartKeyOf,
  isOpen,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
  type ScriptedOutcome,
} from '../model.js';
import { MODEL_PERSONAS, type ModelPersona } from '../personas.js';
import { checkInvariants } from './invariants.js';
import { choose, okOf, singleItem, subjectOf, undoableNow, undoStarted, type ActionCenterCommand } from './shared.js';

/**
 * Undoes one action as a persona: the model predicts denied, invalidState (a type without undo, or
 * a status other than succeeded and undoFailed), or succeeded: the action is undoing and a new
 * counterpart waits, approved, for the next run (which the script decides).
 *
 * @example
 * ```ts
 * import { UndoCommand } from 'actioncenter/testing';
 * String(new UndoCommand('securityAdministrator', 0, true, 'failed')); // 'undo(by securityAdministrator, pick 0 of undoable, then failed)'
 * ```
 */
export class UndoCommand implements ActionCenterCommand {
  constructor(
    readonly persona: ModelPersona,
    readonly pick: number,
    readonly fromPool: boolean,
    readonly counterpartOutcome: ScriptedOutcome,
  ) {}

  check(model: Readonly<ActionCenterModel>): boolean {
    return model.order.length > 0;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const target = choose(model, this.pick, this.fromPool, undoableNow) as ModelAction;
    const what = `${String(this)} on ${target.id} (${target.actionType.id}, ${target.status})`;
    const result = okOf(
      what,
      await real.center.undo({ principal: MODEL_PERSONAS[this.persona], ids: [target.id], comment: 'false positive' }),
    );
    const item = singleItem(what, result);
    if (!model.rules.permissions(this.persona, 'undo', subjectOf(target))) {
      agree(`${what}: outcome`, item.outcome, 'denied');
      return checkInvariants(model, real);
    }
    if (!undoableNow(target)) {
      agree(`${what}: outcome`, item.outcome, 'invalidState');
      return checkInvariants(model, real);
    }
    // Issue 16: the counterpart claims its open key; an open action holding it (an isolate beside
    // the release) makes the undo a conflict, nothing changed.
    const counterpartType = builtInCatalog.undoCounterpartOf(target.actionType.id);
    const key = counterpartType === null ? null : counterpartKeyOf(target, counterpartType);
    if (model.rules.duplicates !== 'allow' && actionsOf(model).some((a) => a.openKey === key && isOpen(a))) {
      agree(`${what}: outcome`, item.outcome, 'conflict');
      return checkInvariants(model, real);
    }
    agree(
      `${what}: outcome`,
      [item.outcome, item.outcome === 'applied' ? item.action.status : null],
      ['applied', 'undoing'],
    );
    if (item.outcome !== 'applied') return;
    undoStarted(model, real, what, target, item.action.undoActionId, this.counterpartOutcome, this.persona);
    return checkInvariants(model, real);
  }

  toString(): string {
    return `undo(by ${this.persona}, pick ${this.pick}${this.fromPool ? ' of undoable' : ''}, then ${this.counterpartOutcome})`;
  }
}
