import { describe, expect, it } from 'vitest';
import { CONFLICT_REASON_ORDER, ConflictCollector, heldOpenKey } from '../../src/adapter-kit.js';

describe('ConflictCollector', () => {
  it('reports the most important reason and every offending action of every reason', () => {
    const c = new ConflictCollector();
    expect(c.empty).toBe(true);
    c.add('openKeyTaken', 'act-3', 'open key held');
    c.add('staleVersion', 'act-1', 'act-1 is at version 3');
    c.add('staleVersion', 'act-2', 'act-2 is at version 5');
    const e = c.toError();
    expect(c.empty).toBe(false);
    expect(e.code).toBe('conflict');
    expect(e.reason).toBe('staleVersion');
    expect(e.actionIds).toEqual(['act-1', 'act-2', 'act-3']);
    expect(e.message).toMatch(/^Commit refused, nothing was written: act-1 is at version 3/);
  });

  it('follows CONFLICT_REASON_ORDER: a claimed idempotency key wins', () => {
    const c = new ConflictCollector();
    for (const reason of [...CONFLICT_REASON_ORDER].reverse()) c.add(reason, `act-${reason}`, reason);
    expect(c.toError().reason).toBe('idempotencyKeyTaken');
  });

  it('shows at most ten lines', () => {
    const c = new ConflictCollector();
    for (let i = 0; i < 25; i++) c.add('staleVersion', `act-${i}`, `line ${i}`);
    const e = c.toError('Load');
    expect(e.message).toContain('and 15 more');
    expect(e.message.startsWith('Load refused')).toBe(true);
    expect(e.actionIds).toHaveLength(25);
  });

  it('an action holds its open key only while pending, approved or running', () => {
    expect(heldOpenKey({ openKey: 'k', status: 'running' })).toBe('k');
    expect(heldOpenKey({ openKey: 'k', status: 'succeeded' })).toBeNull();
    expect(heldOpenKey({ openKey: null, status: 'pending' })).toBeNull();
  });
});
