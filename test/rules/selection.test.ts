import { describe, it, expect, expectTypeOf } from 'vitest';
import { z } from 'zod';
import {
  addToSelection,
  builtInCatalog,
  canAddToSelection,
  checkBulkSelection,
  createCatalog,
  defineActionType,
  emptySelection,
  removeFromSelection,
  selectionActionType,
  unwrap,
  type AccessPolicy,
  type ActionId,
  type ActionRecord,
  type Principal,
  type Selection,
  type Target,
} from '../../src/index.js';
import {
  MAX_SELECTION_SIZE,
  SELECTION_REFUSAL_REASONS,
  asId,
  otherInstancesOfFile,
  type PrincipalId,
  type SelectionContext,
  type SelectionRefusalReason,
} from '../../src/adapter-kit.js';
import { actionRecord, deviceTarget, fileTarget } from '../support/records.js';
import { quarantinePair } from '../support/catalog.js';

// Test-local catalogue (the built-in one is being completed elsewhere): quarantine file and
// isolate device with their releases, and stop-and-quarantine (not undoable).
const catalog = unwrap(
  createCatalog([
    ...quarantinePair,
    defineActionType({
      id: 'isolateDevice',
      displayName: 'Isolate device',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.object({}),
      undo: { counterpart: 'releaseFromIsolation', requiredRole: 'securityAdministrator' },
    }),
    defineActionType({
      id: 'releaseFromIsolation',
      displayName: 'Release from isolation',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.object({}),
      undoes: ['isolateDevice'],
    }),
    defineActionType({
      id: 'stopAndQuarantineFile',
      displayName: 'Stop and quarantine',
      workload: 'endpoint',
      targetKind: 'file',
      parameters: z.object({}),
    }),
  ]),
);
const context: SelectionContext = { catalog };

const SHA256 = 'ab'.repeat(32);
const SHA1 = 'cd'.repeat(20);
const fileOn = (
  deviceId: string,
  hashes: { sha1?: string | null; sha256?: string | null } = { sha256: SHA256 },
): Target =>
  fileTarget({
    deviceId,
    deviceName: deviceId.toUpperCase(),
    path: 'C:\\Users\\bob\\Downloads\\invoice.exe',
    sha1: hashes.sha1 ?? null,
    sha256: hashes.sha256 ?? null,
  });
const deviceOn = (deviceId: string): Target => deviceTarget({ deviceId, deviceName: deviceId });

// A pending automated quarantine by default.
function record(id: string, overrides: Partial<ActionRecord> = {}): ActionRecord {
  return actionRecord({
    id: asId<ActionId>(id),
    target: fileOn('d1'),
    verdict: 'suspicious',
    expiresAt: 2_000,
    ...overrides,
  });
}
const pendingQuarantine = (id: string) => record(id);
const pendingIsolation = (id: string) => record(id, { actionType: 'isolateDevice', target: deviceOn('d1') });
const succeededQuarantine = (id: string, overrides: Partial<ActionRecord> = {}) =>
  record(id, { status: 'succeeded', ...overrides });

const offendingPairs = (r: ReturnType<typeof checkBulkSelection>) =>
  r.ok ? [] : r.error.offending.map((o) => [o.actionId, o.reason]);

const alice: Principal = { id: asId<PrincipalId>('alice'), displayName: null, assignments: [] };
const denyActions = (ids: readonly string[]): AccessPolicy => ({
  name: 'denySome',
  authorize: (p, operation, subject) =>
    subject.kind === 'action' && ids.includes(subject.action.id)
      ? {
          allowed: false,
          rule: 'denySome',
          operation,
          principalId: p.id,
          reason: 'outOfDeviceGroupScope',
          missing: [],
          message: 'Not your device group',
        }
      : { allowed: true, rule: 'allow', operation, principalId: p.id },
});

