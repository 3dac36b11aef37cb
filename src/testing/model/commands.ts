/**
 * The model-based commands: one class per operation of the Action center (submit, approve, reject,
 * cancel, undo, run, expire, list, advance the clock). Each predicts from the model, runs the engine,
 * checks that they agree, moves the model on, and then checks the invariants that hold after every
 * step. `actionCenterCommands(fc)` gives their arbitraries for `fc.commands`.
 *
 * @module
 */
import {
  ACTION_STATUSES,
  builtInCatalog,
  isUndoEligibleSource,
  manualSourceOf,
  type ActionPage,
  type ActionRecord,
  type AuditEvent,
  type BulkResult,
  type Result,
} from 'actioncenter';
import type { Arbitrary, FastCheck } from '../fast-check.js';
import { assertSupportedFastCheck } from '../fast-check.js';
import {
  actionsOf,
  agree,
  endUndo,
  expireModel,
  isOpen,
  ModelMismatchError,
  requestOfPlan,
  statusAfterRun,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
  type ScriptedOutcome,
  type SubmitPlan,
} from './model.js';
import { MODEL_PERSONAS, type ModelPersona } from './personas.js';

/**
 * A model-based command: fast-check's `AsyncCommand<ActionCenterModel, ActionCenterReal>`, typed
 * structurally so that no fast-check is imported here.
 *
 * @example
 * ```ts
 * import type { ActionCenterCommand } from 'actioncenter/testing';
 * const names = (cmds: Iterable<ActionCenterCommand>) => [...cmds].map(String);
 * ```
 */
export interface ActionCenterCommand {
  /** Whether the command may run in this model state (fast-check skips it otherwise). */
  check(model: Readonly<ActionCenterModel>): boolean;
  /** Predicts the result from the model, runs the engine, compares, moves the model on and checks the invariants. */
  run(model: ActionCenterModel, real: ActionCenterReal): Promise<void>;
  /** How the command reads in a counterexample (`submit(isolateDevice #0 by securityAdministrator, then succeeded)`). */
  toString(): string;
}

/**
 * The names of the commands, to choose some with `actionCenterCommands(fc, { only })`.
 *
 * @example
 * ```ts
 * import { ACTION_CENTER_COMMANDS } from 'actioncenter/testing';
 * ACTION_CENTER_COMMANDS.includes('undo'); // true
 * ```
 */
export const ACTION_CENTER_COMMANDS = Object.freeze([
  'submit',
  'approve',
  'reject',
  'cancel',
  'undo',
  'bulk',
  'run',
  'expire',
  'list',
  'advanceClock',
] as const);

/**
 * One of {@link ACTION_CENTER_COMMANDS}.
 *
 * @example
 * ```ts
 * import type { ActionCenterCommandName } from 'actioncenter/testing';
 * const name: ActionCenterCommandName = 'approve';
 * ```
 */
export type ActionCenterCommandName = (typeof ACTION_CENTER_COMMANDS)[number];

const SUPERVISOR = MODEL_PERSONAS.globalAdministrator;

