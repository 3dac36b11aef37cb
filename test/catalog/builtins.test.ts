import { describe, it, expect } from 'vitest';
import {
  ACTION_SOURCES,
  builtInActionTypeMap,
  builtInActionTypes,
  builtInCatalog,
  type ActionSourceId,
  type Workload,
} from '../../src/index.js';
import { ACTION_SOURCE_IDS, BUILT_IN_GROUPS, sourceByLabel } from '../../src/adapter-kit.js';

/** [the seed's words, our display name, workload]: the seed's wording is kept where it differs. */
type SeedRow = readonly [statement: string, displayName: string, workload: Workload];

function expectInCatalogue(displayName: string, workload: Workload) {
  const type = builtInCatalog.byDisplayName(displayName);
  expect(type, `no built-in type shown as "${displayName}"`).toBeDefined();
  expect(type?.workload).toBe(workload);
  return type;
}

describe('seed 000: "The following table lists remediation actions that are available"', () => {
  const automatedInvestigations: readonly SeedRow[] = [
    ['Quarantine a file', 'Quarantine file', 'endpoint'],
    ['Remove a registry key', 'Remove registry key', 'endpoint'],
    ['Kill a process', 'Kill process', 'endpoint'],
    ['Stop a service', 'Stop service', 'endpoint'],
    ['Disable a driver', 'Disable driver', 'endpoint'],
    ['Remove a scheduled task', 'Remove scheduled task', 'endpoint'],
  ];
  it.each(automatedInvestigations)(
    'Automated investigations: "%s" is "%s" (%s)',
    (_statement, displayName, workload) => {
      const type = expectInCatalogue(displayName, workload);
      expect(BUILT_IN_GROUPS.automatedInvestigation.actionTypeIds).toContain(type?.id);
    },
  );

  const manualResponse: readonly SeedRow[] = [
    ['Run antivirus scan', 'Run antivirus scan', 'endpoint'],
    ['Isolate device', 'Isolate device', 'endpoint'],
    ['Add an indicator to block or allow a file', 'Add indicator', 'endpoint'],
  ];
  it.each(manualResponse)('Manual response actions: "%s" is "%s" (%s)', (_statement, displayName, workload) => {
    const type = expectInCatalogue(displayName, workload);
    expect(BUILT_IN_GROUPS.manualResponse.actionTypeIds).toContain(type?.id);
  });

  const liveResponse: readonly SeedRow[] = [
    ['Collect forensic data', 'Collect forensic data', 'endpoint'],
    ['Analyze a file', 'Analyze file', 'endpoint'],
    ['Run a script', 'Run script', 'endpoint'],
    ['Send a suspicious entity to Microsoft for analysis', 'Send entity for analysis', 'endpoint'],
    ['Remediate a file', 'Remediate file', 'endpoint'],
    ['Proactively hunt for threats', 'Hunt for threats', 'endpoint'],
  ];
  it.each(liveResponse)('Live response: "%s" is "%s" (%s)', (_statement, displayName, workload) => {
    const type = expectInCatalogue(displayName, workload);
    expect(BUILT_IN_GROUPS.liveResponse.actionTypeIds).toContain(type?.id);
  });

  it('"Add an indicator to block or allow a file": the indicator action is block or allow', () => {
    const parse = (indicatorAction: unknown) => builtInCatalog.parseParameters('addIndicator', { indicatorAction }).ok;
    expect([parse('block'), parse('allow'), parse('audit')]).toEqual([true, true, false]);
  });
});

describe('seed 002: "All actions, whether they\'re pending approval or were already taken, are tracked in the Action center."', () => {
  const tracked: readonly SeedRow[] = [
    ['Collect investigation package', 'Collect investigation package', 'endpoint'],
    ['Isolate device (this action can be undone)', 'Isolate device', 'endpoint'],
    ['Offboard machine', 'Offboard machine', 'endpoint'],
    ['Release code execution', 'Release code execution', 'endpoint'],
    ['Release from quarantine', 'Release from quarantine', 'endpoint'],
    ['Request sample', 'Request sample', 'endpoint'],
    ['Restrict code execution (this action can be undone)', 'Restrict code execution', 'endpoint'],
    ['Run antivirus scan', 'Run antivirus scan', 'endpoint'],
    ['Stop and quarantine', 'Stop and quarantine', 'endpoint'],
    ['Contain devices from the network', 'Contain device', 'endpoint'],
  ];
  it.each(tracked)('"%s" is "%s" (%s)', (statement, displayName, workload) => {
    const type = expectInCatalogue(displayName, workload);
    // The seed marks the undoable ones; the others make no claim.
    if (statement.includes('(this action can be undone)')) expect(type?.undo).not.toBeNull();
  });
});

