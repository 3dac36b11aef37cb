/**
 * Issue 16: the engine agrees with the model when every pending action needs two (or three)
 * approvals: approvals by distinct personas, the requester never counted, a persona twice refused,
 * one rejection rejecting. Bulk approvals are left out (the bulk command predicts one approval each).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActionCenter, createMemoryRepository, type ActionCenter } from 'actioncenter';
import {
  ACTION_CENTER_COMMANDS,
  actionCenterCommands,
  createModelRunSetup,
  type ModelEngineDeps,
} from 'actioncenter/testing';

const RUNS = Number(process.env.MODEL_RUNS ?? 100);

describe('the engine agrees with the model on N-of-M approvals', () => {
  it.each([2, 3])(
    `every pending action needs %i approvals (${RUNS} runs), reaching addApproval and approve`,
    async (required) => {
      const seen = new Set<string>();
      const engine = (deps: ModelEngineDeps): ActionCenter => {
        const center = createActionCenter({ ...deps, repository: createMemoryRepository() });
        center.subscribe((change) => change.events.forEach((e) => seen.add(e.type)));
        return center;
      };
      const setup = createModelRunSetup({ engine, requiredApprovals: required });
      const only = ACTION_CENTER_COMMANDS.filter((c) => c !== 'bulk');
      // Approvals three more times as often: N approvals by distinct personas allowed to approve (for
      // 3, on a server or an email cluster only) must meet one pending action among all the other commands.
      const approvals = Array.from({ length: 3 }, () => actionCenterCommands(fc, { only: ['approve'] })).flat();
      await fc.assert(
        fc.asyncProperty(fc.commands([...actionCenterCommands(fc, { only }), ...approvals], { size: '+1' }), (cmds) =>
          fc.asyncModelRun(setup, cmds),
        ),
        { numRuns: RUNS },
      );
      expect(seen.has('addApproval')).toBe(true);
      expect(seen.has('approve')).toBe(true);
    },
    120_000,
  );
});
