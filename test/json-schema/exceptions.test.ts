/**
 * The documented exceptions (src/json-schema/exceptions.ts), each shown by name: a document the
 * JSON Schema accepts and zod refuses, for that reason only. The list is the whole story: the
 * property tests (mutations.property.test.ts) fail on any other disagreement.
 */
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_EXCEPTIONS } from '../../src/json-schema/index.js';
import { actionRecord, fileTarget } from '../support/records.js';
import { EXCEPTION_MATCHERS, ajvAccepts, explainedBy, zodAccepts } from './support.js';

const EXCEPTION_IDS = JSON_SCHEMA_EXCEPTIONS.map((e) => e.id);

/** The JSON Schema accepts, zod refuses, and the only reason is the exception named. */
function expectException(name: Parameters<typeof zodAccepts>[0], document: unknown, id: string): void {
  expect({ zod: zodAccepts(name, document), ajv: ajvAccepts(name, document) }).toEqual({ zod: false, ajv: true });
  expect(explainedBy(name, document)).toEqual([id]);
}

describe('JSON_SCHEMA_EXCEPTIONS, one named case each', () => {
  it('lists exactly the exceptions tested here, each with a matcher', () => {
    expect(EXCEPTION_IDS).toEqual(['timeZoneName', 'timeRangeOrder', 'httpUrl', 'plainJsonSize']);
    expect(Object.keys(EXCEPTION_MATCHERS).sort()).toEqual([...EXCEPTION_IDS].sort());
    for (const e of JSON_SCHEMA_EXCEPTIONS) expect(e.description.length).toBeGreaterThan(20);
  });

  it('timeZoneName: a time zone no runtime knows', () => {
    expectException(
      'ActionQuery',
      { filter: { time: { period: 'pastDay', timeZone: 'Mars/Olympus_Mons' } } },
      'timeZoneName',
    );
    expectException(
      'InvestigationQuery',
      { filter: { time: { period: 'pastDay', timeZone: 'EST5EDT-ish' } } },
      'timeZoneName',
    );
  });

  it('timeRangeOrder: a custom range whose from is after its to', () => {
    expectException('ActionQuery', { filter: { time: { from: 2_000, to: 1_000 } } }, 'timeRangeOrder');
    // Equal bounds are fine for both.
    expect(zodAccepts('ActionQuery', { filter: { time: { from: 1_000, to: 1_000 } } })).toBe(true);
  });

  it('httpUrl: a URL target that is not http(s), or not a URL', () => {
    expectException('Target', { kind: 'url', url: 'javascript:alert(1)' }, 'httpUrl');
    expectException('Target', { kind: 'url', url: 'not a url' }, 'httpUrl');
    // The URL parser's leniency is zod's: padding and tabs pass both.
    expect(zodAccepts('Target', { kind: 'url', url: '  https://contoso.com/a b' })).toBe(true);
    expect(ajvAccepts('Target', { kind: 'url', url: '  https://contoso.com/a b' })).toBe(true);
  });

  it('plainJsonSize: parameters over 64 KiB of JSON text', () => {
    const big = { ...actionRecord(), parameters: { blob: 'x'.repeat(70_000) } };
    expectException('ActionRecord', big, 'plainJsonSize');
  });

  it('not an exception: string lengths, counted in code points by both (emoji are one character each)', () => {
    const fits = fileTarget({ path: '\u{1F600}'.repeat(1_024) }); // 2,048 UTF-16 units, 1,024 code points
    expect({ zod: zodAccepts('Target', fits), ajv: ajvAccepts('Target', fits) }).toEqual({ zod: true, ajv: true });
    const over = fileTarget({ path: '\u{1F600}'.repeat(1_025) });
    expect({ zod: zodAccepts('Target', over), ajv: ajvAccepts('Target', over) }).toEqual({ zod: false, ajv: false });
    const lone = fileTarget({ path: '\ud800'.repeat(1_025) }); // lone surrogates: one each, for both
    expect({ zod: zodAccepts('Target', lone), ajv: ajvAccepts('Target', lone) }).toEqual({ zod: false, ajv: false });
  });

  it('never the other way round: a document zod accepts and the JSON Schema refuses is not explained', () => {
    expect(explainedBy('Target', fileTarget())).toBeNull(); // both accept: nothing to explain
    expect(explainedBy('Target', { kind: 'device' })).toBeNull(); // both refuse: nothing to explain
  });
});
