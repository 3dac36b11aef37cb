/**
 * `AdvanceClockCommand`: moves the clock (the engine's and the model's) forward.
 *
 * @module
 */
import type { ActionCenterModel, ActionCenterReal } from '../model.js';
import type { ActionCenterCommand } from './shared.js';

/**
 * Moves the clock (the engine's and the model's) forward.
 *
 * @example
 * ```ts
 * import { AdvanceClockCommand } from 'actioncenter/testing';
 * String(new AdvanceClockCommand(86_400_000)); // 'advanceClock(1 d)'
 * ```
 */
export class AdvanceClockCommand implements ActionCenterCommand {
  constructor(readonly ms: number) {}

  check(): boolean {
    return true;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    model.now += this.ms;
    real.clock.advance(this.ms);
  }

  toString(): string {
    const hours = this.ms / 3_600_000;
    return `advanceClock(${hours % 24 === 0 ? `${hours / 24} d` : `${hours} h`})`;
  }
}
