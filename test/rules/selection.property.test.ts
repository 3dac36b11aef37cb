import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import {
  ACTION_STATUSES,
  addToSelection,
  canAddToSelection,
  checkBulkSelection,
  createCatalog,
  defineActionType,
  emptySelection,
  removeFromSelection,
  undoEligibility,
  unwrap,
  type AccessPolicy,
  type ActionId,
  type ActionRecord,
  type Principal,
  type Selection,
} from '../../src/index.js';
import {
  ACTION_SOURCE_IDS,
  BULK_OPERATIONS,
  asId,
  otherInstancesOfFile,
  type BulkOperation,
  type PrincipalId,
  type SelectionContext,
  type SelectionRefusalReason,
} from '../../src/adapter-kit.js';
import { actionRecord, fileTarget } from '../support/records.js';
import { quarantinePair } from '../support/catalog.js';

const catalog = unwrap(
  createCatalog([
    ...quarantinePair,
    defineActionType({
      id: 'stopAndQuarantineFile',
      displayName: 'Stop and quarantine',
      workload: 'endpoint',
      targetKind: 'file',
      parameters: z.object({}),
    }),
  ]),
);

const HASHES = ['aa', 'bb', 'cc'];
const recordArb: fc.Arbitrary<ActionRecord> = fc
  .record({
    id: fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `a${i}`)),
    actionType: fc.constantFrom(
      'quarantineFile',
      'quarantineFile',
      'stopAndQuarantineFile',
      'releaseFromQuarantine',
      'unknownType',
    ),
    status: fc.constantFrom(...ACTION_STATUSES, 'pending', 'succeeded'),
    source: fc.constantFrom(...ACTION_SOURCE_IDS),
    deviceId: fc.constantFrom('d1', 'd2', 'd3'),
    sha1: fc.option(fc.constantFrom(...HASHES), { nil: null }),
    sha256: fc.option(fc.constantFrom(...HASHES), { nil: null }),
    upper: fc.boolean(),
    createdAt: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ id, actionType, status, source, deviceId, sha1, sha256, upper, createdAt }) => {
    const hash = (h: string | null, n: number) => (h === null ? null : upper ? h.repeat(n).toUpperCase() : h.repeat(n));
    return actionRecord({
      id: asId<ActionId>(id),
      actionType,
      source,
      target: fileTarget({
        deviceId,
        deviceName: deviceId,
        deviceGroup: 'G',
        sha1: hash(sha1, 20),
        sha256: hash(sha256, 32),
      }),
      status,
      requestedBy: { type: 'system', component: 'automation' },
      createdAt,
      updatedAt: createdAt,
    });
  });

// Candidates that are often instances of the same file: eligible type, state and source.
const likelyInstanceArb = recordArb.map((r): ActionRecord => ({
  ...r,
  actionType: 'quarantineFile',
  status: 'succeeded',
  source: 'automatedDeviceAction',
}));

const principal: Principal = { id: asId<PrincipalId>('p'), displayName: null, assignments: [] };
// Denies every action whose id ends in an odd digit.
const oddDenied: AccessPolicy = {
  name: 'oddDenied',
  authorize: (p, operation, subject) =>
    subject.kind === 'action' && Number(subject.action.id.slice(1)) % 2 === 1
      ? {
          allowed: false,
          rule: 'oddDenied',
          operation,
          principalId: p.id,
          reason: 'missingRole',
          missing: [],
          message: 'odd',
        }
      : { allowed: true, rule: 'allow', operation, principalId: p.id },
};
const contextArb: fc.Arbitrary<SelectionContext> = fc
  .record({ withPrincipal: fc.boolean(), maxItems: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }) })
  .map(({ withPrincipal, maxItems }) => ({
    ...(withPrincipal ? { catalog, principal, accessPolicy: oddDenied } : { catalog }),
    ...(maxItems === undefined ? {} : { maxItems }),
  }));
const operationArb = fc.constantFrom(...BULK_OPERATIONS);

// The reference: every (id, reason) pair that must be named, written from the rules' wording.
function referenceOffences(
  operation: BulkOperation,
  actions: readonly ActionRecord[],
  context: SelectionContext,
): string[] {
  const limit = context.maxItems ?? 10_000;
  const firstType = actions[0]?.actionType;
  const seen = new Set<string>();
  const out: string[] = [];
  actions.forEach((a, i) => {
    if (i >= limit) out.push(`${a.id}:tooMany`);
    if (seen.has(a.id)) {
      out.push(`${a.id}:duplicate`);
      return;
    }
    seen.add(a.id);
    if (a.actionType !== firstType) out.push(`${a.id}:mixedActionType`);
    if (operation === 'undo') {
      if (!undoEligibility(a, context).eligible) out.push(`${a.id}:notUndoEligible`);
    } else {
      const known = catalog.has(a.actionType);
      if (!known) out.push(`${a.id}:unknownActionType`);
      if (a.status !== 'pending') out.push(`${a.id}:notPending`);
      if (known && context.principal !== undefined && Number(a.id.slice(1)) % 2 === 1) out.push(`${a.id}:notPermitted`);
    }
  });
  return out;
}

