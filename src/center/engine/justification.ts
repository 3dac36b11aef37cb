/**
 * Required justification (issue 16): the approval policy's requirement rules may ask for a
 * non-blank comment for an operation on the actions they match (Defender for Endpoint's isolate
 * requires one). Without it, the WHOLE operation is refused with `justificationRequired` before
 * anything is planned or committed: nothing changes, for any item.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import { deviceOf } from '../../catalog/targets.js';
import { approvalRequirementsFor, type JustifiedOperation } from '../../rules/approval/requirements.js';
import type { JustificationRequiredError } from '../errors.js';
import type { EngineContext } from './context.js';

/**
 * What a justification rule is matched on: a stored action, or a request not stored yet (no `id`).
 * A request gives its type's `workload`.
 */
export type JustificationSubject = Pick<ActionRecord, 'actionType' | 'workload' | 'source' | 'target'> & {
  readonly id?: string;
};

/**
 * Null when `comment` justifies `operation` on every subject, else the `justificationRequired`
 * error naming the subjects whose matching requirement rules list the operation (their ids, and
 * their types once each). A comment that is missing, or only white space, justifies nothing. With no
 * requirement rules (the default policy) it is always null, without looking at the subjects.
 *
 * Call it before planning, on every action the operation names (W3's `setRevert` and W4's `retry`
 * call it too), so that a refusal changes nothing.
 *
 * @example
 * ```ts
 * // Inside an operation, after loading the actions and before planning:
 * // const missing = requireJustification(ctx, 'undo', actions, comment);
 * // if (missing !== null) return err(missing);
 * ```
 */
export function requireJustification(
  ctx: EngineContext,
  operation: JustifiedOperation,
  subjects: readonly JustificationSubject[],
  comment: string | null | undefined,
): JustificationRequiredError | null {
  // Policies built by hand before requirement rules existed have none.
  const rules = ctx.approvalPolicy.requirements ?? [];
  if (rules.length === 0) return null;
  if (typeof comment === 'string' && comment.trim() !== '') return null;
  const actionIds: string[] = [];
  const actionTypes: string[] = [];
  let needed = false;
  for (const subject of subjects) {
    const requirements = approvalRequirementsFor(ctx.approvalPolicy, {
      actionType: subject.actionType,
      workload: subject.workload,
      source: subject.source,
      deviceGroup: deviceOf(subject.target)?.deviceGroup ?? null,
    });
    if (!requirements.justification.includes(operation)) continue;
    needed = true;
    if (subject.id !== undefined) actionIds.push(subject.id);
    if (!actionTypes.includes(subject.actionType)) actionTypes.push(subject.actionType);
  }
  if (!needed) return null;
  const shown = actionTypes.slice(0, 5).join('", "');
  return {
    code: 'justificationRequired',
    message: `"${operation}" of "${shown}"${actionTypes.length > 5 ? ' and more' : ''} needs a justification: give a comment`,
    operation,
    actionIds,
    actionTypes,
  };
}
