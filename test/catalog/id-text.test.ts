/**
 * `isIdText`, the schema-free id check of the hot paths (a bulk selection, generated ids), and the
 * one-pass selection schema built on it: both must agree with `ActionIdSchema` on every value.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionIdSchema, isIdText } from '../../src/catalog/ids.js';
import { createActionCenter, createMemoryRepository } from '../../src/index.js';

const admin = { id: 'admin@contoso.com', assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }] };

const idLike = fc.oneof(
  fc.string({ maxLength: 210 }),
  fc.string({ unit: 'binary', maxLength: 210 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom(
    '',
    'a',
    'act-1',
    'a'.repeat(200),
    'a'.repeat(201),
    'a\u0000b',
    'a\u007fb',
    'a\u200bb',
    'a\u00a0b',
    'é',
  ),
  fc.anything(),
);

describe('isIdText', () => {
  it('accepts exactly what ActionIdSchema accepts', () => {
    fc.assert(
      fc.property(idLike, (value) => {
        expect(isIdText(value)).toBe(ActionIdSchema.safeParse(value).success);
      }),
      { numRuns: 3000 },
    );
  });

  it('named cases: DEL, a zero-width space and an empty string are refused; accented letters and NBSP pass', () => {
    expect(isIdText('act\u007f')).toBe(false);
    expect(isIdText('act\u200b')).toBe(false);
    expect(isIdText('')).toBe(false);
    expect(isIdText('a'.repeat(201))).toBe(false);
    expect(isIdText('acción-1')).toBe(true);
    expect(isIdText('act\u00a01')).toBe(true);
  });
});

describe('the selection schema (one pass)', () => {
  it('refuses a selection with a bad id at its index, with ActionIdSchema’s issue', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^act-[0-9]{1,4}$/), { minLength: 0, maxLength: 8 }),
        idLike.filter((v) => typeof v === 'string' && !isIdText(v)),
        fc.nat(8),
        async (good, bad, at) => {
          const ids = [...new Set(good)];
          const position = Math.min(at, ids.length);
          ids.splice(position, 0, bad as string);
          const center = createActionCenter({ repository: createMemoryRepository() });
          const r = await center.approve({ principal: admin, ids } as never);
          expect(r.ok).toBe(false);
          if (r.ok || r.error.code !== 'invalidInput') throw new Error('expected invalidInput');
          const expected = ActionIdSchema.safeParse(bad);
          if (expected.success) throw new Error('unreachable');
          expect(r.error.issues.map((i) => [i.path.join('.'), i.code])).toEqual(
            expected.error.issues.map((i) => [['ids', position, ...i.path].join('.'), i.code]),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses an id selected twice, and an empty selection, with the messages a person reads', async () => {
    const center = createActionCenter({ repository: createMemoryRepository() });
    const twice = await center.approve({ principal: admin, ids: ['act-1', 'act-2', 'act-1'] } as never);
    expect(!twice.ok && twice.error.code === 'invalidInput' && twice.error.message).toContain(
      'the same action is selected twice',
    );
    const empty = await center.approve({ principal: admin, ids: [] } as never);
    expect(!empty.ok && empty.error.code === 'invalidInput' && empty.error.message).toContain(
      'select at least one action',
    );
  });

  it('reads each id of a selection once: a Proxy that answers differently on a second read cannot change what is decided', async () => {
    const center = createActionCenter({ repository: createMemoryRepository() });
    const reads = new Map<string, number>();
    const ids = new Proxy(['act-1', 'act-2'], {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^[0-9]+$/.test(key)) {
          const n = (reads.get(key) ?? 0) + 1;
          reads.set(key, n);
          return n === 1 ? Reflect.get(target, key, receiver) : 'act-1'; // a second read would make a duplicate
        }
        return Reflect.get(target, key, receiver);
      },
    });
    const r = await center.approve({ principal: admin, ids } as never);
    expect(r.ok && r.value.items.map((i) => [i.actionId, i.outcome])).toEqual([
      ['act-1', 'notFound'],
      ['act-2', 'notFound'],
    ]);
    expect([...reads.values()]).toEqual([1, 1]);
  });

  it('a selection whose element getter throws is invalidInput, not a throw', async () => {
    const center = createActionCenter({ repository: createMemoryRepository() });
    const ids = ['act-1'];
    Object.defineProperty(ids, 0, {
      get() {
        throw new Error('boom');
      },
    });
    const r = await center.approve({ principal: admin, ids } as never);
    expect(!r.ok && r.error.code).toBe('invalidInput');
  });
});
