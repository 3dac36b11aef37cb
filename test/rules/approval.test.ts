import { describe, it, expect, expectTypeOf } from 'vitest';
import { z } from 'zod';
import {
  ACTION_SOURCES,
  builtInCatalog,
  createApprovalPolicy,
  createCatalog,
  decideApproval,
  defineActionType,
  unwrap,
  type ActionRequest,
  type ApprovalDecision,
  type ApprovalPolicy,
  type AutomationLevel,
  type Target,
} from '../../src/index.js';
import {
  ACTION_SOURCE_IDS,
  APPROVAL_REFUSAL_REASONS,
  APPROVAL_RULES,
  AUTOMATION_LEVEL_LABELS,
  AUTOMATION_LEVELS,
  DEFAULT_APPROVAL_POLICY,
  DEFAULT_PENDING_EXPIRY_MS,
  DEFAULT_WINDOWS_FOLDERS,
  PENDING_REASONS,
  asId,
  automationLevelFor,
  classifyPath,
  normaliseWindowsPath,
  pathMatchesFolderPattern,
  pathOfTarget,
  type DeviceGroupId,
  type FolderClass,
} from '../../src/adapter-kit.js';

// Test-local types (the built-in catalogue is being completed elsewhere): an identity type, an
// email type without a file, and device types without a path.
const containUser = defineActionType({
  id: 'containUser',
  displayName: 'Contain user',
  workload: 'identity',
  targetKind: 'user',
  parameters: z.object({}),
});
const blockUrl = defineActionType({
  id: 'blockUrl',
  displayName: 'Block URL (time-of-click)',
  workload: 'email',
  targetKind: 'url',
  parameters: z.object({}),
});
const removeRegistryKey = defineActionType({
  id: 'removeRegistryKey',
  displayName: 'Remove registry key',
  workload: 'endpoint',
  targetKind: 'registryKey',
  parameters: z.object({}),
});
const disableDriver = defineActionType({
  id: 'disableDriver',
  displayName: 'Disable driver',
  workload: 'endpoint',
  targetKind: 'driver',
  parameters: z.object({}),
});
const testCatalog = unwrap(createCatalog([containUser, blockUrl, removeRegistryKey, disableDriver]));
// Built-in ids relied on: quarantineFile, isolateDevice, softDeleteEmailClusters.
const quarantineFile = builtInCatalog.require('quarantineFile');
const isolateDevice = builtInCatalog.require('isolateDevice');
const softDeleteEmailClusters = builtInCatalog.require('softDeleteEmailClusters');

const group = (name: string) => asId<DeviceGroupId>(name);
const onDevice = (deviceGroup = 'Workstations', deviceId = 'd1') => ({
  deviceId,
  deviceName: deviceId.toUpperCase(),
  deviceGroup: group(deviceGroup),
});
const fileAt = (path: string, deviceGroup = 'Workstations'): Target => ({
  kind: 'file',
  ...onDevice(deviceGroup),
  path,
  sha1: null,
  sha256: null,
});

function request(overrides: Partial<ActionRequest> = {}): ActionRequest {
  return {
    actionType: 'quarantineFile',
    target: fileAt('C:\\Users\\bob\\Downloads\\invoice.exe'),
    parameters: {},
    source: 'automatedDeviceAction',
    requestedBy: { type: 'system', component: 'automatedInvestigation' },
    investigationId: null,
    verdict: 'malicious',
    comment: null,
    propose: false,
    idempotencyKey: null,
    ...overrides,
  };
}

const policy = (config: unknown): ApprovalPolicy => unwrap(createApprovalPolicy(config));
const atLevel = (level: AutomationLevel) => policy({ defaultAutomationLevel: level });

const CORE = 'C:\\Windows\\System32\\evil.dll';
const TEMP = 'C:\\Users\\bob\\AppData\\Local\\Temp\\dropper.exe';
const OTHER = 'C:\\Users\\bob\\Downloads\\invoice.exe';

