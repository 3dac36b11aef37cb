import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearAutomationLevel, createApprovalPolicy, setAutomationLevel } from '../../src/index.js';
import { AUTOMATION_LEVELS, DEFAULT_APPROVAL_POLICY, automationLevelFor } from '../../src/adapter-kit.js';

describe('editing an approval policy', () => {
  it('sets one device group and leaves the given policy untouched', () => {
    const r = setAutomationLevel(DEFAULT_APPROVAL_POLICY, 'Servers', 'semiAll');
    expect(r.ok && automationLevelFor(r.value.policy, 'Servers')).toBe('semiAll');
    expect(automationLevelFor(DEFAULT_APPROVAL_POLICY, 'Servers')).toBe('full');
    expect(DEFAULT_APPROVAL_POLICY.automationLevels).toEqual({});
  });

  it('refuses an unknown level or a bad group name with invalidInput', () => {
    const bad = setAutomationLevel(DEFAULT_APPROVAL_POLICY, 'Servers', 'sometimes');
    expect(!bad.ok && bad.error.code).toBe('invalidInput');
    const badGroup = setAutomationLevel(DEFAULT_APPROVAL_POLICY, '', 'full');
    expect(!badGroup.ok && badGroup.error.code).toBe('invalidInput');
  });

  it('property: set then clear gives back the default level; other groups never change', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...AUTOMATION_LEVELS),
        fc.constantFrom(...AUTOMATION_LEVELS),
        fc.constantFrom('Servers', 'Workstations', 'constructor'),
        (other, level, group) => {
          const base = createApprovalPolicy({ automationLevels: { Kiosks: other } });
          if (!base.ok) throw new Error(base.error.message);
          const set = setAutomationLevel(base.value, group, level);
          if (!set.ok) throw new Error(set.error.message);
          expect(automationLevelFor(set.value.policy, group)).toBe(level);
          expect(automationLevelFor(set.value.policy, 'Kiosks')).toBe(other);
          const cleared = clearAutomationLevel(set.value.policy, group);
          if (!cleared.ok) throw new Error(cleared.error.message);
          expect(automationLevelFor(cleared.value.policy, group)).toBe(base.value.defaultAutomationLevel);
          expect(Object.isFrozen(cleared.value.policy.automationLevels)).toBe(true);
        },
      ),
    );
  });
});
