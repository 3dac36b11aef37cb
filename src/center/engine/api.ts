/**
 * The Action center's interface and its operations' inputs. Inputs are typed for the compiler
 * (the catalogue's action type ids and parameters, principals, queries, columns) and validated at
 * run time all the same: a caller that is not type-checked gets `invalidInput`, never a throw.
 *
 * @module
 */
import type { ActionRecord, AuditEvent } from '../../catalog/records.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { CatalogRequestInput } from '../../catalog/request-input.js';
import type { PrincipalInput as PrincipalSchemaInput } from '../../rules/principals.js';
import type { AuditTrailVerification } from '../../rules/audit-chain.js';
import type {
  ActionPage,
  ActionQueryInput as QuerySchemaInput,
  InvestigationPage,
  InvestigationQueryInput as InvestigationQuerySchemaInput,
} from '../../rules/query.js';
import type { Result } from '../../result.js';
import type { ColumnId } from '../columns.js';
import type { CsvExport } from '../csv.js';
import type {
  BulkResult,
  CommittedChange,
  DecisionError,
  ExpireError,
  GetError,
  ReadError,
  RunError,
  RunReport,
  SubmitError,
  SubmitResult,
} from './results.js';
import type { ResumeError, ResumeInput, ResumeResult } from './resume.js';
import type { ReportError, ReportInput, ReportResult } from './report.js';
import type { AddNoteError, SetRevertError } from './notes.js';
import type { BulkProgress } from './progress.js';

/** A schema's input type, with its arrays and objects read-only: callers may pass `as const` data. */
type ReadonlyInput<T> = T extends readonly (infer U)[]
  ? readonly ReadonlyInput<U>[]
  : T extends object
    ? { readonly [K in keyof T]: ReadonlyInput<T[K]> }
    : T;

type PrincipalInput = ReadonlyInput<PrincipalSchemaInput>;
type ActionQueryInput = ReadonlyInput<QuerySchemaInput>;
type InvestigationQueryInput = ReadonlyInput<InvestigationQuerySchemaInput>;

/**
 * The Action center: submit, decide, undo, run, expire, list, audit, export, subscribe. Every
 * operation resolves to a `Result` with its own error union; none throws or rejects.
 *
 * @example
 * ```ts
 * import { createActionCenter } from 'actioncenter';
 * const center = createActionCenter();
 * const pending = await center.list({
 *   principal: { id: 'reader@contoso.com', assignments: [{ role: 'securityReader', assignedIn: 'entraId' }] },
 *   query: { filter: { view: 'pending' } },
 * });
 * ```
 */
