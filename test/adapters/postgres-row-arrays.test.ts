/**
 * Issue 14: commits and bulk loads send rows as array literals read by `unnest` (row-arrays.ts).
 * Every text (quotes, backslashes, braces, commas, newlines, the word NULL, the empty string,
 * column text of any JavaScript string) and every number must come back as it went, nulls as nulls.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayLiteral } from '../../src/adapters/postgres/row-arrays.js';
import { columnText, originalText } from '../../src/adapters/postgres/text.js';
import { bulkLoad } from '../../src/adapters/postgres/index.js';
import { action, event, freshRepository, sharedPGlite, usePGlite } from './postgres-fixtures.js';

usePGlite();

const SLOW = { timeout: 120_000 };

describe('arrayLiteral', () => {
  it('writes quoted, escaped texts and NULLs', () => {
    expect(arrayLiteral(['a', null, 'b"c', 'd\\e', ''])).toBe('{"a",NULL,"b\\"c","d\\\\e",""}');
    expect(arrayLiteral([1, null, 8.64e15])).toBe('{1,NULL,8640000000000000}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('round-trips any texts through text[] and unnest, nulls included', SLOW, async () => {
    const db = sharedPGlite();
    const hostile = ['NULL', 'null', '', ' ', '{', '}', ',', '"', '\\', '\\"', 'a\nb', '{"a":1}', '\u0000', '\uD800'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.oneof(fc.constantFrom(...hostile), fc.string({ unit: 'binary' })), { nil: null }), {
          maxLength: 20,
        }),
        async (values) => {
          const r = await db.query<{ v: string | null }>(
            'SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) ORDER BY i',
            [arrayLiteral(values.map((v) => (v === null ? null : columnText(v))))],
          );
          expect(r.rows.map((row) => (row.v === null ? null : originalText(row.v)))).toEqual(values);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('round-trips integers and times through integer[] and bigint[]', SLOW, async () => {
    const db = sharedPGlite();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: -8.64e15, max: 8.64e15 }), { nil: null }), { maxLength: 20 }),
        async (values) => {
          const r = await db.query<{ v: number | null }>(
            'SELECT v::float8 AS v FROM unnest($1::bigint[]) WITH ORDINALITY AS u(v, i) ORDER BY i',
            [arrayLiteral(values)],
          );
          expect(r.rows.map((row) => row.v)).toEqual(values);
        },
      ),
      { numRuns: 50 },
    );
  });
});

/** The decoder as it was: one character at a time (it built a rope of every character). */
function decodedOneByOne(stored: string): string {
  let out = '';
  let escaped = false;
  for (const char of stored) {
    const cp = char.codePointAt(0) as number;
    if (escaped) {
      escaped = false;
      if (cp === 1 || cp === 2) {
        out += cp === 1 ? '\u0000' : '\u0001';
        continue;
      }
      out += '\u0001';
    }
    if (cp === 1) escaped = true;
    else out += cp >= 0xe000 ? String.fromCharCode(cp - 0x800) : char;
  }
  return escaped ? `${out}\u0001` : out;
}

describe('originalText decodes in one replace (regression: commit checks of 10,000 open keys took 2 s on keys decoded a character at a time)', () => {
  const units = fc.constantFrom(
    '\u0000',
    '\u0001',
    '\u0002',
    'a',
    '\uD800',
    '\uDC00',
    '\uE000',
    '\uE7FF',
    '\uFFFF',
    '\u{1F600}',
    '\u{107FF}',
  );
  const text = fc
    .array(fc.oneof(units, fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 12 })
    .map((xs) => xs.join(''));

  it('is the inverse of columnText', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(originalText(columnText(s))).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads any stored text (hand-edited escapes included) as the character-at-a-time decoder did', () => {
    const stored = fc
      .array(
        fc.constantFrom('\u0001', '\u0002', 'x', '\uE000', '\uF7FF', '\uFFFF', '\u{10000}', '\u{107FF}', '\uD7FF'),
        { maxLength: 12 },
      )
      .map((xs) => xs.join(''));
    fc.assert(
      fc.property(stored, (s) => {
        expect(originalText(s)).toBe(decodedOneByOne(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('documents travel one per line (record and record_text, event and event_text)', () => {
  it(
    'reads back a batch mixing documents JSONB holds with ones it cannot (NUL), at the ends and alone',
    SLOW,
    async () => {
      const repo = await freshRepository();
      // Parameters may hold any JSON text: NUL (JSONB cannot hold it: record_text), line feeds, quotes.
      const nul = (id: string) => action(id, { parameters: { note: 'line 1\nline 2 \u0000 "quoted" \\ end' } });
      const plain = (id: string) => action(id, { parameters: { note: 'line 1\nline 2, {"a": [1]}' } });
      const groups = [
        [nul('n1')],
        [plain('p1')],
        [nul('n2'), plain('p2'), nul('n3')],
        [plain('p3'), nul('n4'), plain('p4')],
      ];
      for (const actions of groups) {
        const r = await bulkLoad(
          sharedPGlite(),
          { actions, events: actions.map((a) => event(a.id, 1)) },
          { schema: repo.schema as string },
        );
        expect(r).toEqual({ ok: true, value: { actions: actions.length, events: actions.length, batches: 1 } });
      }
      for (const a of groups.flat()) {
        const stored = await repo.get(a.id);
        expect(stored).toEqual({ ok: true, value: a });
        const trail = await repo.auditTrail(a.id);
        expect(trail).toEqual({ ok: true, value: [event(a.id, 1)] });
      }
    },
  );
});
