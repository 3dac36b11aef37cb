/**
 * Errors are values: a discriminated union keyed on `code`, each with a human `message` and a
 * machine-readable payload of its own. Messages are for people; switch on `code`.
 *
 * The base layer's errors live here (input, catalogue, transition, clock, internal); the union of
 * every error, `ActionCenterError`, is in `center/errors.ts`, above the layers whose errors it names.
 *
 * @module
 */
import type { z } from 'zod';

/**
 * One problem found while validating input: where (`path`) and what (`message`, `code`).
 *
 * @example
 * ```ts
 * import type { InputIssue } from 'actioncenter';
 * const issue: InputIssue = { path: ['parameters', 'sha1'], code: 'invalid_type', message: 'Required' };
 * ```
 */
export interface InputIssue {
  /** Where in the input the problem is: keys and array indexes from the root (empty for the root itself). */
  readonly path: readonly (string | number)[];
  /** zod's issue code (`invalid_type`, `too_big`, `unrecognized_keys`, ...). */
  readonly code: string;
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
}

/**
 * Input that does not fit the schema of the entry point it was given to.
 *
 * @example
 * ```ts
 * import { parseActionRequest } from 'actioncenter';
 * const r = parseActionRequest({ actionType: 42 });
 * if (!r.ok && r.error.code === 'invalidInput') console.log(r.error.issues[0]?.path);
 * ```
 */
export interface InvalidInputError {
  /** Discriminant: always `'invalidInput'`. Match on it, not on the message. */
  readonly code: 'invalidInput';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** Every problem found in the input, each with its path. */
  readonly issues: readonly InputIssue[];
}

/**
 * An action type id the catalogue does not hold.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * const r = builtInCatalog.get('noSuchType');
 * if (!r.ok) console.log(r.error.code); // 'unknownActionType'
 * ```
 */
export interface UnknownActionTypeError {
  /** Discriminant: always `'unknownActionType'`. Match on it, not on the message. */
  readonly code: 'unknownActionType';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action type id that the catalogue does not hold. */
  readonly actionTypeId: string;
}

/**
 * Parameters that do not fit the action type's parameter schema.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * const r = builtInCatalog.parseParameters('isolateDevice', { isolationType: 'partial' });
 * if (!r.ok && r.error.code === 'invalidParameters') console.log(r.error.issues);
 * ```
 */
export interface InvalidParametersError {
  /** Discriminant: always `'invalidParameters'`. Match on it, not on the message. */
  readonly code: 'invalidParameters';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action type whose parameter schema refused the parameters. */
  readonly actionTypeId: string;
  /** What the schema refused, with paths relative to the parameters object. */
  readonly issues: readonly InputIssue[];
}

/**
 * A target whose kind is not the one the action type acts on.
 *
 * @example
 * ```ts
 * import type { TargetKindMismatchError } from 'actioncenter/adapter-kit';
 * const e: TargetKindMismatchError = { code: 'targetKindMismatch', message: 'expected device',
 *   actionTypeId: 'isolateDevice', expected: 'device', actual: 'url' };
 * ```
 */
export interface TargetKindMismatchError {
  /** Discriminant: always `'targetKindMismatch'`. Match on it, not on the message. */
  readonly code: 'targetKindMismatch';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action type asked for. */
  readonly actionTypeId: string;
  /** The target kind the action type acts on (its `targetKind`). */
  readonly expected: string;
  /** The kind of target the request gave. */
  readonly actual: string;
}

/**
 * Building a catalogue that would hold two types with one id.
 *
 * @example
 * ```ts
 * import { createCatalog, builtInActionTypes } from 'actioncenter';
 * const r = createCatalog([...builtInActionTypes, builtInActionTypes[0]!]);
 * if (!r.ok) console.log(r.error.code); // 'duplicateActionType'
 * ```
 */
export interface DuplicateActionTypeError {
  /** Discriminant: always `'duplicateActionType'`. Match on it, not on the message. */
  readonly code: 'duplicateActionType';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The id given to more than one action type. */
  readonly actionTypeId: string;
}

/**
 * A type names an undo counterpart the catalogue does not hold.
 *
 * @example
 * ```ts
 * import type { UnknownUndoCounterpartError } from 'actioncenter/adapter-kit';
 * const e: UnknownUndoCounterpartError = { code: 'unknownUndoCounterpart', message: '...',
 *   actionTypeId: 'lockVault', counterpartId: 'unlockVault' };
 * ```
 */
