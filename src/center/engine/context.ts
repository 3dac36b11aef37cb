/**
 * The engine's context: the components a center was built with, checked once, and the small
 * helpers every operation uses to talk to them (guarded store calls, paged reads, audit events).
 *
 * @module
 */
import * as z from 'zod';
import type { ActionTypeDefinition } from '../../catalog/action-type.js';
import type { Catalog } from '../../catalog/catalog.js';
import { isIdText, type ActionId } from '../../catalog/ids.js';
import type { ActionRecord, Actor, AuditEvent } from '../../catalog/records.js';
import type { SourcePolicy } from '../../catalog/sources.js';
import type { InternalError, InvalidInputError, UnknownActionTypeError } from '../../errors.js';
import { describeThrown, err, ok, unreadableInput, ActionCenterException, type Result } from '../../result.js';
import type { ApprovalPolicy } from '../../rules/approval.js';
import { auditEventHash } from '../../rules/audit-chain.js';
import type { AuditDraft } from '../../rules/lifecycle.js';
import type { AccessPolicy } from '../../rules/principals.js';
import type { ResolvedQuery, SortLabels } from '../../rules/query.js';
import type {
  ActionExecutor,
  ActionRepository,
  Clock,
  CorruptRecordError,
  IdGenerator,
  RepositoryError,
} from '../ports.js';
import type { CommittedChange } from './results.js';

/** What a second open action of the same type on the same target does (see `DuplicatePolicy`). */
export type Duplicates = 'refuse' | 'join' | 'allow';

/** Everything an operation needs: the checked components and the center's own state. */
export interface EngineContext {
  readonly catalog: Catalog;
  readonly repository: ActionRepository;
  readonly executor: ActionExecutor;
  readonly clock: Clock;
  /** The id generator, checked: a bad id stops the operation before any write. */
  readonly idGenerator: IdGenerator;
  readonly accessPolicy: AccessPolicy;
  readonly approvalPolicy: ApprovalPolicy;
  readonly duplicates: Duplicates;
  readonly maxSelection: number;
  readonly concurrency: number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly systemComponents: ReadonlySet<string>;
  readonly sourcePolicy: SourcePolicy;
  /** Subscribers of committed changes. */
  readonly listeners: Set<(change: CommittedChange) => void>;
  /** Executions in progress in this process, by action id: aborted by the `abort` effect. */
  readonly running: Map<string, AbortController>;
  /** Approved actions queued for `run` by the `run` effect, in the order they were approved. */
  readonly runQueue: Set<string>;
  /** Action ids of a selection: 1 to `maxSelection`, each once. */
  readonly idsSchema: z.ZodType<ActionId[]>;
  /** The labels views show, so that a sort follows them (seed 002); computed on first use. */
  labels(): SortLabels;
}

/** The engine acts under these names itself; no request may claim them. */
export const EXECUTOR: Actor = Object.freeze({ type: 'system', component: 'executor' });
export const EXPIRY: Actor = Object.freeze({ type: 'system', component: 'expiry' });

/** How many actions the engine reads per page when it sweeps. */
export const PAGE = 1000;

/** Thrown inside the center when a component it was given answers garbage; the guard reports it. */
export class ComponentFailure extends Error {
  constructor(
    readonly component: string,
    message: string,
  ) {
    super(message);
  }
}

/** The id generator, checked: an id that is not an id string stops the operation before any write. */
export function checkedIds(generator: IdGenerator): IdGenerator {
  return {
    next(kind) {
      let id: unknown;
      try {
        id = generator.next(kind);
      } catch (cause) {
        throw new ComponentFailure('idGenerator', `The id generator threw: ${describeThrown(cause)}`);
      }
      if (!isIdText(id)) {
        const shown =
          typeof id === 'string' ? JSON.stringify(id.slice(0, 100)) : `a ${id === null ? 'null' : typeof id}`;
        throw new ComponentFailure('idGenerator', `The id generator returned ${shown} for a ${kind} id, not an id`);
      }
      return id;
    },
  };
}

/**
 * Reads the named fields of an operation's input once, inside a guard: the copy holds plain data
 * properties, so a getter or Proxy cannot throw (or answer differently) later. Fields left out or
 * `undefined` are absent from the copy.
 */
export function readFields<K extends string>(
  input: unknown,
  keys: readonly K[],
  what: string,
): Result<{ [P in K]?: unknown }, InvalidInputError> {
  try {
    if (typeof input !== 'object' || input === null) {
      return err({
        code: 'invalidInput',
        message: `Invalid ${what}: (root): expected an object`,
        issues: [{ path: [], code: 'invalid_type', message: 'expected an object' }],
      });
    }
    const copy: { [P in K]?: unknown } = {};
    for (const key of keys) {
      const value: unknown = (input as Record<string, unknown>)[key];
      if (value !== undefined) copy[key] = value;
    }
    return ok(copy);
  } catch (cause) {
    return err(unreadableInput(what, cause));
  }
}

/**
 * Runs an operation so that it always resolves to a Result: whatever escapes (a component that
 * answered garbage, a store error thrown out of a paged read, a bug) becomes a typed error. Every
 * operation's error union holds `internalError` and the store's errors.
 */
export function guarded<A extends unknown[], T, E extends { readonly code: string }>(
  operation: string,
  fn: (...args: A) => Promise<Result<T, E>>,
): (...args: A) => Promise<Result<T, E>> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (cause) {
      return err(failureOf(operation, cause) as unknown as E);
    }
  };
}

