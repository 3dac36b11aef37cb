/**
 * Arbitraries derived from zod 4 schemas: how the testing tools generate parameters for action
 * types they have no hand-written arbitrary for.
 *
 * The derivation reads the schema's definition (`schema._zod.def`) and covers the kinds parameter
 * schemas are made of: objects (strict or not), strings with lengths, regexes, prefixes, suffixes
 * and the formats zod gives a pattern (email, uuid, ...) or URLs, enums, literals, numbers and
 * integers with bounds and steps, booleans, null, nullable, optional, default, arrays, tuples,
 * records, unions (discriminated or not), readonly, catch and pipes. Refinements, trims and other
 * checks it cannot aim at are kept by filtering each value through the schema; a filter that
 * rejects value after value stops with an error naming the action type. Anything else (dates,
 * transforms on their own, lazy, custom, ...) is refused at once with a
 * {@link ParameterDerivationError}: give that type an override.
 *
 * @module
 */
import type { z } from 'zod';
import type { Arbitrary, FastCheck } from './fast-check.js';
import { assertSupportedFastCheck } from './fast-check.js';

/**
 * Why parameters could not be derived for an action type: the type, where in its schema, and
 * what was found there. Pass an override for the type (`parameters: { [typeId]: (fc) => ... }`).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { z } from 'zod';
 * import { arbitraryFromSchema, ParameterDerivationError } from 'actioncenter/testing';
 * try {
 *   arbitraryFromSchema(fc, z.object({ when: z.date() }), { typeId: 'scheduleScan' });
 * } catch (e) {
 *   if (e instanceof ParameterDerivationError) console.log(e.actionTypeId, e.path); // 'scheduleScan' ['when']
 * }
 * ```
 */
export class ParameterDerivationError extends Error {
  override readonly name = 'ParameterDerivationError';
  constructor(
    readonly actionTypeId: string,
    readonly path: readonly (string | number)[],
    readonly reason: string,
  ) {
    super(
      `Cannot generate parameters for action type "${actionTypeId}"${path.length > 0 ? ` at ${path.join('.')}` : ''}: ${reason}. ` +
        `Pass an arbitrary of your own: actionCenterArbitraries(fc, { parameters: { ${JSON.stringify(actionTypeId)}: (fc) => ... } }).`,
    );
  }
}

/**
 * Options of {@link arbitraryFromSchema}.
 *
 * @example
 * ```ts
 * import type { SchemaArbitraryOptions } from 'actioncenter/testing';
 * const options: SchemaArbitraryOptions = { typeId: 'wipeDevice', maxRejections: 200 };
 * ```
 */
export interface SchemaArbitraryOptions {
  /** Named in errors (the action type the schema belongs to). Default `'(schema)'`. */
  readonly typeId?: string;
  /**
   * How many values in a row the schema may reject (refinements, trims the derivation cannot aim
   * at) before generation stops with a {@link ParameterDerivationError}. Default 500.
   */
  readonly maxRejections?: number;
}

