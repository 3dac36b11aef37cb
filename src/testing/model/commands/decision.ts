/**
 * `DecisionCommand`: approves, rejects or cancels one action as a persona.
 *
 * @module
 */
import {
  actionsOf,
  agree,
  expireModel,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
} from '../model.js';
import { MODEL_PERSONAS, type ModelPersona } from '../personas.js';
import { approvalApplied, predictApproval } from './approvals.js';
import { checkInvariants } from './invariants.js';
import {
  acceptsDecision,
  choose,
  decided,
  mayAct,
  NEXT_STATUS,
  okOf,
  singleItem,
  type ActionCenterCommand,
} from './shared.js';

/**
 * Approves, rejects or cancels one action as a persona: the model predicts denied (the persona may
 * not), invalidState (the status does not accept it), notFound (an unknown id) or succeeded with the
 * next status. Cancelling an undo counterpart ends its original's undo as failed.
 *
 * @example
 * ```ts
 * import { DecisionCommand } from 'actioncenter/testing';
 * String(new DecisionCommand('approve', 'securityReader', 3, true, false)); // 'approve(by securityReader, pick 3 of pending)'
 * ```
 */
export class DecisionCommand implements ActionCenterCommand {
  constructor(
    readonly operation: 'approve' | 'reject' | 'cancel',
    readonly persona: ModelPersona,
    readonly pick: number,
    readonly fromPool: boolean,
    readonly unknownId: boolean,
  ) {}

  check(model: Readonly<ActionCenterModel>): boolean {
    return this.unknownId || model.order.length > 0;
  }

  private accepts(action: ModelAction): boolean {
    return acceptsDecision(this.operation, action);
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    // A decision meets an action past its expiry as expired (the engine expires it first).
    expireModel(model);
    // A cancel prefers dispatched work still running, half the time: late reports then meet it cancelled.
    const running = (a: ModelAction) => a.status === 'running' && this.accepts(a);
    const preferRunning = this.operation === 'cancel' && this.pick % 2 === 0 && actionsOf(model).some(running);
    const pool = preferRunning ? running : (a: ModelAction) => this.accepts(a);
    const target = this.unknownId ? undefined : choose(model, this.pick, this.fromPool, pool);
    const id = target?.id ?? 'act-unknown';
    const what = `${String(this)} on ${id}${target === undefined ? '' : ` (${target.actionType.id}, ${target.status})`}`;
    const result = okOf(
      what,
      await real.center[this.operation]({
        principal: MODEL_PERSONAS[this.persona],
        ids: [id],
        comment: `${this.operation} by ${this.persona}`,
      }),
    );
    const item = singleItem(what, result);
    if (target === undefined) {
      agree(`${what}: outcome`, item.outcome, 'notFound');
      return checkInvariants(model, real);
    }
    // N-of-M approvals (issue 16): an approval of an action needing several has its own prediction.
    if (this.operation === 'approve' && (target.requiredApprovals ?? 1) > 1) {
      const expected = predictApproval(model, this.persona, target);
      agree(
        `${what}: outcome`,
        [item.outcome, item.outcome === 'applied' ? item.action.status : null],
        [expected.outcome, expected.status],
      );
      if (expected.outcome === 'applied') approvalApplied(model, this.persona, target);
      return checkInvariants(model, real);
    }
    if (!mayAct(model, this.persona, this.operation, target)) {
      agree(`${what}: outcome`, item.outcome, 'denied');
      return checkInvariants(model, real);
    }
    if (!this.accepts(target)) {
      agree(`${what}: outcome`, item.outcome, 'invalidState');
      return checkInvariants(model, real);
    }
    agree(
      `${what}: outcome`,
      [item.outcome, item.outcome === 'applied' ? item.action.status : null],
      ['applied', NEXT_STATUS[this.operation]],
    );
    decided(model, this.operation, target);
    return checkInvariants(model, real);
  }

  toString(): string {
    const pool = this.operation === 'cancel' ? 'open' : 'pending';
    return `${this.operation}(by ${this.persona}, ${this.unknownId ? 'an unknown id' : `pick ${this.pick}${this.fromPool ? ` of ${pool}` : ''}`})`;
  }
}
