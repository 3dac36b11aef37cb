/**
 * The Action center engine: wires the catalogue, the rules and the ports, and offers the
 * operations. It asks the rules what to do, then does it through the ports; every state change is
 * committed together with its audit event, under optimistic concurrency.
 *
 * @module
 */
import { z } from 'zod';
import type { ActionTypeDefinition } from '../catalog/action-type.js';
import { builtInCatalog } from '../catalog/builtins.js';
import type { Catalog } from '../catalog/catalog.js';
import { ActionIdSchema, InvestigationIdSchema, type ActionId } from '../catalog/ids.js';
import type { ActionRecord, ActionRequest, Actor, AuditEvent, Failure } from '../catalog/records.js';
import {
  ACTION_SOURCES,
  ActionSourceIdSchema,
  DEFAULT_SOURCE_POLICY,
  sourceTakes,
  type SourcePolicy,
} from '../catalog/sources.js';
import { deviceOf, type Target } from '../catalog/targets.js';
import { CommentSchema } from '../catalog/text.js';
import { describeIssues, invalidInput, type InternalError, type InvalidInputError } from '../errors.js';
import {
  describeThrown,
  err,
  ok,
  safeParseInput,
  unreadableInput,
  ActionCenterFailure,
  type Result,
} from '../result.js';
import { askPolicy, askReadScope, defaultAccessPolicy } from '../rules/access.js';
import {
  createApprovalPolicy,
  decideApproval,
  type ApprovalPolicy,
  type ApprovalPolicyConfig,
} from '../rules/approval.js';
import {
  createActionRecord,
  createUndoCounterpart,
  transition,
  undoResultOfCounterpart,
  type LifecycleEvent,
} from '../rules/lifecycle.js';
import {
  PrincipalSchema,
  type AccessDecision,
  type AccessPolicy,
  type Operation,
  type Principal,
} from '../rules/principals.js';
import {
  inScope,
  pageInvestigations,
  resolveInvestigationQuery,
  resolveQuery,
  scopeFilterOf,
  summarizeInvestigations,
  type ActionPage,
  type InvestigationPage,
  type ResolvedQuery,
  type ScopeFilter,
  type SortLabels,
} from '../rules/query.js';
import { checkSelectionWhole, otherInstancesOfFile } from '../rules/selection.js';
import { undoEligibility, type UndoIneligibleReason } from '../rules/undo.js';
import { createMemoryRepository } from '../adapters/memory/index.js';
import { readClock } from './clock-reading.js';
import { readExecutionError, readExecutionOutcome } from './executor-outcome.js';
import { DEFAULT_COLUMNS, selectColumns, sortLabels, type ActionColumn } from './columns.js';
import { OPEN_STATUSES } from './conflicts.js';
import { exportCsv, type CsvExport, type CsvExportError, type CsvExportReport } from './csv.js';
import { sha256Hex } from './sha256.js';
import type { ActionCenterError } from './errors.js';
import { noopExecutor, randomIdGenerator, systemClock } from './defaults.js';
import type {
  ActionWrite,
  ActionExecutor,
  ActionRepository,
  Clock,
  ConflictError,
  CorruptRecordError,
  IdGenerator,
  RepositoryError,
} from './ports.js';

/**
 * What the center does with a second open action of the same type on the same target: `refuse`
 * it with `duplicateOpenAction`, `join` it (return the open one), or `allow` it.
 *
 * @example
 * ```ts
 * import type { DuplicatePolicy } from 'actioncenter';
 * const p: DuplicatePolicy = 'join';
 * ```
 */
export type DuplicatePolicy = 'refuse' | 'join' | 'allow';

/**
 * Options of {@link createActionCenter}. Every one has a default: with none, the center runs on the
 * built-in catalogue, an in-memory repository, a no-op executor, the system clock and random ids.
 *
 * @example
 * ```ts
 * import { createActionCenter, manualClock, sequentialIdGenerator } from 'actioncenter';
 * const center = createActionCenter({ clock: manualClock(Date.UTC(2026, 0, 1)), ids: sequentialIdGenerator() });
 * ```
 */
export interface ActionCenterOptions {
  /** The action types it accepts. Default: the built-in catalogue. */
  readonly catalog?: Catalog;
  /** Where actions and audit events are stored. Default: a new in-memory repository. */
  readonly repository?: ActionRepository;
  /** What carries actions out. Default: `noopExecutor` (succeeds at once, does nothing). */
  readonly executor?: ActionExecutor;
  /** The time source. Default: the system clock; tests pass `manualClock(...)`. */
  readonly clock?: Clock;
  /** Where new ids come from. Default: random ids (`randomIdGenerator`); tests pass `sequentialIdGenerator()`. */
  readonly ids?: IdGenerator;
  /** Who may do what. Default: `defaultAccessPolicy` (four eyes on; see `createDefaultAccessPolicy`). */
  readonly accessPolicy?: AccessPolicy;
  /** An approval policy, or its configuration (automation levels, folders, pending expiry). */
  readonly approvalPolicy?: ApprovalPolicy | ApprovalPolicyConfig;
  /** Default `refuse`. */
  readonly duplicates?: DuplicatePolicy;
  /** The most actions one bulk operation takes. Default 10,000. */
  readonly maxSelection?: number;
  /** How many actions `run` executes at once. Default 4. */
  readonly concurrency?: number;
  /** Waits `ms` (real time) unless aborted; used for execution deadlines. Default `setTimeout`. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * The system components that may submit automated actions (`requestedBy: { type: 'system', component }`).
   * Names are 1 to 100 letters, digits, `.`, `-` or `_`; `executor` and `expiry` are the engine's own
   * and cannot be given. Default: {@link DEFAULT_SYSTEM_COMPONENTS}.
   */
  readonly systemComponents?: readonly string[];
  /**
   * Which action types each source takes. Default: {@link DEFAULT_SOURCE_POLICY} (seed 000's pairs).
   * A type the policy names anywhere is taken only by the sources that list it; a type it never
   * names (a custom type) by every source of its workload.
   */
  readonly sourcePolicy?: SourcePolicy;
}

/**
 * What happened to one item of an operation. Nothing is skipped silently: every id given gets one.
 *
 * @example
 * ```ts
 * import type { ItemResult } from 'actioncenter';
 * const line = (r: ItemResult) => `${r.actionId}: ${r.outcome}`;
 * ```
 */
export type ItemResult =
  | { readonly actionId: string; readonly outcome: 'succeeded'; readonly action: ActionRecord }
  | { readonly actionId: string; readonly outcome: 'denied'; readonly decision: AccessDecision }
  | { readonly actionId: string; readonly outcome: 'conflict'; readonly error: ConflictError }
  | { readonly actionId: string; readonly outcome: 'invalidState'; readonly error: ActionCenterError }
  | { readonly actionId: string; readonly outcome: 'notFound' }
  | { readonly actionId: string; readonly outcome: 'failed'; readonly error: RepositoryError };

/**
 * The result of a bulk operation: one {@link ItemResult} per action, in the order given.
 *
 * @example
 * ```ts
 * import type { BulkResult } from 'actioncenter';
 * const allDone = (r: BulkResult) => r.succeeded === r.items.length;
 * ```
 */
export interface BulkResult {
  /** One result per action, in the order the ids were given. */
  readonly items: readonly ItemResult[];
  /** How many items succeeded. */
  readonly succeeded: number;
  /** How many did not (denied, conflict, invalid state, not found, failed). */
  readonly failed: number;
}

/**
 * How a submitted action was taken: at once (`approved`, waiting for `run`), `pending` approval,
 * `joined` to an open duplicate, or `replayed` (same idempotency key as an earlier submit).
 *
 * @example
 * ```ts
 * import type { SubmitResult } from 'actioncenter';
 * const waiting = (r: SubmitResult) => r.disposition === 'pending';
 * ```
 */
export interface SubmitResult {
  /** The action as stored (for `joined` and `replayed`, the existing one). */
  readonly action: ActionRecord;
  /** How it was taken: `takenNow` (approved, waiting for `run`), `pending`, `joined` to an open duplicate, or `replayed`. */
  readonly disposition: 'takenNow' | 'pending' | 'joined' | 'replayed';
  /** The approval policy's rule that decided (absent for joined/replayed). */
  readonly rule: string | null;
}

/**
 * What one `run` did.
 *
 * @example
 * ```ts
 * import type { RunReport } from 'actioncenter';
 * const summary = (r: RunReport) => `${r.succeeded} ok, ${r.failed} failed, ${r.timedOut} timed out`;
 * ```
 */
