/**
 * The catalogue: the action types an Action center knows, built from the built-ins plus the user's
 * own, checked for consistency once, then read many times.
 *
 * @module
 */
import * as z from 'zod';
import {
  describeIssues,
  toInputIssues,
  type DuplicateActionTypeError,
  type InvalidInputError,
  type InvalidParametersError,
  type SourceNotApplicableError,
  type TargetKindMismatchError,
  type UndoCounterpartWorkloadMismatchError,
  type UnknownActionTypeError,
  type UnknownUndoCounterpartError,
} from '../errors.js';
import {
  describeThrown,
  err,
  ok,
  safeParseInput,
  unreadableInput,
  ActionCenterException,
  type Result,
} from '../result.js';
import { ActionTypeMetaSchema, type ActionTypeDefinition, type TargetCheckIssue } from './action-type.js';
import { toPlainJson } from './json.js';
import { ActionRequestSchema, SafeObjectSchema, type ActionRequest } from './records.js';
import { ACTION_SOURCES } from './sources.js';
import type { Target } from './targets.js';

/**
 * Why a catalogue could not be built.
 *
 * @example
 * ```ts
 * import type { CatalogError } from 'actioncenter';
 * const code = (e: CatalogError) => e.code; // 'duplicateActionType' | ...
 * ```
 */
export type CatalogError =
  InvalidInputError | DuplicateActionTypeError | UnknownUndoCounterpartError | UndoCounterpartWorkloadMismatchError;

/**
 * Why a request could not be parsed against a catalogue.
 *
 * @example
 * ```ts
 * import type { RequestError } from 'actioncenter';
 * const isBadParams = (e: RequestError) => e.code === 'invalidParameters';
 * ```
 */
export type RequestError =
  | InvalidInputError
  | UnknownActionTypeError
  | InvalidParametersError
  | TargetKindMismatchError
  | SourceNotApplicableError;

/**
 * A checked, read-only set of action types.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * builtInCatalog.get('isolateDevice'); // { ok: true, value: { displayName: 'Isolate device', ... } }
 * ```
 */
export interface Catalog<T extends ActionTypeDefinition = ActionTypeDefinition> {
  /** Every type, in the order given. */
  readonly types: readonly T[];
  /** Is `id` a type of this catalogue? */
  has(id: string): id is T['id'];
  /** The type with this id, or an `unknownActionType` error. */
  get<Id extends T['id']>(id: Id): Result<Extract<T, { id: Id }>, UnknownActionTypeError>;
  get(id: string): Result<T, UnknownActionTypeError>;
  /** Like `get`, but throws {@link ActionCenterException}: for ids your own code holds, not for input. */
  require<Id extends T['id']>(id: Id): Extract<T, { id: Id }>;
  require(id: string): T;
  /** The type shown with this display name (`Quarantine file`). */
  byDisplayName(displayName: string): T | undefined;
  /** The type that undoes `id`, or `null` when it cannot be undone. */
  undoCounterpartOf(id: string): T | null;
  /** Validates parameters against the type's schema; issues' paths start at the parameters. */
  parseParameters(
    id: string,
    parameters: unknown,
  ): Result<Record<string, unknown>, UnknownActionTypeError | InvalidParametersError>;
  /** Validates a whole request: shape, type, target kind, source, parameters. Never throws. */
  parseRequest(input: unknown): Result<ActionRequest, RequestError>;
}

/**
 * Builds a catalogue from action types. Refuses, with a typed error, a malformed definition, a
 * duplicate id, an undo counterpart that does not exist, or a counterpart of another workload.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { createCatalog, builtInActionTypes, defineActionType } from 'actioncenter';
 * const wipe = defineActionType({
 *   id: 'wipeDevice', displayName: 'Wipe device', workload: 'endpoint', targetKind: 'device',
 *   parameters: z.object({ keepEnrollment: z.boolean().default(false) }),
 * });
 * const r = createCatalog([...builtInActionTypes, wipe]);
 * if (r.ok) r.value.get('wipeDevice');
 * ```
 */
export function createCatalog<const Types extends readonly ActionTypeDefinition[]>(
  types: Types,
): Result<Catalog<Types[number]>, CatalogError> {
  try {
    return buildCheckedCatalog(types);
  } catch (cause) {
    // A definition whose getters throw, or a revoked Proxy, after validation read it once.
    return err(unreadableInput('action types', cause));
  }
}

