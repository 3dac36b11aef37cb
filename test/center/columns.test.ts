import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ACTION_SOURCES,
  ACTION_STATUSES,
  builtInCatalog,
  type ActionId,
  type ActionRecord,
  type ActionStatus,
} from '../../src/index.js';
import {
  ACTION_SOURCE_IDS,
  asId,
  type ApprovalId,
  type InvestigationId,
  type PrincipalId,
} from '../../src/adapter-kit.js';
import {
  ACTION_COLUMNS,
  COLUMN_IDS,
  ColumnIdSchema,
  DEFAULT_COLUMNS,
  STATUS_LABELS,
  WORKLOAD_LABELS,
  actorLabel,
  selectColumns,
  toRow,
  type ActionColumn,
  type ColumnContext,
  type ColumnId,
} from '../../src/center/columns.js';
import { actionRecord, fileTarget } from '../support/records.js';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const context: ColumnContext = { catalog: builtInCatalog };

/** A complete stored action: a decided, completed quarantine of a file on LAPTOP-1. */
function action(overrides: Partial<ActionRecord> = {}): ActionRecord {
  return actionRecord({
    version: 4,
    target: fileTarget({ path: 'C:\\Users\\alex\\Downloads\\invoice.exe', sha1: 'ab'.repeat(20) }),
    status: 'succeeded',
    investigationId: asId<InvestigationId>('inv-42'),
    approvalId: asId<ApprovalId>('apr-7'),
    verdict: 'suspicious',
    requestComment: 'Suspicious download',
    createdAt: T0,
    decidedBy: { type: 'principal', id: asId<PrincipalId>('secadmin@contoso.com') },
    decidedAt: T0 + 60_000,
    decisionComment: 'Confirmed malicious by the SOC',
    startedAt: T0 + 61_000,
    deadlineAt: T0 + 3_661_000,
    completedAt: T0 + 120_000,
    updatedAt: T0 + 120_000,
    ...overrides,
  });
}