export interface RunReport {
  /** Pending actions expired by this tick. */
  readonly expired: number;
  /** Approved actions started. */
  readonly started: number;
  /** Actions that ended `succeeded` in this tick. */
  readonly succeeded: number;
  /** Actions that ended `failed` (including executors that threw or did not support the type). */
  readonly failed: number;
  /** Actions that ended `timedOut`: their deadline passed. */
  readonly timedOut: number;
  /** Outcomes that arrived for actions no longer running (cancelled meanwhile): dropped. */
  readonly discarded: number;
  /**
   * Stored actions the sweeps could not read (rows edited by hand, or written by a buggy version):
   * skipped, each named, while every other action was expired, timed out or executed as usual.
   */
  readonly corrupt: readonly CorruptRecordError[];
}

/**
 * What subscribers hear after every committed change.
 *
 * @example
 * ```ts
 * import type { CommittedChange } from 'actioncenter';
 * const log = (c: CommittedChange) => c.events.map((e) => `${e.actionId} ${e.from}->${e.to}`);
 * ```
 */
export interface CommittedChange {
  /** The records as committed, one per changed action. */
  readonly actions: readonly ActionRecord[];
  /** The audit events committed with them. */
  readonly events: readonly AuditEvent[];
}

/**
 * Errors of the center's operations.
 *
 * @example
 * ```ts
 * import type { CenterError } from 'actioncenter';
 * const retry = (e: CenterError) => e.code === 'conflict' || e.code === 'repositoryUnavailable';
 * ```
 */
export type CenterError = ActionCenterError;

/**
 * The Action center: submit, decide, undo, run, expire, list, audit, export, subscribe.
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
export interface ActionCenter {
  /** The catalogue the center was built with. */
  readonly catalog: Catalog;
  /** Validates and submits an action; the approval policy decides if it is taken now or pending. */
  submit(input: SubmitInput): Promise<Result<SubmitResult, CenterError>>;
  /** Approves one pending action or a selection of the same type: one result per id, all changes in one commit. */
  approve(input: DecisionInput): Promise<Result<BulkResult, CenterError>>;
  /** Rejects one pending action or a selection of the same type: one result per id, all changes in one commit. */
  reject(input: DecisionInput): Promise<Result<BulkResult, CenterError>>;
  /** Cancels pending or approved actions (running ones when their type allows it): one result per id. */
  cancel(input: DecisionInput): Promise<Result<BulkResult, CenterError>>;
  /** Undoes succeeded actions through their counterparts; `applyToOtherInstances` adds the other instances of the file. */
  undo(input: UndoInput): Promise<Result<BulkResult, CenterError>>;
  /** Expires stale pending actions, times out overdue running ones, then executes approved actions. */
  run(input?: RunInput): Promise<Result<RunReport, CenterError>>;
  /** Expires pending actions past their expiry. */
  expire(): Promise<Result<number, CenterError>>;
  /** One page of a view (Pending, History, ...) that the principal may see (its read scope: items and total), filtered, sorted and paged. */
  list(input: ListInput): Promise<Result<ActionPage, CenterError>>;
  /**
   * The grouped view (seed 003: the Pending and History tabs list investigations): the actions the
   * principal may see that match the query's filter, grouped by investigation, counted by status
   * and type, sorted and paged. Same permission as `list` (`view`).
   */
  listInvestigations(input: ListInvestigationsInput): Promise<Result<InvestigationPage, CenterError>>;
  /** One investigation's details: a page of its actions the principal may see (the list's query, narrowed to it). */
  investigation(input: InvestigationInput): Promise<Result<ActionPage, CenterError>>;
  /** One action by id, if the principal may view it (`notFound` for an unknown id, and for one outside its read scope). */
  get(input: { readonly principal: unknown; readonly id: unknown }): Promise<Result<ActionRecord, CenterError>>;
  /** An action's audit events in sequence order, if the principal may view it (`notFound` as for `get`). */
  auditTrail(input: {
    readonly principal: unknown;
    readonly id: unknown;
  }): Promise<Result<readonly AuditEvent[], CenterError>>;
  /** Streams the filtered view as CSV chunks (RFC 4180, formula cells neutralised): only rows in the principal's read scope (`export`). */
  exportCsv(input: ExportInput): Promise<Result<CsvExport, CenterError>>;
  /** Hears every committed change; returns the function that stops listening. */
  subscribe(listener: (change: CommittedChange) => void): () => void;
}

/**
 * Input of {@link ActionCenter.submit}: the request, and the principal when a person submits.
 *
 * @example
 * ```ts
 * import type { SubmitInput } from 'actioncenter';
 * const input: SubmitInput = { request: {
 *   actionType: 'blockUrl', target: { kind: 'url', url: 'https://evil.example/' }, parameters: { url: 'https://evil.example/' },
 *   source: 'automatedEmailAction', requestedBy: { type: 'system', component: 'automatedInvestigation' } } };
 * ```
 */
export interface SubmitInput {
  /** The action request: type, target, parameters, source, requester (validated here). */
  readonly request: unknown;
  /** Required when `request.requestedBy` is a principal: the same principal with its roles. */
  readonly principal?: unknown;
}

/**
 * Input of approve, reject and cancel.
 *
 * @example
 * ```ts
 * import type { DecisionInput } from 'actioncenter';
 * const input: DecisionInput = { principal: { id: 'soc@contoso.com', assignments: [] }, ids: ['act-1'], comment: 'ok' };
 * ```
 */
export interface DecisionInput {
  /** Who decides: a principal with its role assignments (validated here). */
  readonly principal: unknown;
  /** One action id or an array of them (at most `maxSelection`). */
  readonly ids: unknown;
  /** Why, recorded on each action and its audit event (optional). */
  readonly comment?: unknown;
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
  readonly applyToOtherInstances?: unknown;
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
  readonly ids?: unknown;
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
  readonly principal: unknown;
  /** The view, filters, sort, period and page (see `QueryInput`). Default: the first page of all actions. */
  readonly query?: unknown;
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
  readonly principal: unknown;
  /** Filters (as the list's), the groups' sort and page (see `InvestigationQueryInput`). Default: the first page of all investigations, latest activity first. */
  readonly query?: unknown;
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
  readonly principal: unknown;
  /** The investigation whose actions to list. */
  readonly investigationId: unknown;
  /** The list's query (filters, sort, page); its investigation filter is replaced by this investigation. */
  readonly query?: unknown;
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
  readonly columns?: unknown;
}

const EXECUTOR: Actor = { type: 'system', component: 'executor' };
const EXPIRY: Actor = { type: 'system', component: 'expiry' };
/** A system component's name: a closed alphabet, bounded (no control or invisible characters). */
const SYSTEM_COMPONENT_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
/** Names the engine acts under itself: no request may claim them. */
const RESERVED_COMPONENTS: ReadonlySet<string> = new Set([EXECUTOR.component, EXPIRY.component]);
/**
 * The system components a center accepts by default: those the library's own sources speak of
 * (automated investigation, antivirus protection).
 *
 * @example
 * ```ts
 * import { createActionCenter, DEFAULT_SYSTEM_COMPONENTS } from 'actioncenter';
 * const center = createActionCenter({ systemComponents: [...DEFAULT_SYSTEM_COMPONENTS, 'edrConnector'] });
 * ```
 */
export const DEFAULT_SYSTEM_COMPONENTS: readonly string[] = Object.freeze(['automatedInvestigation', 'antivirus']);
const PAGE = 1000;
const OPTION_KEYS = [
  'catalog',
  'repository',
  'executor',
  'clock',
  'ids',
  'accessPolicy',
  'approvalPolicy',
  'duplicates',
  'maxSelection',
  'concurrency',
  'sleep',
  'systemComponents',
  'sourcePolicy',
] as const satisfies readonly (keyof ActionCenterOptions)[];

/**
 * Reads the named fields of an operation's input once, inside a guard: the copy holds plain data
 * properties, so a getter or Proxy cannot throw (or answer differently) later. Fields left out or
 * `undefined` are absent from the copy.
 */
