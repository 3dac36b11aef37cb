/**
 * Action types as data, and `defineActionType` for users' own types.
 *
 * @module
 */
import * as z from 'zod';
import {
  TargetKindSchema,
  WorkloadSchema,
  type Target,
  type TargetKind,
  type TargetOf,
  type Workload,
} from './targets.js';
import { RetryPolicySchema, retryPolicyOf, type RetryPolicy } from './retry-policy.js';

/**
 * The permission classes of remediation: the default access policy (rules layer) maps each to the
 * roles that may decide on it (seed 002's "Required permissions" table).
 *
 * @example
 * ```ts
 * import { REMEDIATION_PERMISSIONS } from 'actioncenter/adapter-kit';
 * REMEDIATION_PERMISSIONS; // ['deviceRemediation', 'emailRemediation', 'identityRemediation']
 * ```
 */
export const REMEDIATION_PERMISSIONS = ['deviceRemediation', 'emailRemediation', 'identityRemediation'] as const;
/**
 * One of {@link REMEDIATION_PERMISSIONS}.
 *
 * @example
 * ```ts
 * import type { RemediationPermission } from 'actioncenter/adapter-kit';
 * const p: RemediationPermission = 'emailRemediation';
 * ```
 */
export type RemediationPermission = (typeof REMEDIATION_PERMISSIONS)[number];

/**
 * The least role that may undo an action of a type: Security Administrator for most, Global
 * Administrator for contain user.
 *
 * @example
 * ```ts
 * import type { UndoRole } from 'actioncenter/adapter-kit';
 * const r: UndoRole = 'securityAdministrator';
 * ```
 */
export type UndoRole = 'securityAdministrator' | 'globalAdministrator';

/**
 * How an action of a type is undone: by a linked counterpart action of another type.
 *
 * @example
 * ```ts
 * import type { UndoSpec } from 'actioncenter/adapter-kit';
 * const u: UndoSpec = { counterpart: 'releaseFromQuarantine', requiredRole: 'securityAdministrator' };
 * ```
 */
export interface UndoSpec {
  /** Id of the action type that undoes this one (e.g. `releaseFromQuarantine`). */
  readonly counterpart: string;
  /** The least role that may request the undo. */
  readonly requiredRole: UndoRole;
}

/**
 * An action type, as data. `P` is the zod schema of its parameters.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * const t = builtInCatalog.require('quarantineFile');
 * t.displayName; // 'Quarantine file'
 * ```
 */
export interface ActionTypeDefinition<
  Id extends string = string,
  P extends z.ZodType = z.ZodType,
  K extends TargetKind = TargetKind,
> {
  /** Stable id, used in APIs and storage (`quarantineFile`). */
  readonly id: Id;
  /** The name the product shows (`Quarantine file`); export and columns use it. */
  readonly displayName: string;
  /** One or two sentences on what the action does, for docs and UIs (may be empty). */
  readonly description: string;
  /** Where it acts: `endpoint` (devices), `email` or `identity`. */
  readonly workload: Workload;
  /** The kind of target it acts on; requests with another kind are refused. */
  readonly targetKind: K;
  /** Zod schema of the parameters. Parsed values must survive JSON serialisation. */
  readonly parameters: P;
  /** How it is undone, or `null` when it cannot be. */
  readonly undo: UndoSpec | null;
  /** May a running action of this type be cancelled? */
  readonly cancellableWhileRunning: boolean;
  /** How long the executor has, from start, before the action times out (milliseconds). */
  readonly deadlineMs: number;
  /** The permission class needed to decide on it. */
  readonly permission: RemediationPermission;
  /** Set on counterpart types: the type ids this one undoes. */
  readonly undoes: readonly string[];
  /**
   * Checks the parsed parameters against the target (e.g. a hash parameter must be the target
   * file's hash), or `null` when there is nothing to check. See {@link TargetCheck}.
   */
  readonly checkTarget: StoredTargetCheck<z.output<P>> | null;
  /**
   * How transient failures are retried ({@link RetryPolicy}), or `null` (or absent: definitions
   * written before it existed) when they are not: such a failure is final at once.
   */
  readonly retry?: RetryPolicy | null;
  /**
   * Types that may not be open together on one target share a conflict group (isolate and release
   * from isolation): the open key is the group's, not the type's ({@link "actioncenter/adapter-kit"!openKeyOf}).
   * Absent: the type is its own group.
   */
  readonly conflictGroup?: string | undefined;
  /**
   * How many times `retry` may retry a failed or timed-out action of this type, counting each
   * retry of a retry (absent: {@link DEFAULT_MAX_RETRIES}; 0: never).
   */
  readonly maxRetries?: number | undefined;
  /** How long a pending action of this type waits before it expires (ms); absent: the approval policy's. */
  readonly pendingExpiryMs?: number | undefined;
  /** How long an approved action of this type may wait unstarted before it expires (ms); absent: the policy's. */
  readonly approvedExpiryMs?: number | undefined;
}