describe('bulk approve and reject (seed 002, Pending tab)', () => {
  it('seed 002: "You can approve or reject actions one at a time, or select multiple actions if they have the same type of action (such as Quarantine file)."', () => {
    for (const operation of ['approve', 'reject'] as const) {
      const r = checkBulkSelection(operation, [pendingQuarantine('a1'), pendingQuarantine('a2')], context);
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.value.actionType).toBe('quarantineFile');
        expect(r.value.actions.map((a) => a.id)).toEqual(['a1', 'a2']);
      }
      expect(checkBulkSelection(operation, [pendingQuarantine('a1')], context).ok).toBe(true);
    }
  });

  it('seed 002: multiple actions of different types are refused, naming the items of another type', () => {
    const r = checkBulkSelection(
      'approve',
      [pendingQuarantine('a1'), pendingIsolation('a2'), pendingQuarantine('a3')],
      context,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: 'selectionRefused', operation: 'approve', reasons: ['mixedActionType'] });
      expect(offendingPairs(r)).toEqual([['a2', 'mixedActionType']]);
      expect(r.error.message).toContain('1 item is of another action type');
    }
  });

  it("the first item's type is the selection's type", () => {
    const r = checkBulkSelection(
      'reject',
      [pendingIsolation('i1'), pendingQuarantine('a1'), pendingQuarantine('a2')],
      context,
    );
    expect(offendingPairs(r)).toEqual([
      ['a1', 'mixedActionType'],
      ['a2', 'mixedActionType'],
    ]);
  });

  it('only pending actions: every one that is not pending is named', () => {
    const r = checkBulkSelection(
      'approve',
      [pendingQuarantine('a1'), succeededQuarantine('a2'), record('a3', { status: 'rejected' })],
      context,
    );
    expect(offendingPairs(r)).toEqual([
      ['a2', 'notPending'],
      ['a3', 'notPending'],
    ]);
  });

  it('an item offending for several reasons is named once per reason', () => {
    const r = checkBulkSelection(
      'approve',
      [
        pendingQuarantine('a1'),
        record('i1', { actionType: 'isolateDevice', target: deviceOn('d1'), status: 'succeeded' }),
      ],
      context,
    );
    expect(offendingPairs(r)).toEqual([
      ['i1', 'mixedActionType'],
      ['i1', 'notPending'],
    ]);
    if (!r.ok) expect(r.error.reasons).toEqual(['mixedActionType', 'notPending']);
  });

  it('with a principal, the access policy decides each item: denials are notPermitted with the decision', () => {
    const r = checkBulkSelection('approve', [pendingQuarantine('a1'), pendingQuarantine('a2')], {
      catalog,
      principal: alice,
      accessPolicy: denyActions(['a2']),
    });
    expect(offendingPairs(r)).toEqual([['a2', 'notPermitted']]);
    if (!r.ok)
      expect(r.error.offending[0]?.decision).toMatchObject({ allowed: false, reason: 'outOfDeviceGroupScope' });
  });

  it('an action of a type the catalogue does not hold is named', () => {
    const r = checkBulkSelection('approve', [record('x1', { actionType: 'mystery' })], context);
    expect(offendingPairs(r)).toEqual([['x1', 'unknownActionType']]);
  });
});

describe('bulk undo (seed 001, History tab)', () => {
  it('seed 001: "Make sure to select items that have the same Action type."', () => {
    const isolated = record('i1', { actionType: 'isolateDevice', target: deviceOn('d2'), status: 'succeeded' });
    const r = checkBulkSelection('undo', [succeededQuarantine('a1'), isolated], context);
    expect(offendingPairs(r)).toEqual([['i1', 'mixedActionType']]);
    expect(checkBulkSelection('undo', [succeededQuarantine('a1'), succeededQuarantine('a2')], context).ok).toBe(true);
  });

  it('each item must be undo-eligible; the undo reason is given', () => {
    const r = checkBulkSelection(
      'undo',
      [
        succeededQuarantine('a1'),
        succeededQuarantine('a2', { status: 'undone' }),
        succeededQuarantine('a3', { source: 'explorerAction' }),
      ],
      context,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.offending.map((o) => [o.actionId, o.reason, o.undoReason])).toEqual([
        ['a2', 'notUndoEligible', 'alreadyUndone'],
        ['a3', 'notUndoEligible', 'sourceNotEligible'],
      ]);
    }
  });

  it('with a principal, undo permission is part of eligibility', () => {
    const r = checkBulkSelection('undo', [succeededQuarantine('a1'), succeededQuarantine('a2')], {
      catalog,
      principal: alice,
      accessPolicy: denyActions(['a1']),
    });
    if (r.ok) expect.fail('expected a refusal');
    expect(r.error.offending).toMatchObject([
      { actionId: 'a1', reason: 'notUndoEligible', undoReason: 'notPermitted', decision: { allowed: false } },
    ]);
  });
});

