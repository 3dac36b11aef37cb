/**
 * The options of an Action center, read once and checked: the components must offer their
 * functions, the settings must fit their schema. Builds the engine's context.
 *
 * @module
 */
import * as z from 'zod';
import { builtInCatalog } from '../../catalog/builtins.js';
import type { Catalog } from '../../catalog/catalog.js';
import { ActionIdSchema, isIdText, type ActionId } from '../../catalog/ids.js';
import { ActionSourceIdSchema, DEFAULT_SOURCE_POLICY, type SourcePolicy } from '../../catalog/sources.js';
import { describeIssues, type InvalidInputError } from '../../errors.js';
import { err, ok, safeParseInput, unreadableInput, type Result } from '../../result.js';
import { defaultAccessPolicy } from '../../rules/access.js';
import { createApprovalPolicy, type ApprovalPolicy, type ApprovalPolicyConfig } from '../../rules/approval.js';
import type { AccessPolicy } from '../../rules/principals.js';
import type { SortLabels } from '../../rules/query.js';
import { sortLabels } from '../columns.js';
import { noopExecutor, randomIdGenerator, systemClock } from '../defaults.js';
import type { ActionExecutor, ActionRepository, Clock, IdGenerator } from '../ports.js';
import { checkedIds, readFields, type EngineContext } from './context.js';
import { defaultSleep } from './execute.js';

/**
 * The ids of a selection: 1 to `maxSelection` distinct ids. A bulk selection holds thousands, so
 * the usual one (an array of distinct printable ids) is read and checked in one pass into a copy;
 * anything else is parsed by the full schema, whose issues are the answer.
 */
function selectionSchema(maxSelection: number): z.ZodType<ActionId[]> {
  const full = z
    .array(ActionIdSchema)
    .min(1, 'select at least one action')
    .max(maxSelection, `select at most ${maxSelection} actions`)
    .refine((xs) => new Set(xs).size === xs.length, 'the same action is selected twice');
  return z.unknown().transform((value, ctx) => {
    const ids = distinctIds(value, maxSelection);
    if (ids !== null) return ids;
    const parsed = full.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.issues.push({ ...issue, input: value } as (typeof ctx.issues)[number]);
    return z.NEVER;
  }) as unknown as z.ZodType<ActionId[]>;
}

/** A copy of `value` when it is an array of 1 to `max` distinct id strings, else null. */
function distinctIds(value: unknown, max: number): ActionId[] | null {
  if (!Array.isArray(value) || value.length < 1 || value.length > max) return null;
  // Each element read once, into the copy: a Proxy or getter cannot answer differently later.
  const ids = new Array<ActionId>(value.length);
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    const id: unknown = value[i];
    if (!isIdText(id) || seen.has(id)) return null;
    seen.add(id);
    ids[i] = id as ActionId;
  }
  return ids;
}

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
 * Options of `createActionCenter`. Every one has a default: with none, the center runs on the
 * built-in catalogue, an in-memory repository, a no-op executor, the system clock and random ids.
 *
 * @example
 * ```ts
 * import { createActionCenter, manualClock, sequentialIdGenerator } from 'actioncenter';
 * const center = createActionCenter({ clock: manualClock(Date.UTC(2026, 0, 1)), idGenerator: sequentialIdGenerator() });
 * ```
 */