const emailRequest = (overrides: Partial<ActionRequest> = {}) =>
  request({
    actionType: 'softDeleteEmailClusters',
    target: { kind: 'emailCluster', query: 'subject:"Invoice"', messageCount: null },
    source: 'automatedEmailAction',
    ...overrides,
  });

describe('email remediation (seed 004)', () => {
  it('seed 004: "In Office 365 ATP, no remediation actions are taken automatically." — at every automation level and verdict', () => {
    for (const level of AUTOMATION_LEVELS) {
      for (const verdict of ['malicious', 'suspicious', null] as const) {
        const d = decideApproval(emailRequest({ verdict }), softDeleteEmailClusters, atLevel(level));
        expect(d.outcome).toBe('pending');
        expect(d.rule).toBe('emailNeverAutomatic');
      }
    }
  });

  it('seed 004: "Remediation actions are taken only upon approval by your organization\'s security team." — pending, not refused, so the team can approve', () => {
    const d = decideApproval(
      request({
        actionType: 'blockUrl',
        target: { kind: 'url', url: 'https://evil.example/' },
        source: 'automatedEmailAction',
      }),
      blockUrl,
      DEFAULT_APPROVAL_POLICY,
    );
    expect(d).toMatchObject({
      outcome: 'pending',
      reason: 'emailRequiresApproval',
      automationLevel: null,
      folder: null,
    });
  });

  it('a manual email action (Explorer) by a person is taken directly; the automation levels do not govern it', () => {
    const d = decideApproval(
      emailRequest({ source: 'explorerAction', requestedBy: { type: 'principal', id: asId('alice') } }),
      softDeleteEmailClusters,
      atLevel('none'),
    );
    expect(d).toMatchObject({ outcome: 'takenNow', rule: 'manualAction' });
  });
});