export interface ActionCenter<C extends Catalog = Catalog> {
  /** The catalogue the center was built with. */
  readonly catalog: C;
  /** Validates and submits an action; the approval policy decides if it is taken now or pending. */
  submit(input: SubmitInput<C>): Promise<Result<SubmitResult, SubmitError>>;
  /** Approves pending actions of one type: one result per id, all changes in one commit. */
  approve(input: DecisionInput): Promise<Result<BulkResult, DecisionError>>;
  /** Rejects pending actions of one type: one result per id, all changes in one commit. */
  reject(input: DecisionInput): Promise<Result<BulkResult, DecisionError>>;
  /** Cancels pending or approved actions (running ones when their type allows it): one result per id. */
  cancel(input: DecisionInput): Promise<Result<BulkResult, DecisionError>>;
  /** Undoes succeeded actions through their counterparts; `applyToOtherInstances` adds the other instances of the file. */
  undo(input: UndoInput): Promise<Result<BulkResult, DecisionError>>;
  /**
   * Retries failed or timed-out actions by hand (issue 16): each gets a new action, approved by the
   * retrier (same type, target, parameters, source, investigation; `retryOf` the original,
   * `retryCount` + 1), created in the same commit as the original's `retried` audit event (status
   * unchanged, `retriedBy` the new id). Permission `approve` on the type; per item `alreadyRetried`,
   * `retryLimitReached` (the type's `maxRetries`, default 3), `conflictingAction` or
   * `duplicateOpenAction` (the new attempt claims the open key). One result per id (the original).
   */
  retry(input: DecisionInput): Promise<Result<BulkResult, DecisionError>>;
  /**
   * Adds a note to one action, in any state, its status unchanged (issue 16): audited (`addNote`,
   * the text as its comment), counted (`noteCount`) and kept as `lastNote`. Permission `addNote`;
   * `notFound` outside the principal's read scope. Answers the action after the note.
   */
  addNote(input: AddNoteInput): Promise<Result<ActionRecord, AddNoteError>>;
  /**
   * Sets or clears the automatic revert of a time-limited action (issue 16): on a succeeded one,
   * when the center requests its undo (`revertAt`, in the future, or null); on an open one, how
   * long after its success (`revertAfterMs`, or null). Audited (`setRevert`, details `{ field,
   * from, to }`), the status unchanged. Permission `undo` on the type.
   */
  setRevert(input: SetRevertInput): Promise<Result<ActionRecord, SetRevertError>>;
  /** Expires stale pending actions, times out overdue running ones, then executes approved actions. */
  run(input?: RunInput): Promise<Result<RunReport, RunError>>;
  /**
   * Takes one action forward for a worker (at least once delivery: the same id may come again):
   * starts and executes it when approved, executes it again when it is running with no executor
   * in this process (its worker died), changes nothing otherwise. Records exactly once.
   */
  resume(input: ResumeInput): Promise<Result<ResumeResult, ResumeError>>;
  /**
   * Records what the remote system reports for dispatched work (the executor answered `accepted`):
   * a system entry point, from any process. Idempotent (the same report twice: `duplicate`), safe
   * for late reports (kept in the audit as `reportDiscarded`, the state unchanged).
   */
  report(input: ReportInput): Promise<Result<ReportResult, ReportError>>;
  /** Expires pending actions past their expiry; answers how many. */
  expire(): Promise<Result<number, ExpireError>>;
  /** One page of a view (Pending, History, ...) that the principal may see (its read scope: items and total), filtered, sorted and paged. */
  list(input: ListInput): Promise<Result<ActionPage, ReadError>>;
  /**
   * The grouped view (seed 003: the Pending and History tabs list investigations): the actions the
   * principal may see that match the query's filter, grouped by investigation, counted by status
   * and type, sorted and paged. Same permission as `list` (`view`).
   */
  listInvestigations(input: ListInvestigationsInput): Promise<Result<InvestigationPage, ReadError>>;
  /** One investigation's details: a page of its actions the principal may see (the list's query, narrowed to it). */
  investigation(input: InvestigationInput): Promise<Result<ActionPage, ReadError>>;
  /** One action by id, if the principal may view it (`notFound` for an unknown id, and for one outside its read scope). */
  get(input: GetInput): Promise<Result<ActionRecord, GetError>>;
  /** An action's audit events in sequence order, if the principal may view it (`notFound` as for `get`). */
  auditTrail(input: GetInput): Promise<Result<readonly AuditEvent[], GetError>>;
  /**
   * Checks an action's audit trail for tampering (issue 16): its hash chain, event by event, and
   * the record's audit head. The first broken link, or how many events are chained (and, stored
   * before the chain existed, unchained). Same permission and scope as `get` (`view`).
   */
  verifyAuditTrail(input: GetInput): Promise<Result<AuditTrailVerification, GetError>>;
  /** Streams the filtered view as CSV chunks (RFC 4180, formula cells neutralised): only rows in the principal's read scope (`export`). */
  exportCsv(input: ExportInput): Promise<Result<CsvExport, ReadError>>;
  /** Hears every committed change; returns the function that stops listening. */
  subscribe(listener: (change: CommittedChange) => void): () => void;
}

/**
 * Input of {@link ActionCenter.submit}: the request, and the principal when a person submits. The
 * request is typed by the center's catalogue: action type ids, targets and parameters per type.
 *
 * @example
 * ```ts
 * import type { SubmitInput } from 'actioncenter';
 * const input: SubmitInput = { request: {
 *   actionType: 'blockUrl', target: { kind: 'url', url: 'https://evil.example/' }, parameters: { url: 'https://evil.example/' },
 *   source: 'automatedEmailAction', requestedBy: { type: 'system', component: 'automatedInvestigation' } } };
 * ```
 */
export interface SubmitInput<C extends Catalog = Catalog> {
  /** The action request: type, target, parameters, source, requester (validated here). */
  readonly request: CatalogRequestInput<C>;
  /** Required when `request.requestedBy` is a principal: the same principal with its roles. */
  readonly principal?: PrincipalInput;
}

