/**
 * Issue 17, "and vice versa": valid documents, mutated (a field dropped, replaced by a wrong type, a
 * boundary string, a bad enum or hash, a number out of range; an extra property; an array item
 * added or removed), get the same answer from the zod schema and the JSON Schema. Where they differ,
 * the JSON Schema accepts, zod refuses, and every one of zod's reasons is a documented exception
 * (src/json-schema/exceptions.ts); any other difference fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_NAMES } from '../../src/json-schema/index.js';
import { VALID_DOCUMENTS } from './documents.js';
import { ajvAccepts, asJson, compare, explainedBy, zodAccepts } from './support.js';

type Path = readonly (string | number)[];

/** Every path into a JSON value, the root included. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const paths: Path[] = [path];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...pathsOf(item, [...path, i])));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...path, key]));
  }
  return paths;
}

const hex = (n: number, digit = 'a') => digit.repeat(n);
const LENGTHS = [63, 64, 65, 100, 101, 200, 201, 320, 321, 500, 501, 1024, 1025, 2000, 2001, 4096, 4097];

/** Values a mutation puts in place of a field or item: wrong types, boundaries, bad enums and hashes. */
const HOSTILE_VALUE: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1,
    1.5,
    -0.5,
    2 ** 53,
    2 ** 53 - 1,
    8.64e15,
    8.64e15 + 1,
    1e308,
    '',
    ' ',
    '   ',
    'x',
    'notAValidEnumValue',
    'pending',
    'device',
    'principal',
    'system',
    'pastDay',
    'UTC',
    '\u0000',
    'a\u0007b',
    'a\u200bb',
    'tab\there',
    'line\nbreak',
    '\u{1F600}',
    '\ud800',
    hex(40),
    hex(40, 'A'),
    hex(40, 'g'),
    hex(39),
    hex(64),
    hex(64, 'F'),
    hex(64, 'z'),
    hex(63),
    hex(65),
    'alice@contoso.com',
    'not-an-email',
    'https://contoso.com/x',
    [],
    {},
    [1],
    ['x'],
    { a: 1 },
    { kind: 'device' },
  ),
  fc.constantFrom(...LENGTHS).map((n) => 'x'.repeat(n)),
  fc.integer({ min: -2, max: 2_000_000 }),
  fc.string({ maxLength: 8 }),
);

const EXTRA_KEY = fc.constantFrom('extra', 'kind', 'code', 'constructor', 'prototype', '__proto__', 'id', '');

type Mutation =
  | { readonly op: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly op: 'drop'; readonly at: number }
  | { readonly op: 'add'; readonly at: number; readonly key: string; readonly value: unknown };

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: HOSTILE_VALUE }),
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: EXTRA_KEY, value: HOSTILE_VALUE }),
);

/** The document with one mutation applied (a fresh copy; `__proto__` added as an own key, as JSON.parse makes it). */
function mutate(original: unknown, mutation: Mutation): unknown {
  const document = asJson(original);
  const paths = pathsOf(document);
  const path = paths[mutation.at % paths.length] ?? [];
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  let parent: unknown = document;
  for (const key of parentPath) parent = (parent as Record<string | number, unknown>)[key];
  const target = path.length === 0 ? document : (parent as Record<string | number, unknown>)[last as string | number];
  const define = (holder: object, key: string | number, value: unknown) =>
    Object.defineProperty(holder, key, { value, enumerable: true, writable: true, configurable: true });
  switch (mutation.op) {
    case 'replace':
      if (path.length === 0) return mutation.value;
      define(parent as object, last as string | number, mutation.value);
      return document;
    case 'drop':
      // No document at all: what a missing body parses to.
      if (path.length === 0) return null;
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete (parent as Record<string, unknown>)[last as string];
      return document;
    case 'add':
      if (Array.isArray(target)) target.push(mutation.value);
      else if (typeof target === 'object' && target !== null) define(target, mutation.key, mutation.value);
      else if (path.length > 0) define(parent as object, last as string | number, mutation.value);
      return document;
  }
}

describe('mutated documents: zod and the JSON Schema agree (issue 17)', () => {
  for (const name of JSON_SCHEMA_NAMES) {
    it(`${name}: one mutation`, { timeout: 180_000 }, () => {
      fc.assert(
        fc.property(VALID_DOCUMENTS[name], MUTATION, (value, mutation) => {
          const document = mutate(value, mutation);
          expect({ mutation, ...compare(name, document) }).toMatchObject({ agree: true });
        }),
        { numRuns: 400 },
      );
    });

    it(`${name}: two or three mutations`, { timeout: 180_000 }, () => {
      fc.assert(
        fc.property(VALID_DOCUMENTS[name], fc.array(MUTATION, { minLength: 2, maxLength: 3 }), (value, mutations) => {
          const document = mutations.reduce<unknown>((doc, m) => mutate(doc, m), value);
          expect({ mutations, ...compare(name, document) }).toMatchObject({ agree: true });
        }),
        { numRuns: 150 },
      );
    });
  }

  it('the mutations do break documents (both validators refuse some, and they agree on those)', () => {
    let refused = 0;
    for (const [value, mutation] of fc.sample(fc.tuple(VALID_DOCUMENTS.ActionRecord, MUTATION), {
      numRuns: 200,
      seed: 17,
    })) {
      const document = mutate(value, mutation);
      if (!zodAccepts('ActionRecord', document) && !ajvAccepts('ActionRecord', document)) refused += 1;
    }
    expect(refused).toBeGreaterThan(50);
  });

  it('a disagreement that is no documented exception is reported (the comparison can fail)', () => {
    // A record whose status is not a status: both refuse, and they agree.
    const doc = { status: 'notAStatus' };
    expect(compare('ActionRecord', doc).agree).toBe(true);
    // Were the JSON Schema to accept what zod refuses for an undocumented reason, explainedBy says null.
    expect(explainedBy('Target', { kind: 'device' })).toBeNull();
  });
});