function readFields<K extends string>(
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

/** The functions each component must offer: a component without them is an invalid option. */
const COMPONENT_METHODS = {
  catalog: ['parseRequest', 'get', 'require'],
  repository: ['get', 'getMany', 'query', 'findOpen', 'findByIdempotencyKey', 'auditTrail', 'commit'],
  executor: ['supports', 'execute'],
  clock: ['now'],
  ids: ['next'],
  accessPolicy: ['authorize'],
} as const satisfies Partial<Record<keyof ActionCenterOptions, readonly string[]>>;

/** Checks, once at construction, that every component given offers its functions. */
function checkComponents(o: ActionCenterOptions): InvalidInputError | null {
  const issues: { path: (string | number)[]; code: string; message: string }[] = [];
  try {
    for (const [name, methods] of Object.entries(COMPONENT_METHODS)) {
      const component: unknown = o[name as keyof ActionCenterOptions];
      if (component === undefined) continue;
      if ((typeof component !== 'object' && typeof component !== 'function') || component === null) {
        issues.push({ path: [name], code: 'invalid_type', message: `expected an object with ${methods.join(', ')}` });
        continue;
      }
      for (const method of methods) {
        if (typeof (component as Record<string, unknown>)[method] !== 'function') {
          issues.push({ path: [name, method], code: 'invalid_type', message: 'expected a function' });
        }
      }
    }
    if (o.sleep !== undefined && typeof o.sleep !== 'function')
      issues.push({ path: ['sleep'], code: 'invalid_type', message: 'expected a function' });
  } catch (cause) {
    return unreadableInput('action center options', cause);
  }
  if (issues.length === 0) return null;
  return { code: 'invalidInput', message: `Invalid action center options: ${describeIssues(issues)}`, issues };
}

/** Thrown inside the center when a component it was given answers garbage; the guard reports it. */
class ComponentFailure extends Error {
  constructor(
    readonly component: string,
    message: string,
  ) {
    super(message);
  }
}

const GeneratedIdSchema = ActionIdSchema;

/** The id generator, checked: an id that is not an id string stops the operation before any write. */
function checkedIds(generator: IdGenerator): IdGenerator {
  return {
    next(kind) {
      let id: unknown;
      try {
        id = generator.next(kind);
      } catch (cause) {
        throw new ComponentFailure('idGenerator', `The id generator threw: ${describeThrown(cause)}`);
      }
      if (typeof id !== 'string' || !GeneratedIdSchema.safeParse(id).success) {
        const shown =
          typeof id === 'string' ? JSON.stringify(id.slice(0, 100)) : `a ${id === null ? 'null' : typeof id}`;
        throw new ComponentFailure('idGenerator', `The id generator returned ${shown} for a ${kind} id, not an id`);
      }
      return id;
    },
  };
}

/** Runs an operation so that it always resolves to a Result. */
function guarded<A extends unknown[], T>(
  operation: string,
  fn: (...args: A) => Promise<Result<T, CenterError>>,
): (...args: A) => Promise<Result<T, CenterError>> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (cause) {
      return err(failureOf(operation, cause));
    }
  };
}

