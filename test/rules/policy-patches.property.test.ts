/**
 * Issue 13, item 3: policy edits answer the new policy with immer patches, so that a policy change
 * can be audited, shown as a diff, replayed and undone; applyPolicyPatches replays them and refuses
 * anything that is not a patch of an approval policy.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyPolicyPatches,
  clearAutomationLevel,
  createApprovalPolicy,
  setAutomationLevel,
  type ApprovalPolicy,
  type PolicyEdit,
} from '../../src/index.js';
import { AUTOMATION_LEVELS, DEFAULT_APPROVAL_POLICY } from '../../src/adapter-kit.js';
import { hostile, materialize, revokedProxy, throwingGetters, trapProxy } from '../support/hostile.js';

const GROUPS = ['Servers', 'Workstations', 'Kiosks', 'constructor', 'toString', 'prototype', 'Serveurs é'] as const;
const levelArb = fc.constantFrom(...AUTOMATION_LEVELS);
const groupArb = fc.constantFrom(...GROUPS);

const policyArb: fc.Arbitrary<ApprovalPolicy> = fc
  .record({
    automationLevels: fc.dictionary(groupArb, levelArb, { maxKeys: 4 }),
    defaultAutomationLevel: levelArb,
    pendingExpiryMs: fc.integer({ min: 1, max: 366 * 86_400_000 }),
  })
  .map((config) => {
    const r = createApprovalPolicy(config);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });

type EditStep =
  | { readonly kind: 'set'; readonly group: string; readonly level: string }
  | { readonly kind: 'clear'; readonly group: string };
const stepArb: fc.Arbitrary<EditStep> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), group: groupArb, level: levelArb }),
  fc.record({ kind: fc.constant('clear' as const), group: groupArb }),
);

function run(policy: ApprovalPolicy, step: EditStep): PolicyEdit<ApprovalPolicy> {
  const r =
    step.kind === 'set' ? setAutomationLevel(policy, step.group, step.level) : clearAutomationLevel(policy, step.group);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function applied(policy: ApprovalPolicy, patches: unknown): ApprovalPolicy {
  const r = applyPolicyPatches(policy, patches);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Plain data, for comparing policies by value (own keys only). */
const data = (policy: ApprovalPolicy): unknown => JSON.parse(JSON.stringify(policy));

function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deeplyFrozen);
}

