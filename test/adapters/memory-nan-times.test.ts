// A hostile clock once stored NaN creation times in the memory store, and the next newest-first
// page looped forever (a synchronous loop no test timeout can stop). The engine now refuses such
// clock readings; the store itself refuses to commit a time no reader could use (as the PostgreSQL
// adapter does through its read schema), and its page reader ends even on records loaded directly.
import { describe, expect, test } from 'vitest';
import { createMemoryRepository } from '../../src/adapters/memory/index.js';
import { unwrap, type ActionId, type ActionRecord } from '../../src/index.js';
import { asId, resolveQuery } from '../../src/adapter-kit.js';
import { actionRecord } from '../support/records.js';

const record = (i: number, fields: Partial<ActionRecord>) =>
  actionRecord({ id: asId<ActionId>(`a-${i}`), status: 'succeeded', ...fields });

describe('the memory store and times no reader could use', () => {
  test.each([Number.NaN, Number.POSITIVE_INFINITY, -1, 1.5, 9e15])(
    'a commit of an action created at %s is refused with corruptRecord, and nothing is written',
    async (createdAt) => {
      const repo = createMemoryRepository();
      const r = await repo.commit({
        writes: [{ action: record(1, { createdAt }), expectedVersion: null }],
        events: [],
        idempotencyKey: null,
      });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('corruptRecord');
        if (r.error.code === 'corruptRecord') expect(r.error.issues[0]?.path).toEqual(['createdAt']);
      }
      expect((await repo.get(asId<ActionId>('a-1'))).ok && (await repo.get(asId<ActionId>('a-1')))).toEqual({
        ok: true,
        value: null,
      });
    },
  );

  test('a decidedAt or completedAt that is not a timestamp is refused too; null is fine', async () => {
    const repo = createMemoryRepository();
    for (const fields of [{ decidedAt: Number.NaN }, { completedAt: Number.NaN }, { expiresAt: -5 }]) {
      const r = await repo.commit({
        writes: [{ action: record(2, fields), expectedVersion: null }],
        events: [],
        idempotencyKey: null,
      });
      expect(r.ok).toBe(false);
    }
    const fine = await repo.commit({
      writes: [
        {
          action: record(2, { decidedAt: null, completedAt: null, expiresAt: null, createdAt: 7 }),
          expectedVersion: null,
        },
      ],
      events: [],
      idempotencyKey: null,
    });
    expect(fine.ok).toBe(true);
  });

  test('load refuses them as commit does, and loads nothing', async () => {
    const repo = createMemoryRepository();
    const r = repo.load({ actions: [record(1, { createdAt: 5 }), record(2, { createdAt: Number.NaN })] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('corruptRecord');
    expect(await repo.get(asId<ActionId>('a-1'))).toEqual({ ok: true, value: null });
  });
});
