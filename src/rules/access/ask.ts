/**
 * The public entry points that ask an access policy: {@link askPolicy}, which trusts nothing a policy
 * does, and {@link authorize}, which validates its input first.
 *
 * @module
 */
import { describeIssues, type InputIssue, type InvalidInputError } from '../../errors.js';
import { describeThrown, ok, safeParseInput, type Result } from '../../result.js';
import {
  AccessDecisionSchema,
  OperationSchema,
  PrincipalSchema,
  type AccessDecision,
  type AccessPolicy,
  type AccessSubject,
  type Operation,
  type Principal,
} from '../principals.js';
import { TRUSTED_POLICIES, defaultAccessPolicy } from './default-policy.js';

/**
 * Asks an access policy, trusting nothing it does: a policy that throws, or answers anything but a
 * well-formed {@link AccessDecision} (`allowed: 'false'`, `allowed: 1`, `undefined`, a decision for
 * another principal or operation), denies with rule `default.policyError`, reason `policyFailed`, and what
 * was wrong in `message` and `issues`. Allowed means `allowed === true` on a decision that fits
 * {@link AccessDecisionSchema}; the decision returned is a validated copy. Never throws.
 *
 * @example
 * ```ts
 * import { type AccessPolicy } from 'actioncenter';
 * import { askPolicy, PrincipalSchema } from 'actioncenter/adapter-kit';
 * const sloppy = { name: 'sloppy', authorize: () => ({ allowed: 'false' }) } as unknown as AccessPolicy;
 * const alice = PrincipalSchema.parse({ id: 'alice', assignments: [] });
 * askPolicy(sloppy, alice, 'approve', { kind: 'none' }).allowed; // false
 * ```
 */
export function askPolicy(
  policy: AccessPolicy,
  principal: Principal,
  operation: Operation,
  subject: AccessSubject,
): AccessDecision {
  try {
    return askChecked(policy, principal, operation, subject);
  } catch (cause) {
    // Only arguments that are not what their types say get here (a principal whose id cannot be read).
    return policyFailed(principal, operation, `The access policy could not be asked: ${describeThrown(cause)}`, []);
  }
}

function askChecked(
  policy: AccessPolicy,
  principal: Principal,
  operation: Operation,
  subject: AccessSubject,
): AccessDecision {
  let answer: unknown;
  try {
    answer = policy.authorize(principal, operation, subject);
    if (TRUSTED_POLICIES.has(policy)) return answer as AccessDecision;
  } catch (cause) {
    return policyFailed(
      principal,
      operation,
      `The access policy ${policyName(policy)} threw: ${describeThrown(cause)}`,
      [],
    );
  }
  const parsed = safeParseInput(AccessDecisionSchema, answer, 'access decision');
  if (!parsed.ok) {
    return policyFailed(
      principal,
      operation,
      `The access policy ${policyName(policy)} did not answer a decision: ${describeIssues(parsed.error.issues)}`,
      parsed.error.issues,
    );
  }
  const decision = parsed.value;
  if (decision.operation !== operation || decision.principalId !== principal.id) {
    const issues: InputIssue[] = [];
    if (decision.operation !== operation)
      issues.push({ path: ['operation'], code: 'custom', message: `must be "${operation}"` });
    if (decision.principalId !== principal.id)
      issues.push({ path: ['principalId'], code: 'custom', message: 'must be the principal asked about' });
    return policyFailed(
      principal,
      operation,
      `The access policy ${policyName(policy)} answered about something else: ${describeIssues(issues)}`,
      issues,
    );
  }
  return decision;
}

function policyFailed(
  principal: Principal,
  operation: Operation,
  message: string,
  issues: readonly InputIssue[],
): AccessDecision {
  return {
    allowed: false,
    rule: 'default.policyError',
    operation,
    principalId: principalIdOf(principal),
    reason: 'policyFailed',
    missing: [],
    message,
    issues,
  };
}

function principalIdOf(principal: Principal): string {
  try {
    const id: unknown = principal.id;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}

export function policyName(policy: AccessPolicy): string {
  try {
    const name: unknown = policy.name;
    return typeof name === 'string' ? `"${name.slice(0, 100)}"` : '(unnamed)';
  } catch {
    return '(unnamed)';
  }
}

/**
 * May this principal perform this operation on this subject? Validates the principal and the
 * operation (an `invalidInput` error, never a throw), then asks the policy (the default one unless
 * you pass your own). A policy that throws is answered with a denial whose rule is `default.policyError`.
 *
 * @example
 * ```ts
 * import { authorize } from 'actioncenter/adapter-kit';
 * const r = authorize({ id: 'alice', assignments: [{ role: 'securityAdministrator', assignedIn: 'emailAndCollaboration' }] }, 'view', { kind: 'none' });
 * if (r.ok && !r.value.allowed) console.log(r.value.reason); // 'noActionCenterAccess'
 * ```
 */
export function authorize(
  principal: unknown,
  operation: unknown,
  subject: AccessSubject,
  policy: AccessPolicy = defaultAccessPolicy,
): Result<AccessDecision, InvalidInputError> {
  const p = safeParseInput(PrincipalSchema, principal, 'principal');
  if (!p.ok) return p;
  const o = safeParseInput(OperationSchema, operation, 'operation');
  if (!o.ok) return o;
  return ok(askPolicy(policy, p.value, o.value, subject));
}
