import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import {
  builtInActionTypeMap,
  builtInActionTypes,
  builtInCatalog,
  createCatalog,
  defineActionType,
  parseActionRequest,
  ActionCenterException,
  type ActionRequestInput,
} from '../../src/index.js';

const device = { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' } as const;
const file = { ...device, kind: 'file', path: 'C:\\Users\\bob\\Downloads\\evil.exe' } as const;
const alice = { type: 'principal', id: 'alice@contoso.com' } as const;
const SHA1 = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';

const isolateRequest: ActionRequestInput = {
  actionType: 'isolateDevice',
  target: device,
  parameters: { isolationType: 'full' },
  source: 'manualDeviceAction',
  requestedBy: alice,
};

const wipeDevice = defineActionType({
  id: 'wipeDevice',
  displayName: 'Wipe device',
  description: 'Wipes the device.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({ keepEnrollment: z.boolean().default(false) }),
});

describe('createCatalog refuses an inconsistent catalogue with a typed error', () => {
  it('a duplicate id: duplicateActionType naming the id', () => {
    const again = defineActionType({ ...builtInActionTypeMap.isolateDevice, displayName: 'Isolate device again' });
    const r = createCatalog([...builtInActionTypes, again]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'duplicateActionType', actionTypeId: 'isolateDevice' });
  });

  it('an undo counterpart that does not exist: unknownUndoCounterpart naming both', () => {
    const lockVault = defineActionType({
      id: 'lockVault',
      displayName: 'Lock vault',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.object({}),
      undo: { counterpart: 'unlockVault', requiredRole: 'securityAdministrator' },
    });
    const r = createCatalog([...builtInActionTypes, lockVault]);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatchObject({
        code: 'unknownUndoCounterpart',
        actionTypeId: 'lockVault',
        counterpartId: 'unlockVault',
      });
  });

  it('a built-in whose counterpart was left out: unknownUndoCounterpart', () => {
    const r = createCatalog(builtInActionTypes.filter((t) => t.id !== 'releaseFromQuarantine'));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatchObject({
        code: 'unknownUndoCounterpart',
        actionTypeId: 'quarantineFile',
        counterpartId: 'releaseFromQuarantine',
      });
  });

  it('a counterpart of another workload: undoCounterpartWorkloadMismatch with both workloads', () => {
    const purgeDevice = defineActionType({
      id: 'purgeDevice',
      displayName: 'Purge device',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.object({}),
      undo: { counterpart: 'moveToInbox', requiredRole: 'securityAdministrator' },
    });
    const r = createCatalog([...builtInActionTypes, purgeDevice]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({
        code: 'undoCounterpartWorkloadMismatch',
        actionTypeId: 'purgeDevice',
        counterpartId: 'moveToInbox',
        workload: 'endpoint',
        counterpartWorkload: 'email',
      });
    }
  });

  it.each([
    ['an empty displayName', { displayName: '' }, 'displayName'],
    ['a negative deadline', { deadlineMs: -1 }, 'deadlineMs'],
    ['a fractional deadline', { deadlineMs: 1.5 }, 'deadlineMs'],
    ['an id with spaces', { id: 'wipe device' }, 'id'],
    ['an unknown workload', { workload: 'cloud' }, 'workload'],
    ['an unknown target kind', { targetKind: 'printer' }, 'targetKind'],
    ['parameters that are not a zod schema', { parameters: { keepEnrollment: 'boolean' } }, 'parameters'],
  ] as const)(
    'a malformed definition (%s): invalidInput whose issue path is [index, field]',
    (_what, change, field) => {
      const malformed = { ...wipeDevice, ...change } as unknown as typeof wipeDevice;
      const types = [...builtInActionTypes, malformed];
      const r = createCatalog(types);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalidInput');
        if (r.error.code === 'invalidInput')
          expect(r.error.issues.map((i) => i.path)).toContainEqual([types.length - 1, field]);
      }
    },
  );

  it('refuses rather than throws: no input makes createCatalog throw', () => {
    const garbage = [null, 42, 'quarantineFile', {}, { id: 'x' }] as unknown as typeof builtInActionTypes;
    expect(() => createCatalog(garbage)).not.toThrow();
    expect(createCatalog(garbage).ok).toBe(false);
  });
});

