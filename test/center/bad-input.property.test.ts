import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { builtInActionTypes, createCatalog, defineActionType } from '../../src/index.js';
import { hostile as hostileRecipe, materialize } from '../support/hostile.js';
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
  fc.record({
    principal: fc.constant(people.secAdmin),
    ids: fc.array(fc.string(), { maxLength: 3 }),
    comment: fc.string({ unit: 'binary' }),
  }),
  fc.record({ principal: fc.constant(people.secAdmin), ids: fc.constant([]) }),
  fc.record({
    principal: fc.constant(people.secAdmin),
    ids: fc.constant(Array.from({ length: 10_001 }, (_, i) => `act-${i}`)),
  }),
  fc.record({ principal: fc.record({ id: fc.string(), assignments: fc.anything() }), ids: fc.constant(['act-1']) }),
  fc.record({
    principal: fc.constant(people.secAdmin),
    ids: fc.constant(['act-1']),
    comment: fc.constantFrom('\u0000', 'a\u001b[2J', '\u007f', 'x'.repeat(2001)),
  }),
);

describe('bad input at every public entry point gets a typed error and changes nothing', () => {
  it('submit, approve, reject, cancel, undo, run, list, get, auditTrail and exportCsv never throw and never change the store', async () => {
    const { center } = testCenter();
    await must(center.submit({ request: quarantine('LAPTOP-1') }));
    await must(center.submit({ request: softDeleteCluster() }));
    const before = await snapshot(center);
    const operations = {
      submit: (input: unknown) => center.submit({ request: input as never, principal: input as never }),
      submitAsInput: (input: unknown) => center.submit(input as never),
      approve: (input: unknown) => center.approve(input as never),
      reject: (input: unknown) => center.reject(input as never),
      cancel: (input: unknown) => center.cancel(input as never),
      undo: (input: unknown) => center.undo(input as never),
      run: (input: unknown) => center.run({ ids: input as never }),
      list: (input: unknown) => center.list({ principal: people.reader, query: input as never }),
      listAs: (input: unknown) => center.list({ principal: input as never }),
      get: (input: unknown) => center.get({ principal: people.reader, id: input as never }),
      auditTrail: (input: unknown) => center.auditTrail({ principal: input as never, id: input as never }),
      verifyAuditTrail: (input: unknown) => center.verifyAuditTrail({ principal: input as never, id: input as never }),
      exportCsv: (input: unknown) =>
        center.exportCsv({ principal: people.reader, query: input as never, columns: input as never }),
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(operations) as (keyof typeof operations)[])),
        hostile,
        async (name, input) => {
          const result = await operations[name](input);
          if (!result.ok) {
            expect(ACTION_CENTER_ERROR_CODES_FOR_TESTS).toContain(result.error.code);
            expect(result.error.message.length).toBeGreaterThan(0);
          }
          expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        },
      ),
      { numRuns: 400 },
    );
    expect(await snapshot(center)).toBe(before);
  });
});

// Issue 11, item 6 and 8: revoked Proxies, throwing getters and traps, cycles, values thousands deep
// and non-JSON objects, alone or inside plausible input, at every operation and every field, with
// a permissive custom parameter schema in the catalogue so that parameters reach as far as they can.
const tagDevice = defineActionType({
  id: 'tagDevice',
  displayName: 'Tag device',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.record(z.string(), z.unknown()),
});
const permissiveCatalog = createCatalog([...builtInActionTypes, tagDevice]);