describe('seed 003: "As remediation actions are taken, they\'re listed on the History tab in the Action center."', () => {
  const available: readonly SeedRow[] = [
    ['Collect investigation package', 'Collect investigation package', 'endpoint'],
    ['Isolate device (this action can be undone)', 'Isolate device', 'endpoint'],
    ['Offboard machine', 'Offboard machine', 'endpoint'],
    ['Release code execution', 'Release code execution', 'endpoint'],
    ['Release from quarantine', 'Release from quarantine', 'endpoint'],
    ['Request sample', 'Request sample', 'endpoint'],
    ['Restrict code execution (this action can be undone)', 'Restrict code execution', 'endpoint'],
    ['Run antivirus scan', 'Run antivirus scan', 'endpoint'],
    ['Stop and quarantine', 'Stop and quarantine', 'endpoint'],
  ];
  it.each(available)('"%s" is "%s" (%s)', (statement, displayName, workload) => {
    const type = expectInCatalogue(displayName, workload);
    if (statement.includes('(this action can be undone)')) expect(type?.undo).not.toBeNull();
  });
});

describe('seed 004: "The following table summarizes the remediation actions that are currently available in Office 365 ATP."', () => {
  const air: readonly SeedRow[] = [
    ['Block URL (time-of-click)', 'Block URL (time-of-click)', 'email'],
    ['Soft delete email', 'Soft delete email', 'email'],
    ['Soft delete email clusters', 'Soft delete email clusters', 'email'],
    ['Turn off external mail forwarding', 'Turn off external mail forwarding', 'email'],
  ];
  it.each(air)('"%s" is "%s" (%s)', (_statement, displayName, workload) => {
    const type = expectInCatalogue(displayName, workload);
    expect(BUILT_IN_GROUPS.email.actionTypeIds).toContain(type?.id);
  });

  it.each([
    ['Soft delete email', 'emailMessage'],
    ['Soft delete email clusters', 'emailCluster'],
    ['Turn off external mail forwarding', 'mailbox'],
    ['Block URL (time-of-click)', 'url'],
  ] as const)('"%s" acts on a %s', (displayName, targetKind) => {
    expect(builtInCatalog.byDisplayName(displayName)?.targetKind).toBe(targetKind);
  });
});

describe('seed 001: "In the Action center, on the History tab, you can undo any of the following actions"', () => {
  const undoable = [
    ['Isolate device', 'Isolate device'],
    ['Restrict code execution', 'Restrict code execution'],
    ['Quarantine a file', 'Quarantine file'],
    ['Remove a registry key', 'Remove registry key'],
    ['Stop a service', 'Stop service'],
    ['Disable a driver', 'Disable driver'],
    ['Remove a scheduled task', 'Remove scheduled task'],
  ] as const;
  it.each(undoable)('"%s" ("%s") has an undo counterpart', (_statement, displayName) => {
    const type = builtInCatalog.byDisplayName(displayName);
    expect(type?.undo).not.toBeNull();
    expect(builtInCatalog.undoCounterpartOf(type?.id ?? '')).not.toBeNull();
  });

  it('DESIGN.md: contain device and contain user are undoable too; undoing contain user needs Global Administrator', () => {
    expect(builtInActionTypeMap.containDevice.undo).toEqual({
      counterpart: 'releaseFromContainment',
      requiredRole: 'securityAdministrator',
    });
    expect(builtInActionTypeMap.containUser.undo).toEqual({
      counterpart: 'releaseContainedUser',
      requiredRole: 'globalAdministrator',
    });
  });

  it('every other undo needs Security Administrator (m365d-autoir-actions.md)', () => {
    const roles = builtInActionTypes
      .filter((t) => t.undo !== null && t.id !== 'containUser')
      .map((t) => t.undo?.requiredRole);
    expect(roles.length).toBeGreaterThan(0);
    expect(new Set(roles)).toEqual(new Set(['securityAdministrator']));
  });

  it("the undoable built-ins are exactly the seed's list plus contain device and contain user", () => {
    const undoable = builtInActionTypes.filter((t) => t.undo !== null).map((t) => t.displayName);
    expect(new Set(undoable)).toEqual(
      new Set([
        'Isolate device',
        'Restrict code execution',
        'Quarantine file',
        'Remove registry key',
        'Stop service',
        'Disable driver',
        'Remove scheduled task',
        'Contain device',
        'Contain user',
      ]),
    );
  });
});

