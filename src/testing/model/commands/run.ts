/**
 * `RunCommand`: runs the center once and checks its report against the model.
 *
 * @module
 */
import {
  actionsOf,
  agree,
  endUndo,
  expireModel,
  statusAfterRun,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
} from '../model.js';
import { checkInvariants } from './invariants.js';
import { okOf, type ActionCenterCommand } from './shared.js';

/**
 * Runs the center once: pending actions past their expiry expire, then every approved action runs
 * and ends as its script says (succeeded; failed for a failure, a partial result or a throw;
 * timedOut for a hang), and a finished undo counterpart ends its original's undo.
 *
 * @example
 * ```ts
 * import { RunCommand } from 'actioncenter/testing';
 * String(new RunCommand()); // 'run()'
 * ```
 */
export class RunCommand implements ActionCenterCommand {
  check(): boolean {
    return true;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const report = okOf('run()', await real.center.run());
    const expired = expireModel(model);
    // The model's store holds no unreadable record: nothing is skipped as corrupt.
    const counts = {
      expired,
      started: 0,
      succeeded: 0,
      failed: 0,
      timedOut: 0,
      accepted: 0,
      discarded: 0,
      corrupt: [],
    };
    const finished: ModelAction[] = [];
    for (const action of actionsOf(model)) {
      if (action.status !== 'approved') continue;
      action.status = statusAfterRun(action.outcome);
      counts.started += 1;
      counts[action.status] += 1;
      finished.push(action);
    }
    for (const action of finished) endUndo(model, action);
    agree('run(): report', report, counts);
    return checkInvariants(model, real);
  }

  toString(): string {
    return 'run()';
  }
}
