import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { builtInActionTypes, builtInCatalog, parseActionRequest } from '../../src/index.js';
import { ACTION_SOURCE_IDS, TARGET_KINDS } from '../../src/adapter-kit.js';
import { builtInParameterArbitraries, type BuiltInParameterArbitraries } from 'actioncenter/testing';

/** Parsed values are stored as JSON: the trip through JSON must give back what was parsed. */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

// Arbitraries of valid parameters, keyed by type id, from the testing subpath. Their mapped type makes
// a missing id a compile error; the first test below makes it a runtime failure too.
const validParameters: BuiltInParameterArbitraries = builtInParameterArbitraries(fc);

const typeIds = builtInActionTypes.map((t) => t.id);

/** Accepted values must parse again, after a trip through JSON, to exactly themselves. */
function expectRoundTrip(id: string, input: unknown): boolean {
  const first = builtInCatalog.parseParameters(id, input);
  if (!first.ok) return false;
  expect(viaJson(first.value)).toStrictEqual(first.value);
  const second = builtInCatalog.parseParameters(id, viaJson(first.value));
  expect(second).toStrictEqual(first);
  return true;
}

describe('parameter schemas round-trip through JSON', () => {
  it('an arbitrary of valid parameters exists for every built-in type id, and for no other', () => {
    expect(Object.keys(validParameters).sort()).toEqual([...typeIds].sort());
  });

  it.each(typeIds)(
    '%s: every valid parameter value is accepted, and accepted again after JSON.stringify/parse with an equal result',
    (id) => {
      const arbitrary = validParameters[id] as fc.Arbitrary<unknown>;
      fc.assert(
        fc.property(arbitrary, (parameters) => {
          expect(expectRoundTrip(id, parameters)).toBe(true);
        }),
        { numRuns: 100 },
      );
    },
  );

  it.each(typeIds)(
    '%s: whatever JSON value the schema accepts, it accepts again after a JSON round trip, unchanged',
    (id) => {
      const valid = validParameters[id] as fc.Arbitrary<Record<string, unknown>>;
      // Random JSON alone rarely fits a schema: also valid values with random keys and values mixed in.
      const mixed = fc
        .tuple(
          valid,
          fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
          fc.boolean(),
        )
        .map(([base, extra, extraFirst]) => (extraFirst ? { ...extra, ...base } : { ...base, ...extra }));
      const overridden = fc
        .tuple(valid, fc.jsonValue({ maxDepth: 2 }))
        .map(([base, v]) => Object.fromEntries(Object.keys(base).map((k, i) => [k, i === 0 ? v : base[k]])));
      let accepted = 0;
      fc.assert(
        fc.property(fc.oneof(fc.jsonValue(), fc.object(), mixed, overridden, valid), (input) => {
          if (expectRoundTrip(id, input)) accepted += 1;
        }),
        { numRuns: 150 },
      );
      // The property is not vacuous: some inputs were accepted and so checked.
      expect(accepted).toBeGreaterThan(0);
    },
  );
});

describe('parsing never throws', () => {
  const anything = fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
  });

  it('parseActionRequest of any value returns a Result', () => {
    fc.assert(
      fc.property(anything, (input) => {
        const r = parseActionRequest(input);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });

  it('catalog.parseParameters of any value, for any id, returns a Result', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...typeIds), fc.string()), anything, (id, parameters) => {
        const r = builtInCatalog.parseParameters(id, parameters);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });

  it('catalog.parseRequest of a well-shaped request with any type, target kind, source and parameters returns a Result', () => {
    const request = fc.record({
      actionType: fc.oneof(fc.constantFrom(...typeIds), fc.string()),
      target: fc.oneof(
        fc
          .constantFrom(...TARGET_KINDS)
          .map((kind) => ({ kind, deviceId: 'd1', deviceName: 'PC-1', deviceGroup: 'G', path: 'C:\\x.exe' })),
        anything,
      ),
      parameters: fc.oneof(anything, fc.dictionary(fc.string(), anything)),
      source: fc.oneof(fc.constantFrom(...ACTION_SOURCE_IDS), anything),
      requestedBy: fc.constant({ type: 'principal', id: 'alice@contoso.com' }),
    });
    fc.assert(
      fc.property(request, (input) => {
        const r = builtInCatalog.parseRequest(input);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(typeof r.error.message).toBe('string');
      }),
    );
  });

  it('an accepted request is JSON-faithful and parses again to itself', () => {
    const request = fc.constantFrom(...builtInActionTypes.filter((t) => t.targetKind === 'device')).chain((type) =>
      (validParameters[type.id] as fc.Arbitrary<Record<string, unknown>>).map((parameters) => ({
        actionType: type.id,
        target: { kind: 'device', deviceId: 'd1', deviceName: 'PC-1', deviceGroup: 'G' },
        parameters,
        source: 'manualDeviceAction',
        requestedBy: { type: 'principal', id: 'alice@contoso.com' },
      })),
    );
    fc.assert(
      fc.property(request, (input) => {
        const first = parseActionRequest(input);
        expect(first.ok).toBe(true);
        if (!first.ok) return;
        expect(viaJson(first.value)).toStrictEqual(first.value);
        expect(parseActionRequest(viaJson(first.value))).toStrictEqual(first);
      }),
    );
  });
});
