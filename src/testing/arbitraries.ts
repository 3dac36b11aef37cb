/**
 * `actionCenterArbitraries(fc, options)`: arbitraries of every domain value, built with the
 * caller's fast-check over a catalogue (the built-in one unless you give yours).
 *
 * @module
 */
import {
  ACTION_SOURCES,
  builtInCatalog,
  type ActionQueryInput,
  type ActionRecord,
  type ActionRequest,
  type ActionRequestInput,
  type ActionSourceId,
  type ActionStatus,
  type ActionTypeDefinition,
  type Actor,
  type AuditEvent,
  type Catalog,
  type LifecycleEvent,
  type Principal,
  type Target,
  type TargetKind,
} from 'actioncenter';
import {
  ACTION_SOURCE_IDS,
  DEFAULT_SOURCE_POLICY,
  sourceTakes,
  type ResolvedQuery,
  type RoleAssignment,
  type TargetOf,
} from 'actioncenter/adapter-kit';
import {
  actorArbitraries,
  DEFAULT_DEVICE_GROUPS,
  principalArbitrary,
  roleAssignmentArbitrary,
  targetArbitraries,
} from './domain.js';
import type { Arbitrary, FastCheck } from './fast-check.js';
import { assertSupportedFastCheck } from './fast-check.js';
import { historyArbitraries } from './history-arbitraries.js';
import type { ActionHistory } from './histories.js';
import { parametersArbitrary, type ParameterOverrides } from './parameters.js';
import { queryInputArbitrary, queryValuesOf, resolvedQueryArbitrary } from './queries.js';

/**
 * Options of {@link actionCenterArbitraries}.
 *
 * @example
 * ```ts
 * import type { ActionCenterArbitrariesOptions } from 'actioncenter/testing';
 * const options: ActionCenterArbitrariesOptions = { deviceGroups: ['Servers', 'Kiosks'], maxEvents: 4 };
 * ```
 */
export interface ActionCenterArbitrariesOptions {
  /** The action types to draw from. Default: the built-in catalogue. */
  readonly catalog?: Catalog;
  /** Arbitraries of parameters for types whose schema cannot be derived, by type id. */
  readonly parameters?: ParameterOverrides;
  /** Device groups of generated targets and role scopes. Default {@link DEFAULT_DEVICE_GROUPS}. */
  readonly deviceGroups?: readonly string[];
  /** Creation times of generated actions. Default: 2024-01-01 to 2027-01-01 (UTC). */
  readonly time?: { readonly min: number; readonly max: number };
  /** The most lifecycle events a generated history walks through after creation. Default 8. */
  readonly maxEvents?: number;
  /**
   * Draw text fields of targets (names, paths, queries, indicator values, URLs) and request comments
   * at or near their schema maximum half of the time, with characters JSON and SQL text must escape:
   * for checking that a store reads back everything the catalogue accepts. Default false.
   */
  readonly atLimits?: boolean;
}

/**
 * Arbitraries of every domain value. Requests are valid for the catalogue (target of the type's
 * kind, a source that takes its workload, parameters its schema accepts, the requester a principal
 * for manual sources and the system for automated ones); records come from a random walk through
 * the lifecycle and can be in every state it can reach.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { actionCenterArbitraries, type ActionCenterArbitraries } from 'actioncenter/testing';
 * const arbitraries: ActionCenterArbitraries = actionCenterArbitraries(fc);
 * fc.assert(fc.property(arbitraries.actionRecord, (a) => a.version >= 1));
 * ```
 */
export interface ActionCenterArbitraries {
  /** The catalogue the arbitraries draw from. */
  readonly catalog: Catalog;
  /** Ids of the catalogue's types. */
  readonly actionTypeId: Arbitrary<string>;
  /** The catalogue's types. */
  readonly actionType: Arbitrary<ActionTypeDefinition>;
  /** Parameters (input form) the type accepts. */
  parametersOf(actionType: ActionTypeDefinition | string): Arbitrary<Record<string, unknown>>;
  /** A target of any kind. */
  readonly target: Arbitrary<Target>;
  /** Parsed targets of one kind, on devices of `deviceGroups`. */
  targetOf<K extends TargetKind>(kind: K): Arbitrary<TargetOf<K>>;
  /** Any of the nine sources. */
  readonly source: Arbitrary<ActionSourceId>;
  /** A source that takes actions of the type: its workload, and the default source policy (seed 000's pairs). */
  sourceFor(actionType: ActionTypeDefinition | string): Arbitrary<ActionSourceId>;
  /** Actors: principals and system components. */
  readonly actor: Arbitrary<Actor>;
  /** Role assignments, unscoped or scoped to device groups, assigned where they count and sometimes not. */
  readonly roleAssignment: Arbitrary<RoleAssignment>;
  /** Principals with role assignments (some where they count, some not) and device-group scopes. */
  readonly principal: Arbitrary<Principal>;
  /** Valid requests as a caller writes them (before parsing). */
  readonly requestInput: Arbitrary<ActionRequestInput>;
  /** Valid requests after parsing. */
  readonly request: Arbitrary<ActionRequest>;
  /** Valid requests of one action type (a type or its id). */
  requestOf(actionType: ActionTypeDefinition | string): Arbitrary<ActionRequest>;
  /** A record and every version of it with its audit event; any reachable state. */
  readonly actionHistory: Arbitrary<ActionHistory>;
  /** Histories that end in `status` (for types that can reach it). */
  actionHistoryIn(status: ActionStatus): Arbitrary<ActionHistory>;
  /** Histories with distinct action ids. */
  actionHistories(constraints?: {
    readonly minLength?: number;
    readonly maxLength?: number;
  }): Arbitrary<ActionHistory[]>;
  /** Consistent records in any status, reached by a random walk over the lifecycle. */
  readonly actionRecord: Arbitrary<ActionRecord>;
  /** Consistent records ending in the given status. */
  actionRecordIn(status: ActionStatus): Arbitrary<ActionRecord>;
  /** Lifecycle events of any type, valid for `LifecycleEventSchema`. */
  readonly lifecycleEvent: Arbitrary<LifecycleEvent>;
  /** Audit events of generated histories. */
  readonly auditEvent: Arbitrary<AuditEvent>;
  /** Queries as users pass them to `list` and `exportCsv`. */
  readonly queryInput: Arbitrary<ActionQueryInput>;
  /** Resolved queries (what repositories receive) over the values of these records. */
  resolvedQueryOver(records: readonly ActionRecord[]): Arbitrary<ResolvedQuery>;
}