export interface UnknownUndoCounterpartError {
  /** Discriminant: always `'unknownUndoCounterpart'`. Match on it, not on the message. */
  readonly code: 'unknownUndoCounterpart';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action type whose `undo.counterpart` names a missing type. */
  readonly actionTypeId: string;
  /** The counterpart id that is not in the catalogue. */
  readonly counterpartId: string;
}

/**
 * A type names an undo counterpart of another workload (a device action cannot be undone by an
 * email action).
 *
 * @example
 * ```ts
 * import type { UndoCounterpartWorkloadMismatchError } from 'actioncenter/adapter-kit';
 * const e: UndoCounterpartWorkloadMismatchError = { code: 'undoCounterpartWorkloadMismatch',
 *   message: '...', actionTypeId: 'a', counterpartId: 'b', workload: 'endpoint', counterpartWorkload: 'email' };
 * ```
 */
export interface UndoCounterpartWorkloadMismatchError {
  /** Discriminant: always `'undoCounterpartWorkloadMismatch'`. Match on it, not on the message. */
  readonly code: 'undoCounterpartWorkloadMismatch';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action type whose undo counterpart is on another workload. */
  readonly actionTypeId: string;
  /** The counterpart type's id. */
  readonly counterpartId: string;
  /** The action type's workload. */
  readonly workload: string;
  /** The counterpart type's workload, which differs. */
  readonly counterpartWorkload: string;
}

/**
 * A source that does not take actions of the type's workload (Explorer does not isolate devices).
 *
 * @example
 * ```ts
 * import type { SourceNotApplicableError } from 'actioncenter/adapter-kit';
 * const e: SourceNotApplicableError = { code: 'sourceNotApplicable', message: '...',
 *   actionTypeId: 'isolateDevice', source: 'explorerAction', workload: 'endpoint' };
 * ```
 */
export interface SourceNotApplicableError {
  /** Discriminant: always `'sourceNotApplicable'`. Match on it, not on the message. */
  readonly code: 'sourceNotApplicable';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action type requested. */
  readonly actionTypeId: string;
  /** The source that does not act on the type's workload. */
  readonly source: string;
  /** The action type's workload. */
  readonly workload: string;
}

/**
 * An event the action's current state does not accept (including any decision on a final action).
 *
 * @example
 * ```ts
 * import type { InvalidTransitionError } from 'actioncenter/adapter-kit';
 * const e: InvalidTransitionError = { code: 'invalidTransition', message: 'rejected does not accept approve',
 *   actionId: 'a1', state: 'rejected', event: 'approve', final: true, reason: 'finalState' };
 * ```
 */
export interface InvalidTransitionError {
  /** Discriminant: always `'invalidTransition'`. Match on it, not on the message. */
  readonly code: 'invalidTransition';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action the event was sent to. */
  readonly actionId: string;
  /** The action's status when the event arrived. */
  readonly state: string;
  /** The lifecycle event type the state does not accept. */
  readonly event: string;
  /** The state accepts no decision any more. */
  readonly final: boolean;
  /**
   * Why: the table has no such edge, or a guard refused it (`notRetryable`: the type has no retry
   * policy; `retriesExhausted`: the action was started as often as its policy allows).
   */
  readonly reason:
    | 'noSuchTransition'
    | 'finalState'
    | 'notCancellableWhileRunning'
    | 'notUndoable'
    | 'notRetryable'
    | 'retriesExhausted'
    // Issue 16: a pending action escalates once; only an approved action never started expires.
    | 'alreadyEscalated'
    | 'alreadyStarted'
    // Issue 16, N-of-M approvals: `approve` while more approvals are needed than this one
    // (`addApproval` then); `addApproval` when this approval is the last one needed (`approve` then).
    | 'approvalsOutstanding'
    | 'lastApproval';
}

/**
 * Something the center relies on broke: a callback it was given (the id generator, the access
 * policy) answered garbage, or an unexpected exception escaped an operation (a bug). Nothing was
 * changed by the operation that answers it, unless a commit had already happened before.
 *
 * @example
 * ```ts
 * import type { InternalError } from 'actioncenter/adapter-kit';
 * const e: InternalError = { code: 'internalError', message: 'The id generator returned 42',
 *   operation: 'submit', component: 'idGenerator' };
 * ```
 */