export interface ActionCenterOptions<C extends Catalog = Catalog> {
  /** The action types it accepts (and types `submit`'s requests). Default: the built-in catalogue. */
  readonly catalog?: C;
  /** Where actions and audit events are stored. Default: a new in-memory repository. */
  readonly repository?: ActionRepository;
  /** What carries actions out. Default: `noopExecutor` (succeeds at once, does nothing). */
  readonly executor?: ActionExecutor;
  /** The time source. Default: the system clock; tests pass `manualClock(...)`. */
  readonly clock?: Clock;
  /** Where new ids come from. Default: random ids (`randomIdGenerator`); tests pass `sequentialIdGenerator()`. */
  readonly idGenerator?: IdGenerator;
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
   * Which action types each source takes. Default: `DEFAULT_SOURCE_POLICY` (seed 000's pairs).
   * A type the policy names anywhere is taken only by the sources that list it; a type it never
   * names (a custom type) by every source of its workload.
   */
  readonly sourcePolicy?: SourcePolicy;
}

/** A system component's name: a closed alphabet, bounded (no control or invisible characters). */
export const SYSTEM_COMPONENT_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
/** Names the engine acts under itself: no request may claim them. */
export const RESERVED_COMPONENTS: ReadonlySet<string> = new Set(['executor', 'expiry', 'escalation', 'autoRevert']);

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

const OPTION_KEYS = [
  'catalog',
  'repository',
  'executor',
  'clock',
  'idGenerator',
  'accessPolicy',
  'approvalPolicy',
  'duplicates',
  'maxSelection',
  'concurrency',
  'sleep',
  'systemComponents',
  'sourcePolicy',
] as const satisfies readonly (keyof ActionCenterOptions)[];

/** The functions each component must offer: a component without them is an invalid option. */
const COMPONENT_METHODS = {
  catalog: ['parseRequest', 'get', 'require'],
  repository: ['get', 'getMany', 'query', 'findOpen', 'findByIdempotencyKey', 'auditTrail', 'commit'],
  executor: ['supports', 'execute'],
  clock: ['now'],
  idGenerator: ['next'],
  accessPolicy: ['authorize'],
} as const satisfies Partial<Record<keyof ActionCenterOptions, readonly string[]>>;

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
    if (o.sleep !== undefined && typeof o.sleep !== 'function') {
      issues.push({ path: ['sleep'], code: 'invalid_type', message: 'expected a function' });
    }
  } catch (cause) {
    return unreadableInput('action center options', cause);
  }
  if (issues.length === 0) return null;
  return { code: 'invalidInput', message: `Invalid action center options: ${describeIssues(issues)}`, issues };
}

/**
 * Reads and checks the options (once, inside a guard: a Proxy or a throwing getter is an invalid
 * option) and builds the engine's context; `defaultRepository` makes the store when none is given.
 */
export function contextOf(
  given: unknown,
  defaultRepository: () => ActionRepository,
): Result<EngineContext, InvalidInputError> {
  const options = readFields(given ?? {}, [...OPTION_KEYS, 'ids'], 'action center options');
  if (!options.ok) return options;
  if (options.value.ids !== undefined) {
    // Renamed: a caller without the compiler's help is told, rather than silently given random ids.
    const issues = [{ path: ['ids'], code: 'unrecognized_keys', message: 'the `ids` option is now `idGenerator`' }];
    return err({ code: 'invalidInput', message: `Invalid action center options: ${describeIssues(issues)}`, issues });
  }
  const o = options.value as ActionCenterOptions;
  const components = checkComponents(o);
  if (components !== null) return err(components);
  const parsed = safeParseInput(
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
  if (!parsed.ok) return parsed;
  // A built policy is also a valid configuration (same fields), so both go through validation.
  const approvalPolicy = createApprovalPolicy(o.approvalPolicy ?? {});
  if (!approvalPolicy.ok) return approvalPolicy;
  const { duplicates, maxSelection, concurrency } = parsed.value;
  const catalog: Catalog = o.catalog ?? builtInCatalog;
  let labels: SortLabels | undefined;
  return ok({
    catalog,
    repository: o.repository ?? defaultRepository(),
    executor: o.executor ?? noopExecutor,
    clock: o.clock ?? systemClock,
    idGenerator: checkedIds(o.idGenerator ?? randomIdGenerator),
    accessPolicy: o.accessPolicy ?? defaultAccessPolicy,
    approvalPolicy: approvalPolicy.value,
    duplicates,
    maxSelection,
    concurrency,
    sleep: o.sleep ?? defaultSleep,
    systemComponents: new Set(parsed.value.systemComponents),
    sourcePolicy: parsed.value.sourcePolicy ?? DEFAULT_SOURCE_POLICY,
    listeners: new Set(),
    running: new Map(),
    runQueue: new Set(),
    idsSchema: selectionSchema(maxSelection),
    labels: () => (labels ??= sortLabels(catalog)),
  });
}
