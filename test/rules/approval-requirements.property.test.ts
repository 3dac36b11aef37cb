import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyPolicyPatches,
  builtInCatalog,
  createApprovalPolicy,
  setAutomationLevel,
  unwrap,
  type ActionSourceId,
} from '../../src/index.js';
import {
  ACTION_SOURCE_IDS,
  approvalRequirementsFor,
  JUSTIFIED_OPERATIONS,
  requirementRuleMatches,
  type ApprovalRequirementRule,
  type RequirementFacts,
} from '../../src/adapter-kit.js';
import { approvalRequirementRuleArbitrary } from '../../src/testing/index.js';

const groups = ['Workstations', 'Servers', 'Finance'];
const factsArb: fc.Arbitrary<RequirementFacts> = fc.record({
  actionType: fc.constantFrom(...builtInCatalog.types.map((t) => t.id)),
  workload: fc.constantFrom('endpoint' as const, 'email' as const, 'identity' as const),
  source: fc.constantFrom<ActionSourceId>(...ACTION_SOURCE_IDS),
  deviceGroup: fc.option(fc.constantFrom(...groups), { nil: null }),
});
const rulesArb = fc.array(approvalRequirementRuleArbitrary(fc, { deviceGroups: groups }), { maxLength: 6 });

describe('approval requirement rules', () => {
  it('no matching rule requires one approval and nothing else', () => {
    fc.assert(
      fc.property(rulesArb, factsArb, (rules, facts) => {
        const matching = rules.filter((r) => requirementRuleMatches(r, facts));
        fc.pre(matching.length === 0);
        expect(approvalRequirementsFor({ requirements: rules }, facts)).toEqual({
          requiredApprovals: 1,
          decideWithinMs: null,
          escalateTo: [],
          justification: [],
        });
      }),
    );
    expect(
      approvalRequirementsFor(
        { requirements: [] },
        {
          actionType: 'isolateDevice',
          workload: 'endpoint',
          source: 'manualDeviceAction',
          deviceGroup: null,
        },
      ),
    ).toEqual({ requiredApprovals: 1, decideWithinMs: null, escalateTo: [], justification: [] });
  });

  it('resolves to the max of approvals, the min of deadlines, and the unions of escalation and justification', () => {
    fc.assert(
      fc.property(rulesArb, factsArb, (rules, facts) => {
        const matching = rules.filter((r) => requirementRuleMatches(r, facts));
        const got = approvalRequirementsFor({ requirements: rules }, facts);
        expect(got.requiredApprovals).toBe(Math.max(1, ...matching.map((r) => r.requiredApprovals ?? 1)));
        const deadlines = matching.flatMap((r) => (r.decideWithinMs === undefined ? [] : [r.decideWithinMs]));
        expect(got.decideWithinMs).toBe(deadlines.length === 0 ? null : Math.min(...deadlines));
        expect(got.escalateTo).toEqual([...new Set(matching.flatMap((r) => r.escalateTo ?? []))]);
        const ops = new Set(matching.flatMap((r) => r.justification ?? []));
        expect(got.justification).toEqual(JUSTIFIED_OPERATIONS.filter((op) => ops.has(op)));
      }),
    );
  });

  it('an empty match matches every action; each listed facet must match (AND), any value within it (OR)', () => {
    fc.assert(
      fc.property(approvalRequirementRuleArbitrary(fc, { deviceGroups: groups }), factsArb, (rule, facts) => {
        expect(requirementRuleMatches({ match: {} }, facts)).toBe(true);
        const m = rule.match;
        const expected =
          (m.actionTypes?.includes(facts.actionType) ?? true) &&
          (m.workloads?.includes(facts.workload) ?? true) &&
          (m.sources?.includes(facts.source) ?? true) &&
          (m.deviceGroups === undefined || (facts.deviceGroup !== null && m.deviceGroups.includes(facts.deviceGroup)));
        expect(requirementRuleMatches(rule, facts)).toBe(expected);
      }),
    );
  });

  it('the checked policy keeps the rules, frozen, and an edit of a level keeps them', () => {
    fc.assert(
      fc.property(rulesArb, (rules) => {
        const policy = unwrap(createApprovalPolicy({ requirements: rules }));
        expect(policy.requirements).toEqual(rules);
        expect(Object.isFrozen(policy.requirements)).toBe(true);
        for (const r of policy.requirements) {
          expect(Object.isFrozen(r)).toBe(true);
          expect(Object.isFrozen(r.match)).toBe(true);
        }
        const edited = unwrap(setAutomationLevel(policy, 'Servers', 'semiAll'));
        expect(edited.policy.requirements).toEqual(rules);
        expect(unwrap(applyPolicyPatches(edited.policy, edited.inversePatches)).requirements).toEqual(rules);
      }),
      { numRuns: 50 },
    );
  });

  it('Splunk SOAR "required number of approvers": two approvals for isolation on servers, one elsewhere', () => {
    const policy = unwrap(
      createApprovalPolicy({
        requirements: [
          { match: { actionTypes: ['isolateDevice'], deviceGroups: ['Servers'] }, requiredApprovals: 2 },
          { match: { workloads: ['endpoint'] }, justification: ['undo', 'reject'] },
        ],
      }),
    );
    const on = (deviceGroup: string | null) =>
      approvalRequirementsFor(policy, {
        actionType: 'isolateDevice',
        workload: 'endpoint',
        source: 'manualDeviceAction',
        deviceGroup,
      });
    expect(on('Servers')).toEqual({
      requiredApprovals: 2,
      decideWithinMs: null,
      escalateTo: [],
      justification: ['reject', 'undo'],
    });
    expect(on('Workstations').requiredApprovals).toBe(1);
    expect(on(null).requiredApprovals).toBe(1);
  });

  it('refuses rules out of bounds: 0 or 11 approvals, an empty escalation group, over 1,000 rules', () => {
    const bad: unknown[] = [
      { requirements: [{ match: {}, requiredApprovals: 0 }] },
      { requirements: [{ match: {}, requiredApprovals: 11 }] },
      { requirements: [{ match: {}, escalateTo: [] }] },
      { requirements: [{ match: {}, justification: ['delete'] }] },
      { requirements: [{ match: { workloads: ['mainframe'] } }] },
      { requirements: Array.from({ length: 1_001 }, (): ApprovalRequirementRule => ({ match: {} })) },
    ];
    for (const config of bad) expect(createApprovalPolicy(config).ok).toBe(false);
    expect(unwrap(createApprovalPolicy({})).requirements).toEqual([]);
  });
});
