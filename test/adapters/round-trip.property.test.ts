/**
 * Every request the catalogue accepts round-trips through every adapter (issue 11, item 1): what
 * `submit` stores, `get`, `list`, `auditTrail`, a resubmission and `run()` read back, on the memory
 * store, PGlite and the real server (DATABASE_URL). Requests come from the testing kit's
 * arbitraries with text fields at their schema limits (1,024-character names, 4,096-character URLs,
 * queries and indicator values, 2,000-character comments), which once produced open keys longer than
 * the record schema allows: stored in PostgreSQL, then unreadable (`corruptRecord`) forever.
 */
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createActionCenter,
  createMemoryRepository,
  manualClock,
  sequentialIdGenerator,
  type AccessPolicy,
  type ActionRepository,
  type ActionRequestInput,
} from 'actioncenter';
import { openKeyOf, TargetSchema } from 'actioncenter/adapter-kit';
import { actionCenterArbitraries } from 'actioncenter/testing';
import { createPostgresRepository, migrate } from 'actioncenter/postgres';
import {
  DATABASE_URL,
  T0,
  emptiedSchema,
  freshSchema,
  sharedPGlite,
  usePGlite,
  warnWhenNoServer,
} from './postgres-fixtures.js';

warnWhenNoServer('round-trip.property.test.ts');

// Access is not what this test is about: everyone may do everything.
const allowAll: AccessPolicy = {
  name: 'allowAll',
  authorize: (principal, operation) => ({ allowed: true, rule: 'allowAll', operation, principalId: principal.id }),
};
const viewer = { id: 'viewer@contoso.com', assignments: [] };

const arbitraries = actionCenterArbitraries(fc, { atLimits: true });

/** Submits every request, then reads each accepted one back every way the center reads. */
async function roundTrip(repository: ActionRepository, requests: readonly ActionRequestInput[]): Promise<void> {
  const center = createActionCenter({
    repository,
    accessPolicy: allowAll,
    clock: manualClock(T0),
    idGenerator: sequentialIdGenerator(),
  });
  const accepted: string[] = [];
  for (const request of requests) {
    const principal =
      request.requestedBy.type === 'principal' ? { id: request.requestedBy.id, assignments: [] } : undefined;
    // Generated requests are wide (any type id, any target): the center checks them at run time.
    const submitted = await center.submit((principal === undefined ? { request } : { request, principal }) as never);
    if (!submitted.ok) {
      // The approval policy may refuse, and a second request on the same target is a duplicate; a store may not fail.
      expect(
        ['submissionRefused', 'duplicateOpenAction'],
        `submit: ${submitted.error.code}: ${submitted.error.message}`,
      ).toContain(submitted.error.code);
      continue;
    }
    if (submitted.value.disposition === 'joined' || submitted.value.disposition === 'replayed') continue;
    const action = submitted.value.action;
    accepted.push(action.id);
    expect(action.openKey?.length ?? 0, 'the open key fits the record schema').toBeLessThanOrEqual(2000);
    const got = await center.get({ principal: viewer, id: action.id });
    expect(got.ok ? got.value : got.error).toEqual(action);
    const trail = await center.auditTrail({ principal: viewer, id: action.id });
    expect(trail.ok ? trail.value.map((e) => e.type) : trail.error).toEqual(['created']);
    const again = await center.submit((principal === undefined ? { request } : { request, principal }) as never);
    const expected =
      request.idempotencyKey === undefined || request.idempotencyKey === null ? 'duplicateOpenAction' : 'replayed';
    expect(again.ok ? again.value.disposition : again.error.code, 'a resubmission finds the open action').toBe(
      expected,
    );
  }
  const listed = await center.list({ principal: viewer, query: { filter: { view: 'all' }, page: { size: 100 } } });
  expect(listed.ok ? listed.value.items.map((a) => a.id).sort() : listed.error).toEqual([...accepted].sort());
  const ran = await center.run();
  expect(ran.ok ? 'ok' : ran.error).toBe('ok');
  const after = await center.list({ principal: viewer, query: { filter: { view: 'all' }, page: { size: 100 } } });
  expect(after.ok ? after.value.items.length : after.error).toBe(accepted.length);
}