// The parts of zod's internal definitions the derivation reads. Structural, so that a schema from
// any zod 4 copy fits.
interface SchemaLike {
  readonly _zod: { readonly def: Def; readonly optin?: string };
  safeParse(value: unknown): { readonly success: boolean };
}
interface Def {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  readonly [key: string]: unknown;
}
interface CheckDef {
  readonly check: string;
  readonly [key: string]: unknown;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_EXTRA_LENGTH = 24;

/**
 * An arbitrary of values (in their input form) that `schema` accepts, derived from the schema's
 * definition. Throws {@link ParameterDerivationError} for schemas it cannot derive.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { z } from 'zod';
 * import { arbitraryFromSchema } from 'actioncenter/testing';
 * const schema = z.strictObject({ reason: z.string().min(3).max(40), level: z.int().min(1).max(5).default(3) });
 * fc.assert(fc.property(arbitraryFromSchema(fc, schema, { typeId: 'wipeDevice' }), (v) => schema.safeParse(v).success));
 * ```
 */
export function arbitraryFromSchema(
  fc: FastCheck,
  schema: z.ZodType,
  options: SchemaArbitraryOptions = {},
): Arbitrary<unknown> {
  assertSupportedFastCheck(fc, 'arbitraryFromSchema');
  const typeId = options.typeId ?? '(schema)';
  const maxRejections = options.maxRejections ?? 500;
  const root = schema as unknown as SchemaLike;

  const fail = (path: readonly (string | number)[], reason: string): never => {
    throw new ParameterDerivationError(typeId, path, reason);
  };

  /** Keeps what `node` accepts; stops with an error after too many rejections in a row. */
  const guard = <T>(arbitrary: Arbitrary<T>, node: SchemaLike, path: readonly (string | number)[]): Arbitrary<T> => {
    let inARow = 0;
    return arbitrary.filter((value) => {
      if (node.safeParse(value).success && !hasForbiddenKey(value)) {
        inARow = 0;
        return true;
      }
      inARow += 1;
      if (inARow > maxRejections) {
        fail(
          path,
          `the schema rejected ${maxRejections} generated values in a row (a refinement or check the derivation cannot aim at)`,
        );
      }
      return false;
    });
  };

  const derive = (node: SchemaLike, path: readonly (string | number)[]): Arbitrary<unknown> => {
    const def = node._zod.def;
    const checks = (def.checks ?? []).map((c) => c._zod.def);
    // Checks that only a filter can honour (refinements, overwrites such as trim).
    const needsFilter = checks.some((c) => c.check === 'custom' || c.check === 'overwrite');
    const filtered = <T>(arbitrary: Arbitrary<T>): Arbitrary<T> =>
      needsFilter ? guard(arbitrary, node, path) : arbitrary;
    switch (def.type) {
      case 'string':
        return guard(deriveString(def, checks, path), node, path);
      case 'number':
        return filtered(deriveNumber(def, checks, path));
      case 'boolean':
        return filtered(fc.boolean());
      case 'null':
        return fc.constant(null);
      case 'literal': {
        const values = def['values'] as readonly unknown[];
        return filtered(fc.constantFrom(...values.filter((v) => v !== undefined)));
      }
      case 'enum': {
        // Native enums map names to values and numbers back to names: keep what the schema accepts.
        const values = Object.values(def['entries'] as Record<string, string | number>).filter(
          (v) => node.safeParse(v).success,
        );
        if (values.length === 0) return fail(path, 'an enum with no values');
        return filtered(fc.constantFrom(...values));
      }
      case 'nullable':
        return filtered(fc.option(derive(inner(def, 'innerType'), path), { nil: null }));
      // Outside an object (where an absent key says it), a value is always given: `undefined` does not survive JSON.
      case 'optional':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'nonoptional':
      case 'catch':
        return filtered(derive(inner(def, 'innerType'), path));
      case 'object':
        return filtered(deriveObject(def, path));
      case 'array':
        return filtered(deriveArray(def, checks, path));
      case 'tuple': {
        const items = (def['items'] as readonly SchemaLike[]).map((item, i) => derive(item, [...path, i]));
        return filtered(fc.tuple(...items) as Arbitrary<unknown>);
      }
      case 'record':
        return filtered(deriveRecord(def, path));
      case 'union': {
        const options = def['options'] as readonly SchemaLike[];
        const derived: Arbitrary<unknown>[] = [];
        const errors: string[] = [];
        for (const option of options) {
          try {
            derived.push(derive(option, path));
          } catch (e) {
            if (!(e instanceof ParameterDerivationError)) throw e;
            errors.push(e.reason);
          }
        }
        if (derived.length === 0) return fail(path, `no option of the union can be derived (${errors.join('; ')})`);
        // A value may fit several options of a non-discriminated union in a way the schema refuses: check it.
        return guard(fc.oneof(...derived), node, path);
      }
      case 'pipe': {
        // `a.pipe(b)` and `a.transform(f)`: inputs are `a`'s; whatever `b` or `f` demand beyond that is checked.
        return guard(derive(inner(def, 'in'), path), node, path);
      }
      case 'any':
      case 'unknown':
        // Through JSON and back: parameters are stored as JSON, and -0 would come back as 0.
        return guard(
          fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown),
          node,
          path,
        );
      default:
        return fail(path, `zod "${def.type}" schemas are not supported (parameters must be plain JSON)`);
    }
  };

  const inner = (def: Def, key: string): SchemaLike => def[key] as SchemaLike;

