/**
 * Regression tests of issue 11, item 8: permissive custom parameter schemas
 * (`z.record(z.string(), z.unknown())`, `z.looseObject({})`) let parameters nested 20,000 deep,
 * holding a function, or cyclic reach the store: `submit` rejected with a stack overflow or a clone
 * error, or answered `repositoryUnavailable`.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { builtInActionTypes, createCatalog, defineActionType, type ActionRequestInput } from '../../src/index.js';
import { PLAIN_JSON_LIMITS, SafeObjectSchema, toPlainJson } from '../../src/adapter-kit.js';
import { testCenter } from '../center/fixtures.js';

const permissive = {
  record: z.record(z.string(), z.unknown()),
  looseObject: z.looseObject({}),
  objectOfUnknown: z.object({ data: z.unknown() }),
} as const;

const types = Object.entries(permissive).map(([name, parameters]) =>
  defineActionType({
    id: `tag_${name}`,
    displayName: `Tag (${name})`,
    workload: 'endpoint',
    targetKind: 'device',
    parameters,
  }),
);
const built = createCatalog([...builtInActionTypes, ...types]);
if (!built.ok) throw new Error(built.error.message);
const catalog = built.value;

function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let at = root;
  for (let i = 0; i < depth; i += 1) {
    const next: Record<string, unknown> = {};
    at['data'] = next;
    at = next;
  }
  return root;
}

class Thing {
  readonly x = 1;
}

const cyclic = (): Record<string, unknown> => {
  const o: Record<string, unknown> = { data: { list: [] as unknown[] } };
  (o['data'] as { list: unknown[] }).list.push(o);
  return o;
};

/** What a permissive schema used to let through, and the path the refusal names. */
const BAD: readonly (readonly [string, () => Record<string, unknown>, readonly (string | number)[]])[] = [
  [
    'nested 20,000 deep',
    () => nested(20_000),
    ['parameters', ...Array.from({ length: PLAIN_JSON_LIMITS.maxDepth }, () => 'data')],
  ],
  ['holding a function', () => ({ data: { f: () => 1 } }), ['parameters', 'data', 'f']],
  ['holding a symbol', () => ({ data: [Symbol('s')] }), ['parameters', 'data', 0]],
  ['holding a BigInt', () => ({ data: 10n }), ['parameters', 'data']],
  ['holding a Date', () => ({ data: new Date(0) }), ['parameters', 'data']],
  ['holding a class instance', () => ({ data: new Thing() }), ['parameters', 'data']],
  ['holding a Map', () => ({ data: new Map([['a', 1]]) }), ['parameters', 'data']],
  ['holding NaN', () => ({ data: Number.NaN }), ['parameters', 'data']],
  [
    'holding a getter',
    () => ({ data: Object.defineProperty({}, 'g', { enumerable: true, get: () => 1 }) }),
    ['parameters', 'data', 'g'],
  ],
  ['holding a sparse array', () => ({ data: [1, , 3] }), ['parameters', 'data', 1]],
  ['cyclic', cyclic, ['parameters', 'data', 'list', 0]],
  ['over 64 KiB', () => ({ data: 'x'.repeat(PLAIN_JSON_LIMITS.maxSize) }), ['parameters', 'data']],
  ['a huge array', () => ({ data: new Array(10_000_000) }), ['parameters', 'data']],
  ['holding a symbol key', () => ({ data: { [Symbol('k')]: 1 } }), ['parameters', 'data']],
];

describe('issue 11 item 8: permissive custom parameter schemas let non-JSON, cyclic or 20,000-deep parameters reach the store', () => {
  for (const type of types) {
    it.each(BAD)(
      `parseParameters on "${type.id}" refuses parameters %s with invalidParameters and the path`,
      (_name, make, path) => {
        const r = catalog.parseParameters(type.id, make());
        expect(r.ok).toBe(false);
        if (!r.ok && r.error.code === 'invalidParameters') expect(r.error.issues[0]?.path).toEqual(path);
        else expect.fail(JSON.stringify(r).slice(0, 300));
      },
    );
  }

  it.each(BAD)(
    'submit refuses parameters %s with invalidParameters (no throw, no store error) and stores nothing',
    async (_name, make) => {
      const { center, repository } = testCenter({ catalog });
      const request: ActionRequestInput = {
        actionType: 'tag_record',
        target: { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
        parameters: make(),
        source: 'automatedDeviceAction',
        requestedBy: { type: 'system', component: 'automatedInvestigation' },
      };
      const r = await center.submit({ request });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalidParameters');
      const open = await repository.findOpen('anything');
      expect(open.ok).toBe(true);
      const page = await repository.query({
        filter: {
          statuses: null,
          ids: null,
          actionTypes: null,
          sources: null,
          workloads: null,
          assets: null,
          decidedBy: null,
          investigationIds: null,
          approvalIds: null,
          createdFrom: null,
          createdTo: null,
        },
        sort: { column: 'createdAt', direction: 'asc' },
        page: { size: 10, cursor: null, index: 0 },
      } as never);
      expect(page.ok && page.value.items).toEqual([]);
    },
  );

  it('plain JSON at the limits passes, copied: 32 deep, and the schema sees a plain copy', () => {
    const r = catalog.parseParameters('tag_record', nested(PLAIN_JSON_LIMITS.maxDepth - 1));
    expect(r.ok).toBe(true);
    const input = { data: [1, 'two', null, true, { three: 3.5 }] };
    const copied = catalog.parseParameters('tag_looseObject', input);
    expect(copied).toEqual({ ok: true, value: input });
    if (copied.ok) expect(copied.value['data']).not.toBe(input.data);
  });

  it('a schema whose output is not plain JSON (a transform to a Date) is refused too', () => {
    const dated = defineActionType({
      id: 'stampDevice',
      displayName: 'Stamp device',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.object({ at: z.number() }).transform((p) => ({ at: new Date(p.at) })),
    });
    const c = createCatalog([...builtInActionTypes, dated]);
    if (!c.ok) throw new Error(c.error.message);
    const r = c.value.parseParameters('stampDevice', { at: 0 });
    expect(!r.ok && r.error.code).toBe('invalidParameters');
    if (!r.ok && r.error.code === 'invalidParameters') expect(r.error.issues[0]?.path).toEqual(['parameters', 'at']);
  });

  it('property: whatever JSON.parse produces within the limits passes unchanged; the copy round-trips through JSON', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 6 }), { maxKeys: 8 }), (value) => {
        const plain = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
        const r = toPlainJson(plain);
        // Prototype keys are refused at any depth (by design), so such values are not "within the limits".
        if (JSON.stringify(plain).length > PLAIN_JSON_LIMITS.maxSize || hasPrototypeKey(plain)) return;
        expect(r.ok).toBe(true);
        if (r.ok) expect(JSON.stringify(r.value)).toBe(JSON.stringify(plain));
      }),
      { numRuns: 200 },
    );
  });

  it('property: SafeObjectSchema never throws and accepts only what survives a JSON round-trip unchanged', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withSparseArray: true,
          withTypedArray: true,
          withBoxedValues: true,
          maxDepth: 4,
        }),
        (value) => {
          const r = SafeObjectSchema.safeParse({ v: value });
          if (r.success) expect(JSON.parse(JSON.stringify(r.data))).toEqual(r.data);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Whether a JSON value has a `__proto__`, `constructor` or `prototype` key at any depth. */
function hasPrototypeKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasPrototypeKey);
  return Object.entries(value).some(
    ([k, v]) => ['__proto__', 'constructor', 'prototype'].includes(k) || hasPrototypeKey(v),
  );
}
