/**
 * The kind handlers of `arbitraryFromSchema`: objects, arrays, records, strings (lengths, regexes,
 * prefixes, formats) and numbers (bounds, steps, formats), and the structural types of the zod
 * definitions they read. The walker (`./schema-arbitrary.ts`) dispatches on the kind and calls these.
 *
 * @module
 */
import type { Arbitrary, FastCheck } from './fast-check.js';

// The parts of zod's internal definitions the derivation reads. Structural, so that a schema from
// any zod 4 copy fits.
export interface SchemaLike {
  readonly _zod: { readonly def: Def; readonly optin?: string };
  safeParse(value: unknown): { readonly success: boolean };
}
export interface Def {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  readonly [key: string]: unknown;
}
export interface CheckDef {
  readonly check: string;
  readonly [key: string]: unknown;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_EXTRA_LENGTH = 24;

/** What the handlers need from the walker: the caller's fast-check, its failure, and `derive` for inner schemas. */
export interface DeriveContext {
  readonly fc: FastCheck;
  readonly fail: (path: readonly (string | number)[], reason: string) => never;
  readonly derive: (node: SchemaLike, path: readonly (string | number)[]) => Arbitrary<unknown>;
}

/** The handlers, closed over the walker's context as they were when they lived inside it. */
export function schemaKindHandlers(context: DeriveContext) {
  const { fc, fail, derive } = context;

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

  return { inner, deriveObject, deriveArray, deriveRecord, deriveString, deriveNumber };
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

export function hasForbiddenKey(value: unknown, depth = 0): boolean {
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasForbiddenKey(v, depth + 1));
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key) || hasForbiddenKey((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}
