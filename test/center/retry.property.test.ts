/**
 * Retries as a property (issue 15): for any retry policy and any sequence of executor answers
 * (transient failures, final failures, successes, throws, malformed flags) and any ticks of the
 * clock, the executor is called at most `maxAttempts` times, the audit trail holds one start per
 * attempt and one retry per transient failure but the last, the final state is reached exactly once
 * and is the one a simple model predicts, and no attempt starts before its backoff.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  builtInActionTypes,
  createCatalog,
  createMemoryRepository,
  defineActionType,
  unwrap,
  type ActionExecutor,
  type BuiltInRequestInput,
} from '../../src/index.js';
import { readExecutionOutcome } from '../../src/center/executor-outcome.js';
import { must, people, testCenter, scheduled, idsOf } from './fixtures.js';

type Answer = 'transient' | 'final' | 'success' | 'throw' | 'retryableYes';

const ANSWERS: Record<Answer, () => unknown> = {
  transient: () => ({ status: 'failed', failure: { code: 'throttled', message: '' }, retryable: true }),
  final: () => ({ status: 'failed', failure: { code: 'denied', message: '' } }),
  success: () => ({ status: 'succeeded' }),
  throw: () => {
    throw new Error('network');
  },
  retryableYes: () => ({ status: 'failed', failure: { code: 'throttled', message: '' }, retryable: 'yes' }),
};

/** What the model predicts: the status, the starts, and the retries between them. */
function predicted(answers: readonly Answer[], maxAttempts: number): { status: string; starts: number } {
  for (let n = 1; ; n++) {
    const answer = answers[Math.min(n - 1, answers.length - 1)] ?? 'transient';
    if (answer === 'success') return { status: 'succeeded', starts: n };
    if (answer !== 'transient' || n >= maxAttempts) return { status: 'failed', starts: n };
  }
}

