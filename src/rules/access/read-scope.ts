/**
 * What a principal may read (`view`, `export`): asking a policy for its read scope (issue 12, item 1).
 *
 * @module
 */
import * as z from 'zod';
import { describeIssues, type InputIssue, type InvalidInputError } from '../../errors.js';
import { describeThrown, ok, safeParseInput, type Result } from '../../result.js';
import {
  PrincipalSchema,
  ReadScopeSchema,
  READ_OPERATIONS,
  type AccessDecision,
  type AccessPolicy,
  type Principal,
  type ReadOperation,
  type ReadScope,
} from '../principals.js';
import { askPolicy, policyName } from './ask.js';
import { TRUSTED_POLICIES, defaultAccessPolicy } from './default-policy.js';
import { ALL, defaultReadScope } from './default-read-scope.js';

/**
 * The read scope of a policy without `readScope`, from `authorize` (which allowed the read) and the
 * assignments: {@link defaultReadScope} when an assignment grants Action center access under the
 * default rules; otherwise the assignments' device groups when every one of them carries a list,
 * and everything when the principal has none or an unscoped one (a policy of its own may grant
 * reads the default would not, and nothing in the assignments narrows them).
 */
function assignedReadScope(principal: Principal): ReadScope {
  const scope = defaultReadScope(principal);
  if (scope.kind === 'all' || scope.includeUngrouped) return scope;
  const groups = new Set<string>();
  for (const a of principal.assignments) {
    if (a.deviceGroups === null) return ALL;
    for (const g of a.deviceGroups) groups.add(g);
  }
  return principal.assignments.length === 0
    ? ALL
    : { kind: 'deviceGroups', deviceGroups: [...groups], includeUngrouped: true };
}

/**
 * The answer of {@link askReadScope}: allowed with the scope to read in, or the denial.
 *
 * @example
 * ```ts
 * import type { ReadScopeAnswer } from 'actioncenter/adapter-kit';
 * const show = (a: ReadScopeAnswer) => (a.allowed ? a.scope.kind : a.decision.message);
 * ```
 */
export type ReadScopeAnswer =
  | {
      readonly allowed: true;
      /** The actions the principal may read. */
      readonly scope: ReadScope;
      /** The policy's decision that allowed the read. */
      readonly decision: AccessDecision;
    }
  | {
      readonly allowed: false;
      /** Why the read is denied (by `authorize`, or `policyFailed` when `readScope` threw or answered garbage). */
      readonly decision: AccessDecision & { readonly allowed: false };
    };

/**
 * May `principal` read (`view` or `export`), and what? Asks the policy's `authorize` (through
 * {@link askPolicy}), then its `readScope` when it has one. Without one: {@link defaultReadScope}
 * when an assignment grants access under the default rules, else the assignments' device groups if
 * each carries a list, else everything (the policy allowed the read and nothing narrows it). A
 * `readScope` that throws or answers something that does not fit {@link ReadScopeSchema} denies
 * with rule `default.policyError`, reason `policyFailed` (fail closed). Never throws.
 *
 * @example
 * ```ts
 * import { defaultAccessPolicy } from 'actioncenter';
 * import { askReadScope, PrincipalSchema } from 'actioncenter/adapter-kit';
 * const op = PrincipalSchema.parse({ id: 'op', assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId', deviceGroups: ['G1'] }] });
 * const answer = askReadScope(defaultAccessPolicy, op, 'view');
 * if (answer.allowed) answer.scope; // { kind: 'deviceGroups', deviceGroups: ['G1'], includeUngrouped: true }
 * ```
 */
export function askReadScope(policy: AccessPolicy, principal: Principal, operation: ReadOperation): ReadScopeAnswer {
  const decision = askPolicy(policy, principal, operation, { kind: 'none' });
  if (!decision.allowed) return { allowed: false, decision };
  let answer: unknown;
  try {
    const hook: unknown = policy.readScope;
    if (hook === undefined || hook === null) return { allowed: true, scope: assignedReadScope(principal), decision };
    if (typeof hook !== 'function') {
      return readScopeFailed(
        principal,
        operation,
        `The access policy ${policyName(policy)} has a readScope that is not a function`,
        [],
      );
    }
    answer = (hook as NonNullable<AccessPolicy['readScope']>).call(policy, principal, operation);
    if (TRUSTED_POLICIES.has(policy)) return { allowed: true, scope: answer as ReadScope, decision };
  } catch (cause) {
    return readScopeFailed(
      principal,
      operation,
      `The access policy ${policyName(policy)} threw in readScope: ${describeThrown(cause)}`,
      [],
    );
  }
  const parsed = safeParseInput(ReadScopeSchema, answer, 'read scope');
  if (!parsed.ok) {
    return readScopeFailed(
      principal,
      operation,
      `The access policy ${policyName(policy)} did not answer a read scope: ${describeIssues(parsed.error.issues)}`,
      parsed.error.issues,
    );
  }
  return { allowed: true, scope: parsed.value, decision };
}

function readScopeFailed(
  principal: Principal,
  operation: ReadOperation,
  message: string,
  issues: readonly InputIssue[],
): ReadScopeAnswer {
  return {
    allowed: false,
    decision: {
      allowed: false,
      rule: 'default.policyError',
      operation,
      principalId: principal.id,
      reason: 'policyFailed',
      missing: [],
      message,
      issues,
    },
  };
}

const ReadOperationSchema = z.enum(READ_OPERATIONS);

/**
 * What may this principal read? Validates the principal and the operation (`view` or `export`; an
 * `invalidInput` error, never a throw), then answers as {@link askReadScope} does with `policy`
 * (the default one unless you pass your own).
 *
 * @example
 * ```ts
 * import { readScope } from 'actioncenter';
 * const r = readScope({ id: 'r', assignments: [{ role: 'globalReader', assignedIn: 'entraId', deviceGroups: ['G1', 'G2'] }] }, 'export');
 * if (r.ok && r.value.allowed) r.value.scope; // { kind: 'deviceGroups', deviceGroups: ['G1', 'G2'], includeUngrouped: true }
 * ```
 */
export function readScope(
  principal: unknown,
  operation: unknown,
  policy: AccessPolicy = defaultAccessPolicy,
): Result<ReadScopeAnswer, InvalidInputError> {
  const p = safeParseInput(PrincipalSchema, principal, 'principal');
  if (!p.ok) return p;
  const o = safeParseInput(ReadOperationSchema, operation, 'operation');
  if (!o.ok) return o;
  return ok(askReadScope(policy, p.value, o.value));
}
