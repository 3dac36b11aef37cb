/**
 * Notes and the revert time of time-limited actions (issue 16): two audit-only steps on one action,
 * its status unchanged. `addNote` appends a note (its own permission, `addNote`); `setRevert` sets
 * or clears when a time-limited action is undone by the center (permission `undo`, as the revert
 * is one). Both read the action, plan the step and commit it from the version read; a conflict
 * (someone changed the action meanwhile) reads it again once and plans again, so two notes added
 * at once both land, and a second conflict is answered as such: never a note lost without an error.
 *
 * @module
 */
import * as z from 'zod';
import { ActionIdSchema } from '../../catalog/ids.js';
import { TimestampSchema, type ActionRecord, type Actor } from '../../catalog/records.js';
import { CommentSchema, NoteTextSchema } from '../../catalog/text.js';
import type { InvalidInputError, InvalidTransitionError, UnknownActionTypeError } from '../../errors.js';
import { err, ok, safeParseInput, type Result } from '../../result.js';
import { askPolicy } from '../../rules/access.js';
import type { LifecycleEvent } from '../../rules/lifecycle.js';
import { isOpen } from '../../rules/lifecycle-table.js';
import { PrincipalSchema, type Principal } from '../../rules/principals.js';
import { inScope } from '../../rules/query.js';
import { readClock } from '../clock-reading.js';
import type { AccessDeniedError, JustificationRequiredError } from '../errors.js';
import { commitPlans } from './commit.js';
import { safely, typeOf, type EngineContext } from './context.js';
import { requireJustification } from './justification.js';
import { planEvent } from './plan.js';
import { MAX_REVERT_AFTER_MS, MIN_REVERT_AFTER_MS, revertRefusal } from './revert.js';
import type { GetError } from './results.js';
import { denied } from './submit.js';
import { readScopeOf } from './views.js';

/**
 * The errors `addNote` can answer: those of `get` (`notFound` also for an action outside the
 * principal's read scope), `accessDenied` (no `addNote` permission on the type), the action's
 * type unknown to the catalogue, and `conflict` when the action kept changing (add it again).
 *
 * @example
 * ```ts
 * import type { AddNoteError } from 'actioncenter/adapter-kit';
 * const retry = (e: AddNoteError) => e.code === 'conflict';
 * ```
 */
export type AddNoteError = GetError | AccessDeniedError | UnknownActionTypeError | InvalidTransitionError;

/**
 * The errors `setRevert` can answer: those of {@link AddNoteError}, `invalidTransition` when the
 * action is neither open nor succeeded (or its type has no undo), `invalidInput` naming `revertAt`
 * (a time not in the future, or given for an action that has not succeeded) or `revertAfterMs`
 * (given for a succeeded action), and `justificationRequired` when the policy requires a comment.
 *
 * @example
 * ```ts
 * import type { SetRevertError } from 'actioncenter/adapter-kit';
 * const wrongState = (e: SetRevertError) => e.code === 'invalidTransition';
 * ```
 */
export type SetRevertError = AddNoteError | JustificationRequiredError;

const AddNoteSchema = z.strictObject({ principal: PrincipalSchema, id: ActionIdSchema, text: NoteTextSchema });

const RevertAfterSchema = z.number().int().min(MIN_REVERT_AFTER_MS).max(MAX_REVERT_AFTER_MS);

const SetRevertSchema = z
  .strictObject({
    principal: PrincipalSchema,
    id: ActionIdSchema,
    revertAt: TimestampSchema.nullable().optional(),
    revertAfterMs: RevertAfterSchema.nullable().optional(),
    comment: CommentSchema.nullable().default(null),
  })
  .refine((v) => (v.revertAt === undefined) !== (v.revertAfterMs === undefined), {
    message: 'give exactly one of revertAt (a succeeded action) and revertAfterMs (an open one)',
    path: ['revertAt'],
  });

/** The `addNote` operation. */
export async function addNote(ctx: EngineContext, input: unknown): Promise<Result<ActionRecord, AddNoteError>> {
  const parsed = safeParseInput(AddNoteSchema, input, 'addNote input');
  if (!parsed.ok) return parsed;
  const { principal, id, text } = parsed.value;
  const by: Actor = Object.freeze({ type: 'principal', id: principal.id });
  return stepOnOne(ctx, principal, id, 'addNote', (_action, now) =>
    ok({ type: 'addNote', by, at: now, comment: text }),
  );
}