describe('automated device actions by automation level (automation-levels.md)', () => {
  it('"Full - remediate threats automatically": a malicious verdict is taken at once', () => {
    const d = decideApproval(request({ verdict: 'malicious' }), quarantineFile, atLevel('full'));
    expect(d).toMatchObject({ outcome: 'takenNow', rule: 'automationLevelFull', automationLevel: 'full' });
  });

  it('full: a suspicious verdict, or none, waits for approval', () => {
    for (const verdict of ['suspicious', null] as const) {
      const d = decideApproval(request({ verdict }), quarantineFile, atLevel('full'));
      expect(d).toMatchObject({ outcome: 'pending', reason: 'verdictNotMalicious', rule: 'automationLevelFull' });
    }
  });

  it('"Semi - require approval for core folders remediation": a file in \\windows\\* waits, other folders are automatic', () => {
    const p = atLevel('semiCoreFolders');
    expect(decideApproval(request({ target: fileAt(CORE) }), quarantineFile, p)).toMatchObject({
      outcome: 'pending',
      reason: 'coreFolder',
      folder: 'core',
    });
    expect(decideApproval(request({ target: fileAt(OTHER) }), quarantineFile, p)).toMatchObject({
      outcome: 'takenNow',
      folder: 'other',
    });
    expect(decideApproval(request({ target: fileAt('C:\\Windows\\Temp\\x.exe') }), quarantineFile, p)).toMatchObject({
      outcome: 'takenNow',
      folder: 'temp',
    });
  });

  it('"Semi - require approval for non-temp folders remediation": only temp folders are automatic', () => {
    const p = atLevel('semiNonTempFolders');
    expect(decideApproval(request({ target: fileAt(TEMP) }), quarantineFile, p)).toMatchObject({
      outcome: 'takenNow',
      folder: 'temp',
    });
    expect(decideApproval(request({ target: fileAt(OTHER) }), quarantineFile, p)).toMatchObject({
      outcome: 'pending',
      reason: 'notTempFolder',
    });
    expect(decideApproval(request({ target: fileAt(CORE) }), quarantineFile, p)).toMatchObject({
      outcome: 'pending',
      reason: 'notTempFolder',
    });
  });

  it('"Semi - require approval for any remediation": always pending', () => {
    for (const path of [CORE, TEMP, OTHER]) {
      expect(decideApproval(request({ target: fileAt(path) }), quarantineFile, atLevel('semiAll'))).toMatchObject({
        outcome: 'pending',
        reason: 'approvalRequiredForAll',
      });
    }
  });

  it('"No automated response": no automated action is accepted', () => {
    const d = decideApproval(request(), quarantineFile, atLevel('none'));
    expect(d).toMatchObject({ outcome: 'refused', reason: 'noAutomatedResponse', rule: 'automationLevelNone' });
  });

  it('no level is more automatic than full: a suspicious file outside core folders still waits under semiCoreFolders', () => {
    const d = decideApproval(
      request({ verdict: 'suspicious', target: fileAt(OTHER) }),
      quarantineFile,
      atLevel('semiCoreFolders'),
    );
    expect(d).toMatchObject({ outcome: 'pending', reason: 'verdictNotMalicious' });
  });

  it('targets without a path count as "other": they pass semiCoreFolders and wait under semiNonTempFolders', () => {
    const device: Target = { kind: 'device', ...onDevice() };
    const registry: Target = { kind: 'registryKey', ...onDevice(), keyPath: 'HKLM\\Software\\Run', valueName: null };
    expect(
      decideApproval(
        request({ actionType: 'isolateDevice', target: device }),
        isolateDevice,
        atLevel('semiCoreFolders'),
      ),
    ).toMatchObject({
      outcome: 'takenNow',
      folder: 'other',
    });
    expect(
      decideApproval(
        request({ actionType: 'removeRegistryKey', target: registry }),
        testCatalog.require('removeRegistryKey'),
        atLevel('semiNonTempFolders'),
      ),
    ).toMatchObject({ outcome: 'pending', reason: 'notTempFolder', folder: 'other' });
  });

  it("a driver's path is classified when known", () => {
    const driver: Target = {
      kind: 'driver',
      ...onDevice(),
      driverName: 'evil',
      path: 'C:\\Windows\\System32\\drivers\\evil.sys',
    };
    expect(
      decideApproval(
        request({ actionType: 'disableDriver', target: driver }),
        disableDriver,
        atLevel('semiCoreFolders'),
      ),
    ).toMatchObject({
      outcome: 'pending',
      reason: 'coreFolder',
    });
  });

  it("the level is that of the target's device group; groups not listed use the default level", () => {
    const p = policy({ automationLevels: { Servers: 'semiAll', Kiosks: 'none' }, defaultAutomationLevel: 'full' });
    expect(decideApproval(request({ target: fileAt(OTHER, 'Servers') }), quarantineFile, p)).toMatchObject({
      outcome: 'pending',
      automationLevel: 'semiAll',
    });
    expect(decideApproval(request({ target: fileAt(OTHER, 'Kiosks') }), quarantineFile, p).outcome).toBe('refused');
    expect(decideApproval(request({ target: fileAt(OTHER, 'Laptops') }), quarantineFile, p)).toMatchObject({
      outcome: 'takenNow',
      automationLevel: 'full',
    });
  });

  it('a device group named like an Object.prototype member uses the default level', () => {
    const p = policy({ defaultAutomationLevel: 'semiAll' });
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      expect(automationLevelFor(p, name)).toBe('semiAll');
    }
    expect(automationLevelFor(p, null)).toBe('semiAll');
  });
});

