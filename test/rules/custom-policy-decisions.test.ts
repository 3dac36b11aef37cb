/**
 * Regression tests of issue 11, item 7: a custom access policy was trusted by truthiness
 * (`allowed: 'false'` or `allowed: 1` allowed), and a policy returning `undefined` made `approve` and
 * `list` reject with a TypeError instead of denying.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AccessPolicy, type Operation } from '../../src/index.js';
import { askPolicy, authorize, PrincipalSchema } from '../../src/adapter-kit.js';
import { must, people, quarantine, testCenter } from '../center/fixtures.js';

const alice = PrincipalSchema.parse(people.globalAdmin);

function answering(answer: (operation: Operation, principalId: string) => unknown): AccessPolicy {
  return { name: 'custom', authorize: (principal, operation) => answer(operation, principal.id) as never };
}

const GARBAGE: readonly (readonly [string, (op: Operation, id: string) => unknown])[] = [
  ["allowed: 'false'", (operation, principalId) => ({ allowed: 'false', rule: 'mine', operation, principalId })],
  ["allowed: 'true'", (operation, principalId) => ({ allowed: 'true', rule: 'mine', operation, principalId })],
  ['allowed: 1', (operation, principalId) => ({ allowed: 1, rule: 'mine', operation, principalId })],
  ['allowed: {}', (operation, principalId) => ({ allowed: {}, rule: 'mine', operation, principalId })],
  ['undefined', () => undefined],
  ['null', () => null],
  ['true', () => true],
  ['a string', () => 'allowed'],
  ['allowed: true without a rule', (operation, principalId) => ({ allowed: true, operation, principalId })],
  [
    'allowed: true for another operation',
    (operation, principalId) => ({
      allowed: true,
      rule: 'mine',
      operation: operation === 'view' ? 'undo' : 'view',
      principalId,
    }),
  ],
  [
    'allowed: true for another principal',
    (operation) => ({ allowed: true, rule: 'mine', operation, principalId: 'mallory' }),
  ],
  [
    'a denial without a message',
    (operation, principalId) => ({
      allowed: false,
      rule: 'mine',
      operation,
      principalId,
      reason: 'missingRole',
      missing: [],
    }),
  ],
  [
    'a revoked Proxy',
    () => {
      const r = Proxy.revocable({}, {});
      r.revoke();
      return r.proxy;
    },
  ],
  [
    'a decision whose allowed getter throws',
    (operation, principalId) => ({
      get allowed() {
        throw new Error('getter boom');
      },
      rule: 'mine',
      operation,
      principalId,
    }),
  ],
  [
    'a promise of allowed',
    (operation, principalId) => Promise.resolve({ allowed: true, rule: 'mine', operation, principalId }),
  ],
];

describe('issue 11 item 7: a custom access policy was trusted by truthiness', () => {
  it.each(GARBAGE)('a policy answering %s denies with rule policyError and reason policyFailed', (_name, answer) => {
    const d = askPolicy(answering(answer), alice, 'approve', { kind: 'none' });
    expect(d.allowed).toBe(false);
    if (!d.allowed) {
      expect(d).toMatchObject({
        rule: 'default.policyError',
        reason: 'policyFailed',
        operation: 'approve',
        principalId: alice.id,
        missing: [],
      });
      expect(d.message).toMatch(/access policy "custom"/);
    }
    const r = authorize(people.globalAdmin, 'approve', { kind: 'none' }, answering(answer));
    expect(r.ok && r.value.allowed).toBe(false);
  });

  it('what was wrong is in the payload: the issues name the path', () => {
    const d = askPolicy(
      answering((operation, principalId) => ({ allowed: 'false', rule: 'mine', operation, principalId })),
      alice,
      'view',
      { kind: 'none' },
    );
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.issues?.map((i) => i.path)).toContainEqual(['allowed']);
  });

  it('a well-formed allowed decision is allowed, and extra fields are dropped', () => {
    const d = askPolicy(
      answering((operation, principalId) => ({ allowed: true, rule: 'mine', operation, principalId, secret: 'x' })),
      alice,
      'view',
      { kind: 'none' },
    );
    expect(d).toEqual({ allowed: true, rule: 'mine', operation: 'view', principalId: alice.id });
  });

  it('a well-formed denial passes through as the policy gave it', () => {
    const denial = {
      allowed: false,
      rule: 'mine',
      operation: 'undo',
      principalId: alice.id,
      reason: 'readOnly',
      missing: [{ kind: 'deviceGroup', deviceGroup: 'Servers' }],
      message: 'no',
    } as const;
    expect(
      askPolicy(
        answering(() => denial),
        alice,
        'undo',
        { kind: 'none' },
      ),
    ).toEqual(denial);
  });

  it('property: a decision is allowed exactly when the policy answers allowed === true on a well-formed decision', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBoxedValues: true }),
        fc.boolean(),
        (allowed, extraRule) => {
          const policy = answering((operation, principalId) => ({
            allowed,
            rule: extraRule ? 'mine' : 'r',
            operation,
            principalId,
          }));
          const d = askPolicy(policy, alice, 'reject', { kind: 'none' });
          expect(d.allowed).toBe(allowed === true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each(GARBAGE)(
    'through the center, a policy answering %s denies approve and list instead of rejecting or allowing',
    async (_name, answer) => {
      const { center, repository } = testCenter({ accessPolicy: answering(answer) });
      // An automated submit asks no policy.
      const submitted = await must(center.submit({ request: quarantine('LAPTOP-1') }));
      const approved = await center.approve({ principal: people.globalAdmin, ids: [submitted.action.id] });
      expect(approved.ok).toBe(true);
      if (approved.ok) {
        expect(approved.value.items[0]).toMatchObject({
          ok: false,
          outcome: 'denied',
          error: {
            code: 'accessDenied',
            decision: { allowed: false, rule: 'default.policyError', reason: 'policyFailed' },
          },
        });
      }
      const listed = await center.list({ principal: people.globalAdmin });
      expect(listed.ok).toBe(false);
      if (!listed.ok)
        expect(listed.error).toMatchObject({ code: 'accessDenied', decision: { rule: 'default.policyError' } });
      const stored = await repository.get(submitted.action.id);
      expect(stored.ok && stored.value?.status).toBe('pending');
    },
  );
});

describe('askPolicy never throws, whatever it is given', () => {
  it('a principal, operation, subject or policy that cannot be read denies with policyError', () => {
    const revoked = () => {
      const r = Proxy.revocable({}, {});
      r.revoke();
      return r.proxy;
    };
    const policies = [revoked(), null, { name: 'x' }, { authorize: 1 }] as unknown as AccessPolicy[];
    for (const policy of policies)
      expect(askPolicy(policy, alice, 'view', { kind: 'none' })).toMatchObject({
        allowed: false,
        rule: 'default.policyError',
      });
    for (const principal of [revoked(), null, undefined, 42]) {
      expect(
        askPolicy(
          answering((operation, principalId) => ({ allowed: true, rule: 'r', operation, principalId })),
          principal as never,
          'view',
          { kind: 'none' },
        ).allowed,
      ).toBe(false);
    }
    expect(
      askPolicy(
        answering(() => ({ allowed: true })),
        alice,
        revoked() as never,
        revoked() as never,
      ).allowed,
    ).toBe(false);
  });
});