function okOf<T>(what: string, result: Result<T, { code: string; message: string }>): T {
  if (!result.ok)
    throw new ModelMismatchError(`${what}: the engine failed with ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Picks an action: among those the pool accepts when any does (and `fromPool`), else among all. */
function choose(
  model: Readonly<ActionCenterModel>,
  pick: number,
  fromPool: boolean,
  pool: (a: ModelAction) => boolean,
): ModelAction | undefined {
  const all = actionsOf(model);
  const preferred = fromPool ? all.filter(pool) : [];
  const candidates = preferred.length > 0 ? preferred : all;
  return candidates[pick % Math.max(1, candidates.length)];
}

/** The one item of a single-id bulk result. */
function singleItem(what: string, result: BulkResult) {
  agree(`${what}: one result per id`, result.items.length, 1);
  return result.items[0] as BulkResult['items'][number];
}

/** The operation's subject for the permission table. */
const subjectOf = (action: ModelAction) => ({ actionType: action.actionType, deviceGroup: action.deviceGroup });

/** May the persona do this to the action: the permission table, and four eyes on approve and reject. */
function mayAct(
  model: Readonly<ActionCenterModel>,
  persona: ModelPersona,
  operation: DecisionOperation | 'undo',
  action: ModelAction,
): boolean {
  if (!model.rules.permissions(persona, operation, subjectOf(action))) return false;
  const own =
    action.requestedBy !== undefined &&
    action.requestedBy !== null &&
    action.requestedBy === MODEL_PERSONAS[persona].id;
  return !(model.rules.fourEyes && own && (operation === 'approve' || operation === 'reject'));
}

type DecisionOperation = 'approve' | 'reject' | 'cancel';

/** Does the action's status accept the decision? */
function acceptsDecision(operation: DecisionOperation, action: ModelAction): boolean {
  switch (operation) {
    case 'approve':
    case 'reject':
      return action.status === 'pending';
    case 'cancel':
      return (
        action.status === 'pending' ||
        action.status === 'approved' ||
        (action.status === 'running' && action.actionType.cancellableWhileRunning)
      );
    default:
      return false;
  }
}

/**
 * May the action be undone now, whoever asks (seed 001): a type with an undo, not itself an undo,
 * from automated investigation, antivirus or manual response, and succeeded or failed to undo.
 */
function undoableNow(action: ModelAction): boolean {
  return (
    action.actionType.undo !== null &&
    action.undoOf === null &&
    isUndoEligibleSource(action.source) &&
    (action.status === 'succeeded' || action.status === 'undoFailed')
  );
}

const NEXT_STATUS = { approve: 'approved', reject: 'rejected', cancel: 'cancelled' } as const;

/** Records a decision the engine took: the next status, no expiry, and the end of an undo it cancels. */
function decided(model: ActionCenterModel, operation: DecisionOperation, action: ModelAction): void {
  action.status = NEXT_STATUS[operation];
  action.expiresAt = null;
  endUndo(model, action);
}

/** Records an undo the engine started: the original is undoing, its new counterpart approved. */
function undoStarted(
  model: ActionCenterModel,
  real: ActionCenterReal,
  what: string,
  action: ModelAction,
  counterpartId: string | null,
  outcome: ScriptedOutcome,
  by: ModelPersona,
): void {
  if (counterpartId === null || model.actions.has(counterpartId))
    throw new ModelMismatchError(`${what}: the counterpart id ${String(counterpartId)} is missing or not new`);
  const counterpartType = builtInCatalog.undoCounterpartOf(action.actionType.id);
  if (counterpartType === null) throw new ModelMismatchError(`${what}: ${action.actionType.id} has no counterpart`);
  action.status = 'undoing';
  action.undoActionId = counterpartId;
  model.actions.set(counterpartId, {
    id: counterpartId,
    status: 'approved',
    actionType: counterpartType,
    // A person's undo is a manual action of its workload (issue 12, item 10).
    source: manualSourceOf(counterpartType.workload),
    deviceGroup: action.deviceGroup,
    openKey: null,
    expiresAt: null,
    undoOf: action.id,
    undoActionId: null,
    outcome,
    requestedBy: MODEL_PERSONAS[by].id,
  });
  model.order.push(counterpartId);
  real.script.set(counterpartId, outcome);
}

// ---- invariants --------------------------------------------------------------------------------

/**
 * What holds after every command, read through the engine as a Global Administrator: as many actions
 * as the model has, each in the model's status, with an audit trail as long as its version whose last
 * event leads to its status, undo links as the model has them, and no two open actions with one open key.
 * Every command calls it after its own checks; call it from commands of your own.
 *
 * @example
 * ```ts
 * import { createActionCenter, createMemoryRepository } from 'actioncenter';
 * import { checkInvariants, createModelRunSetup } from 'actioncenter/testing';
 * const setup = createModelRunSetup({ engine: (deps) => createActionCenter({ ...deps, repository: createMemoryRepository() }) });
 * const { model, real } = await setup();
 * await checkInvariants(model, real); // throws a ModelMismatchError on the first difference
 * ```
 */
export async function checkInvariants(model: Readonly<ActionCenterModel>, real: ActionCenterReal): Promise<void> {
  // Reads expire what is due (expiry holds without a sweep), and the list below reads.
  expireModel(model as ActionCenterModel);
  const records: ActionRecord[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page: ActionPage = okOf(
      'invariants: list',
      await real.center.list({
        principal: SUPERVISOR,
        query: {
          sort: { column: 'id', direction: 'asc' },
          page: { size: 200, ...(cursor === null ? {} : { cursor }) },
        },
      }),
    );
    records.push(...page.items);
    agree('invariants: total count', page.total, model.actions.size);
    cursor = page.nextCursor;
    if (cursor === null) break;
  }
  agree('invariants: actions listed', records.length, model.actions.size);
  const openKeys = new Map<string, string>();
  for (const record of records) {
    const expected = model.actions.get(record.id);
    if (expected === undefined)
      throw new ModelMismatchError(`invariants: the engine holds ${record.id}, which the model does not know`);
    if (!(ACTION_STATUSES as readonly string[]).includes(record.status))
      throw new ModelMismatchError(`invariants: ${record.id} has status "${record.status}"`);
    agree(`invariants: status of ${record.id} (${record.actionType})`, record.status, expected.status);
    agree(`invariants: undoOf of ${record.id}`, record.undoOf, expected.undoOf);
    agree(`invariants: undoActionId of ${record.id}`, record.undoActionId, expected.undoActionId);
    const trail: readonly AuditEvent[] = okOf(
      `invariants: auditTrail(${record.id})`,
      await real.center.auditTrail({ principal: SUPERVISOR, id: record.id }),
    );
    agree(`invariants: audit trail length of ${record.id} equals its version`, trail.length, record.version);
    agree(
      `invariants: audit sequence of ${record.id}`,
      trail.map((e) => e.sequence),
      trail.map((_, i) => i + 1),
    );
    agree(`invariants: first audit event of ${record.id}`, trail[0]?.type, 'created');
    agree(
      `invariants: last audit event of ${record.id} leads to its status`,
      trail[trail.length - 1]?.to,
      record.status,
    );
    if (record.openKey !== null && isOpen({ status: record.status } as ModelAction)) {
      const holder = openKeys.get(record.openKey);
      if (holder !== undefined)
        throw new ModelMismatchError(`invariants: ${holder} and ${record.id} are both open with the same open key`);
      openKeys.set(record.openKey, record.id);
    }
  }
}

// ---- commands ----------------------------------------------------------------------------------

/**
 * Submits a request (see {@link SubmitPlan}); the model predicts a refusal (access denied, a
 * duplicate), a join, a replay of an idempotency key, or a new action, pending or taken now.
 *
 * @example
 * ```ts
 * import { SubmitCommand } from 'actioncenter/testing';
 * const cmd = new SubmitCommand({ kind: 'quarantineFile', target: 0, verdict: 'suspicious' }, 'succeeded', null);
 * String(cmd); // 'submit(quarantineFile #0 suspicious, then succeeded)'
 * ```
 */
export class SubmitCommand implements ActionCenterCommand {
  constructor(
    readonly plan: SubmitPlan,
    readonly outcome: ScriptedOutcome,
    readonly idempotencyKey: string | null,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const what = String(this);
    const { request, persona, actionType, source, deviceGroup, openKey, startsPending } = requestOfPlan(this.plan);
    const input = {
      request: this.idempotencyKey === null ? request : { ...request, idempotencyKey: this.idempotencyKey },
      ...(persona === null ? {} : { principal: MODEL_PERSONAS[persona] }),
    };
    const result = await real.center.submit(input);

    if (
      persona !== null &&
      !model.rules.permissions(persona, 'propose' in this.plan && this.plan.propose ? 'propose' : 'submit', {
        actionType,
        deviceGroup,
      })
    ) {
      agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, 'accessDenied');
      return checkInvariants(model, real);
    }
    // A claimed key replays the first result to the same requester with the same request (once the
    // submitter is authorized); another request under it is a conflict. Keys are the requester's own.
    const requester = persona === null ? 'system' : `principal:${MODEL_PERSONAS[persona].id}`;
    const scopedKey = this.idempotencyKey === null ? null : `${requester}\u0000${this.idempotencyKey}`;
    const { comment: _comment, requestedBy: _by, ...asked } = request;
    const fingerprint = JSON.stringify(asked);
    const replayOf = scopedKey === null ? undefined : model.idempotencyKeys.get(scopedKey);
    if (replayOf !== undefined && scopedKey !== null && model.idempotencyRequests.get(scopedKey) !== fingerprint) {
      agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, 'idempotencyKeyConflict');
      return checkInvariants(model, real);
    }
    if (replayOf !== undefined) {
      const value = okOf(what, result);
      agree(`${what}: disposition`, value.disposition, 'replayed');
      agree(
        `${what}: replayed action`,
        [value.action.id, value.action.status],
        [replayOf, model.actions.get(replayOf)?.status],
      );
      return checkInvariants(model, real);
    }
    const open =
      model.rules.duplicates === 'allow' ? undefined : actionsOf(model).find((a) => a.openKey === openKey && isOpen(a));
    if (open !== undefined) {
      if (model.rules.duplicates === 'refuse') {
        agree(`${what}: refused`, result.ok ? 'ok' : result.error.code, 'duplicateOpenAction');
        if (!result.ok && result.error.code === 'duplicateOpenAction')
          agree(`${what}: the open duplicate`, result.error.existingActionId, open.id);
      } else {
        const value = okOf(what, result);
        agree(`${what}: joined`, [value.disposition, value.action.id], ['joined', open.id]);
      }
      return checkInvariants(model, real);
    }
    const value = okOf(what, result);
    const status = startsPending ? 'pending' : 'approved';
    agree(
      `${what}: disposition and record`,
      [value.disposition, value.action.status, value.action.actionType, value.action.version, value.action.createdAt],
      [startsPending ? 'pending' : 'takenNow', status, actionType.id, 1, model.now],
    );
    const expiresAt = startsPending ? model.now + model.rules.pendingExpiryMs : null;
    agree(`${what}: expiry`, value.action.expiresAt, expiresAt);
    if (model.actions.has(value.action.id))
      throw new ModelMismatchError(`${what}: the new action reuses the id ${value.action.id}`);
    model.actions.set(value.action.id, {
      id: value.action.id,
      status,
      actionType,
      source,
      deviceGroup,
      openKey,
      expiresAt,
      undoOf: null,
      undoActionId: null,
      outcome: this.outcome,
      requestedBy: persona === null ? null : MODEL_PERSONAS[persona].id,
    });
    model.order.push(value.action.id);
    if (scopedKey !== null) {
      model.idempotencyKeys.set(scopedKey, value.action.id);
      model.idempotencyRequests.set(scopedKey, fingerprint);
    }
    real.script.set(value.action.id, this.outcome);
    return checkInvariants(model, real);
  }

  toString(): string {
    const p = this.plan;
    const how =
      'verdict' in p ? ` ${p.verdict}` : 'persona' in p ? ` by ${p.persona}${p.propose ? ' (proposed)' : ''}` : '';
    return `submit(${p.kind} #${p.target}${how}${this.idempotencyKey === null ? '' : ` key ${this.idempotencyKey}`}, then ${this.outcome})`;
  }
}

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
    const target = this.unknownId ? undefined : choose(model, this.pick, this.fromPool, (a) => this.accepts(a));
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
      [item.outcome, item.outcome === 'succeeded' ? item.action.status : null],
      ['succeeded', NEXT_STATUS[this.operation]],
    );
    decided(model, this.operation, target);
    return checkInvariants(model, real);
  }

  toString(): string {
    const pool = this.operation === 'cancel' ? 'open' : 'pending';
    return `${this.operation}(by ${this.persona}, ${this.unknownId ? 'an unknown id' : `pick ${this.pick}${this.fromPool ? ` of ${pool}` : ''}`})`;
  }
}