const DEFAULT_TIME = { min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) };

/**
 * For a type that checks its parameters against the target (`checkTarget`), parameters that name
 * what the target carries take the target's value (a soft delete's `networkMessageId`, a stop and
 * quarantine's `sha1`, a URL block's `url`), so generated requests agree with their targets.
 */
function alignedToTarget(
  type: ActionTypeDefinition,
  parameters: Record<string, unknown>,
  target: Target,
): Record<string, unknown> {
  if (type.checkTarget === null) return parameters;
  const fields = target as unknown as Record<string, unknown>;
  const aligned: Record<string, unknown> = { ...parameters };
  for (const key of Object.keys(parameters)) {
    if (key !== 'kind' && typeof fields[key] === 'string') aligned[key] = fields[key];
  }
  return aligned;
}

/**
 * Builds {@link ActionCenterArbitraries} with your fast-check, over a catalogue. Parameter
 * arbitraries are prepared for every type of the catalogue at once, so a type whose schema cannot
 * be derived fails here, with a {@link ParameterDerivationError} naming it: pass an override.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { z } from 'zod';
 * import { builtInActionTypes, createCatalog, defineActionType, unwrap } from 'actioncenter';
 * import { actionCenterArbitraries } from 'actioncenter/testing';
 * const wipe = defineActionType({ id: 'wipeDevice', displayName: 'Wipe device', workload: 'endpoint', targetKind: 'device',
 *   parameters: z.strictObject({ keepEnrollment: z.boolean().default(false) }) });
 * const catalog = unwrap(createCatalog([...builtInActionTypes, wipe]));
 * const { request, actionRecordIn } = actionCenterArbitraries(fc, { catalog });
 * fc.assert(fc.property(request, (r) => catalog.parseRequest(r).ok));
 * fc.sample(actionRecordIn('undoFailed'), 1)[0]?.status; // 'undoFailed'
 * ```
 */
