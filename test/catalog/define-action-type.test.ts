// Type-level tests: `tsc --noEmit` (which covers test files) checks the `expectTypeOf` assertions and
// that every `@ts-expect-error` line really is an error. Each test also asserts at run time.
import { describe, it, expect, expectTypeOf } from 'vitest';
import { z } from 'zod';
import {
  builtInActionTypeMap,
  builtInCatalog,
  createCatalog,
  defineActionType,
  requestFor,
  unwrap,
  type ActionTypeDefinition,
  type BuiltInActionTypeId,
  type ParametersInputOf,
  type ParametersOf,
  type Result,
} from '../../src/index.js';
import { type TargetOfType, type UnknownActionTypeError } from '../../src/adapter-kit.js';

const wipeDevice = defineActionType({
  id: 'wipeDevice',
  displayName: 'Wipe device',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({
    reason: z.string().min(1),
    keepEnrollment: z.boolean().default(false),
    wipeType: z.enum(['quick', 'secure']),
  }),
});

const target = { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' } as const;
const requestedBy = { type: 'principal', id: 'alice@contoso.com' } as const;

describe('defineActionType infers a custom type precisely', () => {
  it('keeps the literal id and target kind', () => {
    expectTypeOf(wipeDevice.id).toEqualTypeOf<'wipeDevice'>();
    expectTypeOf(wipeDevice.targetKind).toEqualTypeOf<'device'>();
    expect([wipeDevice.id, wipeDevice.targetKind]).toEqual(['wipeDevice', 'device']);
  });

  it('infers its parameters from the schema: ParametersOf after parsing, ParametersInputOf before defaults', () => {
    expectTypeOf<ParametersOf<typeof wipeDevice>>().toEqualTypeOf<{
      reason: string;
      keepEnrollment: boolean;
      wipeType: 'quick' | 'secure';
    }>();
    expectTypeOf<ParametersInputOf<typeof wipeDevice>>().toHaveProperty('keepEnrollment');
    expectTypeOf<{ reason: string; wipeType: 'quick' }>().toExtend<ParametersInputOf<typeof wipeDevice>>();
    expect(wipeDevice.parameters.parse({ reason: 'stolen', wipeType: 'quick' })).toEqual({
      reason: 'stolen',
      keepEnrollment: false,
      wipeType: 'quick',
    });
  });

  it('infers the target from the target kind', () => {
    expectTypeOf<TargetOfType<typeof wipeDevice>['kind']>().toEqualTypeOf<'device'>();
    expectTypeOf<TargetOfType<typeof builtInActionTypeMap.blockUrl>>().toHaveProperty('url');
    expect(builtInActionTypeMap.blockUrl.targetKind).toBe('url');
  });

  it('fills in the defaults of the optional parts', () => {
    expectTypeOf(wipeDevice).toExtend<ActionTypeDefinition>();
    expect(wipeDevice).toMatchObject({
      undo: null,
      cancellableWhileRunning: false,
      permission: 'deviceRemediation',
      undoes: [],
      description: 'Wipe device',
    });
  });
});

describe('requestFor checks requests at compile time', () => {
  it('accepts parameters that fit, with defaults left out', () => {
    const request = requestFor(wipeDevice, {
      target,
      parameters: { reason: 'stolen', wipeType: 'secure' },
      source: 'manualDeviceAction',
      requestedBy,
    });
    expect(request.actionType).toBe('wipeDevice');
  });

  it('refuses parameters that do not fit', () => {
    const request = requestFor(wipeDevice, {
      target,
      // @ts-expect-error `wrong` is not a parameter of wipeDevice, and `reason`/`wipeType` are missing
      parameters: { wrong: 1 },
      source: 'manualDeviceAction',
      requestedBy,
    });
    // The compile-time check has a run-time twin: the catalogue refuses it too.
    const catalog = unwrap(createCatalog([wipeDevice]));
    expect(catalog.parseRequest(request).ok).toBe(false);
  });

  it('refuses a parameter of the wrong type, and a missing required parameter', () => {
    const badEnum = requestFor(wipeDevice, {
      target,
      // @ts-expect-error wipeType must be 'quick' | 'secure'
      parameters: { reason: 'x', wipeType: 'fast' },
      source: 'manualDeviceAction',
      requestedBy,
    });
    const noSha1 = requestFor(builtInActionTypeMap.stopAndQuarantineFile, {
      target: { ...target, kind: 'file', path: 'C:\\x.exe' },
      // @ts-expect-error sha1 is required for stop and quarantine
      parameters: {},
      source: 'manualDeviceAction',
      requestedBy,
    });
    expect(builtInCatalog.parseRequest(noSha1).ok).toBe(false);
    expect(badEnum.parameters).toEqual({ reason: 'x', wipeType: 'fast' });
  });

  it('refuses a target of another kind', () => {
    const request = requestFor(builtInActionTypeMap.isolateDevice, {
      // @ts-expect-error isolate device acts on a device, not a URL
      target: { kind: 'url', url: 'https://evil.example/' },
      parameters: { isolationType: 'full' },
      source: 'manualDeviceAction',
      requestedBy,
    });
    expect(builtInCatalog.parseRequest(request).ok).toBe(false);
  });
});

describe('the built-in catalogue is precisely typed', () => {
  it("builtInCatalog.get('isolateDevice') narrows to the isolateDevice definition", () => {
    const r = builtInCatalog.get('isolateDevice');
    expectTypeOf(r).toEqualTypeOf<Result<typeof builtInActionTypeMap.isolateDevice, UnknownActionTypeError>>();
    if (r.ok) {
      expectTypeOf(r.value.id).toEqualTypeOf<'isolateDevice'>();
      expectTypeOf<ParametersOf<typeof r.value>>().toEqualTypeOf<{ isolationType: 'full' | 'selective' }>();
    }
    expect(r.ok && r.value).toBe(builtInActionTypeMap.isolateDevice);
  });

  it('require with a literal id is typed too; any other string gives the union', () => {
    const stop = builtInCatalog.require('stopAndQuarantineFile');
    expectTypeOf<ParametersOf<typeof stop>>().toEqualTypeOf<{ sha1: string }>();
    const any = builtInCatalog.get('somethingElse' as string);
    if (any.ok) expectTypeOf(any.value.id).toEqualTypeOf<BuiltInActionTypeId>();
    expect(stop.id).toBe('stopAndQuarantineFile');
    expect(any.ok).toBe(false);
  });

  it('optional built-in parameters are null after parsing, and may be left out on input', () => {
    expectTypeOf<ParametersOf<typeof builtInActionTypeMap.runScript>>().toEqualTypeOf<{
      scriptName: string;
      args: string | null;
    }>();
    expectTypeOf<{ scriptName: string }>().toExtend<ParametersInputOf<typeof builtInActionTypeMap.runScript>>();
    expect(builtInCatalog.parseParameters('runScript', { scriptName: 'a.ps1' })).toEqual({
      ok: true,
      value: { scriptName: 'a.ps1', args: null },
    });
  });

  it('BuiltInActionTypeId is the union of the built-in ids', () => {
    expectTypeOf<'isolateDevice'>().toExtend<BuiltInActionTypeId>();
    // @ts-expect-error not a built-in id
    const notBuiltIn: BuiltInActionTypeId = 'formatHardDrive';
    expect(builtInCatalog.has(notBuiltIn)).toBe(false);
  });

  it('a catalogue of built-ins plus a custom type knows both precisely', () => {
    const catalog = unwrap(createCatalog([...Object.values(builtInActionTypeMap), wipeDevice]));
    const wipe = catalog.require('wipeDevice');
    expectTypeOf(wipe).toEqualTypeOf<typeof wipeDevice>();
    expectTypeOf(catalog.require('killProcess')).toEqualTypeOf<typeof builtInActionTypeMap.killProcess>();
    expect(wipe).toBe(wipeDevice);
  });
});
