/**
 * `TickCommand` (issue 16): the clock moves, then a sweep (`expire()`) expires and escalates what
 * is due; escalation is committed once per action, at the first sweep after its deadline.
 *
 * @module
 */
import { actionsOf, agree, expireModel, type ActionCenterModel, type ActionCenterReal } from '../model.js';
import { checkInvariants } from './invariants.js';
import { okOf, SUPERVISOR, type ActionCenterCommand } from './shared.js';

/**
 * Moves the clock (the engine's and the model's) by `ms`, then sweeps (`expire()`): the model
 * predicts how many expire (pending, and approved never started) and which pending actions escalate
 * (their approval deadline passed, expiry first). Every action escalated so far has exactly one
 * `escalate` event in its audit trail, by the system's `escalation`, at the time the model says.
 *
 * @example
 * ```ts
 * import { TickCommand } from 'actioncenter/testing';
 * String(new TickCommand(3_600_000)); // 'tick(1 h)'
 * ```
 */
export class TickCommand implements ActionCenterCommand {
  constructor(readonly ms: number) {}

  check(): boolean {
    return true;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const what = this.toString();
    model.now += this.ms;
    real.clock.advance(this.ms);
    const count = okOf(what, await real.center.expire());
    agree(`${what}: expired`, count, expireModel(model));
    for (const action of actionsOf(model)) {
      const escalatedAt = action.escalatedAt ?? null;
      if (escalatedAt === null) continue;
      const trail = okOf(
        `${what}: auditTrail(${action.id})`,
        await real.center.auditTrail({ principal: SUPERVISOR, id: action.id }),
      );
      const escalations = trail.filter((e) => e.type === 'escalate');
      agree(
        `${what}: the escalations of ${action.id}`,
        escalations.map((e) => [e.at, e.actor, e.from, e.to]),
        [[escalatedAt, { type: 'system', component: 'escalation' }, 'pending', 'pending']],
      );
    }
    return checkInvariants(model, real);
  }

  toString(): string {
    const hours = this.ms / 3_600_000;
    return `tick(${hours % 24 === 0 ? `${hours / 24} d` : `${hours} h`})`;
  }
}
