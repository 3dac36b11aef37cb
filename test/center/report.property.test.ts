/**
 * `report` against interleavings (issue 15), on the memory repository: reports (duplicates
 * included), cancels, time-outs and run ticks in any order chosen by `fc.scheduler`. Whatever the
 * order: each action ends in exactly one final state, entered by one audit event (plus the late
 * success timedOut -> succeeded, the one edge out of a final state), its audit sequence has no gaps,
 * and the record's status is the last event's `to`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FINAL_STATUSES,
  createMemoryRepository,
  randomIdGenerator,
  type ActionExecutor,
  type BuiltInRequestInput,
} from '../../src/index.js';
import { DAY, must, people, testCenter } from './fixtures.js';

const FINAL = new Set<string>(FINAL_STATUSES);

const dispatching: ActionExecutor = {
  supports: () => true,
  execute: async ({ action }) => ({ status: 'accepted', reference: `ref-${action.id}` }),
};

const scan = (device: string): BuiltInRequestInput => ({
  actionType: 'runAntivirusScan',
  target: { kind: 'device', deviceId: `id-${device}`, deviceName: device, deviceGroup: 'Workstations' },
  parameters: { scanType: 'quick' },
  source: 'manualDeviceAction',
  requestedBy: { type: 'principal', id: people.secAdmin.id },
});

type Op =
  | { kind: 'report'; action: number; outcome: 'succeeded' | 'failed' | 'partial' | 'progress'; copies: number }
  | { kind: 'cancel'; action: number }
  | { kind: 'tick'; passDeadline: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('report' as const),
    action: fc.nat({ max: 1 }),
    outcome: fc.constantFrom('succeeded' as const, 'failed' as const, 'partial' as const, 'progress' as const),
    copies: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({ kind: fc.constant('cancel' as const), action: fc.nat({ max: 1 }) }),
  fc.record({ kind: fc.constant('tick' as const), passDeadline: fc.boolean() }),
);

function outcomeOf(status: 'succeeded' | 'failed' | 'partial' | 'progress') {
  switch (status) {
    case 'succeeded':
      return { status, details: { machineActionStatus: 'Succeeded' } } as const;
    case 'failed':
    case 'partial':
      return { status, failure: { code: 'deviceOffline', message: 'No answer' } } as const;
    case 'progress':
      return { status, details: { machineActionStatus: 'InProgress' } } as const;
  }
}

describe('report under interleavings (fc.scheduler, memory repository)', () => {
  it('reports, duplicates, cancels, time-outs and run ticks in any order: one final state per action, entered once, audit without gaps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(opArb, { minLength: 1, maxLength: 8 }), async (s, ops) => {
        const ctx = testCenter({
          repository: createMemoryRepository(),
          executor: dispatching,
          idGenerator: randomIdGenerator,
        });
        const ids: string[] = [];
        for (const device of ['LAPTOP-1', 'LAPTOP-2']) {
          const { action } = await must(ctx.center.submit({ request: scan(device), principal: people.secAdmin }));
          ids.push(action.id);
        }
        await must(ctx.center.run());
        const tasks: Promise<unknown>[] = [];
        for (const op of ops) {
          if (op.kind === 'report') {
            const id = ids[op.action] as string;
            for (let i = 0; i < op.copies; i++)
              tasks.push(
                s.schedule(Promise.resolve(`report ${op.outcome} ${id}`)).then(async () => {
                  const r = await ctx.center.report({
                    actionId: id,
                    reference: `ref-${id}`,
                    outcome: outcomeOf(op.outcome),
                  });
                  // Only conflicts after a retry may fail: every other answer is a value.
                  if (!r.ok) expect(r.error.code).toBe('conflict');
                }),
              );
          } else if (op.kind === 'cancel') {
            const id = ids[op.action] as string;
            tasks.push(
              s
                .schedule(Promise.resolve(`cancel ${id}`))
                .then(() => ctx.center.cancel({ principal: people.secAdmin, ids: [id] })),
            );
          } else {
            tasks.push(
              s.schedule(Promise.resolve(`tick ${op.passDeadline}`)).then(async () => {
                if (op.passDeadline) ctx.clock.advance(DAY);
                await ctx.center.run();
              }),
            );
          }
        }
        await s.waitAll();
        await Promise.all(tasks);
        for (const id of ids) {
          const action = await must(ctx.center.get({ principal: people.reader, id }));
          const trail = await must(ctx.center.auditTrail({ principal: people.reader, id }));
          expect(trail.map((e) => e.sequence)).toEqual(trail.map((_e, i) => i + 1));
          expect(action.version).toBe(trail.length);
          expect(trail.at(-1)?.to).toBe(action.status);
          const entering = trail.filter((e) => e.from !== null && !FINAL.has(e.from) && FINAL.has(e.to));
          const late = trail.filter((e) => e.from === 'timedOut' && e.to === 'succeeded');
          if (FINAL.has(action.status)) expect(entering).toHaveLength(1);
          else expect([action.status, entering.length]).toEqual(['running', 0]);
          expect(late.length).toBeLessThanOrEqual(1);
          // The same report twice adds one event: no two discards of the same report.
          const discards = trail
            .filter((e) => e.type === 'reportDiscarded')
            .map((e) => JSON.stringify([e.details['outcome'], e.details['failure'] ?? null]));
          expect(new Set(discards).size).toBe(discards.length);
        }
      }),
      { numRuns: 60 },
    );
  }, 180_000);
});
