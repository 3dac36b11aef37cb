import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_CENTER_ERROR_CODES_FOR_TESTS } from './error-codes.js';
import { must, people, quarantine, softDeleteCluster, testCenter } from './fixtures.js';

/** Everything observable about the store: every action and its audit trail. */
async function snapshot(center: ReturnType<typeof testCenter>['center']): Promise<string> {
  const page = await must(center.list({ principal: people.globalAdmin, query: { page: { size: 1000 } } }));
  const trails = [];
  for (const a of page.items) trails.push(await must(center.auditTrail({ principal: people.globalAdmin, id: a.id })));
  return JSON.stringify({ items: page.items, trails });
}

// Inputs rich in the shapes that trip validators: prototype keys, control characters, wrong types,
// huge and empty arrays, and near-valid principals.
const hostile = fc.oneof(
  fc.anything({ withObjectString: true, withNullPrototype: true, withBoxedValues: true }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "ids": ["act-1"]}')),
  fc.record({ principal: fc.constant(people.secAdmin), ids: fc.array(fc.string(), { maxLength: 3 }), comment: fc.string({ unit: 'binary' }) }),
  fc.record({ principal: fc.constant(people.secAdmin), ids: fc.constant([]) }),
  fc.record({ principal: fc.constant(people.secAdmin), ids: fc.constant(Array.from({ length: 10_001 }, (_, i) => `act-${i}`)) }),
  fc.record({ principal: fc.record({ id: fc.string(), assignments: fc.anything() }), ids: fc.constant(['act-1']) }),
  fc.record({ principal: fc.constant(people.secAdmin), ids: fc.constant(['act-1']), comment: fc.constantFrom('\u0000', 'a\u001b[2J', '\u007f', 'x'.repeat(2001)) }),
);

describe('bad input at every public entry point gets a typed error and changes nothing', () => {
  it('submit, approve, reject, cancel, undo, run, list, get, auditTrail and exportCsv never throw and never change the store', async () => {
    const { center } = testCenter();
    await must(center.submit({ request: quarantine('LAPTOP-1') }));
    await must(center.submit({ request: softDeleteCluster() }));
    const before = await snapshot(center);
    const operations = {
      submit: (input: unknown) => center.submit({ request: input, principal: input }),
      submitAsInput: (input: unknown) => center.submit(input as never),
      approve: (input: unknown) => center.approve(input as never),
      reject: (input: unknown) => center.reject(input as never),
      cancel: (input: unknown) => center.cancel(input as never),
      undo: (input: unknown) => center.undo(input as never),
      run: (input: unknown) => center.run({ ids: input }),
      list: (input: unknown) => center.list({ principal: people.reader, query: input }),
      listAs: (input: unknown) => center.list({ principal: input }),
      get: (input: unknown) => center.get({ principal: people.reader, id: input }),
      auditTrail: (input: unknown) => center.auditTrail({ principal: input, id: input }),
      exportCsv: (input: unknown) => center.exportCsv({ principal: people.reader, query: input, columns: input }),
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...(Object.keys(operations) as (keyof typeof operations)[])), hostile, async (name, input) => {
        const result = await operations[name](input);
        if (!result.ok) {
          expect(ACTION_CENTER_ERROR_CODES_FOR_TESTS).toContain(result.error.code);
          expect(result.error.message.length).toBeGreaterThan(0);
        }
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 400 },
    );
    expect(await snapshot(center)).toBe(before);
  });
});
