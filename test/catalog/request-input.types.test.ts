// Type-level tests of the catalogue's typed request inputs: `tsc --noEmit` (which covers test files)
// checks the `expectTypeOf` assertions and that every `@ts-expect-error` line really is an error.
// Each test also asserts at run time that the catalogue refuses (or accepts) the same input.
import { describe, it, expect, expectTypeOf } from 'vitest';
import { z } from 'zod';
import {
  builtInActionTypeMap,
  builtInActionTypes,
  builtInCatalog,
  createCatalog,
  defineActionType,
  parseActionRequest,
  requestFor,
  type ActionRequestInput,
  type BuiltInActionTypeId,
  type BuiltInRequestInput,
  type Catalog,
  type CatalogRequestInput,
  type RequestInputOf,
} from '../../src/index.js';
import { type ActionTypeIdOf, type TypesOf } from '../../src/adapter-kit.js';
import { unwrap } from '../../src/result.js';

const wipeDevice = defineActionType({
  id: 'wipeDevice',
  displayName: 'Wipe device',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({ wipeType: z.enum(['quick', 'secure']), keepEnrollment: z.boolean().default(false) }),
});
const customCatalog = unwrap(createCatalog([...builtInActionTypes, wipeDevice]));
type CustomRequestInput = CatalogRequestInput<typeof customCatalog>;