describe('a custom type added to the built-ins', () => {
  const catalog = createCatalog([...builtInActionTypes, wipeDevice]);

  it('builds, and holds the built-ins and the new type', () => {
    expect(catalog.ok).toBe(true);
    if (!catalog.ok) return;
    expect(catalog.value.types.length).toBe(builtInActionTypes.length + 1);
    expect(catalog.value.byDisplayName('Wipe device')?.id).toBe('wipeDevice');
    expect(catalog.value.require('quarantineFile')).toBe(builtInActionTypeMap.quarantineFile);
  });

  it('parses requests for it, defaults applied, and the built-in catalogue does not know it', () => {
    if (!catalog.ok) throw new Error('catalogue did not build');
    const request = { ...isolateRequest, actionType: 'wipeDevice', parameters: {} };
    const r = parseActionRequest(request, catalog.value);
    expect(r.ok && r.value.parameters).toEqual({ keepEnrollment: false });
    expect(parseActionRequest(request).ok).toBe(false);
  });

  it('a custom type may have a custom counterpart of its own workload', () => {
    const unwipe = defineActionType({
      id: 'restoreImage',
      displayName: 'Restore image',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.object({}),
      undoes: ['wipeDevice2'],
    });
    const wipe2 = defineActionType({
      ...wipeDevice,
      id: 'wipeDevice2',
      displayName: 'Wipe device 2',
      undo: { counterpart: 'restoreImage', requiredRole: 'globalAdministrator' },
    });
    const r = createCatalog([...builtInActionTypes, wipe2, unwipe]);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.undoCounterpartOf('wipeDevice2')?.id).toBe('restoreImage');
  });
});

describe('catalogue lookups', () => {
  it('get of an unknown id is unknownActionType naming it; require throws ActionCenterException', () => {
    const r = builtInCatalog.get('formatHardDrive');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'unknownActionType', actionTypeId: 'formatHardDrive' });
    expect(() => builtInCatalog.require('formatHardDrive')).toThrow(ActionCenterException);
  });

  it('has, byDisplayName and undoCounterpartOf', () => {
    expect(builtInCatalog.has('isolateDevice')).toBe(true);
    expect(builtInCatalog.has('toString')).toBe(false);
    expect(builtInCatalog.byDisplayName('Quarantine file')?.id).toBe('quarantineFile');
    expect(builtInCatalog.byDisplayName('quarantine file')).toBeUndefined();
    expect(builtInCatalog.undoCounterpartOf('killProcess')).toBeNull();
    expect(builtInCatalog.undoCounterpartOf('nope')).toBeNull();
  });
});

