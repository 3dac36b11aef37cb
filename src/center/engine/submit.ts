/**
 * Submit: validate the request, check who asks and what the source takes, replay an idempotency
 * key, ask the approval policy, refuse or join an open duplicate, then create the action.
 *
 * @module
 */
import type { ActionId } from '../../catalog/ids.js';
import type { ActionRecord, ActionRequest } from '../../catalog/records.js';
import { ACTION_SOURCES, sourceTakes } from '../../catalog/sources.js';
import { deviceOf } from '../../catalog/targets.js';
import { describeIssues } from '../../errors.js';
import { err, ok, safeParseInput, type Result } from '../../result.js';
import { askPolicy } from '../../rules/access.js';
import { decideApproval } from '../../rules/approval.js';
import { createActionRecord } from '../../rules/lifecycle.js';
import { canonicalJson, openKeyOf } from '../../rules/open-key.js';
import { PrincipalSchema } from '../../rules/principals.js';
import { sha256Hex } from '../../rules/sha256.js';
import { readClock } from '../clock-reading.js';
import type { AccessDeniedError, ConflictingActionError } from '../errors.js';
import type { ActionTypeDefinition } from '../../catalog/action-type.js';
import type { Target } from '../../catalog/targets.js';
import { OPEN_STATUSES } from '../../rules/lifecycle-table.js';
import { targetIdentityOf } from '../../rules/target-identity.js';
import type { AccessDecision } from '../../rules/principals.js';
import { collect, readFields, safely, statusQuery, type EngineContext } from './context.js';
import { commitPlans } from './commit.js';
import { requiredApprovalsOf } from './approvals.js';
import { timersOf } from './escalation.js';
import { requireJustification } from './justification.js';
import { RESERVED_COMPONENTS, SYSTEM_COMPONENT_PATTERN } from './options.js';
import { planCreation } from './plan.js';
import { revertRefusal } from './revert.js';
import type { SubmitError, SubmitResult } from './results.js';

/** An idempotency key as given, scoped to its requester, and the digest of the request it names. */
interface Key {
  readonly given: string;
  readonly scoped: string;
  readonly digest: string;
}

