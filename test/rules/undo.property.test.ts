import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import {
  ACTION_SOURCES,
  ACTION_STATUSES,
  createCatalog,
  defineActionType,
  undoEligibility,
  unwrap,
  type AccessPolicy,
  type ActionId,
  type ActionRecord,
  type Principal,
} from '../../src/index.js';
import {
  ACTION_SOURCE_IDS,
  asId,
  type PrincipalId,
  type UndoContext,
  type UndoIneligibleReason,
} from '../../src/adapter-kit.js';
import { actionRecord, fileTarget } from '../support/records.js';
import { quarantinePair } from '../support/catalog.js';

const file = fileTarget({ deviceId: 'd1', deviceName: 'PC-1', deviceGroup: 'G' });
const catalog = unwrap(
  createCatalog([
    ...quarantinePair,
    defineActionType({
      id: 'collectFile',
      displayName: 'Collect file',
      workload: 'endpoint',
      targetKind: 'file',
      parameters: z.object({}),
    }),
  ]),
);

function record(overrides: Partial<ActionRecord>): ActionRecord {
  return actionRecord({
    id: asId<ActionId>('a1'),
    target: file,
    status: 'succeeded',
    requestedBy: { type: 'system', component: 'automation' },
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  });
}

const principal: Principal = { id: asId<PrincipalId>('p'), displayName: null, assignments: [] };
const policyThat = (allows: boolean): AccessPolicy => ({
  name: allows ? 'allowAll' : 'denyAll',
  authorize: (p, operation) =>
    allows
      ? { allowed: true, rule: 'allowAll', operation, principalId: p.id }
      : {
          allowed: false,
          rule: 'denyAll',
          operation,
          principalId: p.id,
          reason: 'missingRole',
          missing: [],
          message: 'no',
        },
});

const recordArb = fc
  .record({
    actionType: fc.constantFrom('quarantineFile', 'releaseFromQuarantine', 'collectFile', 'unknownType'),
    source: fc.constantFrom(...ACTION_SOURCE_IDS),
    status: fc.constantFrom(...ACTION_STATUSES),
    undoOf: fc.option(fc.constant(asId<ActionId>('a0')), { nil: null }),
  })
  .map(record);
const contextArb: fc.Arbitrary<UndoContext> = fc.oneof(
  fc.constant({ catalog }),
  fc.boolean().map((allows) => ({ catalog, principal, accessPolicy: policyThat(allows) })),
);

// The reference: seed 001's conditions, written independently of the implementation.
function reference(action: ActionRecord, context: UndoContext): UndoIneligibleReason | null {
  const typeUndoable = action.actionType === 'quarantineFile' && action.undoOf === null;
  if (!typeUndoable) return 'typeNotUndoable';
  if (!['automatedInvestigation', 'antivirus', 'manualResponse'].includes(ACTION_SOURCES[action.source].originGroup))
    return 'sourceNotEligible';
  if (action.status === 'undoing') return 'undoInProgress';
  if (action.status === 'undone') return 'alreadyUndone';
  if (action.status !== 'succeeded' && action.status !== 'undoFailed') return 'wrongState';
  if (context.principal !== undefined && context.accessPolicy.name === 'denyAll') return 'notPermitted';
  return null;
}

describe('undo eligibility properties', () => {
  it('is eligible iff the reference conditions hold, and otherwise gives the first failing reason', () => {
    fc.assert(
      fc.property(recordArb, contextArb, (action, context) => {
        const e = undoEligibility(action, context);
        const expected = reference(action, context);
        expect(e.eligible).toBe(expected === null);
        if (!e.eligible) {
          expect(e.reason).toBe(expected);
          expect(e.message.length).toBeGreaterThan(0);
          expect(e.decision !== undefined).toBe(e.reason === 'notPermitted');
        } else {
          expect(e.counterpart.id).toBe('releaseFromQuarantine');
          expect(e.decision === null).toBe(context.principal === undefined);
        }
      }),
    );
  });
});