/**
 * How many manual retries (`center.retry`) a type allows when its definition does not say.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_RETRIES } from 'actioncenter/adapter-kit';
 * DEFAULT_MAX_RETRIES; // 3
 * ```
 */
export const DEFAULT_MAX_RETRIES = 3;

/**
 * A {@link TargetCheck} as a definition stores it: a method type over any target, so that every
 * definition is also an `ActionTypeDefinition` of the general kind (method parameters are compared
 * both ways); the catalogue calls it only with targets of the type's own kind.
 *
 * @example
 * ```ts
 * import type { StoredTargetCheck } from 'actioncenter/adapter-kit';
 * const none: StoredTargetCheck<{}> = () => [];
 * ```
 */
export type StoredTargetCheck<Params> = {
  check(parameters: Params, target: Target): readonly TargetCheckIssue[];
}['check'];

/**
 * One disagreement between parameters and target: the parameter's path (below `parameters`) and why.
 *
 * @example
 * ```ts
 * import type { TargetCheckIssue } from 'actioncenter/adapter-kit';
 * const issue: TargetCheckIssue = { path: ['sha1'], message: "must be the target file's SHA-1" };
 * ```
 */
export interface TargetCheckIssue {
  /** Where in the parameters the disagreement is (`['sha1']`). */
  readonly path: readonly (string | number)[];
  /** What is wrong, for people. */
  readonly message: string;
}

/**
 * A check of an action type's parsed parameters against the request's target: returns the
 * disagreements (none: the request is consistent). Pure; a check that throws counts as a refusal.
 * Requests that fail it are refused with `invalidParameters`, each issue's path under `parameters`.
 *
 * @example
 * ```ts
 * import type { TargetCheck } from 'actioncenter/adapter-kit';
 * const sameHash: TargetCheck<{ sha1: string }, 'file'> = (parameters, target) =>
 *   target.sha1 !== null && target.sha1.toLowerCase() !== parameters.sha1.toLowerCase() ? [{ path: ['sha1'], message: "must be the target file's SHA-1" }] : [];
 * ```
 */
export type TargetCheck<Params, K extends TargetKind> = (
  parameters: Params,
  target: TargetOf<K>,
) => readonly TargetCheckIssue[];

/**
 * What {@link defineActionType} takes: the definition, with defaults for the optional parts.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import type { ActionTypeInput } from 'actioncenter/adapter-kit';
 * const input: ActionTypeInput<'wipe', z.ZodObject<{}>, 'device'> = {
 *   id: 'wipe', displayName: 'Wipe device', workload: 'endpoint', targetKind: 'device', parameters: z.object({}),
 * };
 * ```
 */
export interface ActionTypeInput<Id extends string, P extends z.ZodType, K extends TargetKind> {
  /** Stable id for code and storage (`quarantineFile`); unique in a catalogue. */
  readonly id: Id;
  /** The name the product shows, and exports and columns use ("Quarantine file"). */
  readonly displayName: string;
  /** What the action does, for docs and UIs. Default: the display name. */
  readonly description?: string;
  /** Where it acts: `endpoint` (devices), `email` or `identity`. */
  readonly workload: Workload;
  /** The kind of target it acts on. */
  readonly targetKind: K;
  /** zod schema of its parameters (use `z.strictObject({})` for none); parsed on every request. */
  readonly parameters: P;
  /** How it is undone (`{ counterpart }`, the id of the undoing type), or `null` (the default) when it cannot be. */
  readonly undo?: UndoSpec | null;
  /** Whether `cancel` may stop it once running. Default `false`. */
  readonly cancellableWhileRunning?: boolean;
  /** How long it may run before it times out, in milliseconds. Default `DEFAULT_DEADLINE_MS`. */
  readonly deadlineMs?: number;
  /** The permission it needs (device, email or identity remediation). Default: the workload's. */
  readonly permission?: RemediationPermission;
  /** For a counterpart type: the ids of the types it undoes. Default: none. */
  readonly undoes?: readonly string[];
  /** Checks the parameters against the target; see {@link TargetCheck}. Default: none. */
  readonly checkTarget?: TargetCheck<z.output<P>, K> | null;
  /**
   * How transient failures are retried: `{ maxAttempts, backoffMs, maxBackoffMs? }`
   * ({@link RetryPolicy}; `maxBackoffMs` defaults to `max(backoffMs, 1 hour)`), or `null` (the
   * default) for none.
   */
  readonly retry?: (Omit<RetryPolicy, 'maxBackoffMs'> & { readonly maxBackoffMs?: number }) | null;
  /** The conflict group it shares with the types it may not be open beside on one target. Default: none. */
  readonly conflictGroup?: string | undefined;
  /** How many manual retries it allows (0 to 100). Default {@link DEFAULT_MAX_RETRIES}. */
  readonly maxRetries?: number | undefined;
  /** Pending expiry of this type (ms, at most 366 days; Cortex XSIAM sets it in hours). Default: the policy's. */
  readonly pendingExpiryMs?: number | undefined;
  /** Expiry of an approved action never started (ms, at most 366 days). Default: the policy's (none). */
  readonly approvedExpiryMs?: number | undefined;
}

