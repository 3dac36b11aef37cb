/**
 * Issue 11, item 8 on PGlite: parameters from a permissive custom schema (z.record of z.unknown)
 * that are not plain bounded JSON never reach the store (invalidParameters, nothing written), and
 * parameters at the limits (31 levels below the root, about 64 KiB) are written and read back equal.
 */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  builtInActionTypes,
  createActionCenter,
  createCatalog,
  defineActionType,
  manualClock,
  sequentialIdGenerator,
} from 'actioncenter';
import { PLAIN_JSON_LIMITS } from 'actioncenter/adapter-kit';
import { freshRepository, T0, usePGlite } from './postgres-fixtures.js';

usePGlite();

const tagDevice = defineActionType({
  id: 'tagDevice',
  displayName: 'Tag device',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.record(z.string(), z.unknown()),
});
const built = createCatalog([...builtInActionTypes, tagDevice]);
if (!built.ok) throw new Error(built.error.message);
const catalog = built.value;

const ga = { id: 'ga@contoso.com', assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }] } as const;

function request(parameters: unknown, device = 'LAPTOP-1') {
  return {
    actionType: 'tagDevice',
    target: { kind: 'device', deviceId: `dev-${device}`, deviceName: device, deviceGroup: 'Workstations' },
    parameters,
    source: 'automatedDeviceAction',
    requestedBy: { type: 'system', component: 'automatedInvestigation' },
  };
}

function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let at = root;
  for (let i = 0; i < depth; i += 1) {
    const next: Record<string, unknown> = {};
    at['d'] = next;
    at = next;
  }
  return root;
}

const cyclic = () => {
  const o: Record<string, unknown> = {};
  o['self'] = o;
  return o;
};

describe('issue 11 item 8 on PGlite: permissive parameter schemas let non-JSON or 20,000-deep parameters reach the store', () => {
  it.each([
    ['nested 20,000 deep', () => nested(20_000)],
    ['holding a function', () => ({ f: () => 1 })],
    ['holding a BigInt', () => ({ n: 10n })],
    ['holding a Date', () => ({ at: new Date(0) })],
    ['cyclic', cyclic],
    ['over 64 KiB', () => ({ s: 'x'.repeat(PLAIN_JSON_LIMITS.maxSize) })],
    ['holding Infinity', () => ({ n: Number.POSITIVE_INFINITY })],
  ])(
    'submit refuses parameters %s with invalidParameters and writes nothing',
    async (_name, make) => {
      const repository = await freshRepository();
      const center = createActionCenter({
        catalog,
        repository,
        clock: manualClock(T0),
        idGenerator: sequentialIdGenerator(),
      });
      const r = await center.submit({ request: request(make()) as never });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalidParameters');
      const listed = await center.list({ principal: ga, query: {} });
      expect(listed.ok && listed.value.items).toEqual([]);
    },
    60_000,
  );

  it('parameters at the limits are written and read back equal', async () => {
    const repository = await freshRepository();
    const center = createActionCenter({
      catalog,
      repository,
      clock: manualClock(T0),
      idGenerator: sequentialIdGenerator(),
    });
    const deep = nested(PLAIN_JSON_LIMITS.maxDepth - 1);
    const large = { s: 'é'.repeat(PLAIN_JSON_LIMITS.maxSize - 100) };
    for (const [i, parameters] of [deep, large].entries()) {
      const submitted = await center.submit({ request: request(parameters, `LAPTOP-${i}`) as never });
      expect(submitted.ok).toBe(true);
      if (!submitted.ok) continue;
      const read = await center.get({ principal: ga, id: submitted.value.action.id });
      expect(read.ok && read.value.parameters).toEqual(parameters);
    }
  }, 60_000);
});