/**
 * Input of approve, reject, cancel and retry (and, with more, of undo).
 *
 * @example
 * ```ts
 * import type { DecisionInput } from 'actioncenter';
 * const input: DecisionInput = { principal: { id: 'soc@contoso.com', assignments: [] }, ids: ['act-1'], comment: 'ok' };
 * ```
 */
export interface DecisionInput {
  /** Who decides: a principal with its role assignments (validated here). */
  readonly principal: PrincipalInput;
  /** The action ids: 1 to `maxSelection` of them, each once. */
  readonly ids: readonly string[];
  /** Why, recorded on each action and its audit event (optional). */
  readonly comment?: string | null;
  /**
   * Progress of a long bulk operation (issue 17): called with `reading`, then `checking` (about
   * every 1% of the items, at most 250 apart, `done` = items checked so far), `committing` and
   * `done`; `done` never decreases and ends at `total`. Called synchronously inside the operation:
   * keep it quick. A listener that throws (or returns a rejected promise) is isolated: the error is
   * caught and ignored, and the operation goes on. Not a function: `invalidInput`.
   *
   * @example
   * ```ts
   * import type { DecisionInput } from 'actioncenter';
   * const input: DecisionInput = {
   *   principal: { id: 'soc@contoso.com', assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }] },
   *   ids: ['act-1', 'act-2'],
   *   onProgress: (p) => console.log(`${p.operation} ${p.phase} ${p.done}/${p.total}`),
   * };
   * ```
   */
  readonly onProgress?: (progress: BulkProgress) => void;
  /**
   * Aborts the operation (issue 17). Read at the start, between chunks of the reading, after every
   * chunk of the checking and right before the commit: aborted by then, the operation answers
   * `{ code: 'aborted', operation, phase, message }` and changes nothing. Once the commit starts it
   * completes (it is atomic), and the result is the usual one. Any AbortSignal (duck-typed: a
   * boolean `aborted` and `addEventListener`); anything else, or one that cannot be read, is
   * `invalidInput` (one that becomes unreadable later counts as aborted: when in doubt, no change).
   *
   * @example
   * ```ts
   * import type { DecisionInput } from 'actioncenter';
   * const controller = new AbortController();
   * const input: DecisionInput = { principal: { id: 'soc@contoso.com', assignments: [] }, ids: ['act-1'], signal: controller.signal };
   * controller.abort(); // the approve answers { ok: false, error: { code: 'aborted', ... } } unless its commit had started
   * ```
   */
  readonly signal?: AbortSignal;
}

/**
 * Input of undo.
 *
 * @example
 * ```ts
 * import type { UndoInput } from 'actioncenter';
 * const input: UndoInput = { principal: { id: 'soc@contoso.com', assignments: [] }, ids: ['act-1'], applyToOtherInstances: true };
 * ```
 */
export interface UndoInput extends DecisionInput {
  /** Also undo the other undoable quarantines of the same file on other devices (seed 001). Default `false`. */
  readonly applyToOtherInstances?: boolean;
}

/**
 * Input of {@link ActionCenter.addNote}.
 *
 * @example
 * ```ts
 * import type { AddNoteInput } from 'actioncenter/adapter-kit';
 * const input: AddNoteInput = { principal: { id: 'soc@contoso.com', assignments: [] }, id: 'act-1', text: 'Called the owner' };
 * ```
 */
export interface AddNoteInput {
  /** Who adds it: needs the `addNote` permission on the action's type, and the action in its read scope. */
  readonly principal: PrincipalInput;
  /** The action's id. */
  readonly id: string;
  /** The note: 1 to 2,000 characters, not blank, no control characters but tab and line breaks. */
  readonly text: string;
}

/**
 * Input of {@link ActionCenter.setRevert}: exactly one of `revertAt` (a succeeded action) and
 * `revertAfterMs` (an open one).
 *
 * @example
 * ```ts
 * import type { SetRevertInput } from 'actioncenter/adapter-kit';
 * const extend: SetRevertInput = { principal: { id: 'soc@contoso.com', assignments: [] }, id: 'act-1', revertAt: Date.UTC(2026, 0, 2) };
 * ```
 */