describe('size and duplicates', () => {
  it('an empty selection is refused', () => {
    const r = checkBulkSelection('approve', [], context);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ reasons: ['empty'], offending: [] });
  });

  it('a repeated id is a duplicate (the later occurrences)', () => {
    const r = checkBulkSelection(
      'approve',
      [pendingQuarantine('a1'), pendingQuarantine('a2'), pendingQuarantine('a1'), pendingQuarantine('a1')],
      context,
    );
    expect(offendingPairs(r)).toEqual([
      ['a1', 'duplicate'],
      ['a1', 'duplicate'],
    ]);
  });

  it('more than maxItems: the items past the limit are named', () => {
    const actions = ['a1', 'a2', 'a3', 'a4'].map(pendingQuarantine);
    expect(offendingPairs(checkBulkSelection('approve', actions, { catalog, maxItems: 2 }))).toEqual([
      ['a3', 'tooMany'],
      ['a4', 'tooMany'],
    ]);
    expect(checkBulkSelection('approve', actions, { catalog, maxItems: 4 }).ok).toBe(true);
  });

  it('an invalid maxItems fails closed', () => {
    for (const maxItems of [0, -1, 1.5, Number.NaN]) {
      const r = checkBulkSelection('approve', [pendingQuarantine('a1')], { catalog, maxItems });
      expect(offendingPairs(r)).toEqual([['a1', 'tooMany']]);
    }
  });

  it('the default limit is MAX_SELECTION_SIZE', () => {
    expect(MAX_SELECTION_SIZE).toBe(10_000);
    const actions = Array.from({ length: MAX_SELECTION_SIZE + 1 }, (_, i) => pendingQuarantine(`a${i}`));
    expect(offendingPairs(checkBulkSelection('reject', actions, context))).toEqual([
      [`a${MAX_SELECTION_SIZE}`, 'tooMany'],
    ]);
  });

  it('does not mutate the selection it checks', () => {
    const actions = Object.freeze([Object.freeze(pendingQuarantine('a1')), Object.freeze(pendingIsolation('a2'))]);
    const copy = structuredClone(actions);
    checkBulkSelection('approve', actions, context);
    expect(actions).toEqual(copy);
  });
});

describe('the selection a UI drives', () => {
  it('starts empty with no type; the first item locks the type', () => {
    const empty = emptySelection('approve');
    expect(empty).toEqual({ operation: 'approve', actionType: null, actionIds: [] });
    expect(selectionActionType(empty)).toBeNull();
    const one = unwrap(addToSelection(empty, pendingQuarantine('a1'), context));
    expect(selectionActionType(one)).toBe('quarantineFile');
    expect(empty.actionIds).toEqual([]);
  });

  it('says why an item may not be added next: "Make sure to select items that have the same Action type."', () => {
    const s = unwrap(addToSelection(emptySelection('approve'), pendingQuarantine('a1'), context));
    expect(canAddToSelection(s, pendingQuarantine('a2'), context)).toEqual({ allowed: true });
    expect(canAddToSelection(s, pendingIsolation('i1'), context)).toMatchObject({
      allowed: false,
      reason: 'mixedActionType',
    });
    expect(canAddToSelection(s, pendingQuarantine('a1'), context)).toMatchObject({
      allowed: false,
      reason: 'duplicate',
    });
    expect(canAddToSelection(s, succeededQuarantine('a3'), context)).toMatchObject({
      allowed: false,
      reason: 'notPending',
    });
    expect(canAddToSelection(s, pendingQuarantine('a4'), { catalog, maxItems: 1 })).toMatchObject({
      allowed: false,
      reason: 'tooMany',
    });
    const undo = emptySelection('undo');
    expect(canAddToSelection(undo, succeededQuarantine('a5', { status: 'undoing' }), context)).toMatchObject({
      allowed: false,
      reason: 'notUndoEligible',
      undoReason: 'undoInProgress',
    });
  });

  it('addToSelection refuses with every reason of the item, and keeps insertion order', () => {
    const s = unwrap(addToSelection(emptySelection('approve'), pendingQuarantine('a2'), context));
    const refused = addToSelection(
      s,
      record('i1', { actionType: 'isolateDevice', target: deviceOn('d1'), status: 'failed' }),
      context,
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.offending.map((o) => o.reason)).toEqual(['mixedActionType', 'notPending']);
    const two = unwrap(addToSelection(s, pendingQuarantine('a1'), context));
    expect(two.actionIds).toEqual(['a2', 'a1']);
  });

  it('removing the last item empties the type lock; removing an absent id changes nothing', () => {
    let s: Selection = emptySelection('reject');
    s = unwrap(addToSelection(s, pendingQuarantine('a1'), context));
    s = unwrap(addToSelection(s, pendingQuarantine('a2'), context));
    const afterFirst = removeFromSelection(s, asId<ActionId>('a1'));
    expect(afterFirst).toEqual({ operation: 'reject', actionType: 'quarantineFile', actionIds: ['a2'] });
    expect(removeFromSelection(afterFirst, asId<ActionId>('zz'))).toBe(afterFirst);
    const emptied = removeFromSelection(afterFirst, asId<ActionId>('a2'));
    expect(emptied).toEqual({ operation: 'reject', actionType: null, actionIds: [] });
    expect(unwrap(addToSelection(emptied, pendingIsolation('i1'), context)).actionType).toBe('isolateDevice');
    expect(s.actionIds).toEqual(['a1', 'a2']);
  });

  it('selections are frozen values', () => {
    const s = unwrap(addToSelection(emptySelection('approve'), pendingQuarantine('a1'), context));
    expect(Object.isFrozen(s) && Object.isFrozen(s.actionIds)).toBe(true);
  });
});

