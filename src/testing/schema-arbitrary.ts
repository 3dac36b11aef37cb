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
import { hasForbiddenKey, schemaKindHandlers, type SchemaLike } from './schema-kinds.js';

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

  // The kinds that hold other schemas, strings and numbers; each calls back into `derive` for what it holds.
  const { inner, deriveObject, deriveArray, deriveRecord, deriveString, deriveNumber } = schemaKindHandlers({
    fc,
    fail,
    derive: (node, path) => derive(node, path),
  });

  return guard(derive(root, []), root, []);
}