export interface SetRevertInput {
  /** Who changes it: needs the `undo` permission on the action's type, and the action in its read scope. */
  readonly principal: PrincipalInput;
  /** The action's id. */
  readonly id: string;
  /** Succeeded action: when its undo is requested (after the center's clock), or null to cancel the revert. */
  readonly revertAt?: number | null;
  /** Open action: how long after its success its undo is requested (1 minute to 366 days), or null. */
  readonly revertAfterMs?: number | null;
  /** Why (optional, unless the approval policy requires a justification for `setRevert`). */
  readonly comment?: string | null;
}

/**
 * Input of run: optionally only some approved actions.
 *
 * @example
 * ```ts
 * import type { RunInput } from 'actioncenter';
 * const input: RunInput = { ids: ['act-1'] };
 * ```
 */
export interface RunInput {
  /** Only start these approved actions. Default: every approved action. */
  readonly ids?: readonly string[];
}

/**
 * Input of list.
 *
 * @example
 * ```ts
 * import type { ListInput } from 'actioncenter';
 * const input: ListInput = { principal: { id: 'r', assignments: [] }, query: { filter: { view: 'history' } } };
 * ```
 */
export interface ListInput {
  /** Who reads: needs the `view` permission. */
  readonly principal: PrincipalInput;
  /** The view, filters, sort, period and page. Default: the first page of all actions. */
  readonly query?: ActionQueryInput;
}

/**
 * Input of {@link ActionCenter.listInvestigations}.
 *
 * @example
 * ```ts
 * import type { ListInvestigationsInput } from 'actioncenter';
 * const input: ListInvestigationsInput = { principal: { id: 'r', assignments: [] }, query: { filter: { view: 'pending' }, sort: { column: 'count', direction: 'desc' } } };
 * ```
 */
export interface ListInvestigationsInput {
  /** Who reads: needs the `view` permission. */
  readonly principal: PrincipalInput;
  /** Filters (as the list's), the groups' sort and page. Default: the first page of all investigations, latest activity first. */
  readonly query?: InvestigationQueryInput;
}

/**
 * Input of {@link ActionCenter.investigation}.
 *
 * @example
 * ```ts
 * import type { InvestigationInput } from 'actioncenter';
 * const input: InvestigationInput = { principal: { id: 'r', assignments: [] }, investigationId: 'inv-42', query: { filter: { view: 'pending' } } };
 * ```
 */
export interface InvestigationInput {
  /** Who reads: needs the `view` permission. */
  readonly principal: PrincipalInput;
  /** The investigation whose actions to list. */
  readonly investigationId: string;
  /** The list's query (filters, sort, page); its investigation filter is replaced by this investigation. */
  readonly query?: ActionQueryInput;
}

/**
 * Input of {@link ActionCenter.get} and {@link ActionCenter.auditTrail}.
 *
 * @example
 * ```ts
 * import type { GetInput } from 'actioncenter';
 * const input: GetInput = { principal: { id: 'r', assignments: [] }, id: 'act-1' };
 * ```
 */
export interface GetInput {
  /** Who reads: needs the `view` permission, and the action in its read scope. */
  readonly principal: PrincipalInput;
  /** The action's id. */
  readonly id: string;
}

/**
 * Input of exportCsv: the filter and sort of a query (paging is ignored: everything is exported)
 * and the columns by id.
 *
 * @example
 * ```ts
 * import type { ExportInput } from 'actioncenter';
 * const input: ExportInput = { principal: { id: 'r', assignments: [] }, query: { filter: { view: 'history' } }, columns: ['id', 'actionType'] };
 * ```
 */
export interface ExportInput extends ListInput {
  /** The column ids, in order. Default: `DEFAULT_COLUMNS`. */
  readonly columns?: readonly ColumnId[];
  /**
   * Stops the export (issue 17): once aborted, no more chunks come, the repository's paging is
   * released, and `completion` answers `{ code: 'aborted', operation: 'exportCsv', phase: 'reading' }`
   * (the chunks handed on so far are a valid, truncated CSV). Not an AbortSignal: `invalidInput`.
   *
   * @example
   * ```ts
   * import type { ExportInput } from 'actioncenter';
   * const controller = new AbortController();
   * const input: ExportInput = { principal: { id: 'r', assignments: [] }, signal: controller.signal };
   * // later, when the download is cancelled: controller.abort();
   * ```
   */
  readonly signal?: AbortSignal;
}
