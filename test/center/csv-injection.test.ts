// Issue 12, item 6: CSV neutralisation looked only at the first character. A formula trigger after
// white space, control or invisible characters, or in its fullwidth form, is neutralised too: defence
// in depth for importers that trim or normalise text before they look for a formula.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { csvCell } from '../../src/adapter-kit.js';

/** The field's text as a spreadsheet reads it back: quotes removed, doubled quotes undone. */
const unquoted = (cell: string) => (cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell);
const neutralised = (text: string) => unquoted(csvCell(text)) === `'${text}`;

const INVISIBLE = [
  ' ',
  '\n',
  '\u0000',
  '\ufeff',
  '\u200b',
  '\u00a0',
  '\u000b',
  '\u000c',
  '\u2028',
  '\u3000',
  '\u0085',
  '\u202e',
];
const TRIGGERS = ['=', '+', '-', '@', '＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '−', '⁺', '₊', '⁼', '₌'];

describe('formula neutralisation looks past what an importer may trim or normalise', () => {
  test.each([
    ['a space', ' =1+1'],
    ['a line feed', '\n=HYPERLINK("http://evil.example")'],
    ['NUL', '\u0000=1+1'],
    ['a byte order mark', '\ufeff=1+1'],
    ['a zero-width space', '\u200b=1+1'],
    ['a no-break space', '\u00a0=1+1'],
    ['a vertical tab', '\u000b=1+1'],
    ['a form feed', '\u000c=1+1'],
    ['nothing, in fullwidth form', '＝1+1'],
    ['several of them', ' \u200b\ufeff\t@SUM(A1:A9)'],
  ])('a trigger after %s is neutralised', (_, text) => {
    expect(neutralised(text)).toBe(true);
  });

  test('text without a trigger stays as it is, invisible characters included', () => {
    for (const text of ['LAPTOP-1', ' plain', '\u200bname', '\u00a0', 'a=b', 'x-1', '名前'])
      expect(unquoted(csvCell(text))).toBe(text);
  });

  test('property: any trigger after any run of invisible characters is neutralised, and nothing is lost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...INVISIBLE), { maxLength: 6 }),
        fc.constantFrom(...TRIGGERS),
        fc.string({ maxLength: 20 }),
        (prefix, trigger, rest) => {
          const text = `${prefix.join('')}${trigger}${rest}`;
          expect(neutralised(text)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('property: a cell is its text, or its text after one added quote, and only when the text could start a formula', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
        const back = unquoted(csvCell(text));
        const visible = text.replace(/^[\p{White_Space}\p{Cc}\p{Cf}\p{Z}]+/u, '');
        const couldStartFormula =
          /^[\t\r]/.test(text) || (visible.length > 0 && TRIGGERS.includes(visible[0]!)) || /^[=+\-@]/.test(text);
        expect(back).toBe(couldStartFormula ? `'${text}` : text);
      }),
      { numRuns: 500 },
    );
  });
});
