/**
 * Arbitraries of approval requirement rules (N-of-M approvals, deadlines, escalation, required
 * justification) and of the approvals a pending action has collected.
 *
 * @module
 */
import { builtInCatalog, type Catalog } from 'actioncenter';
import {
  ACTION_SOURCE_IDS,
  ApprovalRequirementRuleSchema,
  JUSTIFIED_OPERATIONS,
  type ApprovalRequirementRule,
} from 'actioncenter/adapter-kit';
import { DEFAULT_DEVICE_GROUPS, principalIdArbitrary } from './domain.js';
import type { Arbitrary, FastCheck } from './fast-check.js';

/**
 * Options of {@link approvalRequirementRuleArbitrary}.
 *
 * @example
 * ```ts
 * import type { ApprovalRequirementArbitraryOptions } from 'actioncenter/testing';
 * const options: ApprovalRequirementArbitraryOptions = { deviceGroups: ['Servers'], maxRequiredApprovals: 3 };
 * ```
 */
export interface ApprovalRequirementArbitraryOptions {
  /** The catalogue whose type ids and workloads the rules match on. Default: the built-in one. */
  readonly catalog?: Catalog;
  /** Device group names to match on. Default: {@link DEFAULT_DEVICE_GROUPS}. */
  readonly deviceGroups?: readonly string[];
  /** The largest `requiredApprovals` drawn (1..10). Default 3. */
  readonly maxRequiredApprovals?: number;
}

const DAY_MS = 86_400_000;

/**
 * Arbitrary of one checked approval requirement rule: a match on any subset of facets (often
 * empty, matching everything), and any subset of requirements.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { approvalRequirementRuleArbitrary } from 'actioncenter/testing';
 * fc.sample(approvalRequirementRuleArbitrary(fc), 1)[0]?.match; // e.g. { workloads: ['endpoint'] }
 * ```
 */
export function approvalRequirementRuleArbitrary(
  fc: FastCheck,
  options: ApprovalRequirementArbitraryOptions = {},
): Arbitrary<ApprovalRequirementRule> {
  const catalog = options.catalog ?? builtInCatalog;
  const typeIds = catalog.types.map((t) => t.id);
  const workloads = [...new Set(catalog.types.map((t) => t.workload))];
  const groups = options.deviceGroups ?? DEFAULT_DEVICE_GROUPS;
  const maxN = Math.min(10, Math.max(1, options.maxRequiredApprovals ?? 3));
  const someOf = <T>(values: readonly T[]) =>
    fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 });
  const match = fc.record(
    {
      actionTypes: someOf(typeIds),
      workloads: someOf(workloads),
      sources: someOf(ACTION_SOURCE_IDS),
      deviceGroups: someOf(groups),
    },
    { requiredKeys: [], noNullPrototype: true },
  );
  return fc
    .record(
      {
        match,
        requiredApprovals: fc.integer({ min: 1, max: maxN }),
        decideWithinMs: fc.integer({ min: 1, max: 30 * DAY_MS }),
        escalateTo: fc.uniqueArray(principalIdArbitrary(fc), { minLength: 1, maxLength: 3 }),
        justification: fc.uniqueArray(fc.constantFrom(...JUSTIFIED_OPERATIONS), { maxLength: 3 }),
      },
      { requiredKeys: ['match'], noNullPrototype: true },
    )
    .map((rule) => ApprovalRequirementRuleSchema.parse(rule));
}