/** The `submit` operation. */
export async function submit(ctx: EngineContext, given: unknown): Promise<Result<SubmitResult, SubmitError>> {
  const fields = readFields(given, ['request', 'principal'], 'submit input');
  if (!fields.ok) return fields;
  const input = fields.value;
  const parsed = ctx.catalog.parseRequest(input.request);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const type = ctx.catalog.require(request.actionType);
  const source = ACTION_SOURCES[request.source];
  const expectedActor = source.automated ? 'system' : 'principal';
  if (request.requestedBy.type !== expectedActor) {
    return err({
      code: 'actorMismatch',
      message: `"${source.label}" actions are requested by ${expectedActor === 'system' ? 'the system' : 'a principal'}`,
      expected: expectedActor,
      actual: request.requestedBy.type,
    });
  }
  // Seed 000 pairs sources with the actions they take (antivirus does not offboard a machine).
  if (!sourceTakes(ctx.sourcePolicy, request.source, type.id)) {
    return err({
      code: 'sourceNotApplicable',
      message: `"${source.label}" does not take "${type.displayName}" actions (source policy)`,
      actionTypeId: type.id,
      source: request.source,
      workload: type.workload,
    });
  }
  // Time-limited (issue 16): the revert is an undo, so only types (and sources) that undo take it.
  if (request.revertAfterMs !== undefined && request.revertAfterMs !== null) {
    const refusal = revertRefusal(ctx, type.id, request.source);
    if (refusal !== null)
      return err({
        code: 'invalidInput',
        message: `Invalid request: revertAfterMs: ${refusal}`,
        issues: [{ path: ['request', 'revertAfterMs'], code: 'custom', message: refusal }],
      });
  }
  if (request.requestedBy.type === 'system') {
    const refused = systemRefusal(ctx, request.requestedBy.component);
    if (refused !== null) return err(refused);
  } else {
    const principal = safeParseInput(PrincipalSchema, input.principal, 'principal');
    if (!principal.ok) return principal;
    if (principal.value.id !== request.requestedBy.id) {
      return err({
        code: 'actorMismatch',
        message: 'requestedBy must be the principal who submits',
        expected: principal.value.id,
        actual: request.requestedBy.id,
      });
    }
    const deviceGroup = deviceOf(request.target)?.deviceGroup ?? null;
    const operation = request.propose ? 'propose' : 'submit';
    const decision = askPolicy(ctx.accessPolicy, principal.value, operation, {
      kind: 'request',
      actionType: type,
      deviceGroup,
    });
    if (!decision.allowed) return err(denied(decision));
    // An undo counterpart submitted directly needs what undoing the original needs (releasing a
    // contained user needs Global Administrator, whoever asks and however).
    for (const undoneId of type.undoes) {
      const undone = ctx.catalog.get(undoneId);
      if (!undone.ok) continue;
      const subject = { kind: 'request', actionType: undone.value, deviceGroup } as const;
      const undoDecision = askPolicy(ctx.accessPolicy, principal.value, 'undo', subject);
      if (!undoDecision.allowed) return err(denied(undoDecision));
    }
  }
  // The key is the requester's own: scoped by who asks, bound to what they ask. Replay only after
  // authorization: a principal who may not submit learns nothing from a key.
  const key: Key | null =
    request.idempotencyKey === null
      ? null
      : { given: request.idempotencyKey, scoped: scopedKey(request), digest: requestDigest(request) };
  if (key !== null) {
    const replay = await replayed(ctx, key);
    if (!replay.ok || replay.value !== null) return replay.ok ? ok(replay.value as SubmitResult) : replay;
  }
  // Required justification (issue 16): the request's comment, when the policy asks for one.
  const unjustified = requireJustification(
    ctx,
    'submit',
    [{ actionType: type.id, workload: type.workload, source: request.source, target: request.target }],
    request.comment,
  );
  if (unjustified !== null) return err(unjustified);
  const approval = decideApproval(request, type, ctx.approvalPolicy);
  if (approval.outcome === 'refused') {
    return err({ code: 'submissionRefused', message: approval.message, rule: approval.rule, reason: approval.reason });
  }
  const openKey = ctx.duplicates === 'allow' ? null : openKeyOf(type, request.target);
  if (openKey !== null) {
    const open = await safely(() => ctx.repository.findOpen(openKey));
    if (!open.ok) return open;
    if (open.value !== null) {
      // Another type of the group holds the target: refused whatever the duplicates policy.
      if (open.value.actionType !== type.id) return err(conflicting(open.value));
      // The open one may be this request's own first submit, committed since the replay check.
      if (key !== null) {
        const replay = await replayed(ctx, key);
        if (!replay.ok || replay.value !== null) return replay.ok ? ok(replay.value as SubmitResult) : replay;
      }
      return duplicate(ctx, open.value);
    }
  }
  if (openKey === null && type.conflictGroup !== undefined) {
    // `allow` holds no open keys: the group's other types are looked up instead (not race-free).
    const held = await openInGroup(ctx, type, request.target);
    if (!held.ok) return held;
    if (held.value !== null) return err(conflicting(held.value));
  }
  const reading = readClock(ctx.clock);
  if (!reading.ok) return reading;
  const pending = approval.outcome === 'pending';
  const created = createActionRecord(request, {
    id: ctx.idGenerator.next('action') as ActionId,
    now: reading.value,
    status: pending ? 'pending' : 'approved',
    actionType: type,
    approvalId: pending ? (ctx.idGenerator.next('approval') as ActionRecord['approvalId']) : null,
    // Its pending expiry, approval deadline and unstarted expiry, per type or policy (issue 16).
    ...timersOf(ctx, type, request),
    // N-of-M approvals (issue 16): fixed now, so a later policy change does not move it.
    requiredApprovals: requiredApprovalsOf(ctx, type, request),
    openKey,
  });
  // The request's digest goes with the created event, so that a replay can tell the same request.
  const plan = planCreation(ctx, created, key === null ? undefined : { requestDigest: key.digest });
  const committed = await commitPlans(ctx, [plan], key?.scoped ?? null);
  if (!committed.ok) {
    // Lost a race: another submit claimed the key or opened the same action first. A retry of
    // the same request gets the replay, whichever conflict the store named.
    if (committed.error.code === 'conflict' && key !== null) {
      const replay = await replayed(ctx, key);
      if (!replay.ok || replay.value !== null) return replay.ok ? ok(replay.value as SubmitResult) : replay;
    }
    if (committed.error.code === 'conflict' && committed.error.reason === 'openKeyTaken' && openKey !== null) {
      const open = await safely(() => ctx.repository.findOpen(openKey));
      if (open.ok && open.value !== null)
        return open.value.actionType === type.id ? duplicate(ctx, open.value) : err(conflicting(open.value));
    }
    return committed;
  }
  return ok({ action: created.action, disposition: pending ? 'pending' : 'takenNow', rule: approval.rule });
}

/** The error of a denial. */
export function denied(decision: AccessDecision): AccessDeniedError {
  return { code: 'accessDenied', message: decision.allowed ? 'denied' : decision.message, decision };
}