/** The `setRevert` operation. */
export async function setRevert(ctx: EngineContext, input: unknown): Promise<Result<ActionRecord, SetRevertError>> {
  const parsed = safeParseInput(SetRevertSchema, input, 'setRevert input');
  if (!parsed.ok) return parsed;
  const { principal, id, comment } = parsed.value;
  const by: Actor = Object.freeze({ type: 'principal', id: principal.id });
  return stepOnOne<InvalidInputError | JustificationRequiredError>(ctx, principal, id, 'undo', (action, now) => {
    // Before anything else about the step: a refusal changes nothing.
    const missing = requireJustification(ctx, 'setRevert', [action], comment);
    if (missing !== null) return err(missing);
    if (action.status === 'succeeded') {
      if (parsed.value.revertAt === undefined)
        return err(badField('revertAfterMs', 'the action succeeded already: set or clear its revertAt instead'));
      const revertAt = parsed.value.revertAt;
      if (revertAt !== null && revertAt <= now)
        return err(
          badField('revertAt', `must be in the future (the center's clock reads ${new Date(now).toISOString()})`),
        );
      const never = revertAt === null ? null : sourceRefusal(ctx, action);
      if (never !== null) return err(badField('revertAt', never));
      return ok({ type: 'setRevert', by, at: now, comment, revertAt });
    }
    if (isOpen(action.status)) {
      if (parsed.value.revertAfterMs === undefined)
        return err(
          badField('revertAt', `the action has not succeeded (it is ${action.status}): set its revertAfterMs`),
        );
      const never = parsed.value.revertAfterMs === null ? null : sourceRefusal(ctx, action);
      if (never !== null) return err(badField('revertAfterMs', never));
      return ok({ type: 'setRevert', by, at: now, comment, revertAfterMs: parsed.value.revertAfterMs });
    }
    // Any other state: the lifecycle refuses the step, and says why (invalidTransition).
    return ok({ type: 'setRevert', by, at: now, comment, revertAt: parsed.value.revertAt ?? null });
  });
}

/**
 * Why a revert could never happen for this action although its type has an undo (its source's
 * actions are not undone from the Action center), or null. A type without an undo is left to the
 * lifecycle's guard (invalidTransition).
 */
function sourceRefusal(ctx: EngineContext, action: ActionRecord): string | null {
  if (ctx.catalog.undoCounterpartOf(action.actionType) === null) return null;
  return revertRefusal(ctx, action.actionType, action.source);
}

function badField(field: 'revertAt' | 'revertAfterMs', message: string): InvalidInputError {
  return {
    code: 'invalidInput',
    message: `Invalid setRevert input: ${field} ${message}`,
    issues: [{ path: [field], code: 'custom', message }],
  };
}

/**
 * One audit-only step on one action: read it (outside the principal's read scope it reads as
 * missing), ask the policy, build the event from the action as read, plan and commit it from that
 * version; on a conflict read it again and do it all once more.
 */
async function stepOnOne<E>(
  ctx: EngineContext,
  principal: Principal,
  id: ActionRecord['id'],
  operation: 'addNote' | 'undo',
  eventOf: (action: ActionRecord, now: number) => Result<LifecycleEvent, E>,
): Promise<Result<ActionRecord, AddNoteError | E>> {
  const scope = readScopeOf(ctx, principal, 'view');
  if (!scope.ok) return scope;
  for (let attempt = 0; ; attempt++) {
    const now = readClock(ctx.clock);
    if (!now.ok) return now;
    const read = await safely(() => ctx.repository.get(id));
    if (!read.ok) return read;
    const action = read.value;
    // Out of the principal's scope reads as missing, as `get` answers: existence is not leaked.
    if (action === null || !inScope(action, scope.value))
      return err({ code: 'notFound', message: `No action "${id}"`, actionId: id });
    const type = typeOf(ctx, action);
    if (!type.ok) return type;
    const decision = askPolicy(ctx.accessPolicy, principal, operation, {
      kind: 'action',
      actionType: type.value,
      action,
    });
    if (!decision.allowed) return err(denied(decision));
    const event = eventOf(action, now.value);
    if (!event.ok) return event;
    const step = await planEvent(ctx, action, event.value, { actionType: type.value });
    if (!step.ok) return step;
    const committed = await commitPlans(ctx, [step.value]);
    if (committed.ok) return ok(step.value.result);
    if (committed.error.code !== 'conflict' || attempt >= 1) return committed;
  }
}
