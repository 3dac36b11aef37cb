/**
 * Planning: turns loaded actions and lifecycle events into the writes, audit events and effects of
 * one commit, and per-item failures. A step is the rules' record step (`transitionRecord`) and the
 * effects derived from it (`transitionEffects`); the stored audit event is built from the same
 * parts (`stepAuditEvent`) and chained to the action's audit head (`chainInPlace`). The effects
 * that belong in the same commit are carried out here, from the rules' own description:
 * - `undo`: the linked counterpart action is created (`createUndoCounterpart`);
 * - `settleUndo`: the original of an undo counterpart that ended leaves `undoing`.
 * The rest (`run`, `abort`, `notify`) travel with the plan and are carried out after the commit
 * (./commit.ts). Releasing the open key is the lifecycle's own (`transition` clears it).
 *
 * @module
 */
import type { ActionTypeDefinition } from '../../catalog/action-type.js';
import type { ActionRecord, AuditEvent } from '../../catalog/records.js';
import { assertNever } from '../../catalog/targets.js';
import type { InvalidTransitionError, UnknownActionTypeError } from '../../errors.js';
import { ok, type Result } from '../../result.js';
import { stepAuditEvent } from '../../rules/lifecycle-derive.js';
import {
  createUndoCounterpart,
  transition,
  transitionAudit,
  transitionEffects,
  transitionRecord,
  type CreatedAction,
  type LifecycleEffect,
  type LifecycleEvent,
  type TransitionResult,
} from '../../rules/lifecycle.js';
import { openKeyOf } from '../../rules/open-key.js';
import type { ActionWrite } from '../ports.js';
import { EXECUTOR, auditOf, chainInPlace, safely, typeOf, type EngineContext } from './context.js';
import type { ItemFailure } from './results.js';

/** One item's share of a commit: its writes and events, the effects to carry out after, its result. */
export interface Planned {
  /** The action the item is about (the id the caller gave). */
  readonly actionId: string;
  readonly writes: ActionWrite[];
  readonly events: AuditEvent[];
  /** Effects carried out after the commit: `run`, `abort`, `notify`. */
  effects: readonly LifecycleEffect[];
  /** The item's action as it will be once committed. */
  readonly result: ActionRecord;
  /** `settleUndo` effects still to plan: they read the original from the store ({@link settle}). */
  settles?: SettleUndoEffect[] | undefined;
}

type SettleUndoEffect = Extract<LifecycleEffect, { type: 'settleUndo' }>;

/** Options of one step: extra audit details, and the type when the catalogue no longer holds it. */
export interface StepOptions {
  readonly details?: Readonly<Record<string, unknown>>;
  readonly actionType?: ActionTypeDefinition;
}

/**
 * Applies one lifecycle event to an action and plans everything it implies in the same commit.
 * Errors are the item's: an unknown type, or an event the action does not accept now.
 */
export async function planEvent(
  ctx: EngineContext,
  action: ActionRecord,
  event: LifecycleEvent,
  options: StepOptions = {},
): Promise<Result<Planned, UnknownActionTypeError | InvalidTransitionError>> {
  const planned = planEventNow(ctx, action, event, options);
  if (planned.ok) await settle(ctx, planned.value);
  return planned;
}

/**
 * {@link planEvent} without reading the store: a `settleUndo` effect is left in `settles` for
 * {@link settle}. A bulk operation plans thousands of items this way without a wait per item.
 */
export function planEventNow(
  ctx: EngineContext,
  action: ActionRecord,
  event: LifecycleEvent,
  options: StepOptions = {},
): Result<Planned, UnknownActionTypeError | InvalidTransitionError> {
  let actionType = options.actionType;
  if (actionType === undefined) {
    const type = typeOf(ctx, action);
    if (!type.ok) return type;
    actionType = type.value;
  }
  // The record step alone, then what follows from it: no audit draft nor `transition` result per
  // action (bench/: lifecycle transitions).
  // Approved actions expire unstarted after the type's (else the policy's) `approvedExpiryMs` (issue 16).
  const approvedExpiryMs = actionType.approvedExpiryMs ?? ctx.approvalPolicy.approvedExpiryMs ?? null;
  const step = transitionRecord(action, event, { actionType, approvedExpiryMs });
  if (!step.ok) return step;
  const next = step.value;
  const effects = transitionEffects(action, next, event);
  if (options.details === undefined && effects.every(passesThrough)) {
    // The common step (a decision, an expiry, a start): one write, one event built from the parts
    // directly, the rules' own effects array; arrays made to size (a bulk operation plans
    // thousands of these).
    const recorded = stepAuditEvent(action, next, event, ctx.idGenerator.next('auditEvent') as AuditEvent['id']);
    chainInPlace(recorded, next);
    freezeStep(next, recorded);
    return ok({
      actionId: action.id,
      writes: [{ action: next, expectedVersion: action.version }],
      events: [recorded],
      effects,
      result: next,
    });
  }
  const planned: Planned = { actionId: action.id, writes: [], events: [], effects: [], result: next };
  const audit = transitionAudit(action, next, event);
  addStep(ctx, planned, action.version, { action: next, effects, audit }, options.details);
  return ok(planned);
}

/** Effects carried out after the commit, as they are: no store read, no other action created. */
const passesThrough = (effect: LifecycleEffect): boolean =>
  effect.type === 'run' || effect.type === 'notify' || effect.type === 'abort';

/**
 * Freezes what a step made fresh: its record, the audit event, and the event's actor (a copy the
 * rules made of an unfrozen actor, or one already frozen). Stores keep records frozen: the memory
 * repository then stores these as they are instead of copying each one, and what the center
 * answers cannot be changed under the store. Nested parts are left as they are: the stored
 * record's (frozen in the memory store), or data the caller gave (details, failures), which is
 * not the center's to freeze; a store that keeps data frozen copies those.
 */