const DEFAULT_PERMISSION: { readonly [W in Workload]: RemediationPermission } = {
  endpoint: 'deviceRemediation',
  email: 'emailRemediation',
  identity: 'identityRemediation',
};

/**
 * One hour: the execution deadline of a type that does not give its own.
 *
 * @example
 * ```ts
 * import { DEFAULT_DEADLINE_MS } from 'actioncenter/adapter-kit';
 * DEFAULT_DEADLINE_MS / 60_000; // 60 minutes
 * ```
 */
export const DEFAULT_DEADLINE_MS = 60 * 60 * 1000;

/**
 * Defines an action type. The parameters' type is inferred from the zod schema, so requests built
 * with {@link requestFor} are checked at compile time. Validation of the definition itself happens
 * when it enters a catalogue ({@link createCatalog}), which returns a typed error instead of throwing.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineActionType } from 'actioncenter';
 * const disableUsbStorage = defineActionType({
 *   id: 'disableUsbStorage',
 *   displayName: 'Disable USB storage',
 *   workload: 'endpoint',
 *   targetKind: 'device',
 *   parameters: z.object({ reason: z.string().min(1) }),
 * });
 * ```
 */
export function defineActionType<const Id extends string, P extends z.ZodType, K extends TargetKind>(
  input: ActionTypeInput<Id, P, K>,
): ActionTypeDefinition<Id, P, K> {
  return Object.freeze({
    id: input.id,
    displayName: input.displayName,
    description: input.description ?? input.displayName,
    workload: input.workload,
    targetKind: input.targetKind,
    parameters: input.parameters,
    undo: input.undo ?? null,
    cancellableWhileRunning: input.cancellableWhileRunning ?? false,
    deadlineMs: input.deadlineMs ?? DEFAULT_DEADLINE_MS,
    permission: input.permission ?? DEFAULT_PERMISSION[input.workload],
    undoes: Object.freeze([...(input.undoes ?? [])]),
    // The catalogue calls it only with a target of kind K (it refuses other kinds first).
    checkTarget: (input.checkTarget ?? null) as StoredTargetCheck<z.output<P>> | null,
    retry: retryPolicyOf(input.retry),
    ...(input.conflictGroup === undefined ? {} : { conflictGroup: input.conflictGroup }),
    maxRetries: input.maxRetries ?? DEFAULT_MAX_RETRIES,
    ...(input.pendingExpiryMs === undefined ? {} : { pendingExpiryMs: input.pendingExpiryMs }),
    ...(input.approvedExpiryMs === undefined ? {} : { approvedExpiryMs: input.approvedExpiryMs }),
  });
}

/**
 * The parameters an action type accepts, after parsing (defaults applied).
 *
 * @example
 * ```ts
 * import type { ParametersOf, builtInActionTypeMap } from 'actioncenter';
 * type Isolation = ParametersOf<(typeof builtInActionTypeMap)['isolateDevice']>; // { isolationType: 'full' | 'selective', ... }
 * ```
 */
export type ParametersOf<T> = T extends ActionTypeDefinition<string, infer P, TargetKind> ? z.output<P> : never;

