import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryRepository } from '../../src/index.js';
import { must, people, quarantine, testCenter, scheduled } from './fixtures.js';

describe('concurrent decisions on one action never both win', () => {
  it('two approvers racing: exactly one wins, the other is refused, the audit trail has one decision', async () => {
    const seen = { conflict: 0, invalidState: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.constantFrom('approve', 'reject') as fc.Arbitrary<'approve' | 'reject'>,
        async (s, second) => {
          const store = createMemoryRepository();
          const setup = testCenter({ repository: store });
          const { action } = await must(setup.center.submit({ request: quarantine('LAPTOP-1') }));
          // Two engines (two processes) on one store, each call interleaved by the scheduler.
          const a = testCenter({ repository: scheduled(store, s) }).center;
          const b = testCenter({ repository: scheduled(store, s) }).center;
          const racing = Promise.all([
            a.approve({ principal: people.secAdmin, ids: [action.id], comment: 'first' }),
            second === 'approve'
              ? b.approve({ principal: people.globalAdmin, ids: [action.id], comment: 'second' })
              : b.reject({ principal: people.globalAdmin, ids: [action.id], comment: 'second' }),
          ]);
          const [ra, rb] = await s.waitFor(racing);
          if (!ra.ok || !rb.ok) throw new Error('operations must not fail as a whole');
          const items = [ra.value.items[0], rb.value.items[0]];
          const winners = items.filter((i) => i?.outcome === 'applied');
          expect(winners).toHaveLength(1);
          const loser = items.find((i) => i?.outcome !== 'applied');
          expect(['conflict', 'invalidState']).toContain(loser?.outcome);
          if (loser?.outcome === 'conflict') seen.conflict += 1;
          if (loser?.outcome === 'invalidState') seen.invalidState += 1;
          const trail = await must(setup.center.auditTrail({ principal: people.reader, id: action.id }));
          const decisions = trail.filter((e) => e.type === 'approve' || e.type === 'reject');
          expect(decisions).toHaveLength(1);
          const stored = await must(setup.center.get({ principal: people.reader, id: action.id }));
          expect(stored.version).toBe(2);
        },
      ),
      { numRuns: 200 },
    );
    // Both interleavings exist: read-read-commit-commit (conflict) and read-commit-read (final state).
    expect(seen.conflict).toBeGreaterThan(0);
    expect(seen.invalidState).toBeGreaterThan(0);
  });
});
