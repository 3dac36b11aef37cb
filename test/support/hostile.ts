/**
 * Hostile values for property tests of the "never throws" entry points: everything fc.anything()
 * makes, plus what trips validators themselves (revoked Proxies, throwing getters and traps, cycles,
 * values nested thousands deep, non-JSON objects), alone and inside otherwise plausible input.
 */
import fc from 'fast-check';

export function revokedProxy(): object {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
}

export function throwingGetters(keys: readonly string[]): object {
  const o: Record<string, unknown> = {};
  for (const key of keys) {
    Object.defineProperty(o, key, {
      enumerable: true,
      get: () => {
        throw new Error(`getter ${key} boom`);
      },
    });
  }
  return o;
}

export function trapProxy(): object {
  const boom = () => {
    throw new Error('trap boom');
  };
  return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
}

export function deep(depth: number, wrap: (inner: unknown) => unknown = (inner) => ({ a: inner })): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) v = wrap(v);
  return v;
}

export function cyclic(): object {
  const o: Record<string, unknown> = { ids: ['act-1'] };
  o['self'] = o;
  (o['ids'] as unknown[]).push(o);
  return o;
}

/**
 * A recipe of a hostile value. fast-check itself reads generated values (clone methods, printing),
 * and a revoked Proxy would throw inside fast-check: so properties draw recipes, printable and
 * shrinkable, and {@link materialize} makes the value inside the property.
 */
export type Hostile =
  | { readonly kind: 'revoked' }
  | { readonly kind: 'trap' }
  | { readonly kind: 'getters'; readonly keys: readonly string[] }
  | { readonly kind: 'cyclic' }
  | { readonly kind: 'deep'; readonly depth: number; readonly arrays: boolean }
  | { readonly kind: 'odd'; readonly which: number }
  | { readonly kind: 'plain'; readonly value: unknown }
  | { readonly kind: 'dict'; readonly entries: readonly (readonly [string, Hostile])[] }
  | { readonly kind: 'array'; readonly items: readonly Hostile[] };

const ODD: readonly (() => unknown)[] = [
  () => () => 1,
  () => Symbol('s'),
  () => 10n,
  () => new Date(0),
  () => new Map([['a', 1]]),
  () => new Set([1]),
  () => Object.create(null),
  () =>
    new (class Thing {
      readonly x = 1;
    })(),
  () => Number.NaN,
  () => Promise.resolve(1),
];

/** Makes the value a recipe describes, fresh. */
export function materialize(h: Hostile): unknown {
  switch (h.kind) {
    case 'revoked':
      return revokedProxy();
    case 'trap':
      return trapProxy();
    case 'getters':
      return throwingGetters(h.keys);
    case 'cyclic':
      return cyclic();
    case 'deep':
      return deep(h.depth, h.arrays ? (inner) => [inner] : undefined);
    case 'odd':
      return (ODD[h.which % ODD.length] as () => unknown)();
    case 'plain':
      return h.value;
    case 'dict':
      return Object.fromEntries(h.entries.map(([k, v]) => [k, materialize(v)]));
    case 'array':
      return h.items.map(materialize);
  }
}

/** Recipes of values that trip validators. */
export const trippers: fc.Arbitrary<Hostile> = fc.oneof(
  fc.constant({ kind: 'revoked' } as const),
  fc.constant({ kind: 'trap' } as const),
  fc
    .constantFrom(
      ['principal', 'ids', 'request', 'query', 'id', 'columns', 'comment'],
      ['allowed', 'kind', 'actionType'],
      ['0', 'length'],
    )
    .map((keys) => ({ kind: 'getters', keys }) as const),
  fc.constant({ kind: 'cyclic' } as const),
  fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 33, max: 20_000 }), arrays: fc.boolean() }),
  fc.record({ kind: fc.constant('odd' as const), which: fc.nat(ODD.length - 1) }),
);

const FIELDS = [
  'principal',
  'ids',
  'id',
  'request',
  'query',
  'columns',
  'comment',
  'parameters',
  'filter',
  'actionType',
  'target',
  'assignments',
] as const;

/** Recipes of any hostile value: fc.anything(), a tripper, or a plausible object or array holding trippers. */
export const hostile: fc.Arbitrary<Hostile> = fc.oneof(
  fc
    .anything({
      withObjectString: true,
      withNullPrototype: true,
      withBoxedValues: true,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withSparseArray: true,
    })
    .map((value) => ({ kind: 'plain', value }) as const),
  trippers,
  fc
    .array(fc.tuple(fc.constantFrom(...FIELDS), trippers), { maxLength: 4 })
    .map((entries) => ({ kind: 'dict', entries }) as const),
  fc.array(trippers, { maxLength: 3 }).map((items) => ({ kind: 'array', items }) as const),
);