describe('columns', () => {
  it('DESIGN.md: "Columns at least: action id, investigation id, approval id, action type, asset, action source, status, decided by, comment, created, decided, completed."', () => {
    expect(DEFAULT_COLUMNS.map((c) => c.header)).toEqual([
      'Action ID',
      'Investigation ID',
      'Approval ID',
      'Action type',
      'Asset',
      'Action source',
      'Status',
      'Decided by',
      'Comment',
      'Created',
      'Decided',
      'Completed',
    ]);
  });

  it('each default column renders the expected cell for a sample action', () => {
    expect(toRow(action(), DEFAULT_COLUMNS, context)).toEqual([
      'act-1',
      'inv-42',
      'apr-7',
      'Quarantine file',
      'LAPTOP-1',
      'Automated device action',
      'Completed',
      'secadmin@contoso.com',
      'Confirmed malicious by the SOC',
      '2026-11-23T09:00:00.000Z',
      '2026-11-23T09:01:00.000Z',
      '2026-11-23T09:02:00.000Z',
    ]);
  });

  it('the extra columns render the workload label and the action an undo counterpart undoes', () => {
    const undo = action({ actionType: 'releaseFromQuarantine', undoOf: asId<ActionId>('act-0') });
    expect(ACTION_COLUMNS.workload.value(undo, context)).toBe('Devices');
    expect(ACTION_COLUMNS.undoOf.value(undo, context)).toBe('act-0');
    expect(ACTION_COLUMNS.undoOf.value(action(), context)).toBe('');
    expect(ACTION_COLUMNS.actionType.value(undo, context)).toBe('Release from quarantine');
    expect(ACTION_COLUMNS.workload.header).toBe('Workload');
    expect(ACTION_COLUMNS.undoOf.header).toBe('Undo of');
  });

  it('DESIGN.md: "export/columns use the display name" ("Quarantine file", "Isolate device")', () => {
    expect(ACTION_COLUMNS.actionType.value(action(), context)).toBe('Quarantine file');
    const isolation = action({
      actionType: 'isolateDevice',
      target: { kind: 'device', deviceId: 'dev-1', deviceName: 'LAPTOP-1', deviceGroup: asId('Workstations') },
      parameters: { isolationType: 'full' },
    });
    expect(ACTION_COLUMNS.actionType.value(isolation, context)).toBe('Isolate device');
  });

  it('an action type the catalogue does not know renders as its id', () => {
    expect(ACTION_COLUMNS.actionType.value(action({ actionType: 'wipeDevice' }), context)).toBe('wipeDevice');
  });

  it('seed 002: "The improved Action center now includes an **Action source** column that tells you where each action came from."', () => {
    expect(ACTION_COLUMNS.source.header).toBe('Action source');
    expect(ACTION_COLUMNS.source.value(action(), context)).toBe('Automated device action');
    expect(ACTION_COLUMNS.source.value(action({ source: 'manualLiveResponseAction' }), context)).toBe(
      'Manual live response action',
    );
    for (const source of ACTION_SOURCE_IDS) {
      expect(ACTION_COLUMNS.source.value(action({ source }), context)).toBe(ACTION_SOURCES[source].label);
    }
  });

  it('the asset is the device name, mailbox, URL or user a person reads', () => {
    expect(
      ACTION_COLUMNS.asset.value(action({ target: { kind: 'mailbox', mailbox: 'ceo@contoso.com' } }), context),
    ).toBe('ceo@contoso.com');
    expect(ACTION_COLUMNS.asset.value(action({ target: { kind: 'url', url: 'https://evil.example/' } }), context)).toBe(
      'https://evil.example/',
    );
  });

  it('absent values are empty cells: no investigation, no approval, not decided, not completed', () => {
    const pending = action({
      status: 'pending',
      investigationId: null,
      approvalId: null,
      decidedBy: null,
      decidedAt: null,
      decisionComment: null,
      completedAt: null,
    });
    const cells = toRow(pending, DEFAULT_COLUMNS, context);
    expect(cells).toEqual([
      'act-1',
      '',
      '',
      'Quarantine file',
      'LAPTOP-1',
      'Automated device action',
      'Pending',
      '',
      'Suspicious download',
      '2026-11-23T09:00:00.000Z',
      '',
      '',
    ]);
  });

  it('the comment is the decision comment, else the request comment, else empty', () => {
    expect(ACTION_COLUMNS.comment.value(action(), context)).toBe('Confirmed malicious by the SOC');
    expect(ACTION_COLUMNS.comment.value(action({ decisionComment: null }), context)).toBe('Suspicious download');
    expect(ACTION_COLUMNS.comment.value(action({ decisionComment: null, requestComment: null }), context)).toBe('');
  });

  it('"Decided by" names the principal, or Automation and its component for the system', () => {
    expect(
      ACTION_COLUMNS.decidedBy.value(action({ decidedBy: { type: 'system', component: 'expiry' } }), context),
    ).toBe('Automation (expiry)');
    expect(actorLabel({ type: 'system', component: 'automatedInvestigation' })).toBe(
      'Automation (automatedInvestigation)',
    );
    expect(actorLabel({ type: 'principal', id: asId<PrincipalId>('alice@contoso.com') })).toBe('alice@contoso.com');
  });

  it('times are ISO 8601 in UTC for any stored timestamp', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8.64e15 }), (ms) => {
        expect(ACTION_COLUMNS.createdAt.value(action({ createdAt: ms }), context)).toBe(new Date(ms).toISOString());
      }),
    );
  });

  it('every column renders a string for any status, source and null-able field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTION_STATUSES),
        fc.constantFrom(...ACTION_SOURCE_IDS),
        fc.boolean(),
        (status, source, empty) => {
          const a = empty
            ? action({
                status,
                source,
                investigationId: null,
                approvalId: null,
                decidedBy: null,
                decidedAt: null,
                completedAt: null,
              })
            : action({ status, source });
          for (const id of COLUMN_IDS) expect(typeof ACTION_COLUMNS[id].value(a, context)).toBe('string');
          expect(ACTION_COLUMNS.status.value(a, context)).toBe(STATUS_LABELS[status]);
        },
      ),
    );
  });

  it('each column of ACTION_COLUMNS carries its own id, and COLUMN_IDS lists them all', () => {
    expect(Object.keys(ACTION_COLUMNS).sort()).toEqual([...COLUMN_IDS].sort());
    for (const id of COLUMN_IDS) expect(ACTION_COLUMNS[id].id).toBe(id);
    expect(new Set(COLUMN_IDS.map((id) => ACTION_COLUMNS[id].header)).size).toBe(COLUMN_IDS.length);
  });
});