function failureOf(operation: string, cause: unknown): InternalError | RepositoryError {
  try {
    if (cause instanceof ComponentFailure) {
      return { code: 'internalError', message: cause.message, operation, component: cause.component };
    }
    // A store failure thrown out of a paged read: the store's own typed error.
    if (cause instanceof ActionCenterException) return cause.error as RepositoryError;
  } catch {
    // `instanceof` on a thrown revoked Proxy throws: described below like any other value.
  }
  return {
    code: 'internalError',
    message: `${operation} failed unexpectedly: ${describeThrown(cause)}`,
    operation,
    component: 'unexpected',
  };
}

/** A store call whose throw (an adapter's bug, a dropped connection) becomes `repositoryUnavailable`. */
export async function safely<T, E = RepositoryError>(
  call: () => Promise<Result<T, E>>,
): Promise<Result<T, E | RepositoryError>> {
  try {
    return await call();
  } catch (cause) {
    return err({ code: 'repositoryUnavailable', message: cause instanceof Error ? cause.message : String(cause) });
  }
}

/** The action's type from the catalogue, or `unknownActionType`. */
export function typeOf(ctx: EngineContext, action: ActionRecord): Result<ActionTypeDefinition, UnknownActionTypeError> {
  return ctx.catalog.get(action.actionType);
}

/**
 * The audit event of a step: the draft with a new id, the action's id, and the sequence of the
 * action's trail (its version after the change: one event per version), chained to the action's
 * audit head (`action` is the record after the step, not frozen yet, its `auditHead` still the
 * previous event's hash): the head then moves to the new event's hash.
 */
export function auditOf(ctx: EngineContext, action: ActionRecord, draft: AuditDraft): AuditEvent {
  // Every field written out rather than spread: V8 copies a spread with a number field on a slow
  // path (out-of-line fields), a cost a bulk operation pays per action (bench/: bulk approve).
  const event: AuditEvent = {
    id: ctx.idGenerator.next('auditEvent') as AuditEvent['id'],
    actionId: action.id,
    sequence: action.version,
    type: draft.type,
    at: draft.at,
    actor: draft.actor,
    from: draft.from,
    to: draft.to,
    comment: draft.comment,
    details: draft.details,
    hash: null,
    previousHash: action.auditHead,
  };
  chainInPlace(event, action);
  return event;
}

/**
 * Chains a step's fresh audit event (its `previousHash` already the record's head) and moves the
 * record's head to it: both objects are the step's own, not frozen yet (the engine freezes them
 * once chained). Every audit event the engine commits passes here.
 */
export function chainInPlace(event: AuditEvent, next: ActionRecord): void {
  const hash = auditEventHash(event);
  event.hash = hash;
  next.auditHead = hash;
}

/**
 * Every action of the query, a page at a time (one await per page, not per action: the export
 * formats a whole page synchronously); unreadable ones the store skipped go to `skipped`. A store
 * failure is thrown as an {@link ActionCenterException} carrying the store's error.
 */
export async function* pagesOf(
  ctx: EngineContext,
  query: ResolvedQuery,
  skipped: CorruptRecordError[] = [],
): AsyncGenerator<readonly ActionRecord[], void, undefined> {
  let cursor: string | null = null;
  for (;;) {
    const page = await safely(() => ctx.repository.query({ ...query, page: { size: PAGE, cursor, index: 0 } }));
    if (!page.ok) throw new ActionCenterException(page.error);
    for (const s of page.value.skipped ?? []) skipped.push(s);
    if (page.value.items.length > 0) yield page.value.items;
    // A cursor that does not move would page for ever (a broken store): stop.
    if (page.value.nextCursor === null || page.value.nextCursor === cursor) return;
    cursor = page.value.nextCursor;
  }
}

/** Every action of the query, one by one (see {@link pagesOf}). */
export async function* pageAll(
  ctx: EngineContext,
  query: ResolvedQuery,
  skipped: CorruptRecordError[] = [],
): AsyncGenerator<ActionRecord, void, undefined> {
  for await (const page of pagesOf(ctx, query, skipped)) yield* page;
}

/** Every action of the query in one array, or the store's error. */
export async function collect(
  ctx: EngineContext,
  query: ResolvedQuery,
  skipped: CorruptRecordError[] = [],
): Promise<Result<ActionRecord[], RepositoryError>> {
  const all: ActionRecord[] = [];
  try {
    for await (const a of pageAll(ctx, query, skipped)) all.push(a);
  } catch (e) {
    if (e instanceof ActionCenterException) return err(e.error as RepositoryError);
    throw e;
  }
  return ok(all);
}

/** A query for the engine's sweeps: actions in these statuses (and more filters), oldest first. */
export function statusQuery(
  statuses: ResolvedQuery['filter']['statuses'],
  extra: Partial<ResolvedQuery['filter']> = {},
): ResolvedQuery {
  return {
    filter: {
      statuses,
      ids: null,
      actionTypes: null,
      sources: null,
      workloads: null,
      assets: null,
      decidedBy: null,
      investigationIds: null,
      approvalIds: null,
      createdFrom: null,
      createdTo: null,
      ...extra,
    },
    sort: { column: 'createdAt', direction: 'asc' },
    page: { size: PAGE, cursor: null, index: 0 },
  };
}
