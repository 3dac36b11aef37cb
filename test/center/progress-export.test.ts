/**
 * Issue 17: a CSV export takes a `signal`; once it aborts no more chunks come, the store's paging is
 * released and `completion` answers `aborted`. On the memory repository and PGlite.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryRepository, type ActionRepository } from '../../src/index.js';
import { freshRepository, usePGlite } from '../adapters/postgres-fixtures.js';
import { must, people, quarantine, testCenter } from './fixtures.js';

usePGlite();

const stores: [string, () => Promise<ActionRepository>][] = [
  ['memory', async () => createMemoryRepository()],
  ['PGlite', () => freshRepository()],
];

/** Generous: seeding hundreds of actions on PGlite on a loaded machine takes seconds. */
const SLOW = 120_000;

describe.each(stores)('export abort (%s)', (_name, makeStore) => {
  it(
    'an aborted export stops producing chunks and ends with the aborted error; aborted before, it reads nothing',
    async () => {
      const base = await makeStore();
      let queries = 0;
      const counted = new Proxy(base, {
        get(target, prop) {
          const value: unknown = Reflect.get(target, prop, target);
          if (prop === 'query')
            return (...a: Parameters<ActionRepository['query']>) => {
              queries++;
              return target.query(...a);
            };
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      // Long comments make several 64 KiB chunks out of a few hundred rows.
      const { center } = testCenter({ repository: counted });
      for (let i = 0; i < 300; i++)
        await must(center.submit({ request: { ...quarantine(`EXP-${i}`), comment: 'x'.repeat(900) } }));

      const whole = await must(center.exportCsv({ principal: people.secAdmin, columns: ['id', 'comment'] }));
      let chunksInAll = 0;
      for await (const _ of whole) chunksInAll++;
      expect(chunksInAll).toBeGreaterThan(2);

      const controller = new AbortController();
      const cut = await must(
        center.exportCsv({ principal: people.secAdmin, columns: ['id', 'comment'], signal: controller.signal }),
      );
      let chunks = 0;
      for await (const _ of cut) {
        chunks++;
        controller.abort();
      }
      expect(chunks).toBe(1);
      expect(await cut.completion).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'aborted', operation: 'exportCsv', phase: 'reading' }),
      });

      const already = new AbortController();
      already.abort();
      queries = 0;
      const none = await must(center.exportCsv({ principal: people.secAdmin, signal: already.signal }));
      let any = 0;
      for await (const _ of none) any++;
      expect(any).toBe(0);
      expect(queries).toBe(0);
      expect((await none.completion).ok ? 'ok' : 'aborted').toBe('aborted');
    },
    SLOW,
  );
});