/**
 * Undoes one action as a persona: the model predicts denied, invalidState (a type without undo, or
 * a status other than succeeded and undoFailed), or succeeded: the action is undoing and a new
 * counterpart waits, approved, for the next run (which the script decides).
 *
 * @example
 * ```ts
 * import { UndoCommand } from 'actioncenter/testing';
 * String(new UndoCommand('securityAdministrator', 0, true, 'failed')); // 'undo(by securityAdministrator, pick 0 of undoable, then failed)'
 * ```
 */
export class UndoCommand implements ActionCenterCommand {
  constructor(
    readonly persona: ModelPersona,
    readonly pick: number,
    readonly fromPool: boolean,
    readonly counterpartOutcome: ScriptedOutcome,
  ) {}

  check(model: Readonly<ActionCenterModel>): boolean {
    return model.order.length > 0;
  }

  async run(model: ActionCenterModel, real: ActionCenterReal): Promise<void> {
    const target = choose(model, this.pick, this.fromPool, undoableNow) as ModelAction;
    const what = `${String(this)} on ${target.id} (${target.actionType.id}, ${target.status})`;
    const result = okOf(
      what,
      await real.center.undo({ principal: MODEL_PERSONAS[this.persona], ids: [target.id], comment: 'false positive' }),
    );
    const item = singleItem(what, result);
    if (!model.rules.permissions(this.persona, 'undo', subjectOf(target))) {
      agree(`${what}: outcome`, item.outcome, 'denied');
      return checkInvariants(model, real);
    }
    if (!undoableNow(target)) {
      agree(`${what}: outcome`, item.outcome, 'invalidState');
      return checkInvariants(model, real);
    }
    agree(
      `${what}: outcome`,
      [item.outcome, item.outcome === 'succeeded' ? item.action.status : null],
      ['succeeded', 'undoing'],
    );
    if (item.outcome !== 'succeeded') return;
    undoStarted(model, real, what, target, item.action.undoActionId, this.counterpartOutcome, this.persona);
    return checkInvariants(model, real);
  }