describe('parsing requests and parameters', () => {
  it('a valid request parses, with defaults filled in', () => {
    const r = parseActionRequest(isolateRequest);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.parameters).toEqual({ isolationType: 'full' });
      expect(r.value).toMatchObject({ investigationId: null, comment: null, propose: false });
    }
  });

  it('an unknown action type: unknownActionType', () => {
    const r = parseActionRequest({ ...isolateRequest, actionType: 'formatHardDrive' });
    expect(!r.ok && r.error).toMatchObject({ code: 'unknownActionType', actionTypeId: 'formatHardDrive' });
    const p = builtInCatalog.parseParameters('formatHardDrive', {});
    expect(!p.ok && p.error.code).toBe('unknownActionType');
  });

  it('seed-derived: stop and quarantine without sha1 is invalidParameters at ["parameters", "sha1"]', () => {
    const r = parseActionRequest({
      ...isolateRequest,
      actionType: 'stopAndQuarantineFile',
      target: file,
      parameters: {},
    });
    expect(r.ok).toBe(false);
    if (!r.ok && r.error.code === 'invalidParameters') {
      expect(r.error.actionTypeId).toBe('stopAndQuarantineFile');
      expect(r.error.issues.map((i) => i.path)).toEqual([['parameters', 'sha1']]);
    } else {
      expect.unreachable(`expected invalidParameters, got ${JSON.stringify(r)}`);
    }
  });

  it('stop and quarantine with a sha1 parses, the hash lower-cased', () => {
    const r = parseActionRequest({
      ...isolateRequest,
      actionType: 'stopAndQuarantineFile',
      target: file,
      parameters: { sha1: SHA1.toUpperCase() },
    });
    expect(r.ok && r.value.parameters).toEqual({ sha1: SHA1 });
  });

  it.each([
    ['isolateDevice', { isolationType: 'partial' }, ['parameters', 'isolationType']],
    ['runAntivirusScan', {}, ['parameters', 'scanType']],
    ['runScript', { scriptName: '..\\..\\evil.ps1' }, ['parameters', 'scriptName']],
    ['blockUrl', { url: 'javascript:alert(1)' }, ['parameters', 'url']],
    ['addIndicator', { indicatorAction: 'block', title: '' }, ['parameters', 'title']],
    ['softDeleteEmail', {}, ['parameters', 'networkMessageId']],
    ['quarantineFile', { quarantineReason: 'typo' }, ['parameters']],
  ] as const)('%s with %j: invalidParameters naming %j', (id, parameters, path) => {
    const r = builtInCatalog.parseParameters(id, parameters);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalidParameters');
      if (r.error.code === 'invalidParameters') expect(r.error.issues.map((i) => i.path)).toContainEqual(path);
    }
  });

  it('unknown parameters are refused, not dropped (a misspelt optional parameter is an error)', () => {
    const r = builtInCatalog.parseParameters('runScript', { scriptName: 'collect.ps1', arg: '-v' });
    expect(r.ok).toBe(false);
    if (!r.ok && r.error.code === 'invalidParameters') expect(r.error.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('optional parameters are null when left out, never undefined', () => {
    expect(builtInCatalog.parseParameters('runScript', { scriptName: 'collect.ps1' })).toEqual({
      ok: true,
      value: { scriptName: 'collect.ps1', args: null },
    });
    expect(builtInCatalog.parseParameters('turnOffExternalMailForwarding', {})).toEqual({
      ok: true,
      value: { forwardingRuleName: null },
    });
    expect(builtInCatalog.parseParameters('addIndicator', { indicatorAction: 'allow' })).toEqual({
      ok: true,
      value: { indicatorAction: 'allow', title: null, description: null },
    });
  });

  it('a target of the wrong kind: targetKindMismatch with expected and actual kinds', () => {
    const r = parseActionRequest({ ...isolateRequest, target: { kind: 'url', url: 'https://evil.example/' } });
    expect(!r.ok && r.error).toMatchObject({
      code: 'targetKindMismatch',
      actionTypeId: 'isolateDevice',
      expected: 'device',
      actual: 'url',
    });
  });

  it('a source of another workload (Explorer isolating a device): sourceNotApplicable', () => {
    const r = parseActionRequest({ ...isolateRequest, source: 'explorerAction' });
    expect(!r.ok && r.error).toMatchObject({
      code: 'sourceNotApplicable',
      actionTypeId: 'isolateDevice',
      source: 'explorerAction',
      workload: 'endpoint',
    });
  });

  it('an email action from the "Manual device action" source: sourceNotApplicable', () => {
    const r = parseActionRequest({
      ...isolateRequest,
      actionType: 'softDeleteEmailClusters',
      target: { kind: 'emailCluster', query: 'Subject:"Invoice"' },
      parameters: { query: 'Subject:"Invoice"' },
    });
    expect(!r.ok && r.error).toMatchObject({ code: 'sourceNotApplicable', workload: 'email' });
  });

  it('a parameter schema that throws yields invalidParameters, not an exception', () => {
    const buggy = defineActionType({
      id: 'buggy',
      displayName: 'Buggy',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.object({}).superRefine(() => {
        throw new Error('refinement bug');
      }),
    });
    const catalog = createCatalog([buggy]);
    expect(catalog.ok).toBe(true);
    if (!catalog.ok) return;
    expect(() => catalog.value.parseParameters('buggy', {})).not.toThrow();
    const p = catalog.value.parseParameters('buggy', {});
    expect(!p.ok && p.error).toMatchObject({ code: 'invalidParameters', actionTypeId: 'buggy' });
    const r = parseActionRequest({ ...isolateRequest, actionType: 'buggy', parameters: {} }, catalog.value);
    expect(!r.ok && r.error.code).toBe('invalidParameters');
  });

  it('a parameter schema that does not produce an object is refused', () => {
    const scalar = defineActionType({
      id: 'scalar',
      displayName: 'Scalar',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.unknown().transform(() => 42),
    });
    const catalog = createCatalog([scalar]);
    if (!catalog.ok) throw new Error('catalogue did not build');
    const p = catalog.value.parseParameters('scalar', {});
    expect(!p.ok && p.error.code).toBe('invalidParameters');
  });

  it.each([
    ['at the top of the parameters', '{"__proto__": {"polluted": true}}'],
    ['nested in the parameters', '{"title": "x", "nested": {"__proto__": {"polluted": true}}}'],
    ['as constructor', '{"constructor": {"prototype": {"polluted": true}}}'],
  ])('prototype-pollution keys are refused (%s)', (_where, json) => {
    const r = parseActionRequest({ ...isolateRequest, parameters: JSON.parse(json) });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      // Parameters are checked as parameters: invalidParameters, with the path (issue 11, item 8).
      expect(r.error.code).toBe('invalidParameters');
      if (r.error.code === 'invalidParameters') expect(r.error.issues.map((i) => i.path[0])).toContain('parameters');
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('prototype-pollution keys given straight to parseParameters of a built-in are refused too', () => {
    const r = builtInCatalog.parseParameters('quarantineFile', JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(r.ok).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('input that is not an object at all: invalidInput', () => {
    for (const input of [null, undefined, 42, 'isolateDevice', [], () => 1]) {
      const r = parseActionRequest(input);
      expect(!r.ok && r.error.code).toBe('invalidInput');
    }
  });

  it('parsing does not mutate its input', () => {
    const input = structuredClone({
      ...isolateRequest,
      target: file,
      actionType: 'stopAndQuarantineFile',
      parameters: { sha1: SHA1.toUpperCase() },
    });
    const before = structuredClone(input);
    parseActionRequest(input);
    expect(input).toEqual(before);
  });
});
