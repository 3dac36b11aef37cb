/**
 * center.verifyAuditTrail (issue 16): the view permission and scope of `get`, invalid input as a
 * value, a trail and record read back as stored, a tampered store caught (memory repository with a
 * reading that spoils one event), undo counterparts chained from their own `created` event.
 */
import { describe, expect, it } from 'vitest';
import { verifyAuditTrail, type ActionRepository, type AuditEvent } from 'actioncenter';
import { must, people, quarantine, scriptedExecutor, testCenter } from './fixtures.js';

/** The repository as given, but its trails read back with `spoil` applied. */
function spoiled(base: ActionRepository, spoil: (trail: readonly AuditEvent[]) => AuditEvent[]): ActionRepository {
  const auditTrail: ActionRepository['auditTrail'] = async (id) => {
    const r = await base.auditTrail(id);
    return r.ok ? { ok: true, value: spoil(r.value) } : r;
  };
  return Object.create(base, { auditTrail: { value: auditTrail } }) as ActionRepository;
}

async function succeededAndUndone(repository?: ActionRepository) {
  const { center, repository: repo } = testCenter({
    executor: scriptedExecutor(async () => ({ status: 'succeeded' as const })),
    ...(repository === undefined ? {} : { repository }),
  });
  const { action } = await must(center.submit({ request: quarantine('laptop-1') }));
  await must(center.approve({ principal: people.secAdmin, ids: [action.id] }));
  await must(center.run());
  await must(center.undo({ principal: people.secAdmin, ids: [action.id], comment: 'false positive' }));
  await must(center.run());
  return { center, repo, id: action.id };
}

describe('center.verifyAuditTrail', () => {
  it('an untouched trail verifies, the undo counterpart too (chained from its own created event)', async () => {
    const { center, id } = await succeededAndUndone();
    const original = await must(center.get({ principal: people.reader, id }));
    const trail = await must(center.auditTrail({ principal: people.reader, id }));
    expect(await must(center.verifyAuditTrail({ principal: people.reader, id }))).toEqual({
      intact: true,
      chained: trail.length,
      unchained: 0,
    });
    expect(original.auditHead).toBe(trail.at(-1)?.hash);
    const counterpart = original.undoActionId as string;
    const counterTrail = await must(center.auditTrail({ principal: people.reader, id: counterpart }));
    expect(counterTrail[0]?.previousHash).toBeNull();
    expect(await must(center.verifyAuditTrail({ principal: people.reader, id: counterpart }))).toEqual({
      intact: true,
      chained: counterTrail.length,
      unchained: 0,
    });
    // The pure function answers the same over what the center read.
    expect(verifyAuditTrail(trail, original)).toEqual({
      ok: true,
      value: { intact: true, chained: trail.length, unchained: 0 },
    });
  });

  it('a store whose trail comes back edited is caught at that event', async () => {
    const { center, repo, id } = await succeededAndUndone();
    const tampered = testCenter({
      repository: spoiled(repo, (trail) =>
        trail.map((e) => (e.sequence === 2 ? { ...e, comment: 'approved by nobody' } : e)),
      ),
    }).center;
    const trail = await must(center.auditTrail({ principal: people.reader, id }));
    expect(await must(tampered.verifyAuditTrail({ principal: people.reader, id }))).toEqual({
      intact: false,
      brokenAt: { sequence: 2, eventId: trail[1]?.id, reason: 'hashMismatch' },
    });
  });

  it('a store whose trail lost its last event is caught by the record head', async () => {
    const { repo, id } = await succeededAndUndone();
    const center = testCenter({ repository: spoiled(repo, (trail) => trail.slice(0, -1)) }).center;
    const r = await must(center.verifyAuditTrail({ principal: people.reader, id }));
    expect(r.intact === false && r.brokenAt.reason).toBe('headMismatch');
  });

  it('same permission and scope as get: no view permission is refused, an unknown id is notFound', async () => {
    const { center, id } = await succeededAndUndone();
    const refused = await center.verifyAuditTrail({ principal: people.nobody, id });
    expect(!refused.ok && refused.error.code).toBe('accessDenied');
    const missing = await center.verifyAuditTrail({ principal: people.reader, id: 'act-unknown' });
    expect(!missing.ok && missing.error.code).toBe('notFound');
    // Outside the reader's device groups reads as missing, as for get.
    const outside = await center.verifyAuditTrail({ principal: people.serversOnly, id });
    expect(!outside.ok && outside.error.code).toBe('notFound');
  });

  it('input that is not an input is invalidInput, never a throw', async () => {
    const { center } = testCenter();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    for (const input of [undefined, null, 42, {}, { principal: people.reader }, hostile]) {
      const r = await center.verifyAuditTrail(input as never);
      expect(!r.ok && r.error.code).toBe('invalidInput');
    }
  });
});