describe('seeds 002 and 003: "The following table describes possible Action source values"', () => {
  const rows: readonly (readonly [label: string, id: ActionSourceId, workloads: readonly Workload[]])[] = [
    ['Manual device action', 'manualDeviceAction', ['endpoint']],
    ['Manual email action', 'manualEmailAction', ['email']],
    ['Automated device action', 'automatedDeviceAction', ['endpoint']],
    ['Automated email action', 'automatedEmailAction', ['email']],
    // "Actions taken on devices or email with advanced hunting."
    ['Advanced hunting action', 'advancedHuntingAction', ['endpoint', 'email']],
    ['Explorer action', 'explorerAction', ['email']],
    ['Manual live response action', 'manualLiveResponseAction', ['endpoint']],
    ['Live response action', 'liveResponseAction', ['endpoint']],
  ];
  it.each(rows)('"%s" is the source %s', (label, id, workloads) => {
    expect(ACTION_SOURCES[id].label).toBe(label);
    expect(sourceByLabel(label)?.id).toBe(id);
    for (const w of workloads) expect(ACTION_SOURCES[id].workloads).toContain(w);
  });

  it('seed 002: "Remediation actions that were taken by your antivirus protection" come from the antivirus source', () => {
    expect(ACTION_SOURCES.antivirus.label).toBe('Microsoft Defender Antivirus');
    expect(ACTION_SOURCES.antivirus.automated).toBe(true);
    expect(ACTION_SOURCES.antivirus.workloads).toEqual(['endpoint']);
  });

  it('there are exactly the eight table rows plus antivirus', () => {
    expect([...ACTION_SOURCE_IDS].sort()).toEqual([...rows.map((r) => r[1]), 'antivirus'].sort());
  });

  it('"Automated device action" and "Automated email action" are automated; the rest but antivirus are manual', () => {
    const automated = ACTION_SOURCE_IDS.filter((id) => ACTION_SOURCES[id].automated);
    expect(new Set(automated)).toEqual(new Set(['automatedDeviceAction', 'automatedEmailAction', 'antivirus']));
  });
});

