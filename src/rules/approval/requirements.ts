/**
 * Approval requirement rules: how many distinct approvals an action needs, within what time it
 * should be decided, whom it escalates to, and which operations need a justification, per action
 * type, workload, source or device group. Pure data and a pure resolution.
 *
 * @module
 */
import * as z from 'zod';
import { PrincipalIdSchema, type PrincipalId } from '../../catalog/ids.js';
import { ActionSourceIdSchema, type ActionSourceId } from '../../catalog/sources.js';
import { WorkloadSchema, type Workload } from '../../catalog/targets.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The operations a requirement rule can demand a justification (a non-blank comment) for.
 *
 * @example
 * ```ts
 * import { JUSTIFIED_OPERATIONS } from 'actioncenter/adapter-kit';
 * JUSTIFIED_OPERATIONS.includes('undo'); // true
 * ```
 */
export const JUSTIFIED_OPERATIONS = ['submit', 'approve', 'reject', 'cancel', 'undo', 'retry', 'setRevert'] as const;

/**
 * One of {@link JUSTIFIED_OPERATIONS}.
 *
 * @example
 * ```ts
 * import type { JustifiedOperation } from 'actioncenter/adapter-kit';
 * const op: JustifiedOperation = 'reject';
 * ```
 */
export type JustifiedOperation = (typeof JUSTIFIED_OPERATIONS)[number];

const facet = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(1_000).optional();

/**
 * Schema of one approval requirement rule. `match` says which actions it applies to: an empty
 * `match` matches every action; each facet given must match (AND), any value within a facet may
 * (OR). The other fields are what it requires; a field left out requires nothing.
 *
 * @example
 * ```ts
 * import { ApprovalRequirementRuleSchema } from 'actioncenter/adapter-kit';
 * ApprovalRequirementRuleSchema.parse({ match: { actionTypes: ['isolateDevice'] }, requiredApprovals: 2 }).requiredApprovals; // 2
 * ```
 */
export const ApprovalRequirementRuleSchema = z.strictObject({
  match: z
    .strictObject({
      actionTypes: facet(z.string().min(1).max(100)),
      workloads: facet(WorkloadSchema),
      sources: facet(ActionSourceIdSchema),
      deviceGroups: facet(z.string().min(1).max(200)),
    })
    .default({}),
  /** Distinct approvals needed before a pending action is approved (Splunk SOAR's "required number of approvers"). */
  requiredApprovals: z.number().int().min(1).max(10).optional(),
  /** Time within which a pending action should be decided, from its submission. */
  decideWithinMs: z
    .number()
    .int()
    .positive()
    .max(366 * DAY_MS)
    .optional(),
  /** Principals who may approve once the deadline has passed (escalation group). */
  escalateTo: z.array(PrincipalIdSchema).min(1).max(50).optional(),
  /** Operations that need a non-blank comment on the matching actions. */
  justification: z.array(z.enum(JUSTIFIED_OPERATIONS)).max(JUSTIFIED_OPERATIONS.length).optional(),
});

/**
 * One approval requirement rule as accepted on input.
 *
 * @example
 * ```ts
 * import type { ApprovalRequirementRuleInput } from 'actioncenter/adapter-kit';
 * const rule: ApprovalRequirementRuleInput = { match: { workloads: ['email'] }, justification: ['reject'] };
 * ```
 */
export type ApprovalRequirementRuleInput = z.input<typeof ApprovalRequirementRuleSchema>;

/**
 * One checked approval requirement rule (see {@link ApprovalRequirementRuleSchema}).
 *
 * @example
 * ```ts
 * import type { ApprovalRequirementRule } from 'actioncenter/adapter-kit';
 * const needsTwo = (r: ApprovalRequirementRule) => (r.requiredApprovals ?? 1) >= 2;
 * ```
 */
export type ApprovalRequirementRule = z.output<typeof ApprovalRequirementRuleSchema>;

/**
 * The facts of an action a requirement rule matches on. `deviceGroup` is null for a target on no
 * device group (such a target never matches a rule listing `deviceGroups`).
 *
 * @example
 * ```ts
 * import type { RequirementFacts } from 'actioncenter/adapter-kit';
 * const facts: RequirementFacts = { actionType: 'isolateDevice', workload: 'endpoint', source: 'manualDeviceAction', deviceGroup: null };
 * ```
 */