describe('policy edits answer patches (issue 13, item 3)', () => {
  it('setAutomationLevel and clearAutomationLevel answer what their TSDoc examples say', () => {
    const set = setAutomationLevel(DEFAULT_APPROVAL_POLICY, 'Servers', 'semiAll');
    expect(set.ok && set.value.patches).toEqual([
      { op: 'add', path: ['automationLevels', 'Servers'], value: 'semiAll' },
    ]);
    expect(set.ok && set.value.inversePatches).toEqual([{ op: 'remove', path: ['automationLevels', 'Servers'] }]);
    const none = createApprovalPolicy({ automationLevels: { Servers: 'none' } });
    if (!none.ok) throw new Error(none.error.message);
    const cleared = clearAutomationLevel(none.value, 'Servers');
    expect(cleared.ok && cleared.value.policy.automationLevels).toEqual({});
    expect(cleared.ok && cleared.value.inversePatches).toEqual([
      { op: 'add', path: ['automationLevels', 'Servers'], value: 'none' },
    ]);
  });

  it('clearing a group without a level of its own changes nothing and answers no patches', () => {
    const r = clearAutomationLevel(DEFAULT_APPROVAL_POLICY, 'constructor');
    expect(r.ok && r.value.patches).toEqual([]);
    expect(r.ok && data(r.value.policy)).toEqual(data(DEFAULT_APPROVAL_POLICY));
  });

  it('regression, clearAutomationLevel took its device group unchecked: a name that is not one is invalidInput', () => {
    for (const bad of ['', '__proto__', 'a\u0000b', 'x'.repeat(201), 42, null, undefined, {}]) {
      expect(clearAutomationLevel(DEFAULT_APPROVAL_POLICY, bad)).toMatchObject({
        ok: false,
        error: { code: 'invalidInput' },
      });
    }
  });

  it("property: replaying an edit's patches on the policy before gives its policy; its inverse patches give the policy before back", () => {
    fc.assert(
      fc.property(policyArb, stepArb, (before, step) => {
        const snapshot = data(before);
        const edit = run(before, step);
        expect(data(applied(before, edit.patches))).toEqual(data(edit.policy));
        expect(data(applied(edit.policy, edit.inversePatches))).toEqual(snapshot);
        // Neither the policy given nor the one answered is ever mutated: both are frozen through.
        expect(data(before)).toEqual(snapshot);
        expect(deeplyFrozen(before) && deeplyFrozen(edit.policy) && deeplyFrozen(edit.patches)).toBe(true);
      }),
    );
  }, 60_000);

  it('property: the patches of a sequence of edits, replayed in order, give the last policy; the inverses in reverse order give the first', () => {
    fc.assert(
      fc.property(policyArb, fc.array(stepArb, { maxLength: 8 }), (first, steps) => {
        const edits: PolicyEdit<ApprovalPolicy>[] = [];
        let current = first;
        for (const step of steps) {
          const edit = run(current, step);
          edits.push(edit);
          current = edit.policy;
        }
        expect(
          data(
            applied(
              first,
              edits.flatMap((e) => e.patches),
            ),
          ),
        ).toEqual(data(current));
        const undo = [...edits].reverse().flatMap((e) => e.inversePatches);
        expect(data(applied(current, undo))).toEqual(data(first));
      }),
    );
  }, 60_000);

  it('property: patches are plain JSON: they survive JSON.stringify/parse unchanged and replay the same', () => {
    fc.assert(
      fc.property(policyArb, stepArb, (before, step) => {
        const edit = run(before, step);
        const stored = JSON.parse(JSON.stringify({ p: edit.patches, i: edit.inversePatches })) as {
          p: unknown;
          i: unknown;
        };
        expect(stored.p).toEqual(edit.patches);
        expect(stored.i).toEqual(edit.inversePatches);
        expect(data(applied(before, stored.p))).toEqual(data(edit.policy));
        expect(data(applied(edit.policy, stored.i))).toEqual(data(before));
      }),
    );
  }, 60_000);

  it('patches that touch other fields replay too (a UI editing folders or the expiry with its own immer patches)', () => {
    const r = applyPolicyPatches(DEFAULT_APPROVAL_POLICY, [
      { op: 'replace', path: ['pendingExpiryMs'], value: 86_400_000 },
      { op: 'add', path: ['folders', 'coreFolders', 1], value: '\\program files\\*' },
      { op: 'replace', path: ['defaultAutomationLevel'], value: 'semiAll' },
    ]);
    expect(r.ok && r.value.pendingExpiryMs).toBe(86_400_000);
    expect(r.ok && r.value.folders.coreFolders).toEqual(['\\windows\\*', '\\program files\\*']);
    expect(r.ok && r.value.defaultAutomationLevel).toBe('semiAll');
  });
});