  toString(): string {
    return `undo(by ${this.persona}, pick ${this.pick}${this.fromPool ? ' of undoable' : ''}, then ${this.counterpartOutcome})`;
  }
}

/**
 * Approves, rejects or undoes several actions at once (seeds 001 and 002: "select multiple actions
 * if they have the same type of action"). The model predicts a refused selection (mixed types, an
 * action that is not pending, for undo one that may not be undone by this persona), or one result
 * per action: denied where the persona may not, succeeded elsewhere.
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
      const expected = !permitted(action) ? 'denied' : !this.fits(action) ? 'invalidState' : 'succeeded';
      agree(`${what}: outcome for ${action.id}`, item.outcome, expected);
      if (item.outcome !== 'succeeded') continue;
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
    const counts = { expired, started: 0, succeeded: 0, failed: 0, timedOut: 0, discarded: 0, corrupt: [] };
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

/**
 * Options of {@link actionCenterCommands}.
 *
 * @example
 * ```ts
 * import type { ActionCenterCommandsOptions } from 'actioncenter/testing';
 * const options: ActionCenterCommandsOptions = { only: ['submit', 'approve', 'run'] };
 * ```
 */
export interface ActionCenterCommandsOptions {
  /** Only these commands (default: all of {@link ACTION_CENTER_COMMANDS}). */
  readonly only?: readonly ActionCenterCommandName[];
}