describe('"Apply to X more instances of this file" (seed 001)', () => {
  const picked = succeededQuarantine('q0', { target: fileOn('dA'), createdAt: 500 });

  it('seed 001: "select Apply to X more instances of this file, and then select Undo." — finds the same file on other devices, then undoes them together', () => {
    const candidates = [
      picked,
      succeededQuarantine('q2', { target: fileOn('dC'), createdAt: 300 }),
      succeededQuarantine('q9', { target: fileOn('dB'), createdAt: 100 }),
      succeededQuarantine('q1', { target: fileOn('dB'), createdAt: 300, status: 'undoFailed' }),
    ];
    const others = otherInstancesOfFile(picked, candidates, context);
    // Ordered by createdAt, then id.
    expect(others.map((a) => a.id)).toEqual(['q9', 'q1', 'q2']);
    const undo = checkBulkSelection('undo', [picked, ...others], context);
    expect(undo.ok).toBe(true);
  });

  it('leaves out the action itself, other types, the same device, other files and ineligible instances', () => {
    const candidates = [
      picked,
      succeededQuarantine('sameDevice', { target: fileOn('dA') }),
      succeededQuarantine('otherFile', { target: fileOn('dB', { sha256: 'ef'.repeat(32) }) }),
      record('otherType', { actionType: 'stopAndQuarantineFile', status: 'succeeded', target: fileOn('dB') }),
      succeededQuarantine('undone', { target: fileOn('dB'), status: 'undone' }),
      succeededQuarantine('pending', { target: fileOn('dB'), status: 'pending' }),
      succeededQuarantine('liveResponse', { target: fileOn('dB'), source: 'manualLiveResponseAction' }),
      succeededQuarantine('ok', { target: fileOn('dB') }),
      succeededQuarantine('ok', { target: fileOn('dB') }),
    ];
    expect(otherInstancesOfFile(picked, candidates, context).map((a) => a.id)).toEqual(['ok']);
  });

  it('matches on SHA-1 or SHA-256, case-insensitively; files without hashes never match', () => {
    const bySha1 = succeededQuarantine('p1', { target: fileOn('dA', { sha1: SHA1 }) });
    const candidates = [
      succeededQuarantine('upper', { target: fileOn('dB', { sha1: SHA1.toUpperCase() }) }),
      succeededQuarantine('sha256Only', { target: fileOn('dC', { sha256: SHA256 }) }),
      succeededQuarantine('noHash', { target: fileOn('dD', {}) }),
    ];
    expect(otherInstancesOfFile(bySha1, candidates, context).map((a) => a.id)).toEqual(['upper']);
    const noHash = succeededQuarantine('p2', { target: fileOn('dA', {}) });
    expect(
      otherInstancesOfFile(
        noHash,
        [...candidates, succeededQuarantine('alsoNone', { target: fileOn('dE', {}) })],
        context,
      ),
    ).toEqual([]);
  });

  it('honours the principal: instances the principal may not undo are left out', () => {
    const candidates = [
      succeededQuarantine('q1', { target: fileOn('dB') }),
      succeededQuarantine('q2', { target: fileOn('dC') }),
    ];
    const others = otherInstancesOfFile(picked, candidates, {
      catalog,
      principal: alice,
      accessPolicy: denyActions(['q2']),
    });
    expect(others.map((a) => a.id)).toEqual(['q1']);
  });

  it('an action that is not on a file has no other instances', () => {
    const isolation = record('i1', { actionType: 'isolateDevice', target: deviceOn('dA'), status: 'succeeded' });
    expect(
      otherInstancesOfFile(
        isolation,
        [record('i2', { actionType: 'isolateDevice', target: deviceOn('dB'), status: 'succeeded' })],
        context,
      ),
    ).toEqual([]);
  });

  it('works with the built-in catalogue (built-in id quarantineFile)', () => {
    const others = otherInstancesOfFile(picked, [succeededQuarantine('q1', { target: fileOn('dB') })], {
      catalog: builtInCatalog,
    });
    expect(others.map((a) => a.id)).toEqual(['q1']);
  });
});

describe('types', () => {
  it('the refusal reasons are a closed set', () => {
    expectTypeOf<SelectionRefusalReason>().toEqualTypeOf<(typeof SELECTION_REFUSAL_REASONS)[number]>();
    expect([...SELECTION_REFUSAL_REASONS]).toEqual(
      expect.arrayContaining(['notPending', 'mixedActionType', 'notUndoEligible', 'duplicate', 'empty', 'tooMany']),
    );
    // @ts-expect-error a principal needs an access policy
    const bad: SelectionContext = { catalog, principal: alice };
    expect(bad.catalog).toBe(catalog);
  });
});