// The request's shape without its parameters: parseParameters checks them (plain JSON, bounded,
// then the type's schema) and answers invalidParameters with the path, as for any other parameter.
const RequestShapeSchema = ActionRequestSchema.extend({ parameters: z.unknown().default({}) });

const TypeListSchema = z.array(z.unknown()).max(10_000, 'must hold at most 10,000 action types');

function buildCheckedCatalog<const Types extends readonly ActionTypeDefinition[]>(
  input: Types,
): Result<Catalog<Types[number]>, CatalogError> {
  const list = safeParseInput(TypeListSchema, input, 'action types');
  if (!list.ok) return list;
  // The copy is read from here on: a Proxy of an array cannot answer differently the second time.
  const types = list.value as readonly Types[number][];
  const byId = new Map<string, Types[number]>();
  for (const [index, type] of types.entries()) {
    const meta = safeParseInput(ActionTypeMetaSchema, type, `action type at index ${index}`);
    if (!meta.ok) {
      const e = meta.error;
      return err({ ...e, issues: e.issues.map((i) => ({ ...i, path: [index, ...i.path] })) });
    }
    if (byId.has(type.id)) {
      return err({
        code: 'duplicateActionType',
        message: `Two action types have the id "${type.id}"`,
        actionTypeId: type.id,
      });
    }
    byId.set(type.id, type);
  }
  for (const type of byId.values()) {
    if (type.undo === null) continue;
    const counterpart = byId.get(type.undo.counterpart);
    if (counterpart === undefined) {
      return err({
        code: 'unknownUndoCounterpart',
        message: `"${type.id}" is undone by "${type.undo.counterpart}", which is not in the catalogue`,
        actionTypeId: type.id,
        counterpartId: type.undo.counterpart,
      });
    }
    if (counterpart.workload !== type.workload) {
      return err({
        code: 'undoCounterpartWorkloadMismatch',
        message: `"${type.id}" (${type.workload}) cannot be undone by "${counterpart.id}" (${counterpart.workload})`,
        actionTypeId: type.id,
        counterpartId: counterpart.id,
        workload: type.workload,
        counterpartWorkload: counterpart.workload,
      });
    }
  }
  return ok(buildCatalog([...byId.values()], byId));
}

/** An id for a message and payload, whatever was passed: `String()` of a Proxy can throw. */
function idText(id: unknown): string {
  if (typeof id === 'string') return id;
  try {
    return String(id).slice(0, 100);
  } catch {
    return `(${typeof id})`;
  }
}

