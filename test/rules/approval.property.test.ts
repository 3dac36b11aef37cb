import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import {
  ACTION_SOURCES,
  createApprovalPolicy,
  decideApproval,
  defineActionType,
  unwrap,
  type ActionRequest,
  type ActionSourceId,
  type ApprovalPolicy,
  type AutomationLevel,
  type Target,
  type Workload,
} from '../../src/index.js';
import {
  ACTION_SOURCE_IDS,
  APPROVAL_REFUSAL_REASONS,
  APPROVAL_RULES,
  AUTOMATION_LEVELS,
  DEFAULT_WINDOWS_FOLDERS,
  PENDING_REASONS,
  asId,
  classifyPath,
  pathOfTarget,
  type DeviceGroupId,
} from '../../src/adapter-kit.js';

// Test-local types, one per workload, so the properties do not depend on the built-in catalogue.
const types = {
  endpoint: defineActionType({
    id: 'quarantineFile',
    displayName: 'Quarantine file',
    workload: 'endpoint',
    targetKind: 'file',
    parameters: z.object({}),
  }),
  email: defineActionType({
    id: 'softDeleteEmail',
    displayName: 'Soft delete email',
    workload: 'email',
    targetKind: 'emailMessage',
    parameters: z.object({}),
  }),
  identity: defineActionType({
    id: 'containUser',
    displayName: 'Contain user',
    workload: 'identity',
    targetKind: 'user',
    parameters: z.object({}),
  }),
} as const;

const automatedSources = ACTION_SOURCE_IDS.filter((s) => ACTION_SOURCES[s].automated);
const manualSources = ACTION_SOURCE_IDS.filter((s) => !ACTION_SOURCES[s].automated);

const groups = ['Workstations', 'Servers', 'Kiosks', 'constructor'];
const samplePaths = [
  'C:\\Windows\\System32\\evil.dll',
  'C:\\Windows\\Temp\\x.exe',
  'c:/users/bob/appdata/local/temp/x.exe',
  'C:\\Users\\bob\\Downloads\\x.exe',
  'D:\\Temp\\y.exe',
  'C:\\Program Files\\app.exe',
  '\\\\server\\share\\x.exe',
];
const pathArb = fc.oneof(fc.constantFrom(...samplePaths), fc.string({ minLength: 1, maxLength: 40 }));
const levelArb = fc.constantFrom(...AUTOMATION_LEVELS);
const verdictArb = fc.constantFrom('malicious' as const, 'suspicious' as const, null);

const policyArb: fc.Arbitrary<ApprovalPolicy> = fc
  .record({
    automationLevels: fc.dictionary(fc.constantFrom(...groups), levelArb),
    defaultAutomationLevel: levelArb,
  })
  .map((config) => unwrap(createApprovalPolicy(config)));

function targetFor(workload: Workload, deviceGroup: string, path: string): Target {
  switch (workload) {
    case 'endpoint':
      return {
        kind: 'file',
        deviceId: 'd1',
        deviceName: 'PC-1',
        deviceGroup: asId<DeviceGroupId>(deviceGroup),
        path,
        sha1: null,
        sha256: null,
      };
    case 'email':
      return { kind: 'emailMessage', mailbox: 'bob@contoso.com', networkMessageId: 'm1', subject: null };
    case 'identity':
      return { kind: 'user', userId: 'u1', userPrincipalName: 'bob@contoso.com' };
  }
}

const requestArb = (workloads: readonly Workload[], sources: readonly ActionSourceId[]) =>
  fc
    .record({
      workload: fc.constantFrom(...workloads),
      source: fc.constantFrom(...sources),
      group: fc.constantFrom(...groups),
      path: pathArb,
      verdict: verdictArb,
      propose: fc.boolean(),
    })
    .map(({ workload, source, group, path, verdict, propose }) => {
      const request: ActionRequest = {
        actionType: types[workload].id,
        target: targetFor(workload, group, path),
        parameters: {},
        source,
        requestedBy: ACTION_SOURCES[source].automated
          ? { type: 'system', component: 'automation' }
          : { type: 'principal', id: asId('alice') },
        investigationId: null,
        verdict,
        comment: null,
        propose,
        idempotencyKey: null,
      };
      return { request, type: types[workload] };
    });

const withLevel = (p: ApprovalPolicy, level: AutomationLevel): ApprovalPolicy => ({
  ...p,
  automationLevels: {},
  defaultAutomationLevel: level,
});