describe('the built-in catalogue as a whole', () => {
  it('ids and display names are unique', () => {
    const ids = builtInActionTypes.map((t) => t.id);
    const names = builtInActionTypes.map((t) => t.displayName);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it("the map is keyed by each type's own id, and the list is the map in order", () => {
    for (const [key, type] of Object.entries(builtInActionTypeMap)) expect(type.id).toBe(key);
    expect(builtInActionTypes.map((t) => t.id)).toEqual(Object.keys(builtInActionTypeMap));
    expect(builtInCatalog.types.map((t) => t.id)).toEqual(Object.keys(builtInActionTypeMap));
  });

  it('every id is stable camelCase and every display name is sentence case', () => {
    for (const t of builtInActionTypes) {
      expect(t.id).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(t.displayName).toMatch(/^[A-Z]/);
      expect(t.displayName).toBe(t.displayName.trim());
    }
  });

  it('every type has a one-sentence description of its own', () => {
    for (const t of builtInActionTypes) {
      expect(t.description).not.toBe(t.displayName);
      expect(t.description).toMatch(/^[A-Z][^]*\.$/);
      expect(t.description.slice(0, -1)).not.toMatch(/[.!?]\s/);
    }
  });

  it("BUILT_IN_GROUPS lists every built-in exactly once, in catalogue order (DESIGN.md's table order)", () => {
    const grouped = Object.values(BUILT_IN_GROUPS).flatMap((g) => [...g.actionTypeIds]);
    expect(grouped).toEqual(builtInActionTypes.map((t) => t.id));
    expect(Object.keys(BUILT_IN_GROUPS)).toEqual([
      'automatedInvestigation',
      'manualResponse',
      'liveResponse',
      'trackedInActionCenter',
      'email',
      'identity',
      'undoCounterparts',
    ]);
  });

  it('each group holds one workload, but for the counterparts (which follow their originals)', () => {
    const workloadsOf = (ids: readonly string[]) => new Set(ids.map((id) => builtInCatalog.require(id).workload));
    expect(workloadsOf(BUILT_IN_GROUPS.automatedInvestigation.actionTypeIds)).toEqual(new Set(['endpoint']));
    expect(workloadsOf(BUILT_IN_GROUPS.manualResponse.actionTypeIds)).toEqual(new Set(['endpoint']));
    expect(workloadsOf(BUILT_IN_GROUPS.liveResponse.actionTypeIds)).toEqual(new Set(['endpoint']));
    expect(workloadsOf(BUILT_IN_GROUPS.trackedInActionCenter.actionTypeIds)).toEqual(new Set(['endpoint']));
    expect(workloadsOf(BUILT_IN_GROUPS.email.actionTypeIds)).toEqual(new Set(['email']));
    expect(workloadsOf(BUILT_IN_GROUPS.identity.actionTypeIds)).toEqual(new Set(['identity']));
    for (const id of BUILT_IN_GROUPS.undoCounterparts.actionTypeIds) {
      expect(builtInCatalog.require(id).undoes.length).toBeGreaterThan(0);
    }
  });

  it("each type's permission follows its workload", () => {
    const expected = {
      endpoint: 'deviceRemediation',
      email: 'emailRemediation',
      identity: 'identityRemediation',
    } as const;
    for (const t of builtInActionTypes) expect(t.permission).toBe(expected[t.workload]);
  });

  it('every deadline is a positive whole number of minutes, at most a day', () => {
    for (const t of builtInActionTypes) {
      expect(Number.isInteger(t.deadlineMs / 60_000)).toBe(true);
      expect(t.deadlineMs).toBeGreaterThan(0);
      expect(t.deadlineMs).toBeLessThanOrEqual(24 * 60 * 60 * 1000);
    }
  });

  it('email actions are not undoable (DESIGN.md: email types are not undone)', () => {
    const email = builtInActionTypes.filter((t) => t.workload === 'email');
    expect(email.length).toBe(8);
    for (const t of email) expect(t.undo).toBeNull();
  });

  it('"Stop and quarantine (sha1 required)": the parameters name sha1 when it is missing', () => {
    const r = builtInCatalog.parseParameters('stopAndQuarantineFile', {});
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.code === 'invalidParameters' && r.error.issues.map((i) => i.path)).toEqual([
        ['parameters', 'sha1'],
      ]);
  });

  it('cancellable while running: scans, collections, samples, analysis, scripts and hunts; not remediations', () => {
    const cancellable = builtInActionTypes.filter((t) => t.cancellableWhileRunning).map((t) => t.id);
    expect(new Set(cancellable)).toEqual(
      new Set([
        'runAntivirusScan',
        'collectForensicData',
        'analyzeFile',
        'runScript',
        'sendForAnalysis',
        'huntForThreats',
        'collectInvestigationPackage',
        'requestSample',
      ]),
    );
  });
});

describe('undo counterparts', () => {
  const undoable = builtInActionTypes.filter((t) => t.undo !== null);

  it.each(undoable.map((t) => [t.id, t.undo?.counterpart ?? ''] as const))(
    '%s is undone by %s: it exists, has the same workload, lists the original in `undoes`, and is not itself undoable',
    (id, counterpartId) => {
      const original = builtInCatalog.require(id);
      const counterpart = builtInCatalog.get(counterpartId);
      expect(counterpart.ok).toBe(true);
      if (!counterpart.ok) return;
      expect(counterpart.value.workload).toBe(original.workload);
      expect(counterpart.value.targetKind).toBe(original.targetKind);
      expect(counterpart.value.undoes).toContain(id);
      expect(counterpart.value.undo).toBeNull();
      expect(builtInCatalog.undoCounterpartOf(id)?.id).toBe(counterpartId);
    },
  );

  it('every type that lists `undoes` is the counterpart of each type it lists, and nothing else', () => {
    const counterparts = builtInActionTypes.filter((t) => t.undoes.length > 0);
    expect(counterparts.length).toBe(undoable.length);
    for (const c of counterparts) {
      for (const originalId of c.undoes) expect(builtInCatalog.require(originalId).undo?.counterpart).toBe(c.id);
    }
  });

  it('DESIGN.md: "release from quarantine for quarantine file, release from isolation for isolate device, release code execution for restrict code execution"', () => {
    expect(builtInCatalog.undoCounterpartOf('quarantineFile')?.displayName).toBe('Release from quarantine');
    expect(builtInCatalog.undoCounterpartOf('isolateDevice')?.displayName).toBe('Release from isolation');
    expect(builtInCatalog.undoCounterpartOf('restrictCodeExecution')?.displayName).toBe('Release code execution');
  });
});
