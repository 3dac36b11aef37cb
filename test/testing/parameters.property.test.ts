/**
 * Parameters valid for a type: every generated value passes the type's schema, for every built-in
 * type (hand-written arbitraries) and for custom types (derived from their zod schemas); what cannot
 * be derived fails at once, naming the type, and an override fixes it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  builtInActionTypeMap,
  builtInActionTypes,
  builtInCatalog,
  createCatalog,
  defineActionType,
  unwrap,
  type ActionTypeDefinition,
} from 'actioncenter';
import {
  BUILT_IN_PARAMETER_EXAMPLES,
  ParameterDerivationError,
  actionCenterArbitraries,
  arbitraryFromSchema,
  builtInParameterArbitraries,
  parametersArbitrary,
} from 'actioncenter/testing';

const RUNS = 100;
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** The catalogue accepts the value, and accepts its JSON round trip with the same result. */
function acceptedByCatalog(
  catalog: { parseParameters: (id: string, p: unknown) => { ok: boolean } },
  id: string,
  value: unknown,
): void {
  const first = catalog.parseParameters(id, value);
  expect(first.ok, `${id}: ${JSON.stringify(first)}`).toBe(true);
  expect(catalog.parseParameters(id, viaJson(value))).toStrictEqual(first);
}

describe('built-in types: hand-written arbitraries', () => {
  it('there is an arbitrary and an example for every built-in type id, and for no other', () => {
    const ids = builtInActionTypes.map((t) => t.id).sort();
    expect(Object.keys(builtInParameterArbitraries(fc)).sort()).toEqual(ids);
    expect(Object.keys(BUILT_IN_PARAMETER_EXAMPLES).sort()).toEqual(ids);
  });

  it.each(builtInActionTypes.map((t) => [t.id, t] as const))(
    '%s: parametersArbitrary gives values its schema accepts; its example is accepted too',
    (id, type) => {
      fc.assert(
        fc.property(parametersArbitrary(fc, type), (p) => acceptedByCatalog(builtInCatalog, id, p)),
        { numRuns: RUNS },
      );
      acceptedByCatalog(builtInCatalog, id, BUILT_IN_PARAMETER_EXAMPLES[id]);
    },
  );

  it('a type of yours that reuses a built-in id gets parameters from its own schema, not the built-in arbitrary', () => {
    const mine = defineActionType({
      id: 'isolateDevice',
      displayName: 'Isolate (mine)',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.strictObject({ vlan: z.int().min(1).max(4094) }),
    });
    expect(mine).not.toBe(builtInActionTypeMap.isolateDevice);
    fc.assert(
      fc.property(parametersArbitrary(fc, mine), (p) => mine.parameters.safeParse(p).success),
      { numRuns: RUNS },
    );
  });
});

const custom = (id: string, parameters: z.ZodType, targetKind: 'device' | 'mailbox' = 'device') =>
  defineActionType({
    id,
    displayName: id,
    workload: targetKind === 'device' ? 'endpoint' : 'email',
    targetKind,
    parameters,
  });

const CUSTOM_TYPES: readonly ActionTypeDefinition[] = [
  custom(
    'wipeDevice',
    z.object({
      keepEnrollment: z.boolean().default(false),
      reason: z.string().min(3).max(40),
      notify: z.email().optional(),
      ticket: z.string().nullable(),
    }),
  ),
  custom(
    'quarantineMailbox',
    z.strictObject({
      mode: z.enum(['soft', 'hard']),
      days: z.int().min(1).max(90),
      ratio: z.number().gt(0).lt(1),
      step: z.number().int().multipleOf(5).min(0).max(100),
      note: z.string().trim().min(1).max(20).nullable().default(null),
      shout: z.string().uppercase().max(10).optional(),
    }),
    'mailbox',
  ),
  custom(
    'tagDevice',
    z.strictObject({
      tags: z
        .array(z.string().regex(/^[a-z]{2,8}$/))
        .min(1)
        .max(4),
      labels: z.record(z.string().min(1).max(5), z.boolean()),
      weights: z.record(z.enum(['low', 'high']), z.int().nonnegative()),
      maybeWeights: z.partialRecord(z.enum(['a', 'b', 'c']), z.boolean()),
      pair: z.tuple([z.literal('x'), z.uuid()]),
    }),
  ),
  custom(
    'notifyOwner',
    z.strictObject({
      channel: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('email'), to: z.email() }),
        z.strictObject({ kind: z.literal('webhook'), url: z.url({ protocol: /^https$/ }) }),
      ]),
      reference: z.string().startsWith('AC-').endsWith('!').max(16),
      level: z.union([z.literal(1), z.literal(2), z.literal('max')]),
      extra: z.unknown().optional(),
    }),
  ),
  // A refinement across fields, and a transform: kept by filtering through the schema.
  custom(
    'rotateKeys',
    z
      .strictObject({
        from: z.int().min(0).max(100),
        to: z.int().min(0).max(100),
        label: z
          .string()
          .max(8)
          .transform((s) => s.toUpperCase()),
      })
      .refine((r) => r.from <= r.to, 'from after to'),
  ),
  custom(
    'pipeline',
    z.strictObject({
      port: z
        .string()
        .regex(/^\d{1,5}$/)
        .pipe(z.string().max(4)),
      flags: z.array(z.boolean()).length(3).readonly(),
    }),
  ),
];
const catalog = unwrap(createCatalog([...builtInActionTypes, ...CUSTOM_TYPES]));