describe('other sources', () => {
  it('antivirus remediation is taken at once at the default level (seed 002: "Remediation actions that were taken by your antivirus protection")', () => {
    const d = decideApproval(request({ source: 'antivirus', verdict: null }), quarantineFile, atLevel('full'));
    expect(d).toMatchObject({ outcome: 'takenNow', rule: 'antivirusRemediates', automationLevel: 'full' });
  });

  it('seed 000: pending actions "can arise from antivirus/antimalware protection": antivirus follows the device group\'s automation level', () => {
    const av = (path: string, level: AutomationLevel, verdict: ActionRequest['verdict'] = null) =>
      decideApproval(request({ source: 'antivirus', verdict, target: fileAt(path) }), quarantineFile, atLevel(level))
        .outcome;
    expect(av(OTHER, 'semiAll')).toBe('pending');
    expect(av(CORE, 'semiCoreFolders')).toBe('pending');
    expect(av(OTHER, 'semiCoreFolders')).toBe('takenNow');
    expect(av(OTHER, 'semiNonTempFolders')).toBe('pending');
    expect(av(TEMP, 'semiNonTempFolders')).toBe('takenNow');
    expect(av(OTHER, 'none')).toBe('refused');
    // A detection is a conviction unless it says suspicious.
    expect(av(OTHER, 'full', 'suspicious')).toBe('pending');
    expect(av(OTHER, 'full', 'malicious')).toBe('takenNow');
  });

  it('automated identity remediation waits for approval', () => {
    const user: Target = { kind: 'user', userId: 'u1', userPrincipalName: 'bob@contoso.com' };
    const d = decideApproval(
      request({ actionType: 'containUser', target: user, source: 'automatedDeviceAction' }),
      containUser,
      DEFAULT_APPROVAL_POLICY,
    );
    expect(d).toMatchObject({ outcome: 'pending', reason: 'identityRequiresApproval', rule: 'identityNeedsApproval' });
  });

  it("manual actions are taken directly, even where automation is off (authorization is the engine's separate check)", () => {
    const manual = ACTION_SOURCE_IDS.filter((s) => !ACTION_SOURCES[s].automated);
    expect(manual.length).toBeGreaterThan(0);
    for (const source of manual) {
      const d = decideApproval(
        request({ source, requestedBy: { type: 'principal', id: asId('alice') }, verdict: null }),
        quarantineFile,
        atLevel('none'),
      );
      expect(d).toMatchObject({ outcome: 'takenNow', rule: 'manualAction' });
    }
  });

  it('a principal may propose instead: the action starts pending for someone else to approve (Explorer two-step)', () => {
    const d = decideApproval(
      emailRequest({ source: 'explorerAction', propose: true, requestedBy: { type: 'principal', id: asId('alice') } }),
      softDeleteEmailClusters,
      DEFAULT_APPROVAL_POLICY,
    );
    expect(d).toMatchObject({ outcome: 'pending', reason: 'proposed', rule: 'proposal' });
  });

  it('a proposal never runs at once, and a refusal stays a refusal', () => {
    expect(decideApproval(request({ propose: true }), quarantineFile, atLevel('full'))).toMatchObject({
      outcome: 'pending',
      reason: 'proposed',
      automationLevel: 'full',
    });
    expect(decideApproval(request({ propose: true }), quarantineFile, atLevel('none')).outcome).toBe('refused');
  });

  it('a request for another type than the one given is refused, not decided', () => {
    const d = decideApproval(request({ actionType: 'isolateDevice' }), quarantineFile, DEFAULT_APPROVAL_POLICY);
    expect(d).toMatchObject({ outcome: 'refused', reason: 'actionTypeMismatch', rule: 'inconsistentInput' });
  });

  it('decisions name a rule and a reason from the closed sets, with a message', () => {
    const d: ApprovalDecision = decideApproval(
      request({ verdict: 'suspicious' }),
      quarantineFile,
      DEFAULT_APPROVAL_POLICY,
    );
    expect(APPROVAL_RULES).toContain(d.rule);
    if (d.outcome === 'pending') expect(PENDING_REASONS).toContain(d.reason);
    if (d.outcome === 'refused') expect(APPROVAL_REFUSAL_REASONS).toContain(d.reason);
    expect(d.message.length).toBeGreaterThan(0);
  });
});

