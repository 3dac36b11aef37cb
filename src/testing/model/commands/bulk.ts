/**
 * `BulkCommand`: approves, rejects or undoes several actions at once.
 *
 * @module
 */
import { builtInCatalog, type BulkResult } from 'actioncenter';
import {
  actionsOf,
  agree,
  counterpartKeyOf,
  expireModel,
  isOpen,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
  type ScriptedOutcome,
} from '../model.js';
import { MODEL_PERSONAS, type ModelPersona } from '../personas.js';
import { checkInvariants } from './invariants.js';
import {
  acceptsDecision,
  choose,
  decided,
  mayAct,
  okOf,
  undoableNow,
  undoStarted,
  type ActionCenterCommand,
} from './shared.js';

/**
 * Approves, rejects or undoes several actions at once (seeds 001 and 002: "select multiple actions
 * if they have the same type of action"). The model predicts a refused selection (mixed types, an
 * action that is not pending, for undo one that may not be undone by this persona), or one result
 * per action: denied where the persona may not, for undo a conflict where the counterpart's open
 * key is held (issue 16; by an earlier item's counterpart too), applied elsewhere.
 *
 * @example
 * ```ts
 * import { BulkCommand } from 'actioncenter/testing';
 * String(new BulkCommand('approve', 'securityAdministrator', [0, 1, 2], true, 'succeeded')); // 'bulk approve(by securityAdministrator, picks 0,1,2 of pending)'
 * ```
 */
export class BulkCommand implements ActionCenterCommand {
  constructor(
    readonly operation: 'approve' | 'reject' | 'undo',
    readonly persona: ModelPersona,
    readonly picks: readonly number[],
    readonly fromPool: boolean,
    readonly counterpartOutcome: ScriptedOutcome,
  ) {}

  check(model: Readonly<ActionCenterModel>): boolean {
    return model.order.length >= 2;
  }

  private fits(action: ModelAction): boolean {
    return this.operation === 'undo' ? undoableNow(action) : acceptsDecision(this.operation, action);
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    // A decision meets an action past its expiry as expired (the engine expires it first).
    expireModel(model);
    // The first pick sets the type; with `fromPool`, the others are picked among fitting actions of that type.
    const first = choose(model, this.picks[0] ?? 0, this.fromPool, (a) => this.fits(a)) as ModelAction;
    const chosen = [first];
    for (const p of this.picks.slice(1)) {
      const next = choose(
        model,
        p,
        this.fromPool,
        (a) => this.fits(a) && a.actionType.id === first.actionType.id,
      ) as ModelAction;
      if (!chosen.includes(next)) chosen.push(next);
    }
    const ids = chosen.map((a) => a.id);
    const what = `${String(this)} on ${chosen.map((a) => `${a.id} (${a.actionType.id}, ${a.status})`).join(', ')}`;
    const principal = MODEL_PERSONAS[this.persona];
    const result =
      this.operation === 'undo'
        ? await real.center.undo({ principal, ids, comment: 'false positives' })
        : await real.center[this.operation]({ principal, ids, comment: `bulk ${this.operation}` });
    const permitted = (a: ModelAction) => mayAct(model, this.persona, this.operation, a);
    if (chosen.length > 1) {
      // Only the seeds' rule (one action type) refuses a selection whole; every other problem is the item's own.
      const mixed = chosen.some((a) => a.actionType.id !== first.actionType.id);
      if (mixed) {
        agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, 'selectionRefused');
        return checkInvariants(model, real);
      }
    }
    const value = okOf(what, result);
    agree(
      `${what}: one result per id, in order`,
      value.items.map((i) => i.actionId),
      ids,
    );
    for (const [i, action] of chosen.entries()) {
      const item = value.items[i] as BulkResult['items'][number];
      const expected = !permitted(action)
        ? 'denied'
        : !this.fits(action)
          ? 'invalidState'
          : this.operation === 'undo' && counterpartHeld(model, action)
            ? 'conflict'
            : 'applied';
      agree(`${what}: outcome for ${action.id}`, item.outcome, expected);
      if (item.outcome !== 'applied') continue;
      if (this.operation === 'undo')
        undoStarted(model, real, what, action, item.action.undoActionId, this.counterpartOutcome, this.persona);
      else decided(model, this.operation, action);
    }
    return checkInvariants(model, real);
  }

  toString(): string {
    const pool = this.operation === 'undo' ? 'undoable' : 'pending';
    return `bulk ${this.operation}(by ${this.persona}, picks ${this.picks.join(',')}${this.fromPool ? ` of ${pool}` : ''}${this.operation === 'undo' ? `, then ${this.counterpartOutcome}` : ''})`;
  }
}

/**
 * Issue 16: would the undo counterpart of `action` meet an open action holding its open key (an
 * isolate open on the device; or the release an earlier item of this same undo created, which the
 * model already holds: the commit refuses the later claim of the batch)? Then the item is a conflict.
 */
function counterpartHeld(model: Readonly<ActionCenterModel>, action: ModelAction): boolean {
  if (model.rules.duplicates === 'allow') return false;
  const counterpartType = builtInCatalog.undoCounterpartOf(action.actionType.id);
  const key = counterpartType === null ? null : counterpartKeyOf(action, counterpartType);
  return key !== null && actionsOf(model).some((a) => a.openKey === key && isOpen(a));
}
