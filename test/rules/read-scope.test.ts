/**
 * Issue 12, item 1: the read scope of the access rules (defaultReadScope, askReadScope, readScope)
 * and the scope filter of the query model (scopeFilterOf, inScope, matchesFilter, referenceQuery).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  builtInCatalog,
  createDefaultAccessPolicy,
  defaultAccessPolicy,
  readScope,
  unwrap,
  type AccessPolicy,
  type ActionId,
  type Principal,
  type ReadScope,
} from '../../src/index.js';
import {
  PrincipalSchema,
  ROLES,
  ROLE_SCOPES,
  askReadScope,
  defaultReadScope,
  inScope,
  referenceQuery,
  resolveQuery,
  scopeFilterOf,
  asId,
} from '../../src/adapter-kit.js';
import { actionRecord, deviceTarget } from '../support/records.js';

const GROUPS = ['G1', 'G2', 'G3'];

const assignment = fc.record({
  role: fc.constantFrom(...ROLES),
  assignedIn: fc.constantFrom(...ROLE_SCOPES),
  deviceGroups: fc.option(fc.subarray(GROUPS), { nil: null }),
});
const principal = fc
  .array(assignment, { maxLength: 4 })
  .map((assignments) => PrincipalSchema.parse({ id: 'p', assignments }));

const principalOf = (assignments: unknown[]): Principal => PrincipalSchema.parse({ id: 'p', assignments });

describe('defaultReadScope', () => {
  it('a G1-scoped reader or operator reads G1 and the actions on no device; unscoped roles and Global Administrator read all', () => {
    expect(
      defaultReadScope(principalOf([{ role: 'securityReader', assignedIn: 'entraId', deviceGroups: ['G1'] }])),
    ).toEqual({
      kind: 'deviceGroups',
      deviceGroups: ['G1'],
      includeUngrouped: true,
    });
    expect(
      defaultReadScope(
        principalOf([
          { role: 'securityAdministrator', assignedIn: 'entraId', deviceGroups: ['G1'] },
          { role: 'activeRemediationActions', assignedIn: 'defenderForEndpoint', deviceGroups: ['G2', 'G1'] },
        ]),
      ),
    ).toEqual({ kind: 'deviceGroups', deviceGroups: ['G1', 'G2'], includeUngrouped: true });
    expect(defaultReadScope(principalOf([{ role: 'globalReader', assignedIn: 'entraId' }]))).toEqual({ kind: 'all' });
    // A device-group list on Global Administrator is ignored, for reading as for acting.
    expect(
      defaultReadScope(principalOf([{ role: 'globalAdministrator', assignedIn: 'entraId', deviceGroups: ['G1'] }])),
    ).toEqual({ kind: 'all' });
  });

  it('assignments that do not count give nothing to read: Security Administrator in Email & collaboration, Search and Purge alone', () => {
    const none = { kind: 'deviceGroups', deviceGroups: [], includeUngrouped: false };
    expect(
      defaultReadScope(principalOf([{ role: 'securityAdministrator', assignedIn: 'emailAndCollaboration' }])),
    ).toEqual(none);
    expect(defaultReadScope(principalOf([{ role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' }]))).toEqual(
      none,
    );
    expect(defaultReadScope(principalOf([]))).toEqual(none);
  });

  it('property: reading is never narrower than acting — a device group a principal may act on is in its read scope', () => {
    const types = builtInCatalog.types.filter((t) => t.permission === 'deviceRemediation');
    fc.assert(
      fc.property(
        principal,
        fc.constantFrom(...types),
        fc.constantFrom(...GROUPS),
        fc.constantFrom('submit', 'approve', 'cancel', 'undo'),
        (p, actionType, group, operation) => {
          const acting = defaultAccessPolicy.authorize(p, operation as 'submit', {
            kind: 'request',
            actionType,
            deviceGroup: group,
          });
          const scope = defaultReadScope(p);
          if (acting.allowed) expect(scope.kind === 'all' || scope.deviceGroups.includes(group)).toBe(true);
          // And whoever may view at all reads something: its scope lists every group of its access assignments.
          const view = defaultAccessPolicy.authorize(p, 'view', { kind: 'none' });
          if (!view.allowed) expect(scope).toEqual({ kind: 'deviceGroups', deviceGroups: [], includeUngrouped: false });
        },
      ),
    );
  });
});

describe('askReadScope and readScope', () => {
  const reader = principalOf([{ role: 'securityReader', assignedIn: 'entraId', deviceGroups: ['G1'] }]);

  it('asks authorize first: a principal who may not view is denied, whatever readScope says', () => {
    const nobody = principalOf([]);
    const answer = askReadScope(defaultAccessPolicy, nobody, 'view');
    expect(answer.allowed ? 'allowed' : answer.decision.reason).toBe('missingRole');
  });

  it("a policy's readScope is used as it answers, for each read operation; without one, the default", () => {
    const seen: string[] = [];
    const policy: AccessPolicy = {
      name: 'narrow',
      authorize: defaultAccessPolicy.authorize,
      readScope: (_p, operation) => {
        seen.push(operation);
        return operation === 'export'
          ? { kind: 'deviceGroups', deviceGroups: [], includeUngrouped: false }
          : { kind: 'all' };
      },
    };
    const view = askReadScope(policy, reader, 'view');
    const exported = askReadScope(policy, reader, 'export');
    expect(view.allowed && view.scope).toEqual({ kind: 'all' });
    expect(exported.allowed && exported.scope).toEqual({
      kind: 'deviceGroups',
      deviceGroups: [],
      includeUngrouped: false,
    });
    expect(seen).toEqual(['view', 'export']);
    const plain: AccessPolicy = { name: 'plain', authorize: defaultAccessPolicy.authorize };
    const byDefault = askReadScope(plain, reader, 'view');
    expect(byDefault.allowed && byDefault.scope).toEqual(defaultReadScope(reader));
    const fourEyes = askReadScope(createDefaultAccessPolicy({ fourEyes: true }), reader, 'export');
    expect(fourEyes.allowed && fourEyes.scope).toEqual(defaultReadScope(reader));
  });

  it('a policy without readScope that allows what the default would not: the assignments narrow, or nothing does', () => {
    const allowAll: AccessPolicy = {
      name: 'allowAll',
      authorize: (p, operation) => ({ allowed: true, rule: 'allowAll', operation, principalId: p.id }),
    };
    const scopeOf = (assignments: unknown[]) => {
      const answer = askReadScope(allowAll, principalOf(assignments), 'view');
      return answer.allowed ? answer.scope : answer.decision.message;
    };
    expect(scopeOf([])).toEqual({ kind: 'all' });
    expect(scopeOf([{ role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' }])).toEqual({ kind: 'all' });
    expect(scopeOf([{ role: 'searchAndPurge', assignedIn: 'emailAndCollaboration', deviceGroups: ['G3'] }])).toEqual({
      kind: 'deviceGroups',
      deviceGroups: ['G3'],
      includeUngrouped: true,
    });
    // An assignment that grants access under the default rules: the default scope, other assignments aside.
    expect(
      scopeOf([
        { role: 'securityReader', assignedIn: 'entraId', deviceGroups: ['G1'] },
        { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' },
      ]),
    ).toEqual({ kind: 'deviceGroups', deviceGroups: ['G1'], includeUngrouped: true });
  });

  it('a readScope that throws, is not a function, or answers garbage denies with policyError (fail closed)', () => {
    const answers: unknown[] = [
      () => {
        throw new Error('directory down');
      },
      'not a function',
      () => ({ kind: 'deviceGroups', deviceGroups: ['G1'] }),
      () => ({ kind: 'all', extra: true }),
      () => ({ kind: 'deviceGroups', deviceGroups: ['\u0000'], includeUngrouped: true }),
      () => null,
    ];
    for (const hook of answers) {
      const policy = {
        name: 'broken',
        authorize: defaultAccessPolicy.authorize,
        readScope: hook,
      } as unknown as AccessPolicy;
      const answer = askReadScope(policy, reader, 'view');
      expect(answer.allowed ? 'allowed' : [answer.decision.rule, answer.decision.reason]).toEqual([
        'default.policyError',
        'policyFailed',
      ]);
    }
  });

  it('readScope validates its input and never throws', () => {
    expect(
      unwrap(
        readScope(
          { id: 'r', assignments: [{ role: 'globalReader', assignedIn: 'entraId', deviceGroups: ['G2'] }] },
          'export',
        ),
      ),
    ).toEqual({
      allowed: true,
      scope: { kind: 'deviceGroups', deviceGroups: ['G2'], includeUngrouped: true },
      decision: { allowed: true, rule: 'seed002.actionCenterAccess', operation: 'export', principalId: 'r' },
    });
    const wrongOperation = readScope({ id: 'r', assignments: [] }, 'approve');
    expect(wrongOperation.ok ? 'ok' : wrongOperation.error.code).toBe('invalidInput');
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    );
    const r = readScope(hostile, 'view');
    expect(r.ok ? 'ok' : r.error.code).toBe('invalidInput');
  });
});

describe('the scope filter of the query model', () => {
  const onG1 = actionRecord({
    id: asId<ActionId>('a-g1'),
    target: deviceTarget({ deviceName: 'HOST-1', deviceGroup: 'G1' }),
  });
  const onG2 = actionRecord({
    id: asId<ActionId>('a-g2'),
    target: deviceTarget({ deviceName: 'HOST-2', deviceGroup: 'G2' }),
  });
  const onNoDevice = actionRecord({
    id: asId<ActionId>('a-url'),
    workload: 'email',
    target: { kind: 'url', url: 'https://bad.example/' },
  });

  it('scopeFilterOf: all is no filter; device groups lose duplicates', () => {
    expect(scopeFilterOf({ kind: 'all' })).toBeNull();
    const scope: ReadScope = { kind: 'deviceGroups', deviceGroups: ['G1', 'G1', 'G2'], includeUngrouped: false };
    expect(scopeFilterOf(scope)).toEqual({ deviceGroups: ['G1', 'G2'], includeUngrouped: false });
  });

  it('inScope and referenceQuery keep the listed groups, and actions on no device only when includeUngrouped; totals follow', () => {
    expect([onG1, onG2, onNoDevice].map((a) => inScope(a, { deviceGroups: ['G1'], includeUngrouped: false }))).toEqual([
      true,
      false,
      false,
    ]);
    expect([onG1, onG2, onNoDevice].map((a) => inScope(a, { deviceGroups: ['G1'], includeUngrouped: true }))).toEqual([
      true,
      false,
      true,
    ]);
    expect([onG1, onG2, onNoDevice].map((a) => inScope(a, null))).toEqual([true, true, true]);
    const q = unwrap(resolveQuery({}, Date.UTC(2026, 0, 1)));
    expect(q.filter.scope).toBeNull();
    const page = referenceQuery([onG1, onG2, onNoDevice], {
      ...q,
      filter: { ...q.filter, scope: { deviceGroups: ['G2'], includeUngrouped: true } },
    });
    expect([page.items.map((a) => a.id).sort(), page.total]).toEqual([['a-g2', 'a-url'], 2]);
  });
});
