/**
 * Issue 12, identity and lifecycle items: bound idempotency keys (2), undo counterparts need undo
 * permission (3), authorized system actors (4), four eyes for proposals by default (7b), expiry at
 * every read and decision (8), per-item refusals in selections (9), the undo counterpart's manual
 * source (10) and seed 000's source/action pairs (11). Storage-bound ones run on memory and PGlite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createActionCenter,
  createDefaultAccessPolicy,
  createMemoryRepository,
  defineActionType,
  createCatalog,
  builtInCatalog,
  type ActionRepository,
  type ActionRequestInput,
  type PrincipalInput,
} from '../../src/index.js';
import { DEFAULT_SOURCE_POLICY } from '../../src/adapter-kit.js';
import { freshRepository, usePGlite } from '../adapters/postgres-fixtures.js';
import {
  DAY,
  automation,
  isolate,
  must,
  people,
  quarantine,
  softDeleteCluster,
  testCenter,
  scheduled,
} from './fixtures.js';
import { z } from 'zod';

usePGlite();

const STORES: readonly (readonly [string, () => Promise<ActionRepository>])[] = [
  ['memory', async () => createMemoryRepository()],
  ['PGlite', () => freshRepository()],
];

const g1Admin: PrincipalInput = {
  id: 'g1admin@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId', deviceGroups: ['G1'] }],
};
const g2Admin: PrincipalInput = {
  id: 'g2admin@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId', deviceGroups: ['G2'] }],
};
const TIMEOUT = { timeout: 120_000 };

function scan(
  device: string,
  by: PrincipalInput,
  group: string,
  extra: Partial<ActionRequestInput> = {},
): ActionRequestInput {
  return {
    actionType: 'runAntivirusScan',
    target: { kind: 'device', deviceId: `dev-${device}`, deviceName: device, deviceGroup: group },
    parameters: { scanType: 'quick' },
    source: 'manualDeviceAction',
    requestedBy: { type: 'principal', id: by.id },
    ...extra,
  };
}

describe.each(STORES)(
  'issue 12, item 2: idempotency keys are bound to the requester and the request (%s)',
  (_name, store) => {
    it('another principal using my key gets their own action, never mine', TIMEOUT, async () => {
      const { center } = testCenter({ repository: await store() });
      const mine = await must(
        center.submit({ principal: g2Admin, request: scan('G2-PC', g2Admin, 'G2', { idempotencyKey: 'k-1' }) }),
      );
      const theirs = await must(
        center.submit({ principal: g1Admin, request: scan('G1-PC', g1Admin, 'G1', { idempotencyKey: 'k-1' }) }),
      );
      expect(theirs.disposition).toBe('takenNow');
      expect(theirs.action.id).not.toBe(mine.action.id);
      expect(theirs.action.target).toMatchObject({ deviceGroup: 'G1' });
    });

    it("a system request with a principal's key gets its own action", TIMEOUT, async () => {
      const { center } = testCenter({ repository: await store() });
      const mine = await must(
        center.submit({
          principal: people.secAdmin,
          request: { ...isolate('LAPTOP-1', people.secAdmin), idempotencyKey: 'k-2' },
        }),
      );
      const system = await must(center.submit({ request: { ...quarantine('LAPTOP-2'), idempotencyKey: 'k-2' } }));
      expect(system.disposition).toBe('pending');
      expect(system.action.id).not.toBe(mine.action.id);
    });

    it(
      'the same requester and request replays; the same key with another request is idempotencyKeyConflict naming the key only',
      TIMEOUT,
      async () => {
        const { center } = testCenter({ repository: await store() });
        const first = await must(
          center.submit({
            principal: g1Admin,
            request: scan('G1-PC', g1Admin, 'G1', { idempotencyKey: 'k-3', comment: 'first' }),
          }),
        );
        // The comment is free text: a retry may word it differently.
        const again = await must(
          center.submit({
            principal: g1Admin,
            request: scan('G1-PC', g1Admin, 'G1', { idempotencyKey: 'k-3', comment: 'retry' }),
          }),
        );
        expect([again.disposition, again.action.id]).toEqual(['replayed', first.action.id]);
        for (const other of [
          scan('G1-OTHER', g1Admin, 'G1', { idempotencyKey: 'k-3' }),
          scan('G1-PC', g1Admin, 'G1', { idempotencyKey: 'k-3', parameters: { scanType: 'full' } }),
          scan('G1-PC', g1Admin, 'G1', { idempotencyKey: 'k-3', propose: true }),
          { ...isolate('G1-PC', g1Admin, 'G1'), idempotencyKey: 'k-3' },
        ]) {
          const r = await center.submit({ principal: g1Admin, request: other });
          expect(r.ok ? 'ok' : r.error).toEqual({
            code: 'idempotencyKeyConflict',
            message: expect.stringContaining('"k-3"'),
            idempotencyKey: 'k-3',
          });
          expect(JSON.stringify(r)).not.toContain(first.action.id);
        }
        const page = await must(center.list({ principal: people.globalAdmin }));
        expect(page.total).toBe(1);
      },
    );
  },
);

describe('issue 12, item 2: a retry racing its first submit gets the replay, never duplicateOpenAction', () => {
  async function race(store: () => Promise<ActionRepository>, runs: number) {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const shared = await store();
        const a = testCenter({ repository: scheduled(shared, s) }).center;
        const b = testCenter({ repository: scheduled(shared, s) }).center;
        const request = { ...isolate('LAPTOP-1', people.secAdmin), idempotencyKey: 'retry-1' };
        const racing = Promise.all([
          a.submit({ principal: people.secAdmin, request }),
          b.submit({ principal: people.secAdmin, request }),
        ]);
        const [ra, rb] = await s.waitFor(racing);
        if (!ra.ok || !rb.ok) throw new Error(`a submit failed: ${JSON.stringify(ra.ok ? rb : ra)}`);
        expect(ra.value.action.id).toBe(rb.value.action.id);
        expect([ra.value.disposition, rb.value.disposition].sort()).toEqual(['replayed', 'takenNow']);
      }),
      { numRuns: runs },
    );
  }
  it('on memory (fc.scheduler over every repository call)', TIMEOUT, () =>
    race(async () => createMemoryRepository(), 1000),
  );
  it('on PGlite', { timeout: 600_000 }, () => race(() => freshRepository(), 60));
});

describe('issue 12, item 3: submitting an undo counterpart needs what undoing the original needs', () => {
  const user = { kind: 'user', userId: 'u-1', userPrincipalName: 'alex@contoso.com' } as const;
  const release = (by: PrincipalInput): ActionRequestInput => ({
    actionType: 'releaseContainedUser',
    target: user,
    parameters: {},
    source: 'advancedHuntingAction',
    requestedBy: { type: 'principal', id: by.id },
  });

  it('a Security Administrator cannot submit releaseContainedUser (Global Administrator undoes contain user)', async () => {
    const { center } = testCenter();
    const r = await center.submit({ principal: people.secAdmin, request: release(people.secAdmin) });
    expect(r.ok ? 'ok' : [r.error.code, r.error.code === 'accessDenied' && r.error.decision.rule]).toEqual([
      'accessDenied',
      'design.undoNeedsGlobalAdministrator',
    ]);
    expect((await must(center.list({ principal: people.globalAdmin }))).total).toBe(0);
    expect(
      (await must(center.submit({ principal: people.globalAdmin, request: release(people.globalAdmin) }))).disposition,
    ).toBe('takenNow');
  });

  it('Active remediation actions alone cannot submit releaseFromIsolation (undo needs Security Administrator)', async () => {
    const { center } = testCenter();
    const responder: PrincipalInput = {
      id: 'resp@contoso.com',
      assignments: [{ role: 'activeRemediationActions', assignedIn: 'defenderForEndpoint' }],
    };
    const request: ActionRequestInput = {
      ...isolate('LAPTOP-1', responder),
      actionType: 'releaseFromIsolation',
      parameters: {},
    };
    const r = await center.submit({ principal: responder, request });
    expect(r.ok ? 'ok' : r.error.code).toBe('accessDenied');
    expect(
      (
        await must(
          center.submit({
            principal: people.secAdmin,
            request: { ...request, requestedBy: { type: 'principal', id: people.secAdmin.id } },
          }),
        )
      ).disposition,
    ).toBe('takenNow');
  });
});

describe('issue 12, item 4: system requests are authorized', () => {
  const as = (component: string) =>
    ({ ...quarantine('LAPTOP-1'), requestedBy: { type: 'system', component } }) as ActionRequestInput;

  it('by default only automatedInvestigation and antivirus are accepted; others are systemNotAuthorized and change nothing', async () => {
    const { center } = testCenter();
    expect((await must(center.submit({ request: as('automatedInvestigation') }))).disposition).toBe('pending');
    for (const component of ['scanner', 'executor', 'expiry']) {
      const r = await center.submit({ request: as(component) });
      expect(r.ok ? 'ok' : r.error.code).toBe('systemNotAuthorized');
    }
    const reserved = await center.submit({ request: as('expiry') });
    expect(!reserved.ok && reserved.error.code === 'systemNotAuthorized' && reserved.error.reason).toBe('reserved');
    expect((await must(center.list({ principal: people.globalAdmin }))).total).toBe(1);
  });

  it('component names are a closed alphabet: control characters, spaces and overlong names are invalidInput', async () => {
    const { center } = testCenter({ systemComponents: ['automatedInvestigation'] });
    for (const component of [
      'auto\u0000mated',
      'auto\nmated',
      'a b',
      '\u200bautomatedInvestigation',
      'x'.repeat(101),
    ]) {
      const r = await center.submit({ request: as(component) });
      expect(r.ok ? 'ok' : r.error.code, JSON.stringify(component)).toBe('invalidInput');
    }
    expect((await must(center.list({ principal: people.globalAdmin }))).total).toBe(0);
  });

  it('the host lists the components it accepts; reserved or malformed names are invalid options', () => {
    const { center } = testCenter({ systemComponents: ['edr.connector-1'] });
    expect(center).toBeDefined();
    expect(() => createActionCenter({ systemComponents: ['expiry'] })).toThrow(/systemComponents/);
    expect(() => createActionCenter({ systemComponents: ['bad name'] })).toThrow(/systemComponents/);
  });

  it('a listed component is accepted, the default ones are then refused', async () => {
    const { center } = testCenter({ systemComponents: ['edr.connector-1'] });
    expect((await must(center.submit({ request: as('edr.connector-1') }))).action.requestedBy).toEqual({
      type: 'system',
      component: 'edr.connector-1',
    });
    const r = await center.submit({
      request: { ...as('automatedInvestigation'), target: { ...quarantine('LAPTOP-2').target } },
    });
    expect(r.ok ? 'ok' : r.error.code).toBe('systemNotAuthorized');
  });
});

describe("issue 12, item 7b: a proposal needs another principal's approval by default", () => {
  it('the proposer cannot approve or reject their own proposal, may cancel it; another principal approves', async () => {
    const { center } = testCenter();
    const proposed = await must(
      center.submit({
        principal: people.secAdmin,
        request: { ...isolate('LAPTOP-1', people.secAdmin), propose: true },
      }),
    );
    expect(proposed.disposition).toBe('pending');
    for (const op of ['approve', 'reject'] as const) {
      const r = await must(center[op]({ principal: people.secAdmin, ids: [proposed.action.id] }));
      const item = r.items[0];
      expect(item?.outcome === 'denied' && !item.error.decision.allowed && item.error.decision.reason).toBe(
        'ownAction',
      );
    }
    const approved = await must(center.approve({ principal: people.globalAdmin, ids: [proposed.action.id] }));
    expect(approved.counts.applied).toBe(1);
    const second = await must(
      center.submit({
        principal: people.secAdmin,
        request: { ...isolate('LAPTOP-2', people.secAdmin), propose: true },
      }),
    );
    expect((await must(center.cancel({ principal: people.secAdmin, ids: [second.action.id] }))).counts.applied).toBe(1);
  });

  it('opt-out: createDefaultAccessPolicy({ fourEyes: false }) lets the proposer approve', async () => {
    const { center } = testCenter({ accessPolicy: createDefaultAccessPolicy({ fourEyes: false }) });
    const proposed = await must(
      center.submit({
        principal: people.secAdmin,
        request: { ...isolate('LAPTOP-1', people.secAdmin), propose: true },
      }),
    );
    expect((await must(center.approve({ principal: people.secAdmin, ids: [proposed.action.id] }))).counts.applied).toBe(
      1,
    );
  });
});

describe.each(STORES)(
  'issue 12, item 8: expiry holds at every read and decision, without a sweep (%s)',
  (_name, store) => {
    it(
      'a pending action past its expiry cannot be approved: the decision expires it first (audited) and reports it expired',
      TIMEOUT,
      async () => {
        const { center, clock } = testCenter({ repository: await store() });
        const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
        clock.advance(8 * DAY);
        for (const op of ['approve', 'reject', 'cancel'] as const) {
          const r = await must(center[op]({ principal: people.globalAdmin, ids: [action.id] }));
          const item = r.items[0];
          expect(item?.outcome === 'invalidState' && item.error.code).toBe('invalidTransition');
        }
        const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
        expect(trail.map((e) => [e.type, e.actor])).toEqual([
          ['created', automation],
          ['expire', { type: 'system', component: 'expiry' }],
        ]);
        expect((await must(center.run())).started).toBe(0);
      },
    );

    it('get, list (the Pending view) and export show it expired', TIMEOUT, async () => {
      const { center, clock } = testCenter({ repository: await store() });
      const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
      const fresh = await must(center.submit({ request: softDeleteCluster() }));
      clock.advance(7 * DAY + 1);
      expect((await must(center.get({ principal: people.reader, id: action.id }))).status).toBe('expired');
      const pendingView = await must(center.list({ principal: people.reader, query: { filter: { view: 'pending' } } }));
      expect(pendingView.items.map((a) => a.id)).not.toContain(action.id);
      expect(pendingView.items.map((a) => a.id)).not.toContain(fresh.action.id); // both created at T0: both expired
      const exported = await must(center.exportCsv({ principal: people.reader, columns: ['id', 'status'] }));
      let csv = '';
      for await (const chunk of exported) csv += chunk;
      expect(csv).not.toMatch(/Pending/);
    });

    it('one millisecond before its expiry it is still pending and can be approved', TIMEOUT, async () => {
      const { center, clock } = testCenter({ repository: await store() });
      const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
      clock.advance(7 * DAY - 1);
      expect((await must(center.get({ principal: people.reader, id: action.id }))).status).toBe('pending');
      expect((await must(center.approve({ principal: people.secAdmin, ids: [action.id] }))).counts.applied).toBe(1);
    });
  },
);

describe('issue 12, item 9: only mixed action types refuse a selection whole', () => {
  it('an item already decided by someone else is refused on its own; the rest are approved', async () => {
    const { center } = testCenter();
    const ids: string[] = [];
    for (const device of ['LAPTOP-1', 'LAPTOP-2', 'LAPTOP-3'])
      ids.push((await must(center.submit({ request: quarantine(device) }))).action.id);
    await must(center.reject({ principal: people.globalAdmin, ids: [ids[1] ?? ''] }));
    const r = await must(center.approve({ principal: people.secAdmin, ids }));
    expect(r.items.map((i) => i.outcome)).toEqual(['applied', 'invalidState', 'applied']);
  });

  it("an item out of the principal's scope is denied on its own; the rest proceed", async () => {
    const { center } = testCenter();
    const inScope = (await must(center.submit({ request: quarantine('SRV-1', { group: 'Servers' }) }))).action.id;
    const outOfScope = (await must(center.submit({ request: quarantine('LAPTOP-1', { group: 'Workstations' }) })))
      .action.id;
    const r = await must(center.approve({ principal: people.serversOnly, ids: [inScope, outOfScope] }));
    expect(r.items.map((i) => i.outcome)).toEqual(['applied', 'denied']);
  });

  it('undo: an ineligible item is refused on its own; mixed types still refuse the whole selection', async () => {
    const { center } = testCenter();
    const a = (await must(center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }))).action.id;
    const b = (await must(center.submit({ request: quarantine('LAPTOP-2') }))).action.id; // pending: not undoable
    await must(center.run());
    const r = await must(center.undo({ principal: people.secAdmin, ids: [a, b] }));
    expect(r.items.map((i) => (i.outcome === 'invalidState' ? i.error.code : i.outcome))).toEqual([
      'applied',
      'undoIneligible',
    ]);
    const isolated = (
      await must(center.submit({ principal: people.secAdmin, request: isolate('LAPTOP-3', people.secAdmin) }))
    ).action.id;
    const mixed = await center.approve({ principal: people.secAdmin, ids: [b, isolated] });
    expect(mixed.ok ? 'ok' : mixed.error.code).toBe('selectionRefused');
  });
});

describe('issue 12, item 10: the undo counterpart a person requests is a manual action of its workload, decided by them', () => {
  it('undoing an automated quarantine: the release is a "Manual device action" requested and decided by the undoer', async () => {
    const { center } = testCenter();
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    await must(center.run());
    const undone = await must(center.undo({ principal: people.secAdmin, ids: [action.id] }));
    const counterpartId = undone.items[0]?.outcome === 'applied' ? undone.items[0].action.undoActionId : null;
    const counterpart = await must(center.get({ principal: people.reader, id: counterpartId ?? '' }));
    const by = { type: 'principal', id: people.secAdmin.id };
    expect(counterpart).toMatchObject({
      source: 'manualDeviceAction',
      requestedBy: by,
      decidedBy: by,
      undoOf: action.id,
    });
  });
});

describe('issue 12, item 11: seed 000 pairs sources with the actions they take', () => {
  const device = { kind: 'device', deviceId: 'dev-1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' } as const;
  const antivirus = { type: 'system', component: 'antivirus' } as const;

  it('antivirus can no longer offboard a machine (sourceNotApplicable), and still quarantines', async () => {
    const { center } = testCenter();
    const r = await center.submit({
      request: {
        actionType: 'offboardMachine',
        target: device,
        parameters: {},
        source: 'antivirus',
        requestedBy: antivirus,
      },
    });
    expect(r.ok ? 'ok' : r.error).toMatchObject({
      code: 'sourceNotApplicable',
      actionTypeId: 'offboardMachine',
      source: 'antivirus',
    });
    expect(
      (
        await must(
          center.submit({ request: { ...quarantine('LAPTOP-1'), source: 'antivirus', requestedBy: antivirus } }),
        )
      ).action.source,
    ).toBe('antivirus');
    expect((await must(center.list({ principal: people.globalAdmin }))).total).toBe(1);
  });

  it("the seed's table, row by row: each source takes its actions and not the other rows'", () => {
    const rows = {
      automatedDeviceAction: [
        'quarantineFile',
        'removeRegistryKey',
        'killProcess',
        'stopService',
        'disableDriver',
        'removeScheduledTask',
      ],
      manualDeviceAction: ['runAntivirusScan', 'isolateDevice', 'addIndicator'],
      manualLiveResponseAction: [
        'collectForensicData',
        'analyzeFile',
        'runScript',
        'sendForAnalysis',
        'remediateFile',
        'huntForThreats',
      ],
    } as const;
    for (const [source, types] of Object.entries(rows)) {
      for (const type of types)
        expect(DEFAULT_SOURCE_POLICY[source as keyof typeof rows], `${source} takes ${type}`).toContain(type);
    }
    for (const type of rows.manualLiveResponseAction) {
      expect(DEFAULT_SOURCE_POLICY.automatedDeviceAction).not.toContain(type);
      expect(DEFAULT_SOURCE_POLICY.manualDeviceAction).not.toContain(type);
    }
    for (const type of ['removeRegistryKey', 'killProcess', 'stopService'])
      expect(DEFAULT_SOURCE_POLICY.manualLiveResponseAction).not.toContain(type);
    // Every built-in type is taken by some source.
    for (const type of builtInCatalog.types)
      expect(
        Object.values(DEFAULT_SOURCE_POLICY).some((ids) => ids.includes(type.id)),
        type.id,
      ).toBe(true);
  });

  it('the host configures the policy; a custom type it does not name is taken by every source of its workload', async () => {
    const tagDevice = defineActionType({
      id: 'tagDevice',
      displayName: 'Tag device',
      description: 'Adds a tag',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.object({ tag: z.string() }),
      permission: 'deviceRemediation',
    });
    const catalog = createCatalog([...builtInCatalog.types, tagDevice]);
    if (!catalog.ok) throw new Error(catalog.error.message);
    const request = (source: 'manualDeviceAction' | 'advancedHuntingAction'): ActionRequestInput => ({
      actionType: 'tagDevice',
      target: device,
      parameters: { tag: 'x' },
      source,
      requestedBy: { type: 'principal', id: people.secAdmin.id },
    });
    const open = testCenter({ catalog: catalog.value, duplicates: 'allow' }).center;
    expect(
      (await must(open.submit({ principal: people.secAdmin, request: request('advancedHuntingAction') }))).disposition,
    ).toBe('takenNow');
    const restricted = testCenter({
      catalog: catalog.value,
      duplicates: 'allow',
      sourcePolicy: {
        ...DEFAULT_SOURCE_POLICY,
        manualDeviceAction: [...DEFAULT_SOURCE_POLICY.manualDeviceAction, 'tagDevice'],
      },
    }).center;
    expect(
      (await must(restricted.submit({ principal: people.secAdmin, request: request('manualDeviceAction') })))
        .disposition,
    ).toBe('takenNow');
    const refused = await restricted.submit({ principal: people.secAdmin, request: request('advancedHuntingAction') });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('sourceNotApplicable');
  });
});