const device = { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' } as const;
const file = { ...device, kind: 'file', path: 'C:\\x.exe' } as const;
const requestedBy = { type: 'principal', id: 'alice@contoso.com' } as const;
const source = 'manualDeviceAction' as const;

/** The code of the refusal, or 'ok'. */
function verdict(input: unknown, catalog: Catalog = builtInCatalog): string {
  const r = parseActionRequest(input, catalog);
  return r.ok ? 'ok' : r.error.code;
}

describe('ids of a catalogue', () => {
  it('TypesOf and ActionTypeIdOf keep the literal ids, built-in and custom', () => {
    expectTypeOf<ActionTypeIdOf<typeof builtInCatalog>>().toEqualTypeOf<BuiltInActionTypeId>();
    expectTypeOf<ActionTypeIdOf<typeof customCatalog>>().toEqualTypeOf<BuiltInActionTypeId | 'wipeDevice'>();
    expectTypeOf<Extract<TypesOf<typeof customCatalog>, { id: 'wipeDevice' }>>().toEqualTypeOf<typeof wipeDevice>();
    expect(customCatalog.types.map((t) => t.id)).toContain('wipeDevice');
    expect(builtInCatalog.types.map((t) => t.id)).not.toContain('wipeDevice');
  });
});

describe('BuiltInRequestInput', () => {
  it('accepts valid requests, parameters left out when the type needs none', () => {
    const isolate: BuiltInRequestInput = {
      actionType: 'isolateDevice',
      target: device,
      parameters: { isolationType: 'full' },
      source,
      requestedBy,
      comment: 'contain the spread',
      idempotencyKey: 'k1',
    };
    const restrict: BuiltInRequestInput = { actionType: 'restrictCodeExecution', target: device, source, requestedBy };
    expectTypeOf<BuiltInRequestInput>().toExtend<ActionRequestInput>();
    expect([verdict(isolate), verdict(restrict)]).toEqual(['ok', 'ok']);
  });

  it('refuses a typo in actionType', () => {
    const typo: BuiltInRequestInput = {
      // @ts-expect-error 'isolateDevic' is not a built-in action type
      actionType: 'isolateDevic',
      target: device,
      parameters: { isolationType: 'full' },
      source,
      requestedBy,
    };
    expect(verdict(typo)).toBe('unknownActionType');
  });

  it('refuses a wrong enum value in parameters', () => {
    const badEnum: BuiltInRequestInput = {
      actionType: 'isolateDevice',
      target: device,
      // @ts-expect-error isolationType is 'full' | 'selective'
      parameters: { isolationType: 'fulll' },
      source,
      requestedBy,
    };
    expect(verdict(badEnum)).toBe('invalidParameters');
  });

  it('refuses a missing required parameter, and parameters left out where some are required', () => {
    // @ts-expect-error isolationType is required
    const missing: BuiltInRequestInput = {
      actionType: 'isolateDevice',
      target: device,
      parameters: {},
      source,
      requestedBy,
    };
    // @ts-expect-error runAntivirusScan needs a scanType, so its parameters cannot be left out
    const noParameters: BuiltInRequestInput = { actionType: 'runAntivirusScan', target: device, source, requestedBy };
    expect([verdict(missing), verdict(noParameters)]).toEqual(['invalidParameters', 'invalidParameters']);
  });

  it('refuses a target of the wrong kind', () => {
    // @ts-expect-error isolateDevice acts on a device, not a file
    const wrongKind: BuiltInRequestInput = {
      actionType: 'isolateDevice',
      target: file,
      parameters: { isolationType: 'full' },
      source,
      requestedBy,
    };
    expect(verdict(wrongKind)).toBe('targetKindMismatch');
  });

  it('refuses an unknown top-level key', () => {
    const misspelt: BuiltInRequestInput = {
      actionType: 'isolateDevice',
      target: device,
      parameters: { isolationType: 'full' },
      source,
      requestedBy,
      // @ts-expect-error `coment` is not a request field
      coment: 'typo',
    };
    // @ts-expect-error `actionTyp` is not a request field (and actionType is missing)
    const noType: BuiltInRequestInput = { actionTyp: 'isolateDevice', target: device, source, requestedBy };
    expect([verdict(misspelt), verdict(noType)]).toEqual(['invalidInput', 'invalidInput']);
  });
});

describe('CatalogRequestInput of a custom catalogue', () => {
  it('accepts the custom id with its own parameters, and the built-in ones', () => {
    const wipe: CustomRequestInput = {
      actionType: 'wipeDevice',
      target: device,
      parameters: { wipeType: 'secure' },
      source,
      requestedBy,
    };
    const isolate: CustomRequestInput = {
      actionType: 'isolateDevice',
      target: device,
      parameters: { isolationType: 'selective' },
      source,
      requestedBy,
    };
    expect([verdict(wipe, customCatalog), verdict(isolate, customCatalog)]).toEqual(['ok', 'ok']);
    // The built-in catalogue does not know the custom type, at compile time or at run time.
    // @ts-expect-error wipeDevice is not a built-in action type
    const notBuiltIn: BuiltInRequestInput = wipe;
    expect(verdict(notBuiltIn)).toBe('unknownActionType');
  });

  it('refuses a typo, a wrong enum value, a missing parameter, a wrong target kind and an unknown key', () => {
    const typo: CustomRequestInput = {
      // @ts-expect-error 'wipeDevic' is not in the catalogue
      actionType: 'wipeDevic',
      target: device,
      parameters: { wipeType: 'secure' },
      source,
      requestedBy,
    };
    const badEnum: CustomRequestInput = {
      actionType: 'wipeDevice',
      target: device,
      // @ts-expect-error wipeType is 'quick' | 'secure'
      parameters: { wipeType: 'fast' },
      source,
      requestedBy,
    };
    const missing: CustomRequestInput = {
      actionType: 'wipeDevice',
      target: device,
      // @ts-expect-error wipeType is required
      parameters: { keepEnrollment: true },
      source,
      requestedBy,
    };
    // @ts-expect-error wipeDevice acts on a device, not a file
    const wrongKind: CustomRequestInput = {
      actionType: 'wipeDevice',
      target: file,
      parameters: { wipeType: 'quick' },
      source,
      requestedBy,
    };
    // @ts-expect-error `actionTyp` is not a request field
    const unknownKey: CustomRequestInput = { actionTyp: 'wipeDevice', target: device, source, requestedBy };
    expect([typo, badEnum, missing, wrongKind, unknownKey].map((r) => verdict(r as unknown, customCatalog))).toEqual([
      'unknownActionType',
      'invalidParameters',
      'invalidParameters',
      'targetKindMismatch',
      'invalidInput',
    ]);
  });
});

describe('requestFor', () => {
  it("returns the type's own request input, which parses", () => {
    const r = requestFor(builtInActionTypeMap.isolateDevice, {
      target: device,
      parameters: { isolationType: 'full' },
      source,
      requestedBy,
    });
    expectTypeOf(r).toEqualTypeOf<RequestInputOf<typeof builtInActionTypeMap.isolateDevice>>();
    expectTypeOf(r.actionType).toEqualTypeOf<'isolateDevice'>();
    expectTypeOf(r).toExtend<BuiltInRequestInput>();
    expect(r.actionType).toBe('isolateDevice');
    expect(verdict(r)).toBe('ok');
  });

  it('lets parameters be left out when the type needs none, and keeps custom ids', () => {
    const restrict = requestFor(builtInActionTypeMap.restrictCodeExecution, { target: device, source, requestedBy });
    const wipe = requestFor(wipeDevice, { target: device, parameters: { wipeType: 'quick' }, source, requestedBy });
    expectTypeOf(wipe.actionType).toEqualTypeOf<'wipeDevice'>();
    expectTypeOf(wipe).toExtend<CustomRequestInput>();
    expect([verdict(restrict), verdict(wipe, customCatalog)]).toEqual(['ok', 'ok']);
  });

  it('refuses parameters that do not fit and a target of another kind', () => {
    const badEnum = requestFor(builtInActionTypeMap.isolateDevice, {
      target: device,
      // @ts-expect-error isolationType is 'full' | 'selective'
      parameters: { isolationType: 'fulll' },
      source,
      requestedBy,
    });
    const wrongKind = requestFor(builtInActionTypeMap.isolateDevice, {
      // @ts-expect-error isolateDevice acts on a device, not a file
      target: file,
      parameters: { isolationType: 'full' },
      source,
      requestedBy,
    });
    expect([verdict(badEnum), verdict(wrongKind)]).toEqual(['invalidParameters', 'targetKindMismatch']);
  });
});

describe('ActionRequestInput stays the wide input', () => {
  it('accepts any action type id and any parameters (run-time validation decides)', () => {
    const wide: ActionRequestInput = {
      actionType: 'somethingElse',
      target: device,
      parameters: { anything: 1 },
      source,
      requestedBy,
    };
    expectTypeOf<ActionRequestInput['actionType']>().toEqualTypeOf<string>();
    expect(verdict(wide)).toBe('unknownActionType');
  });
});
