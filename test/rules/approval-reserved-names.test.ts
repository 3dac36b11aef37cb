// Issue 12, item 5: an automation level set for a device group named "__proto__" was dropped while
// the edit reported success, so automated actions there were taken at once (failing open). Such a
// level is now refused with a typed error, and nothing else about the policy changes.
import { describe, expect, test } from 'vitest';
import { createApprovalPolicy, setAutomationLevel } from '../../src/index.js';
import { DEFAULT_APPROVAL_POLICY, automationLevelFor } from '../../src/adapter-kit.js';

describe('a device group named "__proto__"', () => {
  test('setAutomationLevel refuses it with invalidInput naming the reason, and the policy is unchanged', () => {
    const r = setAutomationLevel(DEFAULT_APPROVAL_POLICY, '__proto__', 'semiAll');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalidInput');
      expect(r.error.message).toContain('reserved');
    }
    expect(automationLevelFor(DEFAULT_APPROVAL_POLICY, '__proto__')).toBe('full');
  });

  test('createApprovalPolicy refuses it when the configuration comes from JSON (an own "__proto__" key)', () => {
    const config = JSON.parse('{"automationLevels":{"__proto__":"semiAll","Servers":"none"}}') as unknown;
    const r = createApprovalPolicy(config);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(JSON.stringify(r.error.issues)).toContain('__proto__');
  });

  test('other names that look special ("constructor", "toString") are kept as ordinary device groups', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const r = setAutomationLevel(DEFAULT_APPROVAL_POLICY, name, 'semiAll');
      expect(r.ok).toBe(true);
      if (r.ok) expect(automationLevelFor(r.value.policy, name)).toBe('semiAll');
      expect(automationLevelFor(DEFAULT_APPROVAL_POLICY, name)).toBe('full');
    }
  });
});