describe('custom types: parameters derived from zod schemas', () => {
  it.each(CUSTOM_TYPES.map((t) => [t.id, t] as const))(
    '%s: every derived value passes the schema and the catalogue',
    (id, type) => {
      fc.assert(
        fc.property(parametersArbitrary(fc, type), (p) => {
          expect(type.parameters.safeParse(p).success, JSON.stringify(p)).toBe(true);
          acceptedByCatalog(catalog, id, p);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it('optional and defaulted keys are sometimes given and sometimes left out; nullable ones are sometimes null', () => {
    const [wipe] = CUSTOM_TYPES;
    if (wipe === undefined) throw new Error('no custom type');
    const values = fc.sample(parametersArbitrary(fc, wipe), { numRuns: 300, seed: 42 });
    for (const key of ['keepEnrollment', 'notify']) {
      expect(values.some((v) => key in v)).toBe(true);
      expect(values.some((v) => !(key in v))).toBe(true);
    }
    expect(values.some((v) => v['ticket'] === null)).toBe(true);
    expect(values.some((v) => typeof v['ticket'] === 'string')).toBe(true);
  });

  it('derived values are plain JSON: a trip through JSON gives them back unchanged (no -0, no undefined)', () => {
    const schema = z.strictObject({
      n: z.number(),
      i: z.int(),
      list: z.array(z.number()).max(5),
      anything: z.unknown(),
      maybe: z.string().optional(),
    });
    fc.assert(
      fc.property(arbitraryFromSchema(fc, schema, { typeId: 'jsonOnly' }), (v) => {
        expect(JSON.parse(JSON.stringify(v))).toStrictEqual(v);
      }),
      { numRuns: 1000 },
    );
  });

  it('both branches of a discriminated union are generated', () => {
    const notify = CUSTOM_TYPES.find((t) => t.id === 'notifyOwner') as ActionTypeDefinition;
    const kinds = new Set(
      fc
        .sample(parametersArbitrary(fc, notify), { numRuns: 200, seed: 7 })
        .map((v) => (v['channel'] as { kind: string }).kind),
    );
    expect([...kinds].sort()).toEqual(['email', 'webhook']);
  });

  it('requests over a catalogue with custom types are valid for it', () => {
    const { request } = actionCenterArbitraries(fc, { catalog });
    fc.assert(
      fc.property(request, (r) => catalog.parseRequest(r).ok),
      { numRuns: RUNS },
    );
  });
});

describe('what cannot be derived fails at once, naming the type; an override fixes it', () => {
  const scheduled = custom('scheduleScan', z.strictObject({ at: z.date(), label: z.string() }));

  it.each([
    ['a date', z.strictObject({ at: z.date() }), ['at']],
    ['a bigint', z.strictObject({ big: z.bigint() }), ['big']],
    ['a lazy schema', z.strictObject({ tree: z.lazy(() => z.string()) }), ['tree']],
    ['a custom schema', z.strictObject({ x: z.custom<string>((v) => typeof v === 'string') }), ['x']],
    ['two regexes on one string', z.strictObject({ s: z.string().regex(/a/).regex(/b/) }), ['s']],
    ['a union of nothing derivable', z.strictObject({ u: z.union([z.date(), z.bigint()]) }), ['u']],
  ])('%s', (_, schema, path) => {
    let error: unknown;
    try {
      arbitraryFromSchema(fc, schema, { typeId: 'myType' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParameterDerivationError);
    expect(error).toMatchObject({ actionTypeId: 'myType', path });
    expect(String(error)).toMatch(/"myType".*parameters: \{ "myType": \(fc\) => \.\.\. \}/s);
  });

  it('actionCenterArbitraries refuses a catalogue with such a type, naming it', () => {
    const withDate = unwrap(createCatalog([...builtInActionTypes, scheduled]));
    expect(() => actionCenterArbitraries(fc, { catalog: withDate })).toThrow(/"scheduleScan" at at/);
  });

  it('an override for the type is used instead', () => {
    const withDate = unwrap(createCatalog([...builtInActionTypes, scheduled]));
    const overridden = actionCenterArbitraries(fc, {
      catalog: withDate,
      parameters: {
        scheduleScan: (f) =>
          f.record({ at: f.constant(new Date(Date.UTC(2026, 0, 1))), label: f.constantFrom('nightly', 'weekly') }),
      },
    });
    fc.assert(
      fc.property(overridden.parametersOf('scheduleScan'), (p) => scheduled.parameters.safeParse(p).success),
      { numRuns: 20 },
    );
  });

  it('a refinement nothing passes stops generation with an error naming the type, instead of looping', () => {
    const impossible = custom(
      'impossible',
      z.strictObject({ n: z.int().min(0).max(10) }).refine(() => false),
    );
    expect(() => fc.sample(parametersArbitrary(fc, impossible), 1)).toThrow(
      /"impossible".*rejected 500 generated values in a row/,
    );
  });

  it('a schema that accepts values other than objects is refused when drawn from', () => {
    const notAnObject = custom('notAnObject', z.string());
    expect(() => fc.sample(parametersArbitrary(fc, notAnObject), 1)).toThrow(/"notAnObject".*not objects/);
  });
});
