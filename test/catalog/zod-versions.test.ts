// Users pass their own zod schemas to defineActionType. Which zod they come from is checked by shape,
// not by `instanceof` our copy: another copy of zod 4 works; a zod 3 schema is refused with a message
// that names the version needed (TypeScript's TS2740 about it does not).
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import * as z3 from 'zod/v3';
import {
  builtInActionTypes,
  createActionCenter,
  createCatalog,
  defineActionType,
  requestFor,
} from '../../src/index.js';

const typeWith = (parameters: unknown) =>
  // Cast: the point is what a caller whose types do not line up (zod 3, JavaScript) gets at run time.
  defineActionType({
    id: 'wipeDevice',
    displayName: 'Wipe device',
    workload: 'endpoint',
    targetKind: 'device',
    parameters: parameters as z.ZodType,
  });

describe('defineActionType with schemas of other zod builds', () => {
  test('a zod 3 schema is refused with a typed error naming zod ^4.0.0 and the zod/v4 way out', () => {
    const catalog = createCatalog([...builtInActionTypes, typeWith(z3.z.object({ reason: z3.z.string() }))]);
    expect(catalog.ok).toBe(false);
    const text = JSON.stringify(catalog);
    expect(text).toContain('zod 3 schema');
    expect(text).toContain('zod ^4.0.0');
    expect(text).toContain('zod/v4');
  });

  test('something that is no schema at all is refused as such', () => {
    for (const value of [
      null,
      42,
      'z.string()',
      {},
      { _zod: 'nope' },
      { _zod: { version: { major: 5 } }, safeParse: () => 0 },
    ]) {
      const catalog = createCatalog([...builtInActionTypes, typeWith(value)]);
      expect(catalog.ok, JSON.stringify(value)).toBe(false);
    }
  });

  test('a schema that throws when read is refused, not thrown', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        has() {
          throw new Error('boom');
        },
      },
    );
    expect(() => createCatalog([...builtInActionTypes, typeWith(hostile)])).not.toThrow();
  });

  test('a zod 4 schema that is not an instance of our zod class (zod/mini) is accepted and validates requests', async () => {
    const wipe = typeWith(zm.strictObject({ keepEnrollment: zm.boolean() }));
    const catalog = createCatalog([...builtInActionTypes, wipe]);
    expect(catalog.ok).toBe(true);
    if (!catalog.ok) return;
    const center = createActionCenter({ catalog: catalog.value });
    const request = (keepEnrollment: unknown) =>
      requestFor(wipe, {
        target: { kind: 'device', deviceId: 'dev-1', deviceName: 'WS-1', deviceGroup: 'Workstations' },
        parameters: { keepEnrollment } as { keepEnrollment: boolean },
        source: 'manualDeviceAction',
        requestedBy: { type: 'principal', id: 'alice' },
      });
    const admin = { id: 'alice', assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }] } as const;
    const bad = await center.submit({ principal: admin, request: request('yes') });
    expect(bad.ok).toBe(false);
    const good = await center.submit({ principal: admin, request: request(true) });
    expect(good.ok, JSON.stringify(good)).toBe(true);
  });
});