describe('folder classification', () => {
  it.each<[string, FolderClass]>([
    ['C:\\Windows\\System32\\drivers\\evil.sys', 'core'],
    ['c:/windows/system32/evil.dll', 'core'],
    ['C:\\WINDOWS\\explorer.exe', 'core'],
    ['\\\\?\\C:\\Windows\\System32\\x.dll', 'core'],
    ['C:\\Windows\\Temp\\dropper.exe', 'temp'],
    ['C:\\Users\\Bob\\AppData\\Local\\Temp\\x.exe', 'temp'],
    ['D:\\Temp\\x.exe', 'temp'],
    ['C:\\tmp\\x.exe', 'temp'],
    ['C:\\Users\\Bob\\Downloads\\x.exe', 'other'],
    ['C:\\Program Files\\App\\app.exe', 'other'],
    ['C:\\WindowsApps\\x.exe', 'other'],
    ['C:\\Windows', 'other'],
    ['\\\\fileserver\\share\\windows\\x.exe', 'unknown'],
    ['C:\\Users\\a\\b\\AppData\\Local\\Temp\\x.exe', 'other'],
  ])('%s is %s', (path, expected) => {
    expect(classifyPath(path, DEFAULT_WINDOWS_FOLDERS)).toBe(expected);
  });

  it('".." and trailing dots cannot disguise a core file as a temp file', () => {
    expect(classifyPath('C:\\Windows\\Temp\\..\\System32\\evil.dll', DEFAULT_WINDOWS_FOLDERS)).toBe('core');
    expect(classifyPath('C:\\Windows.\\System32\\evil.dll', DEFAULT_WINDOWS_FOLDERS)).toBe('core');
    expect(classifyPath('C:\\..\\..\\Windows\\evil.dll', DEFAULT_WINDOWS_FOLDERS)).toBe('core');
  });

  it('normalises slashes, case, drive letters, device prefixes and dot segments', () => {
    expect(normaliseWindowsPath('C:/Windows/Temp/../System32/Evil.DLL')).toBe('\\windows\\system32\\evil.dll');
    expect(normaliseWindowsPath('\\\\?\\D:\\A\\.\\B\\\\c')).toBe('\\a\\b\\c');
    expect(normaliseWindowsPath('\\\\?\\UNC\\server\\share\\x')).toBe('\\\\server\\share\\x');
    expect(normaliseWindowsPath('')).toBe('\\');
  });

  it('classification is replaceable data: a user may add Program Files as core', () => {
    const p = policy({ folders: { coreFolders: ['\\windows\\*', '\\program files\\*'], tempFolders: [] } });
    expect(classifyPath('C:\\Program Files\\App\\app.exe', p.folders)).toBe('core');
    expect(
      decideApproval(request({ target: fileAt('C:\\Program Files\\App\\app.exe') }), quarantineFile, {
        ...p,
        defaultAutomationLevel: 'semiCoreFolders',
      }).outcome,
    ).toBe('pending');
  });

  it('"*" within a name matches inside one name only; a last "*" segment matches any depth', () => {
    expect(pathMatchesFolderPattern('C:\\Windows\\SysWOW64\\x.dll', '\\windows\\sys*\\*')).toBe(true);
    expect(pathMatchesFolderPattern('C:\\Windows\\SysWOW64\\a\\b\\x.dll', '\\windows\\sys*\\*')).toBe(true);
    expect(pathMatchesFolderPattern('C:\\Windows\\Fonts\\x.ttf', '\\windows\\sys*\\*')).toBe(false);
    expect(pathMatchesFolderPattern('C:\\x.exe', '\\*.exe')).toBe(true);
    expect(pathMatchesFolderPattern('C:\\dir\\x.exe', '\\*.exe')).toBe(false);
  });

  it('a hostile pattern with many stars is answered without catastrophic backtracking', () => {
    const pattern = `\\${'*a'.repeat(50)}b`;
    expect(pathMatchesFolderPattern(`C:\\${'a'.repeat(1000)}`, pattern)).toBe(false);
  });

  it('only files and drivers have a path', () => {
    expect(pathOfTarget(fileAt(CORE))).toBe(CORE);
    expect(pathOfTarget({ kind: 'driver', ...onDevice(), driverName: 'x', path: null })).toBeNull();
    expect(pathOfTarget({ kind: 'device', ...onDevice() })).toBeNull();
  });
});

