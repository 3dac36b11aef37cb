/**
 * Ids are plain strings at the repository port (issue 13): `repo.get('x')` compiles, and any string
 * is safe to read with in both adapters. An id no action can have (prototype keys, the empty string,
 * NUL, far too long) is simply not found; none reaches an object's prototype or fails the call.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createMemoryRepository, type ActionRecord, type ActionRepository, type AuditEvent } from 'actioncenter';
import { action, batch, create, event, freshRepository, usePGlite } from './postgres-fixtures.js';

usePGlite();

// Ids no stored action has: prototype keys first (a store keyed by a plain object would find
// Object.prototype members under them), then strings that cannot even be ids.
const NEVER_STORED = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'x',
  '',
  'a\u0000b',
  '\uD800',
  'x'.repeat(10_000),
];

const adapters: readonly { readonly name: string; readonly make: () => Promise<ActionRepository> }[] = [
  { name: 'memory', make: async () => createMemoryRepository() },
  { name: 'postgres (PGlite)', make: () => freshRepository() },
];

describe('the port takes plain-string ids', () => {
  it('get, getMany and auditTrail accept strings; records returned keep their branded ids', async () => {
    expectTypeOf<Parameters<ActionRepository['get']>[0]>().toEqualTypeOf<string>();
    expectTypeOf<Parameters<ActionRepository['getMany']>[0]>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<Parameters<ActionRepository['auditTrail']>[0]>().toEqualTypeOf<string>();
    expectTypeOf<ActionRecord['id']>().not.toEqualTypeOf<string>();
    expectTypeOf<AuditEvent['actionId']>().not.toEqualTypeOf<string>();
    // The run-time half: the memory adapter takes a string literal (a compile error before).
    const repo = createMemoryRepository();
    expect(await repo.get('x')).toEqual({ ok: true, value: null });
  });
});

describe.each(adapters)('$name adapter: any string id is safe', ({ make }) => {
  it("repo.get('x') is ok(null) on an empty store", async () => {
    const repo = await make();
    expect(await repo.get('x')).toEqual({ ok: true, value: null });
  }, 60_000);

  it('ids no action has are not found by get, getMany or auditTrail, next to a stored one', async () => {
    const repo = await make();
    const stored = action('a1');
    const committed = await repo.commit(batch([create(stored)], [event('a1', 1)]));
    expect(committed.ok).toBe(true);
    for (const id of NEVER_STORED) {
      expect(await repo.get(id), `get(${JSON.stringify(id.slice(0, 20))})`).toEqual({ ok: true, value: null });
      expect(await repo.auditTrail(id), `auditTrail(${JSON.stringify(id.slice(0, 20))})`).toEqual({
        ok: true,
        value: [],
      });
    }
    // Plain JavaScript may pass what is not a string at all: not found either, never a thrown error.
    for (const id of [42, null, undefined, { toString: () => 'a1' }] as unknown as string[]) {
      expect(await repo.get(id)).toEqual({ ok: true, value: null });
      expect(await repo.auditTrail(id)).toEqual({ ok: true, value: [] });
    }
    const many = await repo.getMany([...NEVER_STORED, 'a1', '__proto__']);
    expect(many.ok && many.value.map((a) => a.id)).toEqual(['a1']);
    // The plain string finds the stored action, as its branded id would.
    const found = await repo.get('a1');
    expect(found.ok && found.value?.id).toBe('a1');
    const trail = await repo.auditTrail('a1');
    expect(trail.ok && trail.value.map((e) => e.sequence)).toEqual([1]);
  }, 60_000);

  it('an action stored under a prototype key is found under it, and only under it', async () => {
    const repo = await make();
    const committed = await repo.commit(
      batch([create(action('__proto__')), create(action('constructor'))], [event('__proto__', 1)]),
    );
    expect(committed.ok).toBe(true);
    const proto = await repo.get('__proto__');
    expect(proto.ok && proto.value?.id).toBe('__proto__');
    const ctor = await repo.get('constructor');
    expect(ctor.ok && ctor.value?.id).toBe('constructor');
    expect(await repo.get('toString')).toEqual({ ok: true, value: null });
    const trail = await repo.auditTrail('__proto__');
    expect(trail.ok && trail.value.map((e) => e.actionId)).toEqual(['__proto__']);
    expect(await repo.auditTrail('constructor')).toEqual({ ok: true, value: [] });
  }, 60_000);
});