describe('bulk selection properties', () => {
  it('a selection accepted for bulk approve (or reject) is all pending and of one type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('approve' as const, 'reject' as const),
        fc.array(recordArb, { maxLength: 8 }),
        contextArb,
        (operation, actions, context) => {
          const r = checkBulkSelection(operation, actions, context);
          if (r.ok) {
            expect(r.value.actions.length).toBeGreaterThan(0);
            expect(r.value.actions.every((a) => a.status === 'pending')).toBe(true);
            expect(new Set(r.value.actions.map((a) => a.actionType))).toEqual(new Set([r.value.actionType]));
            expect(new Set(r.value.actions.map((a) => a.id)).size).toBe(r.value.actions.length);
          }
        },
      ),
    );
  });

  it('a selection accepted for bulk undo is of one type and every item is undo-eligible', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 8 }), contextArb, (actions, context) => {
        const r = checkBulkSelection('undo', actions, context);
        if (r.ok) {
          expect(
            r.value.actions.every((a) => a.actionType === r.value.actionType && undoEligibility(a, context).eligible),
          ).toBe(true);
        }
      }),
    );
  });

  it('every refusal names only offending items, and every offending item is named (against a reference)', () => {
    fc.assert(
      fc.property(operationArb, fc.array(recordArb, { maxLength: 10 }), contextArb, (operation, actions, context) => {
        const r = checkBulkSelection(operation, actions, context);
        const expected = referenceOffences(operation, actions, context);
        if (actions.length === 0) {
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error.reasons).toEqual(['empty']);
          return;
        }
        const named = r.ok ? [] : r.error.offending.map((o) => `${o.actionId}:${o.reason}`);
        expect(named.sort()).toEqual(expected.sort());
        expect(r.ok).toBe(expected.length === 0);
        if (!r.ok) {
          const reasons = new Set<SelectionRefusalReason>(r.error.offending.map((o) => o.reason));
          expect(new Set(r.error.reasons)).toEqual(reasons);
        }
      }),
    );
  });

  it('building a selection one item at a time: canAdd agrees with add, and what was built passes the bulk check', () => {
    fc.assert(
      fc.property(operationArb, fc.array(recordArb, { maxLength: 12 }), contextArb, (operation, actions, context) => {
        let selection: Selection = emptySelection(operation);
        const accepted: ActionRecord[] = [];
        for (const action of actions) {
          const can = canAddToSelection(selection, action, context);
          const added = addToSelection(selection, action, context);
          expect(added.ok).toBe(can.allowed);
          if (!added.ok && !can.allowed) {
            expect(added.error.offending[0]?.reason).toBe(can.reason);
            expect(added.error.offending.every((o) => o.actionId === action.id)).toBe(true);
          }
          if (added.ok) {
            selection = added.value;
            accepted.push(action);
          }
        }
        expect(selection.actionIds).toEqual(accepted.map((a) => a.id));
        if (accepted.length > 0) {
          const r = checkBulkSelection(operation, accepted, context);
          expect(r.ok).toBe(true);
          if (r.ok) expect(r.value.actionType).toBe(selection.actionType);
        } else {
          expect(selection.actionType).toBeNull();
        }
      }),
    );
  });

  it('removing items: the type lock is null exactly when the selection is empty', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 8 }),
        fc.array(fc.nat({ max: 11 }), { maxLength: 12 }),
        (actions, removals) => {
          let selection: Selection = emptySelection('approve');
          for (const action of actions) {
            const added = addToSelection(selection, action, { catalog });
            if (added.ok) selection = added.value;
          }
          for (const n of removals) {
            const before = selection;
            selection = removeFromSelection(selection, asId<ActionId>(`a${n}`));
            expect(selection.actionIds).toEqual(before.actionIds.filter((id) => id !== `a${n}`));
            expect(selection.actionType === null).toBe(selection.actionIds.length === 0);
          }
        },
      ),
    );
  });

  it('otherInstancesOfFile never returns the action itself, other types, the same device, other files or ineligible actions — and misses none', () => {
    fc.assert(
      fc.property(
        recordArb,
        fc.array(fc.oneof(recordArb, likelyInstanceArb), { maxLength: 12 }),
        contextArb,
        (action, candidates, context) => {
          const others = otherInstancesOfFile(action, candidates, context);
          const t = action.target;
          if (t.kind !== 'file') throw new Error('the arbitrary builds files only');
          const sameFile = (c: ActionRecord) =>
            c.target.kind === 'file' &&
            ((t.sha1 !== null && c.target.sha1?.toLowerCase() === t.sha1.toLowerCase()) ||
              (t.sha256 !== null && c.target.sha256?.toLowerCase() === t.sha256.toLowerCase()));
          const qualifies = (c: ActionRecord) =>
            c.id !== action.id &&
            c.actionType === action.actionType &&
            c.target.kind === 'file' &&
            c.target.deviceId !== t.deviceId &&
            sameFile(c) &&
            undoEligibility(c, context).eligible;
          for (const o of others) expect(qualifies(o)).toBe(true);
          // Complete: each id whose first occurrence qualifies is returned, once.
          const firstById = new Map<string, ActionRecord>();
          for (const c of candidates) if (!firstById.has(c.id)) firstById.set(c.id, c);
          const expectedIds = [...firstById.values()].filter(qualifies).map((c) => c.id);
          expect(others.map((o) => o.id).sort()).toEqual(expectedIds.sort());
          // Stable order: createdAt, then id.
          for (let i = 1; i < others.length; i++) {
            const a = others[i - 1]!;
            const b = others[i]!;
            expect(a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id)).toBe(true);
          }
        },
      ),
    );
  });
});