describe('approval policy properties', () => {
  it('seed 004: email actions from automated sources are never taken now, whatever the level, verdict or proposal', () => {
    fc.assert(
      fc.property(requestArb(['email'], automatedSources), policyArb, ({ request, type }, policy) => {
        expect(decideApproval(request, type, policy).outcome).toBe('pending');
      }),
    );
  });

  it('semiAll: automated device actions are never taken now', () => {
    fc.assert(
      fc.property(requestArb(['endpoint'], ['automatedDeviceAction']), policyArb, ({ request, type }, policy) => {
        expect(decideApproval(request, type, withLevel(policy, 'semiAll')).outcome).toBe('pending');
      }),
    );
  });

  it('none: automated device actions are always refused', () => {
    fc.assert(
      fc.property(requestArb(['endpoint'], ['automatedDeviceAction']), policyArb, ({ request, type }, policy) => {
        const d = decideApproval(request, type, withLevel(policy, 'none'));
        expect(d).toMatchObject({ outcome: 'refused', reason: 'noAutomatedResponse' });
      }),
    );
  });

  it('no level is more automatic than full: taken now at any level implies taken now at full', () => {
    fc.assert(
      fc.property(
        requestArb(['endpoint'], ['automatedDeviceAction']),
        levelArb,
        policyArb,
        ({ request, type }, level, policy) => {
          if (decideApproval(request, type, withLevel(policy, level)).outcome === 'takenNow') {
            expect(decideApproval(request, type, withLevel(policy, 'full')).outcome).toBe('takenNow');
          }
        },
      ),
    );
  });

  it('automated device actions are taken now only for a malicious verdict, and only where the folder rules allow', () => {
    fc.assert(
      fc.property(
        requestArb(['endpoint'], ['automatedDeviceAction']),
        levelArb,
        policyArb,
        ({ request, type }, level, policy) => {
          const d = decideApproval(request, type, withLevel(policy, level));
          const path = pathOfTarget(request.target);
          const folder = path === null ? 'other' : classifyPath(path, policy.folders);
          const expected =
            level === 'none'
              ? 'refused'
              : request.propose ||
                  request.verdict !== 'malicious' ||
                  level === 'semiAll' ||
                  (level === 'semiCoreFolders' && (folder === 'core' || folder === 'unknown')) ||
                  (level === 'semiNonTempFolders' && folder !== 'temp')
                ? 'pending'
                : 'takenNow';
          expect(d.outcome).toBe(expected);
        },
      ),
    );
  });

  it('a proposal is never taken now; manual sources are taken now exactly when not proposed', () => {
    fc.assert(
      fc.property(
        requestArb(['endpoint', 'email', 'identity'], ACTION_SOURCE_IDS),
        policyArb,
        ({ request, type }, policy) => {
          const d = decideApproval(request, type, policy);
          if (request.propose) expect(d.outcome).not.toBe('takenNow');
          if (manualSources.includes(request.source)) expect(d.outcome).toBe(request.propose ? 'pending' : 'takenNow');
        },
      ),
    );
  });

  it('every decision names a known rule and reason, carries a message, and does not mutate its inputs', () => {
    fc.assert(
      fc.property(
        requestArb(['endpoint', 'email', 'identity'], ACTION_SOURCE_IDS),
        policyArb,
        ({ request, type }, policy) => {
          const before = structuredClone(request);
          const d = decideApproval(request, type, policy);
          expect(APPROVAL_RULES).toContain(d.rule);
          if (d.outcome === 'pending') expect(PENDING_REASONS).toContain(d.reason);
          if (d.outcome === 'refused') expect(APPROVAL_REFUSAL_REASONS).toContain(d.reason);
          expect(d.message.length).toBeGreaterThan(0);
          expect(request).toEqual(before);
        },
      ),
    );
  });

  it('folder classification ignores case, slash direction and the drive letter', () => {
    fc.assert(
      fc.property(pathArb, fc.constantFrom('', 'C:', 'd:', 'Z:'), (path, drive) => {
        const base = classifyPath(path, DEFAULT_WINDOWS_FOLDERS);
        expect(classifyPath(path.toUpperCase(), DEFAULT_WINDOWS_FOLDERS)).toBe(base);
        expect(classifyPath(path.replace(/\\/g, '/'), DEFAULT_WINDOWS_FOLDERS)).toBe(base);
        const rooted = path.replace(/^[a-zA-Z]:/, '');
        if (rooted.startsWith('\\') && !rooted.startsWith('\\\\')) {
          expect(classifyPath(drive + rooted, DEFAULT_WINDOWS_FOLDERS)).toBe(
            classifyPath(rooted, DEFAULT_WINDOWS_FOLDERS),
          );
        }
      }),
    );
  });

  it('temp wins over core: every file below \\windows\\temp is temp', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 5 }), (segments) => {
        expect(classifyPath(`C:\\Windows\\Temp\\${segments.join('\\')}`, DEFAULT_WINDOWS_FOLDERS)).toBe('temp');
        expect(classifyPath(`C:\\Windows\\System32\\${segments.join('\\')}`, DEFAULT_WINDOWS_FOLDERS)).toBe('core');
      }),
    );
  });

  it('createApprovalPolicy never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(() => createApprovalPolicy(input)).not.toThrow();
      }),
    );
  });
});