function failureOf(operation: string, cause: unknown): CenterError {
  try {
    if (cause instanceof ComponentFailure)
      return { code: 'internalError', message: cause.message, operation, component: cause.component };
    if (cause instanceof ActionCenterFailure) return cause.error as CenterError;
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

const OptionsSchema = z.object({
  duplicates: z.enum(['refuse', 'join', 'allow']).default('refuse'),
  maxSelection: z.number().int().min(1).max(1_000_000).default(10_000),
  concurrency: z.number().int().min(1).max(256).default(4),
  systemComponents: z
    .array(
      z
        .string()
        .regex(SYSTEM_COMPONENT_PATTERN, 'a component name is 1 to 100 letters, digits, ".", "-" or "_"')
        .refine((c) => !RESERVED_COMPONENTS.has(c), 'a name the Action center keeps for itself'),
    )
    .max(1000)
    .default([...DEFAULT_SYSTEM_COMPONENTS]),
  sourcePolicy: z.partialRecord(ActionSourceIdSchema, z.array(z.string().min(1).max(100)).max(10_000)).optional(),
});

/**
 * Creates an Action center, or says why the options cannot make one: the `Result` form of
 * {@link createActionCenter}, for options that come from outside (configuration files, a plugin's
 * components). Never throws, whatever the options hold.
 *
 * @example
 * ```ts
 * import { safeCreateActionCenter } from 'actioncenter';
 * const made = safeCreateActionCenter({ maxSelection: -1 });
 * if (!made.ok) console.log(made.error.code); // 'invalidInput'
 * const center = safeCreateActionCenter();
 * console.log(center.ok); // true
 * ```
 */
export function safeCreateActionCenter(
  options: ActionCenterOptions = {},
): Result<ActionCenter, InvalidInputError | InternalError> {
  try {
    return ok(createActionCenter(options));
  } catch (cause) {
    if (cause instanceof ActionCenterFailure && cause.error.code === 'invalidInput') return err(cause.error);
    return err({
      code: 'internalError',
      message: `The Action center could not be created: ${describeThrown(cause)}`,
      operation: 'createActionCenter',
      component: 'unexpected',
    });
  }
}

/**
 * Creates an Action center. Throws {@link ActionCenterFailure} (with an `invalidInput` error) only
 * for invalid options — a programming error; every operation returns a `Result`. For options from
 * outside, {@link safeCreateActionCenter} answers with a `Result` instead.
 *
 * @example
 * ```ts
 * import { createActionCenter } from 'actioncenter';
 * const center = createActionCenter();
 * const r = await center.submit({ request: {
 *   actionType: 'quarantineFile',
 *   target: { kind: 'file', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations', path: 'C:\\Users\\a\\evil.exe', sha1: 'a'.repeat(40) },
 *   source: 'automatedDeviceAction', verdict: 'suspicious',
 *   requestedBy: { type: 'system', component: 'automatedInvestigation' },
 * } });
 * if (r.ok) console.log(r.value.disposition); // 'pending'
 * ```
 */
export function createActionCenter(givenOptions: ActionCenterOptions = {}): ActionCenter {
  // Options are read once, inside a guard: a Proxy or a getter that throws is an invalid option
  // (ActionCenterFailure), never a stray TypeError.
  const options = readFields(givenOptions ?? {}, OPTION_KEYS, 'action center options');
  if (!options.ok) throw new ActionCenterFailure(options.error);
  const o = options.value as ActionCenterOptions;
  const components = checkComponents(o);
  if (components !== null) throw new ActionCenterFailure(components);
  const parsedOptions = safeParseInput(
    OptionsSchema,
    {
      duplicates: o.duplicates,
      maxSelection: o.maxSelection,
      concurrency: o.concurrency,
      systemComponents: o.systemComponents,
      sourcePolicy: o.sourcePolicy,
    },
    'action center options',
  );
  if (!parsedOptions.ok) throw new ActionCenterFailure(parsedOptions.error);
  const { duplicates, maxSelection, concurrency } = parsedOptions.value;
  const systemComponents: ReadonlySet<string> = new Set(parsedOptions.value.systemComponents);
  const sourcePolicy: SourcePolicy = parsedOptions.value.sourcePolicy ?? DEFAULT_SOURCE_POLICY;
  // A built policy is also a valid configuration (same fields), so both go through validation.
  const createdPolicy = createApprovalPolicy(o.approvalPolicy ?? {});
  if (!createdPolicy.ok) throw new ActionCenterFailure(createdPolicy.error);
  const approvalPolicy = createdPolicy.value;
  const catalog: Catalog = o.catalog ?? builtInCatalog;
  const repository = o.repository ?? createMemoryRepository();
  const executor = o.executor ?? noopExecutor;
  const clock = o.clock ?? systemClock;
  const ids = checkedIds(o.ids ?? randomIdGenerator);
  const accessPolicy = o.accessPolicy ?? defaultAccessPolicy;
  const sleep = o.sleep ?? defaultSleep;
  const listeners = new Set<(change: CommittedChange) => void>();
  const running = new Map<string, AbortController>();

  const IdsSchema = z
    .array(ActionIdSchema)
    .min(1, 'select at least one action')
    .max(maxSelection, `select at most ${maxSelection} actions`)
    .refine((xs) => new Set(xs).size === xs.length, 'the same action is selected twice');
  const DecisionSchema = z.strictObject({
    principal: PrincipalSchema,
    ids: IdsSchema,
    comment: CommentSchema.nullable().default(null),
  });
  const UndoSchema = DecisionSchema.extend({ applyToOtherInstances: z.boolean().default(false) });

  // ---- repository access: adapters may throw; turn that into values -----------------------------
  async function safely<T>(call: () => Promise<Result<T, RepositoryError>>): Promise<Result<T, RepositoryError>> {
    try {
      return await call();
    } catch (cause) {
      return err({ code: 'repositoryUnavailable', message: cause instanceof Error ? cause.message : String(cause) });
    }
  }

  async function commit(
    writes: readonly ActionWrite[],
    events: readonly AuditEvent[],
    idempotencyKey: string | null = null,
  ) {
    const result = await safely(() =>
      repository.commit({
        writes,
        events,
        idempotencyKey:
          idempotencyKey === null ? null : { key: idempotencyKey, actionIds: writes.map((w) => w.action.id) },
      }),
    );
    if (result.ok) {
      const change: CommittedChange = { actions: writes.map((w) => w.action), events };
      for (const listener of listeners) {
        try {
          listener(change);
        } catch {
          // A subscriber's bug must not undo or block a committed change.
        }
      }
    }
    return result;
  }

  function auditOf(action: ActionRecord, draft: Omit<AuditEvent, 'id' | 'actionId' | 'sequence'>): AuditEvent {
    // One event per version: the sequence of an action's audit trail is its version after the change.
    // Every field written out rather than spread: V8 copies a spread with a number field on a slow
    // path (out-of-line fields), a cost a bulk operation pays per action (bench/: bulk approve).
    return {
      id: ids.next('auditEvent') as AuditEvent['id'],
      actionId: action.id,
      sequence: action.version,
      type: draft.type,
      at: draft.at,
      actor: draft.actor,
      from: draft.from,
      to: draft.to,
      comment: draft.comment,
      details: draft.details,
    };
  }

  function typeOf(action: ActionRecord): Result<ActionTypeDefinition, ActionCenterError> {
    return catalog.get(action.actionType);
  }

  /** Applies a lifecycle event: the next record (open key released when it closes) and its audit event. */
  function applyEvent(
    action: ActionRecord,
    event: LifecycleEvent,
  ): Result<{ next: ActionRecord; audit: AuditEvent; write: ActionWrite }, ActionCenterError> {
    const type = typeOf(action);
    if (!type.ok) return type;
    const t = transition(action, event, { actionType: type.value });
    if (!t.ok) return t;
    const next =
      OPEN_STATUSES.has(t.value.action.status) || t.value.action.openKey === null
        ? t.value.action
        : { ...t.value.action, openKey: null };
    return ok({ next, audit: auditOf(next, t.value.audit), write: { action: next, expectedVersion: action.version } });
  }

  interface Planned {
    readonly actionId: string;
    readonly writes: readonly ActionWrite[];
    readonly events: readonly AuditEvent[];
    readonly result: ActionRecord;
  }

  /** Commits planned items in one atomic commit; items named by a conflict are dropped and the rest retried. */
  async function commitPlanned(planned: readonly Planned[]): Promise<Map<string, ItemResult>> {
    const results = new Map<string, ItemResult>();
    let remaining = [...planned];
    while (remaining.length > 0) {
      const r = await commit(
        remaining.flatMap((p) => p.writes),
        remaining.flatMap((p) => p.events),
      );
      if (r.ok) {
        for (const p of remaining)
          results.set(p.actionId, { actionId: p.actionId, outcome: 'succeeded', action: p.result });
        break;
      }
      if (r.error.code !== 'conflict') {
        for (const p of remaining) results.set(p.actionId, { actionId: p.actionId, outcome: 'failed', error: r.error });
        break;
      }
      const conflicting = new Set(r.error.actionIds);
      const hit = remaining.filter((p) => p.writes.some((w) => conflicting.has(w.action.id)));
      // A conflict that names none of our actions cannot be retried away: report it on every item.
      const dropped = hit.length > 0 ? hit : remaining;
      for (const p of dropped) results.set(p.actionId, { actionId: p.actionId, outcome: 'conflict', error: r.error });
      remaining = remaining.filter((p) => !dropped.includes(p));
    }
    return results;
  }

  function bulkResult(order: readonly string[], results: ReadonlyMap<string, ItemResult>): BulkResult {
    const items = order.map((id) => results.get(id) ?? ({ actionId: id, outcome: 'notFound' } as const));
    const succeeded = items.filter((i) => i.outcome === 'succeeded').length;
    return { items, succeeded, failed: items.length - succeeded };
  }

  async function loadMany(idList: readonly ActionId[]): Promise<Result<ActionRecord[], RepositoryError>> {
    const r = await safely(() => repository.getMany(idList));
    return r.ok ? ok([...r.value]) : r;
  }

  /** Every action of the query, page by page; unreadable ones the store skipped go to `skipped`. */
  async function* pageAll(
    query: ResolvedQuery,
    skipped: CorruptRecordError[] = [],
  ): AsyncGenerator<ActionRecord, void, undefined> {
    let cursor: string | null = null;
    for (;;) {
      const page = await safely(() => repository.query({ ...query, page: { size: PAGE, cursor, index: 0 } }));
      if (!page.ok) throw new ActionCenterFailure(page.error);
      for (const s of page.value.skipped ?? []) skipped.push(s);
      yield* page.value.items;
      // A cursor that does not move would page for ever (a broken store): stop.
      if (page.value.nextCursor === null || page.value.nextCursor === cursor) return;
      cursor = page.value.nextCursor;
    }
  }

  async function collect(
    query: ResolvedQuery,
    skipped: CorruptRecordError[] = [],
  ): Promise<Result<ActionRecord[], ActionCenterError>> {
    const all: ActionRecord[] = [];
    try {
      for await (const a of pageAll(query, skipped)) all.push(a);
    } catch (e) {
      if (e instanceof ActionCenterFailure) return err(e.error as ActionCenterError);
      throw e;
    }
    return ok(all);
  }

  function statusQuery(
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

  function parsePrincipal(input: unknown): Result<Principal, InvalidInputError> {
    return safeParseInput(PrincipalSchema, input, 'principal');
  }

  function authorizeOrDeny(
    principal: Principal,
    operation: Operation,
    subject: Parameters<AccessPolicy['authorize']>[2],
  ): AccessDecision {
    // A user policy that throws or answers garbage denies, with what was wrong; allowed only when
    // it answers a well-formed decision with `allowed === true`.
    return askPolicy(accessPolicy, principal, operation, subject);
  }

  /**
   * May `principal` do `operation` on `action`? When not (unknown type, or the policy says no), the
   * item's result is recorded and the caller skips it.
   */
  function permitted(
    principal: Principal,
    operation: Operation,
    action: ActionRecord,
    results: Map<string, ItemResult>,
  ): boolean {
    const type = typeOf(action);
    if (!type.ok) {
      results.set(action.id, { actionId: action.id, outcome: 'invalidState', error: type.error });
      return false;
    }
    const decision = authorizeOrDeny(principal, operation, { kind: 'action', actionType: type.value, action });
    if (!decision.allowed) results.set(action.id, { actionId: action.id, outcome: 'denied', decision });
    return decision.allowed;
  }

  function denied(decision: AccessDecision): ActionCenterError {
    return { code: 'accessDenied', message: decision.allowed ? 'denied' : decision.message, decision };
  }

  /**
   * When a counterpart action ends, its original leaves `undoing`: undone if the counterpart
   * succeeded, undoFailed (retryable) if it failed, timed out or was cancelled.
   */
  async function undoFollowUp(
    counterpart: ActionRecord,
    at: number,
    failure: Failure | null,
  ): Promise<{ write: ActionWrite; audit: AuditEvent } | null> {
    if (counterpart.undoOf === null) return null;
    const result = undoResultOfCounterpart(counterpart.status);
    if (result === null) return null;
    const original = await safely(() => repository.get(counterpart.undoOf as ActionId));
    if (!original.ok || original.value === null || original.value.status !== 'undoing') return null;
    const event: LifecycleEvent =
      result === 'undoSucceeded'
        ? { type: 'undoSucceeded', by: EXECUTOR, at, comment: null }
        : {
            type: 'undoFailed',
            by: EXECUTOR,
            at,
            comment: null,
            failure: failure ?? {
              code: `counterpart${counterpart.status[0]?.toUpperCase()}${counterpart.status.slice(1)}`,
              message: `The undo action ${counterpart.id} ended ${counterpart.status}`,
            },
          };
    const applied = applyEvent(original.value, event);
    return applied.ok ? { write: applied.value.write, audit: applied.value.audit } : null;
  }

  // ---- submit ------------------------------------------------------------------------------------
  async function submit(given: SubmitInput): Promise<Result<SubmitResult, CenterError>> {
    const fields = readFields(given, ['request', 'principal'], 'submit input');
    if (!fields.ok) return fields;
    const input = fields.value;
    const parsed = catalog.parseRequest(input.request);
    if (!parsed.ok) return parsed;
    const request = parsed.value;
    const type = catalog.require(request.actionType);
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
    if (!sourceTakes(sourcePolicy, request.source, type.id)) {
      return err({
        code: 'sourceNotApplicable',
        message: `"${source.label}" does not take "${type.displayName}" actions (source policy)`,
        actionTypeId: type.id,
        source: request.source,
        workload: type.workload,
      });
    }
    if (request.requestedBy.type === 'system') {
      const refused = systemRefusal(request.requestedBy.component);
      if (refused !== null) return err(refused);
    } else {
      const principal = parsePrincipal(input.principal);
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
      const decision = authorizeOrDeny(principal.value, request.propose ? 'propose' : 'submit', {
        kind: 'request',
        actionType: type,
        deviceGroup,
      });
      if (!decision.allowed) return err(denied(decision));
      // An undo counterpart submitted directly needs what undoing the original needs (releasing a
      // contained user needs Global Administrator, whoever asks and however).
      for (const undoneId of type.undoes) {
        const undone = catalog.get(undoneId);
        if (!undone.ok) continue;
        const undoDecision = authorizeOrDeny(principal.value, 'undo', {
          kind: 'request',
          actionType: undone.value,
          deviceGroup,
        });
        if (!undoDecision.allowed) return err(denied(undoDecision));
      }
    }
    // The key is the requester's own: scoped by who asks, bound to what they ask. Replay only after
    // authorization: a principal who may not submit learns nothing from a key.
    const key =
      request.idempotencyKey === null
        ? null
        : { given: request.idempotencyKey, scoped: scopedKey(request), digest: requestDigest(request) };
    if (key !== null) {
      const replay = await replayed(key);
      if (!replay.ok || replay.value !== null) return replay.ok ? ok(replay.value as SubmitResult) : replay;
    }
    const approval = decideApproval(request, type, approvalPolicy);
    if (approval.outcome === 'refused') {
      return err({
        code: 'submissionRefused',
        message: approval.message,
        rule: approval.rule,
        reason: approval.reason,
      });
    }
    const openKey = duplicates === 'allow' ? null : openKeyOf(type.id, request.target);
    if (openKey !== null) {
      const open = await safely(() => repository.findOpen(openKey));
      if (!open.ok) return open;
      if (open.value !== null) {
        // The open one may be this request's own first submit, committed since the replay check.
        if (key !== null) {
          const replay = await replayed(key);
          if (!replay.ok || replay.value !== null) return replay.ok ? ok(replay.value as SubmitResult) : replay;
        }
        return duplicate(open.value);
      }
    }
    const reading = readClock(clock);
    if (!reading.ok) return reading;
    const now = reading.value;
    const pending = approval.outcome === 'pending';
    const created = createActionRecord(request, {
      id: ids.next('action') as ActionId,
      now,
      status: pending ? 'pending' : 'approved',
      actionType: type,
      approvalId: pending ? (ids.next('approval') as ActionRecord['approvalId']) : null,
      pendingExpiryMs: approvalPolicy.pendingExpiryMs,
    });
    const action: ActionRecord = { ...created.action, openKey };
    // The request's digest goes with the created event, so that a replay can tell the same request.
    const draft =
      key === null
        ? created.audit
        : { ...created.audit, details: { ...created.audit.details, requestDigest: key.digest } };
    const committed = await commit([{ action, expectedVersion: null }], [auditOf(action, draft)], key?.scoped ?? null);
    if (!committed.ok) {
      // Lost a race: another submit claimed the key or opened the same action first. A retry of
      // the same request gets the replay, whichever conflict the store named.
      if (committed.error.code === 'conflict' && key !== null) {
        const replay = await replayed(key);
        if (!replay.ok || replay.value !== null) return replay.ok ? ok(replay.value as SubmitResult) : replay;
      }
      if (committed.error.code === 'conflict' && committed.error.reason === 'openKeyTaken' && openKey !== null) {
        const open = await safely(() => repository.findOpen(openKey));
        if (open.ok && open.value !== null) return duplicate(open.value);
      }
      return committed;
    }
    return ok({ action, disposition: pending ? 'pending' : 'takenNow', rule: approval.rule });
  }

  /** Why the system component may not submit, or null when it may. */
  function systemRefusal(component: string): CenterError | null {
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
    if (!systemComponents.has(component)) {
      return {
        code: 'systemNotAuthorized',
        message: `The system component "${shown}" is not accepted (systemComponents)`,
        component: shown,
        reason: 'notAccepted',
      };
    }
    return null;
  }

  function duplicate(open: ActionRecord): Result<SubmitResult, CenterError> {
    if (duplicates === 'join') return ok({ action: open, disposition: 'joined', rule: null });
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
  async function replayed(key: {
    readonly given: string;
    readonly scoped: string;
    readonly digest: string;
  }): Promise<Result<SubmitResult | null, CenterError>> {
    const found = await safely(() => repository.findByIdempotencyKey(key.scoped));
    if (!found.ok) return found;
    const first = found.value?.[0];
    if (first === undefined) return ok(null);
    const [action, trail] = await Promise.all([
      safely(() => repository.get(first)),
      safely(() => repository.auditTrail(first)),
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

  // ---- approve / reject / cancel -----------------------------------------------------------------
  async function decide(
    operation: 'approve' | 'reject' | 'cancel',
    input: DecisionInput,
  ): Promise<Result<BulkResult, CenterError>> {
    const parsed = safeParseInput(DecisionSchema, input, `${operation} input`);
    if (!parsed.ok) return parsed;
    const { principal, ids: idList, comment } = parsed.value;
    const loaded = await loadMany(idList);
    if (!loaded.ok) return loaded;
    // Only the seeds' rule (one action type) refuses a selection whole; every other problem is the
    // item's own, reported with its reason while the rest proceed.
    if (operation !== 'cancel' && loaded.value.length > 1) {
      const selection = checkSelectionWhole(operation, loaded.value, { maxItems: maxSelection });
      if (!selection.ok) return selection;
    }
    const reading = readClock(clock);
    if (!reading.ok) return reading;
    const now = reading.value;
    // Expiry holds whatever the sweep schedule: a pending action past its expiry is expired first
    // (committed with its audit event), and the decision then meets an expired action.
    const actions = await expireDueAmong(loaded.value, now);
    const by: Actor = { type: 'principal', id: principal.id };
    const results = new Map<string, ItemResult>();
    const planned: Planned[] = [];
    for (const action of actions) {
      if (!permitted(principal, operation, action, results)) continue;
      const applied = applyEvent(action, { type: operation, by, at: now, comment });
      if (!applied.ok) {
        results.set(action.id, { actionId: action.id, outcome: 'invalidState', error: applied.error });
        continue;
      }
      const followUp = operation === 'cancel' ? await undoFollowUp(applied.value.next, now, null) : null;
      planned.push({
        actionId: action.id,
        writes: followUp === null ? [applied.value.write] : [applied.value.write, followUp.write],
        events: followUp === null ? [applied.value.audit] : [applied.value.audit, followUp.audit],
        result: applied.value.next,
      });
    }
    for (const [id, r] of await commitPlanned(planned)) {
      results.set(id, r);
      // Cancelling a running action: tell the executor to stop.
      if (operation === 'cancel' && r.outcome === 'succeeded') running.get(id)?.abort(new Error('cancelled'));
    }
    return ok(bulkResult(idList, results));
  }

  // ---- undo --------------------------------------------------------------------------------------
  async function undo(input: UndoInput): Promise<Result<BulkResult, CenterError>> {
    const parsed = safeParseInput(UndoSchema, input, 'undo input');
    if (!parsed.ok) return parsed;
    const { principal, ids: idList, comment, applyToOtherInstances } = parsed.value;
    const loaded = await loadMany(idList);
    if (!loaded.ok) return loaded;
    let actions = loaded.value;
    const order: string[] = [...idList];
    const context = { catalog, principal, accessPolicy };
    if (applyToOtherInstances) {
      const [first] = actions;
      if (actions.length !== 1 || first === undefined || first.target.kind !== 'file') {
        return err({
          code: 'invalidInput',
          message: 'Invalid undo input: applyToOtherInstances takes exactly one action on a file',
          issues: [{ path: ['applyToOtherInstances'], code: 'custom', message: 'takes exactly one action on a file' }],
        });
      }
      // Only instances the principal may see are offered (issue 12, item 1); a denied read sees none.
      const seen = readScopeOf(principal, 'view');
      const scope: ScopeFilter | null = seen.ok ? seen.value : { deviceGroups: [], includeUngrouped: false };
      const candidates = await collect(
        statusQuery(['succeeded', 'undoFailed'], { actionTypes: [first.actionType], scope }),
      );
      if (!candidates.ok) return candidates;
      const others = otherInstancesOfFile(first, candidates.value, context);
      actions = [first, ...others];
      order.push(...others.map((a) => a.id));
    }
    if (actions.length > 1) {
      const selection = checkSelectionWhole('undo', actions, { maxItems: maxSelection });
      if (!selection.ok) return selection;
    }
    const reading = readClock(clock);
    if (!reading.ok) return reading;
    const now = reading.value;
    const by: Actor = { type: 'principal', id: principal.id };
    const results = new Map<string, ItemResult>();
    const planned: Planned[] = [];
    for (const action of actions) {
      // Permission first (a principal who may not undo learns nothing about the action), then seed
      // 001's rules (type, source, state), for one item as for many.
      if (!permitted(principal, 'undo', action, results)) continue;
      const eligibility = undoEligibility(action, { catalog });
      if (!eligibility.eligible) {
        results.set(action.id, {
          actionId: action.id,
          outcome: 'invalidState',
          error: undoIneligible(action, eligibility.reason, eligibility.message),
        });
        continue;
      }
      const counterpartType = eligibility.counterpart;
      const counterpartId = ids.next('action') as ActionId;
      const applied = applyEvent(action, { type: 'requestUndo', by, at: now, comment, undoActionId: counterpartId });
      if (!applied.ok) {
        results.set(action.id, { actionId: action.id, outcome: 'invalidState', error: applied.error });
        continue;
      }
      const counterpart = createUndoCounterpart(action, { id: counterpartId, now, by, comment, counterpartType });
      planned.push({
        actionId: action.id,
        writes: [applied.value.write, { action: counterpart.action, expectedVersion: null }],
        events: [applied.value.audit, auditOf(counterpart.action, counterpart.audit)],
        result: applied.value.next,
      });
    }
    for (const [id, r] of await commitPlanned(planned)) results.set(id, r);
    return ok(bulkResult(order, results));
  }

  function undoIneligible(action: ActionRecord, reason: UndoIneligibleReason, message: string): ActionCenterError {
    return { code: 'undoIneligible', message, actionId: action.id, reason };
  }

  /**
   * The actions, with those pending past their expiry expired and committed (by the `expiry`
   * component, audited). One whose expiry could not be committed (changed meanwhile) is kept as
   * read: the caller's own commit then meets the same conflict.
   */
  async function expireDueAmong(actions: readonly ActionRecord[], now: number): Promise<ActionRecord[]> {
    const planned: Planned[] = [];
    for (const action of actions) {
      if (action.status !== 'pending' || action.expiresAt === null || action.expiresAt > now) continue;
      const applied = applyEvent(action, { type: 'expire', by: EXPIRY, at: now, comment: null });
      if (applied.ok)
        planned.push({
          actionId: action.id,
          writes: [applied.value.write],
          events: [applied.value.audit],
          result: applied.value.next,
        });
    }
    if (planned.length === 0) return [...actions];
    const committed = await commitPlanned(planned);
    const expired = new Map(
      planned.filter((p) => committed.get(p.actionId)?.outcome === 'succeeded').map((p) => [p.actionId, p.result]),
    );
    return actions.map((a) => expired.get(a.id) ?? a);
  }

  /**
   * Runs a read after expiring what is due, so that `get`, `list`, the audit trail and the export
   * never show a pending action past its expiry as pending, whatever the host's sweep schedule
   * (the engine expires what it reads; the stores hold the truth, and every adapter agrees).
   * Only for a well-formed principal: a malformed request changes nothing. A sweep that fails (a
   * store or clock down) is left to the read, which meets the same failure and reports it its way
   * (an export through its completion).
   */
  async function afterExpiry<T>(
    principal: unknown,
    read: () => Promise<Result<T, CenterError>>,
    id?: unknown,
  ): Promise<Result<T, CenterError>> {
    if (parsePrincipal(principal).ok) {
      if (id === undefined) {
        await expireDueForRead();
      } else {
        // One action read: only it needs expiring, not every pending action.
        const actionId = safeParseInput(ActionIdSchema, id, 'action id');
        const now = readClock(clock);
        const found = actionId.ok && now.ok ? await safely(() => repository.get(actionId.value)) : null;
        if (found !== null && found.ok && found.value !== null && now.ok)
          await expireDueAmong([found.value], now.value);
      }
    }
    return read();
  }

  /**
   * The read sweep: pending actions created at least this center's `pendingExpiryMs` ago, a range
   * the stores serve from their status and creation-time indexes (usually empty), instead of every
   * pending action. Exact when every process writing to the store uses this expiry or a longer one;
   * an action created with a shorter expiry elsewhere is expired by the next decision on it, `run`
   * or `expire`.
   */
  async function expireDueForRead(): Promise<void> {
    const now = readClock(clock);
    if (!now.ok) return;
    const createdTo = now.value - approvalPolicy.pendingExpiryMs + 1; // createdTo is exclusive
    if (createdTo <= 0) return;
    const due = await collect(statusQuery(['pending'], { createdTo }));
    if (due.ok && due.value.length > 0) await expireDueAmong(due.value, now.value);
  }

  // ---- run / expire ------------------------------------------------------------------------------
  async function expire(): Promise<Result<number, CenterError>> {
    const now = readClock(clock);
    if (!now.ok) return now;
    return expireAt(now.value);
  }

  // Unreadable pending actions are skipped (and named in `corrupt`): one bad row expires nothing less.
  async function expireAt(now: number, corrupt: CorruptRecordError[] = []): Promise<Result<number, CenterError>> {
    const pending = await collect(statusQuery(['pending']), corrupt);
    if (!pending.ok) return pending;
    const planned: Planned[] = [];
    for (const action of pending.value) {
      if (action.expiresAt === null || action.expiresAt > now) continue;
      const applied = applyEvent(action, { type: 'expire', by: EXPIRY, at: now, comment: null });
      if (applied.ok)
        planned.push({
          actionId: action.id,
          writes: [applied.value.write],
          events: [applied.value.audit],
          result: applied.value.next,
        });
    }
    const results = await commitPlanned(planned);
    return ok([...results.values()].filter((r) => r.outcome === 'succeeded').length);
  }

  async function run(input: RunInput = {}): Promise<Result<RunReport, CenterError>> {
    const only = input?.ids === undefined ? null : IdsSchema.safeParse(input.ids);
    if (only !== null && !only.success) return err(invalidInput('run input', only.error.issues));
    // One reading for the sweeps: a broken clock stops the tick before anything changes.
    const now = readClock(clock);
    if (!now.ok) return now;
    // Unreadable actions are skipped by every sweep and reported: one bad row stops nothing else.
    const corrupt: CorruptRecordError[] = [];
    const expired = await expireAt(now.value, corrupt);
    if (!expired.ok) return expired;
    const counts = { expired: expired.value, started: 0, succeeded: 0, failed: 0, timedOut: 0, discarded: 0, corrupt };
    // Sweep: running actions past their deadline that no executor of this process holds (a crash).
    const stuck = await collect(statusQuery(['running']), corrupt);
    if (!stuck.ok) return stuck;
    for (const action of stuck.value) {
      if (running.has(action.id) || action.deadlineAt === null || action.deadlineAt > now.value) continue;
      const outcome = await finish(action.id, {
        kind: 'timedOut',
        failure: { code: 'deadlineExceeded', message: 'The deadline passed while no executor held the action' },
        audit: {},
      });
      if (outcome === 'timedOut') counts.timedOut += 1;
    }
    const approved = await collect(statusQuery(['approved'], only === null ? {} : { ids: only.data }), corrupt);
    if (!approved.ok) return approved;
    const queue = [...approved.value];
    const worker = async () => {
      for (let action = queue.shift(); action !== undefined; action = queue.shift()) {
        const outcome = await execute(action);
        if (outcome === 'notStarted') continue;
        if (outcome === 'unknownType') {
          counts.failed += 1; // failed without starting
          continue;
        }
        counts.started += 1;
        counts[outcome] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    return ok(counts);
  }

  async function execute(
    action: ActionRecord,
  ): Promise<'notStarted' | 'unknownType' | 'succeeded' | 'failed' | 'timedOut' | 'discarded'> {
    const type = typeOf(action);
    const startedAt = readClock(clock);
    if (!startedAt.ok) return 'notStarted'; // a broken clock: leave it approved for the next run
    // Its type left the catalogue (a center restarted with a smaller one): it can never start, so
    // it fails now, audited, rather than staying approved for ever.
    if (!type.ok) return (await failUnknownType(action, startedAt.value)) ? 'unknownType' : 'notStarted';
    const started = applyEvent(action, { type: 'start', by: EXECUTOR, at: startedAt.value, comment: null });
    if (!started.ok) return 'notStarted';
    const committed = await commit([started.value.write], [started.value.audit]);
    if (!committed.ok) return 'notStarted'; // another worker took it, or the store is down: try next run
    const current = started.value.next;
    let result: Finish;
    if (!safeSupports(type.value.id)) {
      result = {
        kind: 'failed',
        failure: { code: 'unsupportedActionType', message: `The executor does not support "${type.value.id}"` },
        audit: {},
      };
    } else {
      result = await executeWithDeadline(current, type.value);
    }
    return finish(current.id, result);
  }

  /** approved → failed with `unknownActionType`: the type the action names is not in the catalogue. */
  async function failUnknownType(action: ActionRecord, at: number): Promise<boolean> {
    const failure: Failure = {
      code: 'unknownActionType',
      message: `The action type "${action.actionType}" is not in the catalogue: the action cannot run`.slice(0, 2000),
    };
    // The lifecycle reads the type only for guards and the start deadline; this edge has neither,
    // so a stand-in for the missing type is never consulted.
    const t = transition(
      action,
      { type: 'fail', by: EXECUTOR, at, comment: null, failure },
      { actionType: missingType(action) },
    );
    if (!t.ok) return false;
    const next = t.value.action.openKey === null ? t.value.action : { ...t.value.action, openKey: null };
    const committed = await commit([{ action: next, expectedVersion: action.version }], [auditOf(next, t.value.audit)]);
    return committed.ok;
  }

  function safeSupports(typeId: string): boolean {
    try {
      // Only a real `true` supports: a truthy string or number from a broken executor does not.
      return executor.supports(typeId) === true;
    } catch {
      return false;
    }
  }

  async function executeWithDeadline(action: ActionRecord, actionType: ActionTypeDefinition): Promise<Finish> {
    const controller = new AbortController();
    running.set(action.id, controller);
    const deadlineAt = action.deadlineAt ?? (action.startedAt ?? action.updatedAt) + actionType.deadlineMs;
    const timer = new AbortController();
    try {
      const now = readClock(clock);
      const wait = Math.max(0, now.ok ? deadlineAt - now.value : actionType.deadlineMs);
      const deadline = safeSleep(wait, timer.signal).then((): typeof DEADLINE => DEADLINE);
      // Every answer, however broken, becomes a Finish: `work` never rejects.
      const work = startWork(action, actionType, controller.signal);
      const first = await Promise.race([work, deadline]);
      if (first === DEADLINE) {
        controller.abort(new Error('deadline passed'));
        // The executor may still report a success (the remote side did the work): record it late.
        void work.then((late) =>
          late.kind === 'succeeded' ? finish(action.id, withLate(late, deadlineAt)) : undefined,
        );
        return {
          kind: 'timedOut',
          failure: { code: 'deadlineExceeded', message: `No result within ${actionType.deadlineMs} ms` },
          audit: {},
        };
      }
      const answeredAt = readClock(clock);
      if (answeredAt.ok && answeredAt.value > deadlineAt) {
        // The clock passed the deadline while the executor worked. A success is still a success
        // (recorded late, undoable); a failure after the deadline is a time-out, as before.
        if (first.kind === 'succeeded') return withLate(first, deadlineAt);
        controller.abort(new Error('deadline passed'));
        return {
          kind: 'timedOut',
          failure: { code: 'deadlineExceeded', message: `No result within ${actionType.deadlineMs} ms` },
          audit: first.audit,
        };
      }
      return first;
    } finally {
      timer.abort();
      running.delete(action.id);
    }
  }

  function startWork(action: ActionRecord, actionType: ActionTypeDefinition, signal: AbortSignal): Promise<Finish> {
    let answer: unknown;
    try {
      answer = executor.execute({ action, actionType, signal });
    } catch (cause) {
      return Promise.resolve(readExecutionError(cause));
    }
    // An answer that is not a promise (a plain value, a Proxy) is read as it is: handing it to
    // Promise.resolve would read its `then`, and a throw there would look like the executor's error.
    if (!isThenable(answer)) return Promise.resolve(readExecutionOutcome(answer));
    return Promise.resolve(answer).then(readExecutionOutcome, readExecutionError);
  }

  async function safeSleep(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch {
      // A sleep that fails cannot measure the deadline: fall back to the timer.
      await defaultSleep(ms, signal);
    }
  }

  /** Records an execution result, and on a counterpart the undo result of the original, together. */
  async function finish(
    actionId: ActionId,
    result: Finish,
  ): Promise<'succeeded' | 'failed' | 'timedOut' | 'discarded'> {
    const fresh = await safely(() => repository.get(actionId));
    // Cancelled (or otherwise moved on) while the executor worked: the late outcome changes nothing.
    // The one exception: a success after a time-out is recorded (late; the work was done).
    if (!fresh.ok || fresh.value === null) return 'discarded';
    const action = fresh.value;
    if (action.status !== 'running' && !(action.status === 'timedOut' && result.kind === 'succeeded'))
      return 'discarded';
    const reading = readClock(clock);
    // A broken clock must not lose the outcome: it is recorded at the record's last time, and the
    // audit says the clock was invalid.
    const at = reading.ok ? reading.value : action.updatedAt;
    const event: LifecycleEvent =
      result.kind === 'succeeded'
        ? { type: 'succeed', by: EXECUTOR, at, comment: null }
        : result.kind === 'failed'
          ? { type: 'fail', by: EXECUTOR, at, comment: null, failure: result.failure }
          : { type: 'timeOut', by: EXECUTOR, at, comment: null, failure: result.failure };
    const applied = applyEvent(action, event);
    if (!applied.ok) return 'discarded';
    const extra: Record<string, unknown> = { ...result.audit };
    if (result.kind === 'succeeded' && action.status === 'timedOut' && extra['late'] === undefined) {
      extra['late'] = true;
      if (action.deadlineAt !== null) extra['deadlineAt'] = action.deadlineAt;
    }
    if (!reading.ok) extra['clockInvalid'] = reading.error.value;
    const audit: AuditEvent =
      Object.keys(extra).length === 0
        ? applied.value.audit
        : { ...applied.value.audit, details: { ...applied.value.audit.details, ...extra } };
    const writes: ActionWrite[] = [applied.value.write];
    const events: AuditEvent[] = [audit];
    const followUp = await undoFollowUp(
      applied.value.next,
      applied.value.next.updatedAt,
      result.kind === 'succeeded' ? null : result.failure,
    );
    if (followUp !== null) {
      writes.push(followUp.write);
      events.push(followUp.audit);
    }
    const committed = await commit(writes, events);
    if (!committed.ok) return 'discarded';
    return result.kind;
  }

  // ---- views -------------------------------------------------------------------------------------
  async function list(input: ListInput): Promise<Result<ActionPage, CenterError>> {
    const principal = parsePrincipal(input?.principal);
    if (!principal.ok) return principal;
    const scope = readScopeOf(principal.value, 'view');
    if (!scope.ok) return scope;
    const now = readClock(clock);
    if (!now.ok) return now;
    const query = resolveQuery(input.query ?? {}, now.value, viewLabels());
    if (!query.ok) return query;
    // The store applies the reader's scope, so totals and pages count only what it may see.
    return safely(() => repository.query({ ...query.value, filter: { ...query.value.filter, scope: scope.value } }));
  }

  // The labels views show, so that a sort follows them (seed 002); computed once, on first use.
  let labelsOfViews: SortLabels | undefined;
  function viewLabels(): SortLabels {
    labelsOfViews ??= sortLabels(catalog);
    return labelsOfViews;
  }

  async function listInvestigations(input: ListInvestigationsInput): Promise<Result<InvestigationPage, CenterError>> {
    const principal = parsePrincipal(input?.principal);
    if (!principal.ok) return principal;
    const scope = readScopeOf(principal.value, 'view');
    if (!scope.ok) return scope;
    const now = readClock(clock);
    if (!now.ok) return now;
    const resolved = resolveInvestigationQuery(input.query ?? {}, now.value);
    if (!resolved.ok) return resolved;
    const query = { ...resolved.value, filter: { ...resolved.value.filter, scope: scope.value } };
    if (typeof repository.queryInvestigations === 'function')
      return safely(() =>
        (repository.queryInvestigations as NonNullable<ActionRepository['queryInvestigations']>)(query),
      );
    // A store without the grouped query: group every matching action read through `query`.
    const all = await collect({
      filter: query.filter,
      sort: { column: 'id', direction: 'asc' },
      page: { size: PAGE, cursor: null, index: 0 },
    });
    if (!all.ok) return all;
    return ok(pageInvestigations(summarizeInvestigations(all.value), query.sort, query.page));
  }

  async function investigationDetails(input: InvestigationInput): Promise<Result<ActionPage, CenterError>> {
    const id = safeParseInput(InvestigationIdSchema, input.investigationId, 'investigation id');
    if (!id.ok) return id;
    // The list's own rules (permission, scope, labels, strict schema), narrowed to this investigation.
    let query: unknown;
    try {
      const given = (input.query ?? {}) as { readonly filter?: unknown };
      if (typeof given !== 'object' || given === null) return list({ principal: input.principal, query: given });
      const filter = given.filter ?? {};
      query = {
        ...given,
        filter: typeof filter === 'object' && filter !== null ? { ...filter, investigationId: [id.value] } : filter,
      };
    } catch (cause) {
      return err(unreadableInput('query', cause));
    }
    return list({ principal: input.principal, query });
  }

  /** The principal's read scope as a query filter, or the denial of the read (issue 12, item 1). */
  function readScopeOf(
    principal: Principal,
    operation: 'view' | 'export',
  ): Result<ScopeFilter | null, ActionCenterError> {
    const answer = askReadScope(accessPolicy, principal, operation);
    return answer.allowed ? ok(scopeFilterOf(answer.scope)) : err(denied(answer.decision));
  }

  async function getOne(input: {
    readonly principal: unknown;
    readonly id: unknown;
  }): Promise<Result<ActionRecord, CenterError>> {
    const principal = parsePrincipal(input?.principal);
    if (!principal.ok) return principal;
    const id = safeParseInput(ActionIdSchema, input.id, 'action id');
    if (!id.ok) return id;
    const scope = readScopeOf(principal.value, 'view');
    if (!scope.ok) return scope;
    const found = await safely(() => repository.get(id.value));
    if (!found.ok) return found;
    // Out of the reader's scope reads as missing: the same answer, so existence is not leaked.
    return found.value === null || !inScope(found.value, scope.value)
      ? err({ code: 'notFound', message: `No action "${id.value}"`, actionId: id.value })
      : ok(found.value);
  }

  async function auditTrail(input: {
    readonly principal: unknown;
    readonly id: unknown;
  }): Promise<Result<readonly AuditEvent[], CenterError>> {
    const action = await getOne(input);
    if (!action.ok) return action;
    return safely(() => repository.auditTrail(action.value.id));
  }

  async function exportView(input: ExportInput): Promise<Result<CsvExport, CenterError>> {
    const principal = parsePrincipal(input?.principal);
    if (!principal.ok) return principal;
    const scope = readScopeOf(principal.value, 'export');
    if (!scope.ok) return scope;
    const now = readClock(clock);
    if (!now.ok) return now;
    const resolved = resolveQuery(input.query ?? {}, now.value, viewLabels());
    if (!resolved.ok) return resolved;
    // The export holds no row outside the exporter's scope.
    const query: ResolvedQuery = { ...resolved.value, filter: { ...resolved.value.filter, scope: scope.value } };
    const columns: Result<readonly ActionColumn[], InvalidInputError> =
      input.columns === undefined ? ok(DEFAULT_COLUMNS) : selectColumns(input.columns);
    if (!columns.ok) return columns;
    return ok(csvExport({ ...query, page: { size: PAGE, cursor: null, index: 0 } }, columns.value));
  }

  /**
   * The export as a stream of chunks that never throws: unreadable actions are left out and named,
   * and a store failure ends the stream early; `completion` says which.
   */
  function csvExport(query: ResolvedQuery, columns: readonly ActionColumn[]): CsvExport {
    const skipped: CorruptRecordError[] = [];
    let rows = 0;
    let failure: CsvExportError | null = null;
    let settle: (r: Result<CsvExportReport, CsvExportError>) => void = () => undefined;
    const completion = new Promise<Result<CsvExportReport, CsvExportError>>((resolve) => (settle = resolve));
    async function* source(): AsyncGenerator<ActionRecord, void, undefined> {
      try {
        for await (const action of pageAll(query, skipped)) {
          rows += 1;
          yield action;
        }
      } catch (cause) {
        failure =
          cause instanceof ActionCenterFailure
            ? (cause.error as RepositoryError)
            : { code: 'repositoryUnavailable', message: cause instanceof Error ? cause.message : String(cause) };
      }
    }
    async function* chunks(): AsyncGenerator<string, void, undefined> {
      try {
        yield* exportCsv(source(), { columns, context: { catalog } });
      } catch (cause) {
        // Cannot happen with the library's columns; if it does (a bug), the stream ends and completion says why.
        failure ??= {
          code: 'internalError',
          message: cause instanceof Error ? cause.message : String(cause),
          operation: 'exportCsv',
          component: 'unexpected',
        };
      } finally {
        settle(failure === null ? ok({ rows, skipped }) : err(failure));
      }
    }
    const stream = chunks();
    return { [Symbol.asyncIterator]: () => stream, completion };
  }

  // Every operation behind a guard: input is read once inside it (a Proxy or a throwing getter is
  // `invalidInput`), and whatever else escapes (a component that answered garbage, a bug) becomes a
  // typed error. Operations resolve to a Result; they never throw or reject.
  return Object.freeze({
    catalog,
    submit: guarded('submit', submit),
    approve: guarded('approve', (input: DecisionInput) => decide('approve', input)),
    reject: guarded('reject', (input: DecisionInput) => decide('reject', input)),
    cancel: guarded('cancel', (input: DecisionInput) => decide('cancel', input)),
    undo: guarded('undo', undo),
    run: guarded('run', async (input?: RunInput) => {
      if (input === undefined || input === null) return run();
      const fields = readFields(input, ['ids'], 'run input');
      if (!fields.ok) return fields;
      if (fields.value.ids === undefined) return run({});
      // Checked here, inside the guard, so that run() reads a plain array of ids.
      const only = safeParseInput(IdsSchema, fields.value.ids, 'run input');
      return only.ok ? run({ ids: only.value }) : only;
    }),
    expire: guarded('expire', () => expire()),
    list: guarded('list', async (input: ListInput) => {
      const fields = readFields(input, ['principal', 'query'], 'list input');
      return fields.ok ? afterExpiry(fields.value.principal, () => list(fields.value as ListInput)) : fields;
    }),
    listInvestigations: guarded('listInvestigations', async (input: ListInvestigationsInput) => {
      const fields = readFields(input, ['principal', 'query'], 'list investigations input');
      return fields.ok
        ? afterExpiry(fields.value.principal, () => listInvestigations(fields.value as ListInvestigationsInput))
        : fields;
    }),
    investigation: guarded('investigation', async (input: InvestigationInput) => {
      const fields = readFields(input, ['principal', 'investigationId', 'query'], 'investigation input');
      return fields.ok
        ? afterExpiry(fields.value.principal, () => investigationDetails(fields.value as InvestigationInput))
        : fields;
    }),
    get: guarded('get', async (input: { readonly principal: unknown; readonly id: unknown }) => {
      const fields = readFields(input, ['principal', 'id'], 'get input');
      return fields.ok
        ? afterExpiry(
            fields.value.principal,
            () => getOne(fields.value as { principal: unknown; id: unknown }),
            fields.value.id,
          )
        : fields;
    }),
    auditTrail: guarded('auditTrail', async (input: { readonly principal: unknown; readonly id: unknown }) => {
      const fields = readFields(input, ['principal', 'id'], 'audit trail input');
      return fields.ok
        ? afterExpiry(
            fields.value.principal,
            () => auditTrail(fields.value as { principal: unknown; id: unknown }),
            fields.value.id,
          )
        : fields;
    }),
    exportCsv: guarded('exportCsv', async (input: ExportInput) => {
      const fields = readFields(input, ['principal', 'query', 'columns'], 'export input');
      return fields.ok ? afterExpiry(fields.value.principal, () => exportView(fields.value as ExportInput)) : fields;
    }),
    subscribe: (listener: (change: CommittedChange) => void) => {
      // Not a function: nothing to call, nothing to stop.
      if (typeof listener !== 'function') return () => undefined;
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  });
}

/** What the engine records when an execution ends; `audit` is added to the audit event's details. */
type Finish =
  | { kind: 'succeeded'; audit: Readonly<Record<string, unknown>> }
  | { kind: 'failed'; failure: Failure; audit: Readonly<Record<string, unknown>> }
  | { kind: 'timedOut'; failure: Failure; audit: Readonly<Record<string, unknown>> };

const DEADLINE: unique symbol = Symbol('deadline');

/** A native promise, or an object with a callable `then`; false when reading it throws. */
function isThenable(value: unknown): boolean {
  try {
    if (value instanceof Promise) return true;
    return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

/** A success that arrived after the deadline: the audit event says so. */
function withLate(result: Finish & { kind: 'succeeded' }, deadlineAt: number): Finish {
  return { kind: 'succeeded', audit: { ...result.audit, late: true, deadlineAt } };
}

/**
 * A stand-in for an action type the catalogue no longer holds, for the one lifecycle step that
 * needs no type (approved → failed): no undo, not cancellable, no deadline.
 */
function missingType(action: ActionRecord): ActionTypeDefinition {
  return {
    id: action.actionType,
    displayName: action.actionType,
    description: '',
    workload: action.workload,
    targetKind: action.target.kind,
    parameters: z.never(),
    undo: null,
    cancellableWhileRunning: false,
    deadlineMs: 0,
    permission: 'deviceRemediation',
    undoes: [],
    checkTarget: null,
  };
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const handle = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => clearTimeout(handle), { once: true });
  });
}

/**
 * The longest open key kept readable; longer ones are hashed. Well under the 2,000 characters the
 * record schema allows, so every key `openKeyOf` builds can be stored and read back.
 */
const READABLE_OPEN_KEY = 1000;

/**
 * The key two open actions may not share: the type and the target's identity, canonically encoded.
 * Bounded whatever the target's size: a key over 1,000 characters (a target field near its schema
 * maximum) becomes the type and the SHA-256 of the canonical target (`type\0sha256:<hex>`, at most
 * 172 characters), so every accepted request can be stored and read back. Shorter keys are kept as
 * they were (readable, and stable for stored actions); a hashed key cannot equal a readable one,
 * whose target part always starts with `{`.
 *
 * @example
 * ```ts
 * import { openKeyOf } from 'actioncenter';
 * openKeyOf('isolateDevice', { kind: 'device', deviceId: 'd1', deviceName: 'PC', deviceGroup: 'G' as never });
 * ```
 */
export function openKeyOf(actionTypeId: string, target: Target): string {
  const canonical = canonicalJson(target);
  const key = `${actionTypeId}\u0000${canonical}`;
  return key.length <= READABLE_OPEN_KEY ? key : `${actionTypeId}\u0000sha256:${sha256Hex(canonical)}`;
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
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