const request = {
  actionType: 'flaky',
  target: { kind: 'device', deviceId: 'id-1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
  parameters: {},
  source: 'manualDeviceAction',
  requestedBy: { type: 'principal', id: people.secAdmin.id },
} as unknown as BuiltInRequestInput;

describe('retries: any answers, any ticks', () => {
  it('attempts never exceed the limit, one audit event per attempt, the final state reached exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          maxAttempts: fc.integer({ min: 2, max: 6 }),
          backoffMs: fc.integer({ min: 1, max: 5_000 }),
          capFactor: fc.integer({ min: 1, max: 8 }),
        }),
        fc.array(fc.constantFrom<Answer>('transient', 'transient', 'final', 'success', 'throw', 'retryableYes'), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 30 }),
        async (policy, answers, ticks) => {
          const retry = {
            maxAttempts: policy.maxAttempts,
            backoffMs: policy.backoffMs,
            maxBackoffMs: policy.backoffMs * policy.capFactor,
          };
          const flaky = defineActionType({
            id: 'flaky',
            displayName: 'Flaky',
            workload: 'endpoint',
            targetKind: 'device',
            parameters: z.strictObject({}),
            retry,
          });
          const catalog = unwrap(createCatalog([...builtInActionTypes, flaky]));
          const calls: number[] = [];
          const t = testCenter({ repository: createMemoryRepository(), catalog });
          const executor: ActionExecutor = {
            supports: () => true,
            execute: async () => {
              calls.push(t.clock.now());
              const answer = answers[Math.min(calls.length - 1, answers.length - 1)] ?? 'transient';
              return ANSWERS[answer]() as never;
            },
          };
          const center = testCenter({ repository: t.repository, catalog, executor, clock: t.clock }).center;
          const { action } = await must(center.submit({ request, principal: people.secAdmin }));
          // Ticks at arbitrary times, then one far enough that every backoff has passed, repeatedly.
          for (const tick of ticks) {
            t.clock.advance(tick);
            await must(center.run());
          }
          for (let i = 0; i < policy.maxAttempts; i++) {
            t.clock.advance(retry.maxBackoffMs);
            await must(center.run());
          }
          const final = await must(center.get({ principal: people.reader, id: action.id }));
          const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
          const expected = predicted(answers, policy.maxAttempts);

          expect(calls.length).toBeLessThanOrEqual(policy.maxAttempts);
          expect(calls.length).toBe(expected.starts);
          expect(final.status).toBe(expected.status);
          expect(final.attempt).toBe(expected.starts);
          const types = trail.map((e) => e.type);
          expect(types.filter((x) => x === 'start')).toHaveLength(expected.starts);
          expect(types.filter((x) => x === 'retry')).toHaveLength(expected.starts - 1);
          // The final state is entered once, by the last event.
          const finals = trail.filter((e) => e.type === 'succeed' || e.type === 'fail');
          expect(finals).toHaveLength(1);
          expect(trail[trail.length - 1]).toBe(finals[0]);
          expect(trail.map((e) => e.sequence)).toEqual(trail.map((_, i) => i + 1));
          // Every retry's time is its backoff, exactly, and the next start is not earlier.
          const retries = trail.filter((e) => e.type === 'retry');
          for (const [i, e] of retries.entries()) {
            const wait = Math.min(policy.backoffMs * 2 ** i, retry.maxBackoffMs);
            expect(e.details).toMatchObject({ attempt: i + 1, retryAt: e.at + wait });
            expect(calls[i + 1]).toBeGreaterThanOrEqual(e.at + wait);
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});

describe('the retryable flag, read from any answer', () => {
  it('only a real true on a failed answer is transient: any other value, or any other status, is not', () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom('failed', 'partial', 'succeeded'), (retryable, status) => {
        const answer = { status, failure: { code: 'x', message: '' }, retryable };
        const read = readExecutionOutcome(answer);
        const transient = read.kind === 'failed' && read.retryable === true;
        expect(transient).toBe(status === 'failed' && retryable === true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('retries with two processes ticking at once', () => {
  it('any interleaving: each attempt started once, at most maxAttempts calls, one final event', async () => {
    const flaky = defineActionType({
      id: 'flaky',
      displayName: 'Flaky',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.strictObject({}),
      retry: { maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 2000 },
    });
    const catalog = unwrap(createCatalog([...builtInActionTypes, flaky]));
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.constantFrom<Answer>('transient', 'transient', 'success', 'final'), { minLength: 1, maxLength: 4 }),
        async (s, answers) => {
          const store = createMemoryRepository();
          const setup = testCenter({ repository: store, catalog });
          let calls = 0;
          const executor: ActionExecutor = {
            supports: () => true,
            execute: async () => {
              const answer = answers[Math.min(calls, answers.length - 1)] ?? 'transient';
              calls += 1;
              return ANSWERS[answer]() as never;
            },
          };
          const { action } = await must(setup.center.submit({ request, principal: people.secAdmin }));
          const centerOf = (prefix: string) =>
            testCenter({
              repository: scheduled(store, s),
              catalog,
              executor,
              clock: setup.clock,
              idGenerator: idsOf(prefix),
            }).center;
          const [a, b] = [centerOf('a'), centerOf('b')];
          for (let round = 0; round < 4; round++) {
            const [ra, rb] = await s.waitFor(Promise.all([a.run(), b.run()]));
            expect(ra.ok && rb.ok).toBe(true);
            setup.clock.advance(2000);
          }
          const expected = predicted(answers, 3);
          const final = await must(setup.center.get({ principal: people.reader, id: action.id }));
          const trail = await must(setup.center.auditTrail({ principal: people.reader, id: action.id }));
          expect(calls).toBe(expected.starts);
          expect(final).toMatchObject({ status: expected.status, attempt: expected.starts });
          expect(trail.filter((e) => e.type === 'start')).toHaveLength(expected.starts);
          expect(trail.filter((e) => e.type === 'retry')).toHaveLength(expected.starts - 1);
          expect(trail.filter((e) => e.type === 'succeed' || e.type === 'fail')).toHaveLength(1);
          expect(trail.map((e) => e.sequence)).toEqual(trail.map((_, i) => i + 1));
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