describe('createApprovalPolicy', () => {
  it('fills the defaults: full automation, default Windows folders, 7-day expiry', () => {
    const p = unwrap(createApprovalPolicy());
    expect(p.defaultAutomationLevel).toBe('full');
    expect(p.automationLevels).toEqual({});
    expect(p.folders).toEqual(DEFAULT_WINDOWS_FOLDERS);
    expect(p.pendingExpiryMs).toBe(7 * 24 * 60 * 60 * 1000);
    expect(DEFAULT_PENDING_EXPIRY_MS).toBe(p.pendingExpiryMs);
    expect(DEFAULT_APPROVAL_POLICY).toEqual(p);
  });

  it('accepts an already created policy as its own configuration', () => {
    const p = policy({ automationLevels: { Servers: 'semiAll' }, pendingExpiryMs: 1000 });
    expect(unwrap(createApprovalPolicy(p))).toEqual(p);
  });

  it.each<[unknown, string]>([
    [{ defaultAutomationLevel: 'semi' }, 'defaultAutomationLevel'],
    [{ automationLevels: { Servers: 'sometimes' } }, 'automationLevels'],
    [{ pendingExpiryMs: 0 }, 'pendingExpiryMs'],
    [{ pendingExpiryMs: 1.5 }, 'pendingExpiryMs'],
    [{ folders: { coreFolders: [''], tempFolders: [] } }, 'folders'],
    [{ folders: { coreFolders: ['\\windows\\*'] } }, 'folders'],
    [{ surprise: true }, ''],
  ])('refuses %j with an invalidInput error naming %s', (input, path) => {
    const r = createApprovalPolicy(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalidInput');
      expect(r.error.issues.some((i) => (path === '' ? true : i.path[0] === path))).toBe(true);
    }
  });

  it('never throws for input of the wrong kind', () => {
    for (const input of [
      null,
      42,
      'full',
      [],
      () => 1,
      JSON.parse('{"__proto__": {"defaultAutomationLevel": "none"}}'),
    ]) {
      expect(() => createApprovalPolicy(input)).not.toThrow();
    }
    expect(createApprovalPolicy(null).ok).toBe(false);
  });

  it('the created policy is frozen and detached from its input', () => {
    const input = { automationLevels: { Servers: 'semiAll' as const } };
    const p = policy(input);
    input.automationLevels.Servers = 'none' as never;
    expect(p.automationLevels.Servers).toBe('semiAll');
    expect(Object.isFrozen(p) && Object.isFrozen(p.automationLevels) && Object.isFrozen(p.folders.coreFolders)).toBe(
      true,
    );
  });

  it("labels every level with Defender's words", () => {
    expect(AUTOMATION_LEVEL_LABELS.semiCoreFolders).toBe('Semi - require approval for core folders remediation');
    expect(Object.keys(AUTOMATION_LEVEL_LABELS)).toEqual([...AUTOMATION_LEVELS]);
  });
});

describe('types', () => {
  it('the closed sets are literal unions', () => {
    expectTypeOf<AutomationLevel>().toEqualTypeOf<
      'full' | 'semiCoreFolders' | 'semiNonTempFolders' | 'semiAll' | 'none'
    >();
    expectTypeOf<FolderClass>().toEqualTypeOf<'core' | 'temp' | 'other' | 'unknown'>();
    expectTypeOf<Extract<ApprovalDecision, { outcome: 'takenNow' }>>().not.toHaveProperty('reason');
    // @ts-expect-error 'sometimes' is not an automation level
    const bad: AutomationLevel = 'sometimes';
    expect(bad).toBe('sometimes');
  });
});