/**
 * The arbitraries of the model-based commands, for `fc.commands(...)`, run with `fc.asyncModelRun`
 * over the setup of {@link createModelRunSetup}. Submits and runs come twice as often as the rest,
 * so that the other commands find actions to act on and actions reach their outcomes.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { createActionCenter } from 'actioncenter';
 * import { actionCenterCommands, createModelRunSetup } from 'actioncenter/testing';
 * const setup = createModelRunSetup({ engine: (deps) => createActionCenter(deps) });
 * await fc.assert(fc.asyncProperty(fc.commands(actionCenterCommands(fc), { size: '+1' }), (cmds) => fc.asyncModelRun(setup, cmds)), { numRuns: 50 });
 * ```
 */
export function actionCenterCommands(
  fc: FastCheck,
  options: ActionCenterCommandsOptions = {},
): Arbitrary<ActionCenterCommand>[] {
  assertSupportedFastCheck(fc, 'actionCenterCommands');
  const only = new Set(options.only ?? ACTION_CENTER_COMMANDS);
  // Mostly people who can act, so that decisions go through as often as they are refused.
  const persona: Arbitrary<ModelPersona> = fc.oneof(
    {
      arbitrary: fc.constantFrom<ModelPersona>(
        'securityAdministrator',
        'globalAdministrator',
        'emailSecurityAdministrator',
        'serversResponder',
      ),
      weight: 4,
    },
    {
      arbitrary: fc.constantFrom<ModelPersona>('securityOperator', 'securityReader', 'emailCollaborationOnly'),
      weight: 1,
    },
  );
  // Mostly successes (so that undo is reached), and each way of failing often enough to be met in a few dozen runs.
  const outcome: Arbitrary<ScriptedOutcome> = fc.oneof(
    { arbitrary: fc.constant<ScriptedOutcome>('succeeded'), weight: 3 },
    { arbitrary: fc.constantFrom<ScriptedOutcome>('failed', 'partial', 'throws'), weight: 2 },
    { arbitrary: fc.constant<ScriptedOutcome>('hang'), weight: 1 },
  );
  // Undoable types (quarantine, isolate) most often, so that runs reach undo and its outcomes.
  const manualKind = fc.oneof(
    { arbitrary: fc.constant('isolateDevice' as const), weight: 2 },
    { arbitrary: fc.constantFrom('runAntivirusScan' as const, 'disableUser' as const), weight: 1 },
  );
  const plan: Arbitrary<SubmitPlan> = fc.oneof(
    {
      arbitrary: fc.record(
        {
          kind: fc.constant('quarantineFile' as const),
          target: fc.nat({ max: 3 }),
          verdict: fc.constantFrom('malicious' as const, 'suspicious' as const),
        },
        { noNullPrototype: true },
      ),
      weight: 2,
    },
    {
      arbitrary: fc.record(
        { kind: fc.constant('softDeleteEmailClusters' as const), target: fc.nat({ max: 1 }) },
        { noNullPrototype: true },
      ),
      weight: 1,
    },
    {
      arbitrary: fc.record(
        { kind: manualKind, target: fc.nat({ max: 3 }), persona, propose: fc.boolean() },
        { noNullPrototype: true },
      ),
      weight: 2,
    },
  );
  const pick = fc.nat({ max: 1000 });
  const fromPool = fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 });
  const unknownId = fc.oneof(
    { arbitrary: fc.constant(false), weight: 12 },
    { arbitrary: fc.constant(true), weight: 1 },
  );
  const decision = (operation: 'approve' | 'reject' | 'cancel') =>
    fc
      .tuple(persona, pick, fromPool, unknownId)
      .map(([who, n, pool, unknown]): ActionCenterCommand => new DecisionCommand(operation, who, n, pool, unknown));
  const submit = fc
    .tuple(plan, outcome, fc.option(fc.constantFrom('idem-1', 'idem-2'), { nil: null, freq: 8 }))
    .map(([p, o, key]): ActionCenterCommand => new SubmitCommand(p, o, key));
  const undo = fc
    .tuple(persona, pick, fromPool, outcome)
    .map(([who, n, pool, o]): ActionCenterCommand => new UndoCommand(who, n, pool, o));
  const byName: Record<ActionCenterCommandName, Arbitrary<ActionCenterCommand>[]> = {
    submit: [submit, submit],
    approve: [decision('approve')],
    reject: [decision('reject')],
    cancel: [decision('cancel')],
    undo: [undo],
    bulk: [
      fc
        .tuple(
          fc.constantFrom('approve' as const, 'reject' as const, 'undo' as const),
          persona,
          fc.array(pick, { minLength: 2, maxLength: 4 }),
          fromPool,
          outcome,
        )
        .map(
          ([operation, who, picks, pool, o]): ActionCenterCommand => new BulkCommand(operation, who, picks, pool, o),
        ),
    ],
    // Twice, like submit: runs are what move approved actions on to their outcome and undo to its end.
    run: [fc.constant<ActionCenterCommand>(new RunCommand()), fc.constant<ActionCenterCommand>(new RunCommand())],
    expire: [fc.constant<ActionCenterCommand>(new ExpireCommand())],
    list: [
      fc
        .tuple(persona, fc.constantFrom('pending' as const, 'history' as const, 'all' as const))
        .map(([who, view]): ActionCenterCommand => new ListCommand(who, view)),
    ],
    advanceClock: [
      fc
        .constantFrom(60 * 60 * 1000, 24 * 60 * 60 * 1000, 3 * 24 * 60 * 60 * 1000, 7 * 24 * 60 * 60 * 1000)
        .map((ms): ActionCenterCommand => new AdvanceClockCommand(ms)),
    ],
  };
  return ACTION_CENTER_COMMANDS.filter((name) => only.has(name)).flatMap((name) => byName[name]);
}