describe('applyPolicyPatches refuses what is not a patch of an approval policy, and changes nothing', () => {
  const HOSTILE_PATCHES: [string, () => unknown][] = [
    ['a __proto__ segment first', () => [{ op: 'replace', path: ['__proto__', 'polluted'], value: 'yes' }]],
    ['a __proto__ device group', () => [{ op: 'add', path: ['automationLevels', '__proto__'], value: 'none' }]],
    ['constructor.prototype', () => [{ op: 'add', path: ['constructor', 'prototype', 'polluted'], value: 'yes' }]],
    [
      'a walk through a device group',
      () => [{ op: 'add', path: ['automationLevels', 'constructor', 'prototype'], value: 1 }],
    ],
    ['a prototype key under folders', () => [{ op: 'add', path: ['folders', 'prototype'], value: [] }]],
    [
      'a __proto__ key in a value',
      () => [JSON.parse('{"op":"replace","path":["automationLevels"],"value":{"__proto__":{"polluted":"yes"}}}')],
    ],
    ['an unknown field', () => [{ op: 'add', path: ['extra'], value: 1 }]],
    ['the whole policy', () => [{ op: 'replace', path: [], value: {} }]],
    ['a path too deep', () => [{ op: 'replace', path: ['folders', 'coreFolders', 0, 'x'], value: 'y' }]],
    ['a move', () => [{ op: 'move', from: ['defaultAutomationLevel'], path: ['pendingExpiryMs'] }]],
    ['an op in capitals', () => [{ op: 'REPLACE', path: ['defaultAutomationLevel'], value: 'none' }]],
    ['a replace without a value', () => [{ op: 'replace', path: ['defaultAutomationLevel'] }]],
    ['an extra key', () => [{ op: 'remove', path: ['automationLevels', 'X'], why: 'because' }]],
    ['a level that is not one', () => [{ op: 'replace', path: ['defaultAutomationLevel'], value: 'sometimes' }]],
    ['a result that is not a policy', () => [{ op: 'replace', path: ['pendingExpiryMs'], value: 0 }]],
    ['an index past the end', () => [{ op: 'replace', path: ['folders', 'tempFolders', 99], value: '\\x\\*' }]],
    [
      '1,001 patches',
      () => Array.from({ length: 1001 }, () => ({ op: 'replace', path: ['defaultAutomationLevel'], value: 'none' })),
    ],
    ['not a list', () => ({ op: 'replace', path: ['defaultAutomationLevel'], value: 'none' })],
    ['a revoked Proxy', revokedProxy],
    ['a list holding a revoked Proxy', () => [revokedProxy()]],
    ['a patch with throwing getters', () => [throwingGetters(['op', 'path', 'value'])]],
    ['a Proxy whose traps throw', trapProxy],
    [
      'a getter path',
      () => [Object.defineProperty({ op: 'remove' }, 'path', { enumerable: true, get: () => ['pendingExpiryMs'] })],
    ],
  ];

  it.each(HOSTILE_PATCHES)('%s: invalidInput; the policy and Object.prototype are untouched', (_name, make) => {
    const policy = DEFAULT_APPROVAL_POLICY;
    const snapshot = data(policy);
    const r = applyPolicyPatches(policy, make());
    expect(r).toMatchObject({ ok: false, error: { code: 'invalidInput' } });
    expect(data(policy)).toEqual(snapshot);
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });

  it('an unreadable policy is invalidInput, never a throw', () => {
    for (const policy of [revokedProxy(), trapProxy(), throwingGetters(['automationLevels']), null]) {
      expect(applyPolicyPatches(policy as never, [])).toMatchObject({ ok: false, error: { code: 'invalidInput' } });
      expect(setAutomationLevel(policy as never, 'Servers', 'full')).toMatchObject({ ok: false });
      expect(clearAutomationLevel(policy as never, 'Servers')).toMatchObject({ ok: false });
    }
  });

  it('property: whatever it is given, it never throws; what it accepts is a valid policy', () => {
    fc.assert(
      fc.property(hostile, (recipe) => {
        let r: ReturnType<typeof applyPolicyPatches> | undefined;
        try {
          r = applyPolicyPatches(DEFAULT_APPROVAL_POLICY, materialize(recipe));
        } catch (cause) {
          expect.fail(`applyPolicyPatches threw: ${String(cause)}`);
        }
        if (r?.ok) expect(createApprovalPolicy(r.value).ok).toBe(true);
        else expect(r?.error.code).toBe('invalidInput');
        expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
      }),
    );
  }, 120_000);

  it('enablePatches runs inside the edits, not when the module loads (the package declares no side effects)', () => {
    const source = readFileSync(new URL('../../src/rules/approval/edits.ts', import.meta.url), 'utf8');
    const calls = source.split('\n').filter((line) => line.includes('enablePatches()'));
    expect(calls.length).toBeGreaterThan(0);
    for (const line of calls) expect(line.startsWith(' ')).toBe(true);
  });
});
