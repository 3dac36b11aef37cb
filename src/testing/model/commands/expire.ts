/**
 * `ExpireCommand`: expires pending actions past their expiry.
 *
 * @module
 */
import { agree, expireModel, type ActionCenterModel, type ActionCenterReal } from '../model.js';
import { checkInvariants } from './invariants.js';
import { okOf, type ActionCenterCommand } from './shared.js';

/**
 * Expires pending actions past their expiry; the model predicts how many.
 *
 * @example
 * ```ts
 * import { ExpireCommand } from 'actioncenter/testing';
 * String(new ExpireCommand()); // 'expire()'
 * ```
 */
export class ExpireCommand implements ActionCenterCommand {
  check(): boolean {
    return true;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const count = okOf('expire()', await real.center.expire());
    agree('expire(): expired', count, expireModel(model));
    return checkInvariants(model, real);
  }

  toString(): string {
    return 'expire()';
  }
}
