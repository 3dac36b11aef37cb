/**
 * `ListCommand`: lists a view as a persona, in the persona's read scope.
 *
 * @module
 */
import { builtInCatalog } from 'actioncenter';
import { actionsOf, agree, expireModel, type ActionCenterModel, type ActionCenterReal } from '../model.js';
import { MODEL_PERSONAS, type ModelPersona } from '../personas.js';
import { checkInvariants } from './invariants.js';
import { okOf, type ActionCenterCommand } from './shared.js';

/**
 * The device groups a persona reads, or null for all: every persona's assignments count where they
 * were made, so any assignment without a list (or Global Administrator) reaches everything.
 */
function visibleDeviceGroups(persona: ModelPersona): readonly string[] | null {
  const assignments = MODEL_PERSONAS[persona].assignments as readonly {
    readonly role: string;
    readonly deviceGroups?: readonly string[] | null;
  }[];
  if (
    assignments.some((a) => a.role === 'globalAdministrator' || a.deviceGroups === undefined || a.deviceGroups === null)
  )
    return null;
  return assignments.flatMap((a) => a.deviceGroups ?? []);
}

/**
 * Lists a view as a persona: the model predicts access denied, or the total of the view in its read scope.
 *
 * @example
 * ```ts
 * import { ListCommand } from 'actioncenter/testing';
 * String(new ListCommand('securityReader', 'pending')); // 'list(pending, by securityReader)'
 * ```
 */
export class ListCommand implements ActionCenterCommand {
  constructor(
    readonly persona: ModelPersona,
    readonly view: 'pending' | 'history' | 'all',
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const what = String(this);
    const result = await real.center.list({
      principal: MODEL_PERSONAS[this.persona],
      query: { filter: { view: this.view }, page: { size: 5 } },
    });
    // A read expires what is due first, whoever reads (expiry holds without a sweep).
    expireModel(model);
    const allowed = model.rules.permissions(this.persona, 'view', {
      actionType: builtInCatalog.require('quarantineFile'),
      deviceGroup: null,
    });
    if (!allowed) {
      agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, 'accessDenied');
      return checkInvariants(model, real);
    }
    const page = okOf(what, result);
    // Reads are scoped by device group (issue 12, item 1): actions on no device group stay visible.
    const groups = visibleDeviceGroups(this.persona);
    const inView = actionsOf(model).filter(
      (a) =>
        (this.view === 'all' ? true : (a.status === 'pending') === (this.view === 'pending')) &&
        (groups === null || a.deviceGroup === null || groups.includes(a.deviceGroup)),
    );
    agree(`${what}: total and page size`, [page.total, page.items.length], [inView.length, Math.min(5, inView.length)]);
    return checkInvariants(model, real);
  }

  toString(): string {
    return `list(${this.view}, by ${this.persona})`;
  }
}