function buildCatalog<T extends ActionTypeDefinition>(types: readonly T[], byId: ReadonlyMap<string, T>): Catalog<T> {
  const byDisplayName = new Map(types.map((t) => [t.displayName, t]));
  const unknown = (id: string): UnknownActionTypeError => ({
    code: 'unknownActionType',
    message: `Unknown action type "${id.slice(0, 100)}"`,
    actionTypeId: id,
  });
  const get = (id: string): Result<T, UnknownActionTypeError> => {
    const type = typeof id === 'string' ? byId.get(id) : undefined;
    return type === undefined ? err(unknown(idText(id))) : ok(type);
  };
  const parseParameters = (
    id: string,
    parameters: unknown,
  ): Result<Record<string, unknown>, UnknownActionTypeError | InvalidParametersError> => {
    const type = get(id);
    if (!type.ok) return type;
    // Plain JSON, bounded, prototype keys refused, before any user schema reads it: the schema gets
    // a plain copy, so a permissive one (z.record of z.unknown) cannot let a function, a cycle or a
    // 20,000-deep value through, and a getter or Proxy is read once, here.
    const safe = safeParseInput(SafeObjectSchema, parameters, 'parameters');
    if (!safe.ok) {
      const issues = safe.error.issues.map((i) => ({ ...i, path: ['parameters', ...i.path] }));
      return err({
        code: 'invalidParameters',
        message: `Invalid parameters for "${id}": ${describeIssues(issues)}`,
        actionTypeId: id,
        issues,
      });
    }
    let parsed: z.ZodSafeParseResult<unknown>;
    try {
      parsed = type.value.parameters.safeParse(safe.value);
    } catch (cause) {
      // A user-supplied schema that throws (a refinement with a bug) must not escape as an exception.
      return err({
        code: 'invalidParameters',
        message: `The parameter schema of "${id}" threw: ${describeThrown(cause)}`,
        actionTypeId: id,
        issues: [{ path: ['parameters'], code: 'custom', message: 'schema threw' }],
      });
    }
    if (!parsed.success) {
      const issues = toInputIssues(parsed.error.issues).map((i) => ({ ...i, path: ['parameters', ...i.path] }));
      return err({
        code: 'invalidParameters',
        message: `Invalid parameters for "${id}": ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        actionTypeId: id,
        issues,
      });
    }
    const data = parsed.data;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      return err({
        code: 'invalidParameters',
        message: `The parameter schema of "${id}" must produce an object`,
        actionTypeId: id,
        issues: [{ path: ['parameters'], code: 'invalid_type', message: 'expected an object' }],
      });
    }
    // What the schema produced is stored: it must be plain JSON too (a transform may add a Date).
    const output = toPlainJson(data);
    if (!output.ok) {
      const issue = { ...output.error, path: ['parameters', ...output.error.path] };
      return err({
        code: 'invalidParameters',
        message: `The parameter schema of "${id}" produced data that is not plain JSON: ${describeIssues([issue])}`,
        actionTypeId: id,
        issues: [issue],
      });
    }
    return ok(output.value as Record<string, unknown>);
  };
  const catalog: Catalog<T> = {
    types,
    has: (id: string): id is T['id'] => byId.has(id),
    get: get as Catalog<T>['get'],
    require: ((id: string) => {
      const r = get(id);
      if (!r.ok) throw new ActionCenterException(r.error);
      return r.value;
    }) as Catalog<T>['require'],
    byDisplayName: (name) => byDisplayName.get(name),
    undoCounterpartOf: (id) => {
      const type = byId.get(id);
      return type?.undo ? (byId.get(type.undo.counterpart) ?? null) : null;
    },
    parseParameters,
    parseRequest: (input) => {
      const shape = safeParseInput(RequestShapeSchema, input, 'action request');
      if (!shape.ok) return shape;
      const request = shape.value;
      const type = get(request.actionType);
      if (!type.ok) return type;
      if (request.target.kind !== type.value.targetKind) {
        return err({
          code: 'targetKindMismatch',
          message: `"${type.value.id}" acts on a ${type.value.targetKind}, not a ${request.target.kind}`,
          actionTypeId: type.value.id,
          expected: type.value.targetKind,
          actual: request.target.kind,
        });
      }
      const source = ACTION_SOURCES[request.source];
      if (!source.workloads.includes(type.value.workload)) {
        return err({
          code: 'sourceNotApplicable',
          message: `"${source.label}" does not take ${type.value.workload} actions such as "${type.value.displayName}"`,
          actionTypeId: type.value.id,
          source: request.source,
          workload: type.value.workload,
        });
      }
      const parameters = parseParameters(type.value.id, request.parameters);
      if (!parameters.ok) return parameters;
      const mismatch = checkAgainstTarget(type.value, parameters.value, request.target);
      if (mismatch !== null) return err(mismatch);
      return ok({ ...request, parameters: parameters.value });
    },
  };
  return Object.freeze(catalog);
}

/** The type's {@link ActionTypeDefinition.checkTarget} verdict as an error, or null when consistent. */
function checkAgainstTarget(
  type: ActionTypeDefinition,
  parameters: Record<string, unknown>,
  target: Target,
): InvalidParametersError | null {
  if (type.checkTarget === null) return null;
  let found: readonly TargetCheckIssue[];
  try {
    const answer: unknown = (type.checkTarget as (parameters: unknown, target: unknown) => unknown)(parameters, target);
    if (!Array.isArray(answer)) throw new TypeError('the check did not return an array of issues');
    found = answer.map((issue: unknown) => {
      const { path, message } = (issue ?? {}) as { path?: unknown; message?: unknown };
      return {
        path: Array.isArray(path) ? path.map((p: unknown) => (typeof p === 'number' ? p : String(p))) : [],
        message: typeof message === 'string' ? message : 'does not match the target',
      };
    });
  } catch (cause) {
    found = [{ path: [], message: `the check against the target threw: ${describeThrown(cause)}` }];
  }
  if (found.length === 0) return null;
  const issues = found.map((i) => ({ path: ['parameters', ...i.path], code: 'target_mismatch', message: i.message }));
  return {
    code: 'invalidParameters',
    message: `Invalid parameters for "${type.id}": ${describeIssues(issues)}`,
    actionTypeId: type.id,
    issues,
  };
}
