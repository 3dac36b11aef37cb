/**
 * Offset paging deeper than MAX_OFFSET_ROWS is refused at query resolution in favour of cursors
 * (issue 14): a typed `invalidInput` naming `page.index`, with a stable issue code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_OFFSET_ROWS, encodeCursor, resolveQuery } from '../../src/adapter-kit.js';

const NOW = Date.UTC(2026, 10, 23);
const RUNS = 300;
const size = fc.integer({ min: 1, max: 1000 });

describe('offset paging limit (issue 14)', () => {
  it('a page that skips at most MAX_OFFSET_ROWS rows resolves, its page as given', () => {
    fc.assert(
      fc.property(
        size.chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: 0, max: Math.floor(MAX_OFFSET_ROWS / s) }))),
        ([s, index]) => {
          const r = resolveQuery({ page: { size: s, index } }, NOW);
          expect(r.ok && r.value.page).toEqual({ size: s, index, cursor: null });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a page that skips more is refused: invalidInput on page.index, code too_big, the limit and the cursor named', () => {
    fc.assert(
      fc.property(
        size.chain((s) =>
          fc.tuple(fc.constant(s), fc.integer({ min: Math.floor(MAX_OFFSET_ROWS / s) + 1, max: 1_000_000 })),
        ),
        ([s, index]) => {
          const r = resolveQuery({ page: { size: s, index } }, NOW);
          expect(r.ok).toBe(false);
          if (r.ok) return;
          expect(r.error.code).toBe('invalidInput');
          expect(r.error.issues).toHaveLength(1);
          const [issue] = r.error.issues;
          expect(issue?.path).toEqual(['page', 'index']);
          expect(issue?.code).toBe('too_big');
          expect(issue?.message).toContain(String(MAX_OFFSET_ROWS));
          expect(issue?.message).toContain('cursor');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a cursor page is never refused, however deep its index', () => {
    fc.assert(
      fc.property(
        size,
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: NOW }),
        (s, index, createdAt) => {
          const cursor = encodeCursor({ value: createdAt, id: 'act-1' });
          const r = resolveQuery({ page: { size: s, index, cursor } }, NOW);
          expect(r.ok && r.value.page).toEqual({ size: s, index, cursor });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the limit is exact: 200 pages of 50 resolve, the 201st is refused', () => {
    expect(MAX_OFFSET_ROWS).toBe(10_000);
    expect(resolveQuery({ page: { size: 50, index: 200 } }, NOW).ok).toBe(true);
    const refused = resolveQuery({ page: { size: 50, index: 201 } }, NOW);
    expect(!refused.ok && refused.error.message).toContain('page.index');
  });
});