export interface InternalError {
  /** Discriminant: always `'internalError'`. Match on it, not on the message. */
  readonly code: 'internalError';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The operation that failed (`submit`, `approve`, ...). */
  readonly operation: string;
  /** What broke: a component the center was given (`idGenerator`, ...) or `unexpected` for a bug. */
  readonly component: string;
}

/**
 * The clock gave a reading outside the timestamps a record may hold (`TimestampSchema`: an integer
 * number of milliseconds from 0 to 8.64e15): NaN, an infinity, a negative or fractional number, a
 * `Date` or a string, or the clock threw. The operation that read it changed nothing.
 *
 * @example
 * ```ts
 * import type { ClockInvalidError } from 'actioncenter/adapter-kit';
 * const e: ClockInvalidError = { code: 'clockInvalid', message: 'The clock returned NaN', value: 'number NaN', reason: 'notFinite' };
 * ```
 */
export interface ClockInvalidError {
  /** Discriminant: always `'clockInvalid'`. Match on it, not on the message. */
  readonly code: 'clockInvalid';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The bad reading, described (its type and at most 100 characters of it). */
  readonly value: string;
  /** What is wrong with it. */
  readonly reason: 'notANumber' | 'notFinite' | 'negative' | 'notInteger' | 'tooLarge' | 'threw';
}

/**
 * What every error value has: a `code` to switch on and a `message` for people. The base of the
 * layers' error unions, and the default error type of {@link Result}; the union of every error the
 * library returns is {@link ActionCenterError}.
 *
 * @example
 * ```ts
 * import type { ErrorValue } from 'actioncenter';
 * const e: ErrorValue = { code: 'notFound', message: 'No action "a9"' };
 * ```
 */
export interface ErrorValue {
  /** What went wrong, as a code to match on. */
  readonly code: string;
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
}

/**
 * Turns zod issues into {@link InputIssue}s, keeping path and code and dropping zod internals.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { toInputIssues } from 'actioncenter/adapter-kit';
 * const r = z.object({ a: z.string() }).safeParse({});
 * if (!r.success) toInputIssues(r.error.issues); // [{ path: ['a'], code: 'invalid_type', ... }]
 * ```
 */
export function toInputIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): InputIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    // "Invalid input" says nothing about a union (a time filter: a period or a range): report the
    // issues of the alternative the input got furthest into, e.g. `time.timeZone: must be an IANA...`.
    const closest = issue.code === 'invalid_union' ? closestAlternative(issue.errors) : null;
    if (closest !== null) return toInputIssues(closest, path);
    return [
      { path: path.map((p) => (typeof p === 'symbol' ? String(p) : p)), code: issue.code, message: issue.message },
    ];
  });
}

/** The failed union alternative whose first issue lies deepest (ties: fewer issues); null if none. */
function closestAlternative(
  alternatives: readonly (readonly z.core.$ZodIssue[])[],
): readonly z.core.$ZodIssue[] | null {
  let best: readonly z.core.$ZodIssue[] | null = null;
  let bestDepth = 0;
  for (const issues of alternatives) {
    const depth = issues[0]?.path.length ?? 0;
    if (
      issues.length > 0 &&
      (depth > bestDepth || (depth === bestDepth && best !== null && issues.length < best.length))
    ) {
      best = issues;
      bestDepth = depth;
    }
  }
  return best;
}

/**
 * Builds an {@link InvalidInputError} from zod issues, with a message that names the first paths.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { invalidInput } from 'actioncenter/adapter-kit';
 * const r = z.string().safeParse(1);
 * if (!r.success) invalidInput('comment', r.error.issues).message;
 * ```
 */
export function invalidInput(what: string, issues: readonly z.core.$ZodIssue[]): InvalidInputError {
  const converted = toInputIssues(issues);
  return { code: 'invalidInput', message: `Invalid ${what}: ${describeIssues(converted)}`, issues: converted };
}

/**
 * A short human summary of issues: `path: message; path: message`.
 *
 * @example
 * ```ts
 * import { describeIssues } from 'actioncenter/adapter-kit';
 * describeIssues([{ path: ['a', 0], code: 'x', message: 'Required' }]); // 'a.0: Required'
 * ```
 */
export function describeIssues(issues: readonly InputIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