describe('STATUS_LABELS', () => {
  it('covers every ActionStatus with a distinct label', () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...ACTION_STATUSES].sort());
    expect(new Set(Object.values(STATUS_LABELS)).size).toBe(ACTION_STATUSES.length);
    expect(STATUS_LABELS.succeeded).toBe('Completed');
    expect(STATUS_LABELS.timedOut).toBe('Timed out');
    expect(STATUS_LABELS.undoFailed).toBe('Undo failed');
  });

  it('is exhaustive over ActionStatus at the type level', () => {
    expectTypeOf<keyof typeof STATUS_LABELS>().toEqualTypeOf<ActionStatus>();
    // @ts-expect-error a table missing a status does not compile
    const partial: typeof STATUS_LABELS = { pending: 'Pending' };
    expect(partial.pending).toBe('Pending');
  });

  it('WORKLOAD_LABELS covers every workload', () => {
    expect(Object.keys(WORKLOAD_LABELS).sort()).toEqual(['email', 'endpoint', 'identity']);
  });
});

describe('selectColumns', () => {
  it('seed 002: "Choose the columns that you want to view." (by id, in the order given)', () => {
    const r = selectColumns(['status', 'actionType', 'asset']);
    expect(r.ok && r.value.map((c) => c.header)).toEqual(['Status', 'Action type', 'Asset']);
  });

  it('accepts any non-empty, duplicate-free list of known ids', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...COLUMN_IDS], { minLength: 1 }), (ids) => {
        const r = selectColumns(ids);
        expect(r.ok && r.value.map((c) => c.id)).toEqual(ids);
      }),
    );
  });

  it('refuses unknown ids (headers are not ids)', () => {
    for (const bad of [['nope'], ['Asset'], ['asset', 'Action type']]) {
      const r = selectColumns(bad);
      expect(!r.ok && r.error.code).toBe('invalidInput');
    }
  });

  it('refuses duplicates, naming the repeated position', () => {
    const r = selectColumns(['asset', 'status', 'asset']);
    expect(!r.ok && r.error.code).toBe('invalidInput');
    expect(!r.ok && r.error.issues.map((i) => i.path)).toEqual([[2]]);
  });

  it('refuses an empty list and anything that is not a list of ids', () => {
    for (const bad of [[], undefined, null, 'asset', 42, [42], { 0: 'asset' }]) {
      const r = selectColumns(bad);
      expect(!r.ok && r.error.code).toBe('invalidInput');
    }
  });

  it('ColumnIdSchema accepts exactly COLUMN_IDS', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(ColumnIdSchema.safeParse(s).success).toBe((COLUMN_IDS as readonly string[]).includes(s));
      }),
    );
  });

  it('types: selected columns are built-in columns; toRow takes custom columns too', () => {
    expectTypeOf<ColumnId>().toEqualTypeOf<(typeof COLUMN_IDS)[number]>();
    const version: ActionColumn<'version'> = { id: 'version', header: 'Version', value: (a) => String(a.version) };
    expect(toRow(action(), [ACTION_COLUMNS.id, version], context)).toEqual(['act-1', '4']);
  });
});
