/**
 * Parameters valid for an action type: the hand-written arbitrary of a built-in type, an override
 * you pass, or one derived from the type's zod schema.
 *
 * @module
 */
import { builtInActionTypeMap, type ActionTypeDefinition } from 'actioncenter';
import { builtInParameterArbitraries, type BuiltInParameterArbitraries } from './built-in-parameters.js';
import type { Arbitrary, FastCheck } from './fast-check.js';
import { arbitraryFromSchema, ParameterDerivationError } from './schema-arbitrary.js';

/**
 * Your own arbitraries of parameters, by action type id, for types whose schema cannot be derived
 * (or whose values you want to shape). Each is a function of the fast-check instance in use.
 *
 * @example
 * ```ts
 * import type { ParameterOverrides } from 'actioncenter/testing';
 * const overrides: ParameterOverrides = {
 *   wipeDevice: (fc) => fc.record({ keepEnrollment: fc.boolean() }),
 * };
 * ```
 */
export type ParameterOverrides = {
  /** The arbitrary of one action type's parameters, by type id, built from your fast-check. */
  readonly [actionTypeId: string]: (fc: FastCheck) => Arbitrary<Record<string, unknown>>;
};

/**
 * An arbitrary of parameters that `actionType` accepts, in their input form (optional fields may be
 * absent). Chooses, in order: your override for the type id, the hand-written arbitrary of a
 * built-in type (only for the built-in definition itself, not a type of yours that reuses its id),
 * or one derived from the type's schema. Throws {@link ParameterDerivationError} when none applies.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { z } from 'zod';
 * import { defineActionType } from 'actioncenter';
 * import { parametersArbitrary } from 'actioncenter/testing';
 * const wipe = defineActionType({ id: 'wipeDevice', displayName: 'Wipe device', workload: 'endpoint', targetKind: 'device',
 *   parameters: z.strictObject({ keepEnrollment: z.boolean().default(false) }) });
 * fc.sample(parametersArbitrary(fc, wipe), 2); // e.g. [{}, { keepEnrollment: true }]
 * ```
 */
export function parametersArbitrary(
  fc: FastCheck,
  actionType: ActionTypeDefinition,
  overrides: ParameterOverrides = {},
): Arbitrary<Record<string, unknown>> {
  const override = Object.hasOwn(overrides, actionType.id) ? overrides[actionType.id] : undefined;
  if (override !== undefined) return override(fc);
  if (isBuiltIn(actionType)) {
    let builtIns = BUILT_INS.get(fc);
    if (builtIns === undefined) BUILT_INS.set(fc, (builtIns = builtInParameterArbitraries(fc)));
    return builtIns[actionType.id] as Arbitrary<Record<string, unknown>>;
  }
  const derived = arbitraryFromSchema(fc, actionType.parameters, { typeId: actionType.id });
  return derived.map((value) => {
    // Parameters are an object; a schema that accepts something else is a mistake in the type.
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ParameterDerivationError(actionType.id, [], 'the parameter schema accepts values that are not objects');
    }
    return value as Record<string, unknown>;
  });
}

// Built once per fast-check instance: building them costs more than drawing from them.
const BUILT_INS = new WeakMap<FastCheck, BuiltInParameterArbitraries>();

function isBuiltIn(
  actionType: ActionTypeDefinition,
): actionType is ActionTypeDefinition & { id: keyof typeof builtInActionTypeMap } {
  return (
    Object.hasOwn(builtInActionTypeMap, actionType.id) &&
    (builtInActionTypeMap as Record<string, ActionTypeDefinition>)[actionType.id] === actionType
  );
}
