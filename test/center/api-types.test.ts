/**
 * Issue 13: the center's API is typed for the compiler (typos are compile errors, each operation
 * has its own error union) and still checked at run time (an untyped caller gets the same refusal).
 * Each `@ts-expect-error` sits on the line the compiler refuses; `npm run typecheck` fails if one
 * stops erroring. The run-time assertions make every case fail at run time too.
 */
import { z } from 'zod';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  builtInActionTypes,
  createActionCenter,
  createCatalog,
  manualClock,
  defineActionType,
  single,
  unwrap,
  type ActionCenterErrorCode,
  type ActionRecord,
  type DecisionError,
  type GetError,
  type ItemError,
  type ReadError,
  type Result,
  type RunError,
  type SubmitError,
} from '../../src/index.js';
import { T0, must, people, quarantine, testCenter } from './fixtures.js';

const device = { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' } as const;
const byAdmin = { type: 'principal', id: people.secAdmin.id } as const;

describe('operation inputs are typed by the catalogue, and checked at run time all the same', () => {
  it('a typo in a field name, an action type id or a parameter value does not compile, and is refused at run time', async () => {
    // The built-in catalogue's center (testCenter's is wide: its tests build requests at run time).
    const center = createActionCenter({ clock: manualClock(T0) });
    const typoField = await center.submit({
      request: {
        // @ts-expect-error `actionTyp` is not a field of a request
        actionTyp: 'isolateDevice',
        target: device,
        source: 'manualDeviceAction',
        requestedBy: byAdmin,
      },
      principal: people.secAdmin,
    });
    expect(!typoField.ok && typoField.error.code).toBe('invalidInput');
    const typoType = await center.submit({
      request: {
        // @ts-expect-error 'isolateDevic' is not an action type of the built-in catalogue
        actionType: 'isolateDevic',
        target: device,
        parameters: { isolationType: 'full' },
        source: 'manualDeviceAction',
        requestedBy: byAdmin,
      },
      principal: people.secAdmin,
    });
    expect(!typoType.ok && typoType.error.code).toBe('unknownActionType');
    const typoValue = await center.submit({
      request: {
        actionType: 'isolateDevice',
        target: device,
        // @ts-expect-error isolationType is 'full' or 'selective'
        parameters: { isolationType: 'fulll' },
        source: 'manualDeviceAction',
        requestedBy: byAdmin,
      },
      principal: people.secAdmin,
    });
    expect(!typoValue.ok && typoValue.error.code).toBe('invalidParameters');
  });

  it('a principal, a query or a column that does not fit does not compile, and is refused at run time', async () => {
    const center = createActionCenter({ clock: manualClock(T0) });
    const badRole = await center.list({
      principal: {
        id: 'x',
        // @ts-expect-error 'admin' is not a role
        assignments: [{ role: 'admin', assignedIn: 'entraId' }],
      },
    });
    expect(!badRole.ok && badRole.error.code).toBe('invalidInput');
    const badPeriod = await center.list({
      principal: people.reader,
      // @ts-expect-error 'lastWeek' is not a time period
      query: { filter: { time: { period: 'lastWeek' } } },
    });
    expect(!badPeriod.ok && badPeriod.error.code).toBe('invalidInput');
    // @ts-expect-error 'colour' is not a column
    const badColumn = await center.exportCsv({ principal: people.reader, columns: ['id', 'colour'] });
    expect(!badColumn.ok && badColumn.error.code).toBe('invalidInput');
  });

  it('ids are plain strings at the boundary: no branded id needed', async () => {
    const { center } = testCenter();
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    const id: string = String(action.id);
    expect((await must(center.get({ principal: people.reader, id }))).id).toBe(action.id);
    expect((await must(center.approve({ principal: people.secAdmin, ids: [id] }))).allApplied).toBe(true);
  });

  it('a custom catalogue types its own action types, and only those', async () => {
    const wipeDevice = defineActionType({
      id: 'wipeDevice',
      displayName: 'Wipe device',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.strictObject({ wipeType: z.enum(['quick', 'secure']) }),
    });
    const catalog = unwrap(createCatalog([...builtInActionTypes, wipeDevice]));
    const center = createActionCenter({ catalog });
    expectTypeOf(center.catalog).toEqualTypeOf(catalog);
    const ok = await center.submit({
      request: {
        actionType: 'wipeDevice',
        target: device,
        parameters: { wipeType: 'secure' },
        source: 'manualDeviceAction',
        requestedBy: byAdmin,
      },
      principal: people.secAdmin,
    });
    expect(ok.ok && ok.value.action.actionType).toBe('wipeDevice');
    const wrong = await center.submit({
      request: {
        actionType: 'wipeDevice',
        target: { ...device, deviceId: 'd2' },
        // @ts-expect-error 'fast' is not a wipe type
        parameters: { wipeType: 'fast' },
        source: 'manualDeviceAction',
        requestedBy: byAdmin,
      },
      principal: people.secAdmin,
    });
    expect(!wrong.ok && wrong.error.code).toBe('invalidParameters');
  });
});

describe('each operation answers its own errors', () => {
  it('a decision cannot answer submit-only codes, and submit cannot answer a refused selection', () => {
    expectTypeOf<'duplicateOpenAction'>().not.toExtend<DecisionError['code']>();
    expectTypeOf<'submissionRefused'>().not.toExtend<DecisionError['code']>();
    expectTypeOf<'selectionRefused'>().toExtend<DecisionError['code']>();
    expectTypeOf<'selectionRefused'>().not.toExtend<SubmitError['code']>();
    expectTypeOf<'duplicateOpenAction'>().toExtend<SubmitError['code']>();
    expectTypeOf<'notFound'>().toExtend<GetError['code']>();
    expectTypeOf<'notFound'>().not.toExtend<ReadError['code']>();
    expectTypeOf<'accessDenied'>().not.toExtend<RunError['code']>();
    // Every operation's codes are codes of the library's one union.
    expectTypeOf<SubmitError['code'] | DecisionError['code'] | GetError['code']>().toExtend<ActionCenterErrorCode>();
    const codes: Record<DecisionError['code'], true> = {
      invalidInput: true,
      selectionRefused: true,
      repositoryUnavailable: true,
      corruptRecord: true,
      conflict: true,
      clockInvalid: true,
      internalError: true,
      // Issue 16: a justification the approval policy requires refuses a decision whole.
      justificationRequired: true,
      // Issue 17: the input's signal aborted before the commit.
      aborted: true,
    };
    expect(Object.keys(codes)).toHaveLength(9);
  });

  it('single(): one item as a plain Result, whether the operation or the item failed', async () => {
    const { center } = testCenter();
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    const approved = single(await center.approve({ principal: people.secAdmin, ids: [action.id] }));
    expectTypeOf(approved).toEqualTypeOf<Result<ActionRecord, DecisionError | ItemError>>();
    expect(approved.ok && approved.value.status).toBe('approved');
    const again = single(await center.approve({ principal: people.secAdmin, ids: [action.id] }));
    expect(!again.ok && again.error.code).toBe('invalidTransition');
    const missing = single(await center.approve({ principal: people.secAdmin, ids: ['act-404'] }));
    expect(!missing.ok && missing.error.code).toBe('notFound');
    const bad = single(await center.approve({ principal: people.secAdmin, ids: [] }));
    expect(!bad.ok && bad.error.code).toBe('invalidInput');
    const denied = single(await center.reject({ principal: people.reader, ids: [action.id] }));
    expect(!denied.ok && denied.error.code).toBe('accessDenied');
  });

  it('a bulk result counts outcomes under names that are not action statuses', async () => {
    const { center } = testCenter();
    const a = await must(center.submit({ request: quarantine('A') }));
    const b = await must(center.submit({ request: quarantine('B') }));
    await must(center.reject({ principal: people.secAdmin, ids: [b.action.id] }));
    const r = await must(center.approve({ principal: people.secAdmin, ids: [a.action.id, b.action.id, 'act-404'] }));
    expect(r.allApplied).toBe(false);
    expect(r.counts).toEqual({ applied: 1, denied: 0, invalidState: 1, notFound: 1, conflict: 0, storeError: 0 });
    expect(r.items.map((i) => [i.ok, i.outcome])).toEqual([
      [true, 'applied'],
      [false, 'invalidState'],
      [false, 'notFound'],
    ]);
  });
});
