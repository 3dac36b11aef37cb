// toPlainJson copies flat parameter objects (the common case) on a fast path. Whatever it accepts
// there must come out exactly as the full walk gives it: wrapping a value one level down ({ w: v })
// sends it through the full walk, so the two answers can be compared.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { PLAIN_JSON_LIMITS, toPlainJson } from '../../src/adapter-kit.js';

const viaFullWalk = (value: unknown) => {
  const r = toPlainJson({ w: value });
  return r.ok
    ? { ok: true as const, value: (r.value as { w: unknown }).w }
    : { ok: false as const, code: r.error.code };
};

const flatValue = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(Number.NaN),
);
const flatObject = fc.oneof(
  fc.dictionary(fc.string(), flatValue, { maxKeys: 70 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'a', 'b'), flatValue),
  fc.dictionary(fc.string(), flatValue, { noNullPrototype: false }),
);

test('property: the fast path answers exactly as the full walk does, for flat objects and anything else', () => {
  fc.assert(
    // Not undefined at the root: one level down, an undefined member is dropped rather than refused.
    fc.property(
      fc.oneof(flatObject, fc.anything()).filter((v) => v !== undefined),
      (value) => {
        const fast = toPlainJson(value);
        const full = viaFullWalk(value);
        expect(fast.ok).toBe(full.ok);
        if (fast.ok && full.ok) expect(fast.value).toStrictEqual(full.value);
        if (!fast.ok && !full.ok) expect(fast.error.code).toBe(full.code);
      },
    ),
    { numRuns: 1000 },
  );
});

test('the size limit holds on the fast path too (a flat object just over it is refused)', () => {
  const big = { text: 'x'.repeat(PLAIN_JSON_LIMITS.maxSize) };
  expect(toPlainJson(big).ok).toBe(false);
  const fits = { text: 'x'.repeat(PLAIN_JSON_LIMITS.maxSize - 100) };
  expect(toPlainJson(fits).ok).toBe(true);
});

test('a getter or a symbol key on a flat object is refused, not copied', () => {
  expect(
    toPlainJson({
      get a() {
        return 1;
      },
    }).ok,
  ).toBe(false);
  expect(toPlainJson({ [Symbol('s')]: 1 }).ok).toBe(false);
});