describe('hostile objects at every public entry point of the center (issue 11, items 6 and 8)', () => {
  it('no operation throws or rejects on revoked Proxies, throwing getters, cycles, deep or non-JSON values; each answers a typed error and the store is unchanged', async () => {
    if (!permissiveCatalog.ok) throw new Error(permissiveCatalog.error.message);
    const { center } = testCenter({ catalog: permissiveCatalog.value });
    const pending = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    await must(center.submit({ request: softDeleteCluster() }));
    const tag = (parameters: unknown) =>
      ({
        actionType: 'tagDevice',
        target: { kind: 'device', deviceId: 'd9', deviceName: 'LAPTOP-9', deviceGroup: 'Workstations' },
        parameters,
        source: 'automatedDeviceAction',
        requestedBy: { type: 'system', component: 'automatedInvestigation' },
      }) as never; // hostile parameters: typed out of the way, checked at run time
    // An open tagDevice action on the target: a hostile value that happens to be valid parameters
    // is then refused as a duplicate, so the store must stay exactly as it is.
    await must(center.submit({ request: tag({}) }));
    const before = await snapshot(center);
    const id = pending.action.id;
    const operations: Record<
      string,
      (h: unknown) => Promise<{ ok: boolean; error?: { code: string; message: string } }>
    > = {
      submit: (h) => center.submit(h as never),
      submitRequest: (h) => center.submit({ request: h as never }),
      submitParameters: (h) => center.submit({ request: tag(h) }),
      submitNestedParameters: (h) => center.submit({ request: tag({ data: h as never }) }),
      submitPrincipal: (h) =>
        center.submit({
          request: {
            ...quarantine('LAPTOP-2'),
            source: 'manualDeviceAction',
            requestedBy: { type: 'principal', id: 'x' },
          },
          principal: h as never,
        }),
      approve: (h) => center.approve(h as never),
      approvePrincipal: (h) => center.approve({ principal: h as never, ids: [id] }),
      approveIds: (h) => center.approve({ principal: people.globalAdmin, ids: h as never }),
      rejectComment: (h) => center.reject({ principal: people.nobody, ids: [id], comment: h as never }),
      cancel: (h) => center.cancel(h as never),
      undo: (h) => center.undo(h as never),
      undoFlag: (h) => center.undo({ principal: people.globalAdmin, ids: [id], applyToOtherInstances: h as never }),
      run: (h) => center.run(h as never),
      runIds: (h) => center.run({ ids: h as never }),
      list: (h) => center.list(h as never),
      listQuery: (h) => center.list({ principal: people.reader, query: h as never }),
      listFilter: (h) => center.list({ principal: people.reader, query: { filter: h as never } }),
      get: (h) => center.get(h as never),
      getId: (h) => center.get({ principal: people.reader, id: h as never }),
      auditTrail: (h) => center.auditTrail({ principal: h as never, id: h as never }),
      verifyAuditTrail: (h) => center.verifyAuditTrail({ principal: h as never, id: h as never }),
      exportCsv: (h) => center.exportCsv(h as never),
      exportColumns: (h) => center.exportCsv({ principal: people.reader, query: {}, columns: h as never }),
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(operations)), hostileRecipe, async (name, recipe) => {
        let result: { ok: boolean; error?: { code: string; message: string } } | undefined;
        try {
          result = await (operations[name] as (h: unknown) => Promise<typeof result>)(materialize(recipe));
        } catch (cause) {
          expect.fail(`${name} threw or rejected: ${String(cause)}`);
        }
        expect(result).toBeDefined();
        if (result !== undefined && !result.ok) {
          expect(ACTION_CENTER_ERROR_CODES_FOR_TESTS).toContain(result.error?.code);
          // Hostile input is the caller's error, never an internal one.
          expect(result.error?.code).not.toBe('internalError');
          expect(result.error?.message.length).toBeGreaterThan(0);
        }
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 500 },
    );
    expect(await snapshot(center)).toBe(before);
  }, 180_000);

  it('subscribe never throws on a hostile listener, and every committed change still reaches the good ones', async () => {
    const { center } = testCenter();
    const heard: number[] = [];
    center.subscribe(() => heard.push(1));
    await fc.assert(
      fc.asyncProperty(hostileRecipe, async (recipe) => {
        const stop = center.subscribe(materialize(recipe) as never);
        expect(typeof stop).toBe('function');
        stop();
      }),
      { numRuns: 100 },
    );
    await must(center.submit({ request: quarantine('LAPTOP-1') }));
    expect(heard).toEqual([1]);
  }, 60_000);
});
