// The SSE stream's starting point (examples/web/server/routes-stream.ts `headOf`): the change feed's
// latest position, found in a logarithmic number of one-entry reads instead of reading the feed
// through. Checked against reading it through, on feeds with gaps in their positions, on the demo
// store, on an empty feed and on a store that fails.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActionRepository, ChangePage, ChangeQuery } from 'actioncenter';
import { headOf } from '../../examples/web/server/routes-stream.js';
import { createDemoCenter } from '../../examples/web/server/demo-center.js';
import { DEMO_NOW } from './api-client.js';

/** A feed holding these positions (ascending), answering `changes` as the port says, counting reads. */
function feedOf(positions: readonly number[]): Pick<ActionRepository, 'changes'> & { reads: number } {
  const feed = {
    reads: 0,
    changes: async (query: ChangeQuery) => {
      feed.reads += 1;
      const after = query.after ?? 0;
      const entries = positions
        .filter((p) => p > after)
        .slice(0, query.limit)
        .map((position) => ({ position, event: {} as never }));
      const page: ChangePage = { entries, next: entries.at(-1)?.position ?? (after === 0 ? null : after) };
      return { ok: true as const, value: page };
    },
  };
  return feed;
}

/** The head by reading the whole feed, a page at a time (what the example did before). */
async function headByScan(repository: Pick<ActionRepository, 'changes'>): Promise<number | null> {
  let cursor: number | null = null;
  for (;;) {
    const page = await repository.changes({ after: cursor, limit: 10_000 });
    if (!page.ok || page.value.entries.length === 0) return cursor;
    cursor = page.value.next;
  }
}

describe('headOf: the change feed’s latest position', () => {
  it('equals the last position of any feed, gaps included, in at most 2·log2(head) + 4 reads (property)', async () => {
    const positions = fc
      .uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 200 })
      .map((xs) => [...xs].sort((a, b) => a - b));
    await fc.assert(
      fc.asyncProperty(positions, async (xs) => {
        const feed = feedOf(xs);
        expect(await headOf(feed)).toBe(xs.at(-1) ?? null);
        const head = xs.at(-1) ?? 1;
        expect(feed.reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(head + 1)) + 4);
      }),
      { numRuns: 300 },
    );
  });

  it('a dense feed of a million positions: within 2·log2(head) + 4 one-entry reads (41 today), where reading it through takes 100 reads of 10,000', async () => {
    const feed = {
      reads: 0,
      changes: async (query: ChangeQuery) => {
        feed.reads += 1;
        const after = query.after ?? 0;
        const entries = after < 1_000_000 ? [{ position: after + 1, event: {} as never }] : [];
        return { ok: true as const, value: { entries, next: entries[0]?.position ?? after } };
      },
    };
    expect(await headOf(feed)).toBe(1_000_000);
    expect(feed.reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(1_000_001)) + 4);
  });

  it('on the demo store (the memory repository), equals reading the feed through', async () => {
    const demo = await createDemoCenter({ seed: 17, now: DEMO_NOW, data: 'demo' });
    const expected = await headByScan(demo.repository);
    expect(expected).toBeGreaterThan(500);
    expect(await headOf(demo.repository)).toBe(expected);
  }, 120_000);

  it('an empty feed has no head; a store that fails answers the latest position known so far', async () => {
    expect(await headOf(feedOf([]))).toBeNull();
    const failing = feedOf([3, 9, 27]);
    const flaky: Pick<ActionRepository, 'changes'> = {
      changes: async (query) =>
        (query.after ?? 0) >= 9
          ? { ok: false, error: { code: 'repositoryUnavailable', message: 'down' } }
          : failing.changes(query),
    };
    const known = await headOf(flaky);
    expect(known === 3 || known === 9).toBe(true);
  });
});