  const deriveObject = (def: Def, path: readonly (string | number)[]): Arbitrary<unknown> => {
    const shape = def['shape'] as Record<string, SchemaLike>;
    const model: Record<string, Arbitrary<unknown>> = {};
    const requiredKeys: string[] = [];
    for (const key of Object.keys(shape)) {
      const field = shape[key] as SchemaLike;
      model[key] = derive(field, [...path, key]);
      // `optional` and `defaulted` (default, prefault) keys may be left out of the input.
      if (field._zod.optin !== 'optional' && field._zod.optin !== 'defaulted') requiredKeys.push(key);
    }
    return fc.record(model, { requiredKeys, noNullPrototype: true }) as Arbitrary<unknown>;
  };

  const deriveArray = (
    def: Def,
    checks: readonly CheckDef[],
    path: readonly (string | number)[],
  ): Arbitrary<unknown> => {
    const { min, max } = lengthBounds(checks);
    const element = derive(inner(def, 'element'), [...path, 0]);
    return fc.array(element, { minLength: min, maxLength: Math.min(max, min + 5) });
  };

  const deriveRecord = (def: Def, path: readonly (string | number)[]): Arbitrary<unknown> => {
    const keyType = inner(def, 'keyType');
    const value = derive(inner(def, 'valueType'), [...path, '*']);
    const keyDef = keyType._zod.def;
    if (keyDef.type === 'enum' || keyDef.type === 'literal') {
      // zod 4 records over an enum are exhaustive (every key present) unless made partial.
      const keys = (
        keyDef.type === 'enum'
          ? Object.values(keyDef['entries'] as Record<string, string>)
          : (keyDef['values'] as readonly string[])
      ).map(String);
      const model = Object.fromEntries(keys.map((k) => [k, value]));
      return fc.record(
        model,
        def['partial'] === true ? { requiredKeys: [], noNullPrototype: true } : { noNullPrototype: true },
      ) as Arbitrary<unknown>;
    }
    const key = derive(keyType, [...path, '(key)']).filter(
      (k): k is string => typeof k === 'string' && !FORBIDDEN_KEYS.has(k),
    );
    return fc.dictionary(key, value, { maxKeys: 4, noNullPrototype: true });
  };

  const deriveString = (
    def: Def,
    checks: readonly CheckDef[],
    path: readonly (string | number)[],
  ): Arbitrary<string> => {
    const { min, max } = lengthBounds(checks);
    let prefix = '';
    let suffix = '';
    const includes: string[] = [];
    const patterns: RegExp[] = [];
    let caseOf: 'lower' | 'upper' | null = null;
    // String formats (email, uuid, url, ...) are the schema itself (`z.email()`), or a check on a string.
    const formats: CheckDef[] = typeof def['format'] === 'string' ? [def as unknown as CheckDef] : [];
    for (const check of checks) {
      switch (check.check) {
        case 'min_length':
        case 'max_length':
        case 'length_equals':
        case 'overwrite':
        case 'custom':
          break;
        case 'string_format':
          switch (check['format']) {
            case 'regex':
              patterns.push(check['pattern'] as RegExp);
              break;
            case 'starts_with':
              prefix = String(check['prefix']);
              break;
            case 'ends_with':
              suffix = String(check['suffix']);
              break;
            case 'includes':
              includes.push(String(check['includes']));
              break;
            case 'lowercase':
              caseOf = 'lower';
              break;
            case 'uppercase':
              caseOf = 'upper';
              break;
            default:
              formats.push(check);
          }
          break;
        default:
          return fail(path, `the string check "${check.check}" is not supported`);
      }
    }
    const format = formats[0];
    if (format !== undefined) {
      if (format['format'] === 'url') return fc.webUrl({ withQueryParameters: true });
      const pattern = format['pattern'];
      if (pattern instanceof RegExp) return matching(pattern, path);
      return fail(path, `the string format "${String(format['format'])}" is not supported`);
    }
    const [pattern, ...more] = patterns;
    if (pattern !== undefined) {
      if (more.length > 0) return fail(path, 'a string with more than one regex is not supported');
      return matching(pattern, path);
    }
    const fixed = prefix.length + suffix.length + includes.reduce((n, s) => n + s.length, 0);
    const core = fc.string({
      minLength: Math.max(0, min - fixed),
      maxLength: Math.max(0, Math.min(max, min + MAX_EXTRA_LENGTH) - fixed),
    });
    return core.map((s) => {
      const value = prefix + includes.join('') + s + suffix;
      return caseOf === 'lower' ? value.toLowerCase() : caseOf === 'upper' ? value.toUpperCase() : value;
    });
  };