function freezeStep(next: ActionRecord, recorded: AuditEvent): void {
  Object.freeze(recorded.actor);
  Object.freeze(recorded);
  Object.freeze(next);
}

/**
 * Plans the `settleUndo` effects left in `planned.settles`: the original of an undo counterpart
 * that ended leaves `undoing` in the same commit. One already settled (or changed meanwhile) is
 * left as it is.
 */
export async function settle(ctx: EngineContext, planned: Planned): Promise<void> {
  const settles = planned.settles;
  if (settles === undefined) return;
  planned.settles = undefined;
  for (const effect of settles) {
    const next = planned.result;
    const original = await safely(() => ctx.repository.get(effect.originalId));
    if (!original.ok || original.value === null || original.value.status !== 'undoing') continue;
    const type = typeOf(ctx, original.value);
    if (!type.ok) continue;
    const event: LifecycleEvent =
      effect.result === 'undoSucceeded'
        ? { type: 'undoSucceeded', by: EXECUTOR, at: next.updatedAt, comment: null }
        : {
            type: 'undoFailed',
            by: EXECUTOR,
            at: next.updatedAt,
            comment: null,
            failure: effect.failure ?? { code: 'counterpartFailed', message: `The undo action ${next.id} failed` },
          };
    const settled = transition(original.value, event, { actionType: type.value });
    // Settling never settles further: its own `settleUndo` effects (none today) are dropped.
    if (settled.ok) addStep(ctx, planned, original.value.version, settled.value, undefined, true);
  }
}

/** Plans the creation of an action (submit): its write, its `created` event, its effects. */
export function planCreation(
  ctx: EngineContext,
  created: CreatedAction,
  details?: Readonly<Record<string, unknown>>,
): Planned {
  const planned: Planned = { actionId: created.action.id, writes: [], events: [], effects: [], result: created.action };
  addCreation(ctx, planned, created, details);
  return planned;
}

function addCreation(
  ctx: EngineContext,
  planned: Planned,
  created: CreatedAction,
  details?: Readonly<Record<string, unknown>>,
): void {
  const draft =
    details === undefined ? created.audit : { ...created.audit, details: { ...created.audit.details, ...details } };
  const recorded = auditOf(ctx, created.action, draft);
  freezeStep(created.action, recorded);
  planned.writes.push({ action: created.action, expectedVersion: null });
  planned.events.push(recorded);
  planned.effects = [...planned.effects, ...created.effects];
}

/** Adds a step's write and event, carries out its pre-commit effects, keeps the others. */
function addStep(
  ctx: EngineContext,
  planned: Planned,
  expectedVersion: number,
  step: TransitionResult,
  details?: Readonly<Record<string, unknown>>,
  settling = false,
): void {
  const next = step.action;
  const draft = details === undefined ? step.audit : { ...step.audit, details: { ...step.audit.details, ...details } };
  const recorded = auditOf(ctx, next, draft);
  freezeStep(next, recorded);
  planned.writes.push({ action: next, expectedVersion });
  planned.events.push(recorded);
  for (const effect of step.effects) {
    switch (effect.type) {
      case 'undo': {
        // The counterpart that carries out the undo, created with the request (same commit).
        const counterpartType = ctx.catalog.undoCounterpartOf(next.actionType);
        if (counterpartType === null) break; // `transition` accepts requestUndo only on undoable types
        const counterpart = createUndoCounterpart(next, {
          id: effect.undoActionId,
          now: next.undoRequestedAt ?? next.updatedAt,
          by: next.undoRequestedBy ?? step.audit.actor,
          comment: step.audit.comment,
          counterpartType,
          // The original left its open statuses long ago: the counterpart takes the group's key.
          openKey: ctx.duplicates === 'allow' ? null : openKeyOf(counterpartType, next.target),
        });
        addCreation(ctx, planned, counterpart);
        break;
      }
      case 'settleUndo':
        // Needs the original from the store: planned by `settle`, before the commit.
        if (!settling) (planned.settles ??= []).push(effect);
        break;
      case 'run':
      case 'abort':
      case 'notify':
        planned.effects = [...planned.effects, effect];
        break;
      default:
        assertNever(effect);
    }
  }
}

/**
 * The per-item loop of every bulk operation (decide, undo, expire): each action is planned by
 * `step`, synchronously, which answers its plan, the item's failure, or null (nothing to do);
 * plans are then settled ({@link settle}) and committed together later.
 */
export async function planEach(
  ctx: EngineContext,
  actions: readonly ActionRecord[],
  step: (action: ActionRecord) => Planned | ItemFailure | null,
): Promise<{ readonly planned: Planned[]; readonly failures: Map<string, ItemFailure> }> {
  const planned: Planned[] = [];
  const failures = new Map<string, ItemFailure>();
  let unsettled = false;
  for (const action of actions) {
    const outcome = step(action);
    if (outcome === null) continue;
    if ('writes' in outcome) {
      planned.push(outcome);
      if (outcome.settles !== undefined) unsettled = true;
    } else failures.set(outcome.actionId, outcome);
  }
  if (unsettled) for (const p of planned) await settle(ctx, p);
  return { planned, failures };
}

/** The item failure of a step the action refused (unknown type or invalid transition). */
export function invalidStateItem(
  actionId: string,
  error: UnknownActionTypeError | InvalidTransitionError,
): ItemFailure {
  return { actionId, ok: false, outcome: 'invalidState', error };
}