const requests = fc.array(arbitraries.requestInput, { minLength: 1, maxLength: 3 });

// Targets at their limits, built by hand: the two the issue names.
const atMaximum: readonly ActionRequestInput[] = [
  {
    actionType: 'quarantineFile',
    target: {
      kind: 'file',
      deviceId: 'd'.repeat(1024),
      deviceName: 'n'.repeat(1024),
      deviceGroup: 'Workstations',
      path: 'C:\\'.padEnd(1024, 'p'),
      sha1: 'a'.repeat(40),
    },
    source: 'automatedDeviceAction',
    verdict: 'suspicious',
    requestedBy: { type: 'system', component: 'automatedInvestigation' },
  },
  {
    actionType: 'blockUrl',
    target: { kind: 'url', url: 'https://evil.example/'.padEnd(4096, 'x') },
    parameters: { url: 'https://evil.example/'.padEnd(4096, 'x') },
    source: 'automatedEmailAction',
    requestedBy: { type: 'system', component: 'automatedInvestigation' },
  },
];

function suite(name: string, repository: () => Promise<ActionRepository>, numRuns: number) {
  describe(name, () => {
    it(
      'regression: a target field at its schema maximum makes an open key the store cannot read back',
      { timeout: 120_000 },
      async () => {
        await roundTrip(await repository(), atMaximum);
      },
    );
    it(
      'every request the catalogue accepts (text fields at their limits) is read back by get, list, auditTrail, resubmission and run',
      { timeout: 600_000 },
      async () => {
        await fc.assert(
          fc.asyncProperty(requests, async (rs) => roundTrip(await repository(), rs)),
          { numRuns },
        );
      },
    );
  });
}

describe('open keys are bounded', () => {
  it('keeps short keys readable and as they were, and hashes long ones to at most 172 characters, distinctly', () => {
    const device = TargetSchema.parse({
      kind: 'device',
      deviceId: 'd1',
      deviceName: 'PC',
      deviceGroup: 'Workstations',
    });
    // Issue 16: the target's identity, not the whole target (a renamed device is the same device).
    expect(openKeyOf('isolateDevice', device)).toBe('isolateDevice\u0000device:d1');
    const long = (c: string) => TargetSchema.parse({ kind: 'url', url: `https://evil.example/${c.repeat(4000)}` });
    const a = openKeyOf('blockUrl', long('a'));
    const b = openKeyOf('blockUrl', long('b'));
    expect(a).toMatch(/^blockUrl\u0000sha256:[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(openKeyOf('blockUrl', long('a'))).toBe(a);
    expect(openKeyOf('x'.repeat(100), long('a')).length).toBeLessThanOrEqual(172);
  });
});

suite('memory repository', async () => createMemoryRepository(), 60);

// PGlite starts once, in a hook with its own time limit (registered first, so it closes last).
usePGlite();
const pglite = emptiedSchema(() => sharedPGlite(), 'ac_roundtrip');
afterAll(() => pglite.drop(), 60_000);
suite('PGlite', () => pglite.fresh(), 30);

describe.runIf(DATABASE_URL !== undefined)('on the PostgreSQL server (DATABASE_URL)', () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
  const schema = freshSchema('ac_roundtrip');
  let migrated = false;
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }, 60_000);
  suite(
    'server',
    async () => {
      if (!migrated) {
        const r = await migrate(pool, { schema });
        if (!r.ok) throw new Error(r.error.message);
        migrated = true;
      }
      await pool.query(
        `TRUNCATE "${schema}".actioncenter_audit_events, "${schema}".actioncenter_idempotency_keys, "${schema}".actioncenter_actions`,
      );
      return createPostgresRepository({ client: pool, schema });
    },
    30,
  );
});