/**
 * The parameters an action type accepts on input (before defaults).
 *
 * @example
 * ```ts
 * import type { ParametersInputOf, builtInActionTypeMap } from 'actioncenter';
 * type ScanInput = ParametersInputOf<(typeof builtInActionTypeMap)['runAntivirusScan']>;
 * ```
 */
export type ParametersInputOf<T> = T extends ActionTypeDefinition<string, infer P, TargetKind> ? z.input<P> : never;

/**
 * The target an action type acts on.
 *
 * @example
 * ```ts
 * import type { builtInActionTypeMap } from 'actioncenter';
 * import type { TargetOfType } from 'actioncenter/adapter-kit';
 * type T = TargetOfType<(typeof builtInActionTypeMap)['blockUrl']>; // { kind: 'url', url: string }
 * ```
 */
export type TargetOfType<T> = T extends ActionTypeDefinition<string, z.ZodType, infer K> ? TargetOf<K> : never;

/** The zod major version whose schemas `defineActionType` accepts, for messages and checks. */
const ZOD_MAJOR = 4;

/**
 * Why `value` cannot be an action type's parameter schema, or null when it can. The check is
 * structural, not `instanceof`: a schema from another copy of zod 4 (the application's own, when
 * npm could not share one copy) works as well as ours. A zod 3 schema is named as such, with the fix,
 * since TypeScript's complaint about it (TS2740) does not say what is wrong.
 */
function zodSchemaProblem(value: unknown): string | null {
  try {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return 'must be a zod schema';
    const internals = (value as { _zod?: unknown })._zod;
    if (typeof internals !== 'object' || internals === null) {
      return '_def' in value
        ? `is a zod 3 schema: actioncenter needs zod ${ZOD_MAJOR} schemas (zod ^${ZOD_MAJOR}.0.0). Upgrade zod, or build the schema with \`import { z } from 'zod/v4'\` (zod 3.25 ships zod ${ZOD_MAJOR} there)`
        : 'must be a zod schema';
    }
    const major = (internals as { version?: { major?: unknown } }).version?.major;
    if (major !== ZOD_MAJOR)
      return `is a zod ${String(major)} schema: actioncenter needs zod ${ZOD_MAJOR} schemas (zod ^${ZOD_MAJOR}.0.0)`;
    if (typeof (value as { safeParse?: unknown }).safeParse !== 'function')
      return 'must be a zod schema with safeParse';
    return null;
  } catch {
    return 'must be a zod schema (reading it threw)';
  }
}

/**
 * Zod schema of the metadata of a definition (everything but the parameter schema), used by
 * {@link actioncenter!createCatalog} to refuse malformed definitions with a typed error.
 *
 * @example
 * ```ts
 * import { ActionTypeMetaSchema } from 'actioncenter/adapter-kit';
 * ActionTypeMetaSchema.safeParse({ id: '' }).success; // false
 * ```
 */
export const ActionTypeMetaSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'must start with a letter and hold only letters, digits, _ . -'),
  displayName: z.string().min(1).max(200),
  description: z.string().max(2000),
  workload: WorkloadSchema,
  targetKind: TargetKindSchema,
  parameters: z.custom<z.ZodType>((v) => zodSchemaProblem(v) === null, {
    error: (issue) => zodSchemaProblem(issue.input) ?? 'must be a zod schema',
  }),
  undo: z
    .object({
      counterpart: z.string().min(1),
      requiredRole: z.enum(['securityAdministrator', 'globalAdministrator']),
    })
    .nullable(),
  cancellableWhileRunning: z.boolean(),
  deadlineMs: z
    .number()
    .int()
    .positive()
    .max(366 * 24 * 60 * 60 * 1000),
  permission: z.enum(REMEDIATION_PERMISSIONS),
  undoes: z.array(z.string()),
  checkTarget: z.custom<ActionTypeDefinition['checkTarget']>(
    (v) => v === null || typeof v === 'function',
    'must be a function or null',
  ),
  // Absent on definitions written before retries existed: no retry.
  retry: RetryPolicySchema.nullable().optional(),
  conflictGroup: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'must start with a letter and hold only letters, digits, _ . -')
    .optional(),
  maxRetries: z.number().int().min(0).max(100).optional(),
  // Issue 16: per-type expiries, positive and at most 366 days like the policy's.
  pendingExpiryMs: z
    .number()
    .int()
    .positive()
    .max(366 * 24 * 60 * 60 * 1000)
    .optional(),
  approvedExpiryMs: z
    .number()
    .int()
    .positive()
    .max(366 * 24 * 60 * 60 * 1000)
    .optional(),
});