export function actionCenterArbitraries(
  fc: FastCheck,
  options: ActionCenterArbitrariesOptions = {},
): ActionCenterArbitraries {
  assertSupportedFastCheck(fc, 'actionCenterArbitraries');
  const catalog = options.catalog ?? builtInCatalog;
  const types = catalog.types;
  if (types.length === 0) throw new Error('actionCenterArbitraries: the catalogue holds no action type');
  const deviceGroups = options.deviceGroups ?? DEFAULT_DEVICE_GROUPS;
  const time = options.time ?? DEFAULT_TIME;
  const maxEvents = options.maxEvents ?? 8;

  const typeOf = (t: ActionTypeDefinition | string): ActionTypeDefinition =>
    typeof t === 'string' ? catalog.require(t) : t;
  // Prepared up front: a type that cannot be derived is reported now, not in the middle of a run.
  const parameters = new Map(types.map((t) => [t.id, parametersArbitrary(fc, t, options.parameters)]));
  const atLimits = options.atLimits === true;
  const targets = targetArbitraries(fc, deviceGroups, atLimits);
  const actors = actorArbitraries(fc);
  const text = fc.string({ maxLength: 60 });
  const actionType = fc.constantFrom(...types);
  // Sources the center takes the type from: its workload, and seed 000's pairs (the default source policy).
  const sourcesFor = (t: ActionTypeDefinition) =>
    ACTION_SOURCE_IDS.filter(
      (s) => ACTION_SOURCES[s].workloads.includes(t.workload) && sourceTakes(DEFAULT_SOURCE_POLICY, s, t.id),
    );

  const parametersOf = (t: ActionTypeDefinition | string): Arbitrary<Record<string, unknown>> => {
    const type = typeOf(t);
    return parameters.get(type.id) ?? parametersArbitrary(fc, type, options.parameters);
  };
  const sourceFor = (t: ActionTypeDefinition | string): Arbitrary<ActionSourceId> => {
    const sources = sourcesFor(typeOf(t));
    if (sources.length === 0) throw new Error(`No action source takes ${typeOf(t).workload} actions`);
    return fc.constantFrom(...sources);
  };

  const requestInputs = new Map<ActionTypeDefinition, Arbitrary<ActionRequestInput>>();
  const requestInputOf = (t: ActionTypeDefinition | string): Arbitrary<ActionRequestInput> => {
    const type = typeOf(t);
    // Built once per type: histories chain on the type, and building arbitraries costs more than drawing from them.
    const known = requestInputs.get(type);
    if (known !== undefined) return known;
    const built = fc
      .record(
        {
          target: targets[type.targetKind] as Arbitrary<Target>,
          parameters: parametersOf(type),
          source: sourceFor(type),
          principal: actors.principal,
          investigationId: fc.option(fc.constantFrom('inv-1', 'inv-2', 'inv-3'), { nil: null }),
          // Seed 001: actions taken while investigating incidents and alerts carry their references.
          incidentId: fc.option(fc.constantFrom('inc-1', 'inc-2'), { nil: null }),
          alertId: fc.option(fc.constantFrom('alert-1', 'alert-2', 'alert-3'), { nil: null }),
          verdict: fc.option(fc.constantFrom('malicious' as const, 'suspicious' as const), { nil: null }),
          comment: fc.option(atLimits ? fc.oneof(text, fc.string({ minLength: 1992, maxLength: 2000 })) : text, {
            nil: null,
          }),
          propose: fc.boolean(),
          idempotencyKey: fc.option(fc.stringMatching(/^idem-[a-z0-9]{1,8}$/), { nil: null, freq: 2 }),
        },
        { noNullPrototype: true },
      )
      .map(({ principal, source, propose, ...rest }): ActionRequestInput => {
        // Automated sources are taken by the system, manual ones by a person (the engine insists).
        const automated = ACTION_SOURCES[source].automated;
        const system: Actor = {
          type: 'system',
          component: source === 'antivirus' ? 'antivirus' : 'automatedInvestigation',
        };
        const parameters = alignedToTarget(type, rest.parameters, rest.target);
        return {
          ...rest,
          parameters,
          actionType: type.id,
          source,
          requestedBy: automated ? system : principal,
          propose: automated ? false : propose,
        };
      })
      // A type that checks its parameters against the target: what alignment cannot make agree is left out.
      .filter((input) => type.checkTarget === null || catalog.parseRequest(input).ok);
    requestInputs.set(type, built);
    return built;
  };
  const parsed = (input: ActionRequestInput): ActionRequest => {
    const r = catalog.parseRequest(input);
    if (!r.ok)
      throw new Error(
        `actionCenterArbitraries built a request the catalogue refuses (${r.error.code}): ${r.error.message}`,
      );
    return r.value;
  };
  const requestOf = (t: ActionTypeDefinition | string) => requestInputOf(t).map(parsed);
  const requestInput = actionType.chain((t) => requestInputOf(t));

  // Records, histories and lifecycle events: random walks over the lifecycle from generated requests.
  const { actionHistory, actionHistoryIn, lifecycleEvent } = historyArbitraries(fc, {
    catalog,
    actionType,
    requestOf,
    actors,
    text,
    time,
    maxEvents,
  });

  const defaultQueryValues = queryValuesOf([]);
  return {
    catalog,
    actionTypeId: actionType.map((t) => t.id),
    actionType,
    parametersOf,
    target: fc.oneof(...(Object.values(targets) as Arbitrary<Target>[])),
    targetOf: <K extends TargetKind>(kind: K) => targets[kind] as Arbitrary<TargetOf<K>>,
    source: fc.constantFrom(...ACTION_SOURCE_IDS),
    sourceFor,
    actor: actors.any,
    roleAssignment: roleAssignmentArbitrary(fc, deviceGroups),
    principal: principalArbitrary(fc, deviceGroups),
    requestInput,
    request: requestInput.map(parsed),
    requestOf,
    actionHistory,
    actionHistoryIn,
    actionHistories: (constraints = {}) =>
      fc.uniqueArray(actionHistory, {
        selector: (h) => h.action.id,
        minLength: constraints.minLength ?? 0,
        maxLength: constraints.maxLength ?? 20,
      }),
    actionRecord: actionHistory.map((h) => h.action),
    actionRecordIn: (status) => actionHistoryIn(status).map((h) => h.action),
    lifecycleEvent,
    auditEvent: actionHistory.chain((h) => fc.constantFrom(...h.events)),
    queryInput: queryInputArbitrary(fc, {
      ...defaultQueryValues,
      actionTypes: types.map((t) => t.id),
      assets: ['LAPTOP-1', 'SRV-DB-01', 'alex@contoso.com', 'https://malicious.example/landing'],
      decidedBy: ['alice@contoso.com', 'system:expiry'],
      investigationIds: ['inv-1', 'inv-2'],
    }),
    resolvedQueryOver: (records) => resolvedQueryArbitrary(fc, records),
  };
}