  const matching = (pattern: RegExp, path: readonly (string | number)[]): Arbitrary<string> => {
    try {
      return fc.stringMatching(pattern);
    } catch (cause) {
      return fail(
        path,
        `fast-check cannot generate strings matching ${String(pattern)} (${cause instanceof Error ? cause.message : String(cause)})`,
      );
    }
  };

  const deriveNumber = (
    def: Def,
    checks: readonly CheckDef[],
    path: readonly (string | number)[],
  ): Arbitrary<number> => {
    let min = -Number.MAX_VALUE;
    let max = Number.MAX_VALUE;
    let minExcluded = false;
    let maxExcluded = false;
    let integer = false;
    let step: number | null = null;
    const visit = (check: CheckDef) => {
      switch (check.check) {
        case 'greater_than': {
          const value = check['value'] as number;
          if (value > min || (value === min && check['inclusive'] !== true)) {
            min = value;
            minExcluded = check['inclusive'] !== true;
          }
          return;
        }
        case 'less_than': {
          const value = check['value'] as number;
          if (value < max || (value === max && check['inclusive'] !== true)) {
            max = value;
            maxExcluded = check['inclusive'] !== true;
          }
          return;
        }
        case 'number_format': {
          const range = NUMBER_FORMATS[String(check['format'])];
          if (range === undefined) return fail(path, `the number format "${String(check['format'])}" is not supported`);
          integer = integer || range.integer;
          min = Math.max(min, range.min);
          max = Math.min(max, range.max);
          return;
        }
        case 'multiple_of':
          step = check['value'] as number;
          return;
        case 'custom':
          return;
        default:
          return fail(path, `the number check "${check.check}" is not supported`);
      }
    };
    if (def['check'] === 'number_format') visit(def as unknown as CheckDef);
    for (const check of checks) visit(check);
    if (integer || step !== null) {
      const unit: number = step ?? 1;
      const low = Math.max(
        Math.ceil(min / unit) + (minExcluded && Number.isInteger(min / unit) ? 1 : 0),
        -Number.MAX_SAFE_INTEGER,
      );
      const high = Math.min(
        Math.floor(max / unit) - (maxExcluded && Number.isInteger(max / unit) ? 1 : 0),
        Number.MAX_SAFE_INTEGER,
      );
      if (low > high) return fail(path, 'no number fits the bounds');
      return fc.integer({ min: low, max: high }).map((k) => noNegativeZero(k * unit));
    }
    return fc.double({ min, max, minExcluded, maxExcluded, noNaN: true, noDefaultInfinity: true }).map(noNegativeZero);
  };

  const lengthBounds = (checks: readonly CheckDef[]): { min: number; max: number } => {
    let min = 0;
    let max = Number.MAX_SAFE_INTEGER;
    for (const check of checks) {
      if (check.check === 'min_length') min = Math.max(min, check['minimum'] as number);
      if (check.check === 'max_length') max = Math.min(max, check['maximum'] as number);
      if (check.check === 'length_equals') {
        min = Math.max(min, check['length'] as number);
        max = Math.min(max, check['length'] as number);
      }
    }
    return { min, max };
  };

  return guard(derive(root, []), root, []);
}

const NUMBER_FORMATS: Readonly<
  Record<string, { readonly integer: boolean; readonly min: number; readonly max: number }>
> = {
  safeint: { integer: true, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  int32: { integer: true, min: -(2 ** 31), max: 2 ** 31 - 1 },
  uint32: { integer: true, min: 0, max: 2 ** 32 - 1 },
  float32: { integer: false, min: -3.4028234663852886e38, max: 3.4028234663852886e38 },
  float64: { integer: false, min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
};

/** JSON has no -0 (it comes back as 0): generate 0, so that a stored value equals the one generated. */
function noNegativeZero(n: number): number {
  return Object.is(n, -0) ? 0 : n;
}

function hasForbiddenKey(value: unknown, depth = 0): boolean {
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasForbiddenKey(v, depth + 1));
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key) || hasForbiddenKey((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}