/** Why the system component may not submit, or null when it may. */
function systemRefusal(ctx: EngineContext, component: string): SubmitError | null {
  const shown = component.slice(0, 100);
  if (!SYSTEM_COMPONENT_PATTERN.test(component)) {
    const issues = [
      {
        path: ['requestedBy', 'component'],
        code: 'invalid_format',
        message: 'a component name is 1 to 100 letters, digits, ".", "-" or "_"',
      },
    ];
    return { code: 'invalidInput', message: `Invalid action request: ${describeIssues(issues)}`, issues };
  }
  if (RESERVED_COMPONENTS.has(component)) {
    return {
      code: 'systemNotAuthorized',
      message: `"${shown}" is a name the Action center keeps for itself`,
      component: shown,
      reason: 'reserved',
    };
  }
  if (!ctx.systemComponents.has(component)) {
    return {
      code: 'systemNotAuthorized',
      message: `The system component "${shown}" is not accepted (systemComponents)`,
      component: shown,
      reason: 'notAccepted',
    };
  }
  return null;
}

/** The refusal of a request whose target an open action of another type of its group holds. */
function conflicting(open: ActionRecord): ConflictingActionError {
  const targetIdentity = targetIdentityOf(open.target);
  return {
    code: 'conflictingAction',
    message: `An open "${open.actionType}" action (${open.id}) holds the same target (${targetIdentity.slice(0, 200)}): its conflict group allows one open action at a time`,
    openActionId: open.id,
    openActionType: open.actionType,
    targetIdentity,
  };
}

/** An open action of another type of `type`'s conflict group on the same target, or null. */
async function openInGroup(
  ctx: EngineContext,
  type: ActionTypeDefinition,
  target: Target,
): Promise<Result<ActionRecord | null, SubmitError>> {
  const others = ctx.catalog.types.filter((t) => t.conflictGroup === type.conflictGroup && t.id !== type.id);
  if (others.length === 0) return ok(null);
  const found = await collect(ctx, statusQuery([...OPEN_STATUSES], { actionTypes: others.map((t) => t.id) }));
  if (!found.ok) return found;
  const identity = targetIdentityOf(target);
  return ok(found.value.find((a) => targetIdentityOf(a.target) === identity) ?? null);
}

function duplicate(ctx: EngineContext, open: ActionRecord): Result<SubmitResult, SubmitError> {
  if (ctx.duplicates === 'join') return ok({ action: open, disposition: 'joined', rule: null });
  return err({
    code: 'duplicateOpenAction',
    message: `An open "${open.actionType}" action on the same target exists (${open.id})`,
    existingActionId: open.id,
  });
}

/**
 * The earlier result of this requester's key, or null when the key is unused. The same key with a
 * different request is `idempotencyKeyConflict`, naming the key and nothing about the action.
 */
async function replayed(ctx: EngineContext, key: Key): Promise<Result<SubmitResult | null, SubmitError>> {
  const found = await safely(() => ctx.repository.findByIdempotencyKey(key.scoped));
  if (!found.ok) return found;
  const first = found.value?.[0];
  if (first === undefined) return ok(null);
  const [action, trail] = await Promise.all([
    safely(() => ctx.repository.get(first)),
    safely(() => ctx.repository.auditTrail(first)),
  ]);
  if (!action.ok) return action;
  if (!trail.ok) return trail;
  if (action.value === null) return ok(null);
  const createdEvent = trail.value.find((e) => e.type === 'created');
  if (createdEvent?.details['requestDigest'] !== key.digest) {
    return err({
      code: 'idempotencyKeyConflict',
      message: `The idempotency key "${key.given.slice(0, 200)}" was used before for a different request`,
      idempotencyKey: key.given,
    });
  }
  return ok({ action: action.value, disposition: 'replayed', rule: null });
}

/**
 * The repository key of a request's idempotency key: the requester (a principal's id or a system
 * component, hashed to bound it) and the key, so that one requester's keys are never another's.
 */
function scopedKey(request: ActionRequest): string {
  const by = request.requestedBy;
  const who = by.type === 'principal' ? `principal\u0000${by.id}` : `system\u0000${by.component}`;
  return `${by.type === 'principal' ? 'p' : 's'}:${sha256Hex(who)}:${request.idempotencyKey ?? ''}`;
}

/**
 * What a retry must repeat to be the same request: everything parsed but the key, the free-text
 * comment and the requester (which the scoped key already holds), canonically encoded and hashed.
 */
function requestDigest(request: ActionRequest): string {
  const { idempotencyKey: _key, comment: _comment, requestedBy: _by, ...rest } = request;
  return `sha256:${sha256Hex(canonicalJson(rest))}`;
}