export interface RequirementFacts {
  /** The action type's id. */
  readonly actionType: string;
  /** Its workload (endpoint, email, identity). */
  readonly workload: Workload;
  /** Its source. */
  readonly source: ActionSourceId;
  /** The target's device group, or null for a target on none. */
  readonly deviceGroup: string | null;
}

/**
 * What the matching rules require together: the most approvals any of them asks (default 1), the
 * shortest deadline (null: none), the escalation group (union, first-seen order, no duplicates) and
 * the operations needing a justification (union, in {@link JUSTIFIED_OPERATIONS} order).
 *
 * @example
 * ```ts
 * import type { ApprovalRequirements } from 'actioncenter/adapter-kit';
 * const label = (r: ApprovalRequirements, given: number) => `${given} of ${r.requiredApprovals} approvals`;
 * ```
 */
export interface ApprovalRequirements {
  /** Distinct approvals a pending action needs: the most any matching rule asks, 1 when none asks. */
  readonly requiredApprovals: number;
  /** Time within which a pending action should be decided: the shortest of the matching rules, or null. */
  readonly decideWithinMs: number | null;
  /** Who may approve once the deadline passed: the matching rules' groups, in order, without duplicates. */
  readonly escalateTo: readonly PrincipalId[];
  /** The operations that need a justification (a non-blank comment), in {@link JUSTIFIED_OPERATIONS} order. */
  readonly justification: readonly JustifiedOperation[];
}

/** The requirements when no rule matches: one approval, no deadline, no escalation, no justification. */
const NONE: ApprovalRequirements = Object.freeze({
  requiredApprovals: 1,
  decideWithinMs: null,
  escalateTo: Object.freeze([]),
  justification: Object.freeze([]),
});

const matchesFacet = <T>(values: readonly T[] | undefined, value: T | null): boolean =>
  values === undefined || (value !== null && values.includes(value));

/**
 * Whether a rule applies to an action with these facts.
 *
 * @example
 * ```ts
 * import { requirementRuleMatches } from 'actioncenter/adapter-kit';
 * requirementRuleMatches({ match: { workloads: ['email'] } }, { actionType: 'softDeleteEmail', workload: 'email', source: 'manualEmailAction', deviceGroup: null }); // true
 * ```
 */
export function requirementRuleMatches(rule: Pick<ApprovalRequirementRule, 'match'>, facts: RequirementFacts): boolean {
  const m = rule.match;
  return (
    matchesFacet(m.actionTypes, facts.actionType) &&
    matchesFacet(m.workloads, facts.workload) &&
    matchesFacet(m.sources, facts.source) &&
    matchesFacet(m.deviceGroups, facts.deviceGroup)
  );
}

/**
 * Resolves what the policy's requirement rules ask of an action with these facts (see
 * {@link ApprovalRequirements}). Pure; a policy without rules requires one approval and nothing else.
 *
 * @example
 * ```ts
 * import { approvalRequirementsFor } from 'actioncenter/adapter-kit';
 * const policy = { requirements: [{ match: { actionTypes: ['isolateDevice'] }, requiredApprovals: 2, justification: ['undo' as const] }] };
 * approvalRequirementsFor(policy, { actionType: 'isolateDevice', workload: 'endpoint', source: 'manualDeviceAction', deviceGroup: null }).requiredApprovals; // 2
 * ```
 */
export function approvalRequirementsFor(
  policy: { readonly requirements: readonly ApprovalRequirementRule[] },
  facts: RequirementFacts,
): ApprovalRequirements {
  let requiredApprovals = 1;
  let decideWithinMs: number | null = null;
  let matched = false;
  const escalateTo: PrincipalId[] = [];
  const justification = new Set<JustifiedOperation>();
  for (const rule of policy.requirements) {
    if (!requirementRuleMatches(rule, facts)) continue;
    matched = true;
    if (rule.requiredApprovals !== undefined) requiredApprovals = Math.max(requiredApprovals, rule.requiredApprovals);
    if (rule.decideWithinMs !== undefined) {
      decideWithinMs = decideWithinMs === null ? rule.decideWithinMs : Math.min(decideWithinMs, rule.decideWithinMs);
    }
    for (const p of rule.escalateTo ?? []) if (!escalateTo.includes(p)) escalateTo.push(p);
    for (const op of rule.justification ?? []) justification.add(op);
  }
  if (!matched) return NONE;
  return Object.freeze({
    requiredApprovals,
    decideWithinMs,
    escalateTo: Object.freeze(escalateTo),
    justification: Object.freeze(JUSTIFIED_OPERATIONS.filter((op) => justification.has(op))),
  });
}
