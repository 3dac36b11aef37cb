// Issue 12, item 16: parameters were not checked against the target. An action type may declare a
// check (checkTarget); the built-ins check stop and quarantine's sha1, the email message types'
// networkMessageId and block URL's url. A request that disagrees is invalidParameters with paths.
import { z } from 'zod';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { builtInActionTypes, createCatalog, defineActionType, parseActionRequest } from '../../src/index.js';
import { actionCenterArbitraries } from '../../src/testing/index.js';

const device = { deviceId: 'dev-1', deviceName: 'PC-1', deviceGroup: 'Workstations' };
const fileTarget = (sha1: string | null) => ({ kind: 'file', ...device, path: 'C:\\Users\\bob\\x.exe', sha1 });
const message = { kind: 'emailMessage', mailbox: 'alex@contoso.com', networkMessageId: '<m1@contoso.com>' };
const manual = { type: 'principal', id: 'alice' };
const request = (actionType: string, target: object, parameters: object, source = 'manualDeviceAction') =>
  parseActionRequest({ actionType, target, parameters, source, requestedBy: manual });

describe("stop and quarantine: the sha1 parameter is the target file's", () => {
  test('another hash is refused with invalidParameters at parameters.sha1', () => {
    const r = request('stopAndQuarantineFile', fileTarget('ab'.repeat(20)), { sha1: 'cd'.repeat(20) });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalidParameters');
      expect(r.error.code === 'invalidParameters' && r.error.issues[0]?.path).toEqual(['parameters', 'sha1']);
    }
  });
  test('the same hash in another case is accepted, and so is any hash when the target has none', () => {
    expect(request('stopAndQuarantineFile', fileTarget('ab'.repeat(20)), { sha1: 'AB'.repeat(20) }).ok).toBe(true);
    expect(request('stopAndQuarantineFile', fileTarget(null), { sha1: 'cd'.repeat(20) }).ok).toBe(true);
  });
});

describe("soft delete email (and the other message actions): networkMessageId is the target message's", () => {
  test.each(['softDeleteEmail', 'moveToJunk', 'moveToInbox', 'moveToDeletedItems', 'hardDeleteEmail'])(
    '%s refuses another message id',
    (type) => {
      const r = request(type, message, { networkMessageId: '<other@contoso.com>' }, 'manualEmailAction');
      expect(r.ok).toBe(false);
      if (!r.ok && r.error.code === 'invalidParameters')
        expect(r.error.issues[0]?.path).toEqual(['parameters', 'networkMessageId']);
      expect(request(type, message, { networkMessageId: '<m1@contoso.com>' }, 'manualEmailAction').ok).toBe(true);
    },
  );
});

test('block URL: the url parameter is the target URL (compared as URLs)', () => {
  const target = { kind: 'url', url: 'https://Evil.example/landing' };
  expect(request('blockUrl', target, { url: 'https://evil.example:443/landing' }, 'manualEmailAction').ok).toBe(true);
  expect(request('blockUrl', target, { url: 'https://other.example/' }, 'manualEmailAction').ok).toBe(false);
});

describe('a custom type declares its own check', () => {
  const wipe = defineActionType({
    id: 'wipeDevice',
    displayName: 'Wipe device',
    workload: 'endpoint',
    targetKind: 'device',
    parameters: z.strictObject({ confirmDeviceName: z.string() }),
    // Typed: parameters and the device target are known here.
    checkTarget: (parameters, target) =>
      parameters.confirmDeviceName === target.deviceName
        ? []
        : [{ path: ['confirmDeviceName'], message: 'must repeat the device name' }],
  });
  const catalog = createCatalog([...builtInActionTypes, wipe]);

  test('its issues come back under parameters', () => {
    expect(catalog.ok).toBe(true);
    if (!catalog.ok) return;
    const target = { kind: 'device', ...device };
    const bad = parseActionRequest(
      {
        actionType: 'wipeDevice',
        target,
        parameters: { confirmDeviceName: 'PC-2' },
        source: 'manualDeviceAction',
        requestedBy: manual,
      },
      catalog.value,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('parameters.confirmDeviceName: must repeat the device name');
    const good = parseActionRequest(
      {
        actionType: 'wipeDevice',
        target,
        parameters: { confirmDeviceName: 'PC-1' },
        source: 'manualDeviceAction',
        requestedBy: manual,
      },
      catalog.value,
    );
    expect(good.ok).toBe(true);
  });

  test('a check that throws or answers garbage refuses the request instead of throwing', () => {
    for (const checkTarget of [
      () => {
        throw new Error('bug');
      },
      () => 'yes' as unknown as [],
      () => [null] as unknown as [],
    ]) {
      const t = defineActionType({
        id: 'broken',
        displayName: 'Broken',
        workload: 'endpoint',
        targetKind: 'device',
        parameters: z.strictObject({}),
        checkTarget,
      });
      const c = createCatalog([...builtInActionTypes, t]);
      expect(c.ok).toBe(true);
      if (!c.ok) continue;
      const r = parseActionRequest(
        {
          actionType: 'broken',
          target: { kind: 'device', ...device },
          parameters: {},
          source: 'manualDeviceAction',
          requestedBy: manual,
        },
        c.value,
      );
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalidParameters');
    }
  });

  test('a check that is not a function is refused when the catalogue is built', () => {
    const t = defineActionType({
      id: 'odd',
      displayName: 'Odd',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.strictObject({}),
      checkTarget: 'no' as never,
    });
    expect(createCatalog([...builtInActionTypes, t]).ok).toBe(false);
  });
});

test("property: the testing kit's requests agree with their targets for every built-in type that checks", () => {
  const arbitraries = actionCenterArbitraries(fc);
  const checking = builtInActionTypes.filter((t) => t.checkTarget !== null);
  expect(checking.map((t) => t.id).sort()).toEqual([
    'blockUrl',
    'hardDeleteEmail',
    'moveToDeletedItems',
    'moveToInbox',
    'moveToJunk',
    'softDeleteEmail',
    'stopAndQuarantineFile',
  ]);
  fc.assert(
    fc.property(
      fc.constantFrom(...checking).chain((t) => arbitraries.requestOf(t)),
      (input) => {
        expect(parseActionRequest(input).ok).toBe(true);
      },
    ),
    { numRuns: 200 },
  );
});
