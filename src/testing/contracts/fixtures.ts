/**
 * The fixed data of the contract suites: fourteen action histories over the built-in catalogue, one
 * in each of the twelve states and two more, with ties in creation time, ids whose order is not the
 * creation order, and every filterable field taking several values.
 *
 * @module
 */
import {
  ACTION_SOURCES,
  builtInCatalog,
  type ActionRecord,
  type ActionRequestInput,
  type ActionTypeDefinition,
  type Actor,
} from 'actioncenter';
import { asId, type PrincipalId } from 'actioncenter/adapter-kit';
import { buildActionHistory, type ActionHistory, type HistoryStepInput } from '../histories.js';

/** The creation time of the first fixture action (2026-01-05 09:00 UTC). */
export const FIXTURE_T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const HOUR = 60 * 60 * 1000;

const alice: Actor = { type: 'principal', id: asId<PrincipalId>('alice@contoso.com') };
const bob: Actor = { type: 'principal', id: asId<PrincipalId>('bob@contoso.com') };
const automation: Actor = { type: 'system', component: 'automatedInvestigation' };

const onDevice = (deviceName: string, deviceGroup = 'Workstations') => ({
  deviceId: `dev-${deviceName}`,
  deviceName,
  deviceGroup,
});
const file = (deviceName: string, deviceGroup?: string) => ({
  kind: 'file' as const,
  ...onDevice(deviceName, deviceGroup),
  path: 'C:\\Users\\alex\\Downloads\\invoice.exe',
  sha1: 'ab'.repeat(20),
});
const device = (deviceName: string, deviceGroup?: string) => ({
  kind: 'device' as const,
  ...onDevice(deviceName, deviceGroup),
});

interface Fixture {
  readonly id: string;
  readonly hoursAfterT0: number;
  readonly start: 'pending' | 'approved';
  readonly request: Omit<ActionRequestInput, 'requestedBy'> & { readonly requestedBy?: Actor };
  readonly steps: readonly HistoryStepInput[];
  readonly undoOf?: string;
}

const FIXTURES: readonly Fixture[] = [
  {
    id: 'act-k',
    hoursAfterT0: 0,
    start: 'pending',
    request: {
      actionType: 'quarantineFile',
      target: file('LAPTOP-1'),
      source: 'automatedDeviceAction',
      verdict: 'suspicious',
      investigationId: 'inv-1',
    },
    steps: [],
  },
  {
    id: 'act-g',
    hoursAfterT0: 0,
    start: 'pending',
    request: {
      actionType: 'moveToJunk',
      target: { kind: 'emailMessage', mailbox: 'alex@contoso.com', networkMessageId: '<m1@contoso.com>' },
      parameters: { networkMessageId: '<m1@contoso.com>' },
      source: 'automatedEmailAction',
      investigationId: 'inv-2',
    },
    steps: [],
  },
  {
    id: 'act-b',
    hoursAfterT0: 1,
    start: 'pending',
    request: {
      actionType: 'quarantineFile',
      target: file('LAPTOP-2'),
      source: 'automatedDeviceAction',
      verdict: 'suspicious',
      investigationId: 'inv-1',
    },
    steps: [{ type: 'approve', by: alice, comment: 'Confirmed' }],
  },
  {
    id: 'act-m',
    hoursAfterT0: 1,
    start: 'approved',
    request: {
      actionType: 'isolateDevice',
      target: device('SRV-DB-01', 'Servers'),
      parameters: { isolationType: 'full' },
      source: 'manualDeviceAction',
      requestedBy: alice,
    },
    steps: [{ type: 'start' }],
  },
  {
    id: 'act-a',
    hoursAfterT0: 2,
    start: 'approved',
    request: {
      actionType: 'runAntivirusScan',
      target: device('LAPTOP-1'),
      parameters: { scanType: 'quick' },
      source: 'manualDeviceAction',
      requestedBy: bob,
    },
    steps: [{ type: 'start' }, { type: 'succeed' }],
  },
  {
    id: 'act-z',
    hoursAfterT0: 3,
    start: 'pending',
    request: {
      actionType: 'blockUrl',
      target: { kind: 'url', url: 'https://malicious.example/landing' },
      parameters: { url: 'https://malicious.example/landing' },
      source: 'automatedEmailAction',
      investigationId: 'inv-2',
    },
    steps: [{ type: 'approve', by: bob }, { type: 'start' }, { type: 'fail' }],
  },
  {
    id: 'act-c',
    hoursAfterT0: 4,
    start: 'approved',
    request: {
      actionType: 'collectInvestigationPackage',
      target: device('LAPTOP-2'),
      source: 'manualLiveResponseAction',
      requestedBy: alice,
    },
    steps: [
      { type: 'start' },
      { type: 'timeOut', failure: { code: 'deadlineExceeded', message: 'No result within the deadline' } },
    ],
  },
  {
    id: 'act-y',
    hoursAfterT0: 5,
    start: 'pending',
    request: {
      actionType: 'softDeleteEmailClusters',
      target: { kind: 'emailCluster', query: 'subject:"Invoice overdue"' },
      parameters: { query: 'subject:"Invoice overdue"' },
      source: 'automatedEmailAction',
      investigationId: 'inv-2',
    },
    steps: [{ type: 'reject', by: bob, comment: 'False positive' }],
  },
  {
    id: 'act-d',
    hoursAfterT0: 6,
    start: 'pending',
    request: {
      actionType: 'containUser',
      target: { kind: 'user', userId: 'user-1', userPrincipalName: 'alex@contoso.com' },
      source: 'advancedHuntingAction',
      requestedBy: bob,
      investigationId: 'inv-3',
    },
    steps: [{ type: 'expire' }],
  },
  {
    id: 'act-x',
    hoursAfterT0: 7,
    start: 'pending',
    request: {
      actionType: 'quarantineFile',
      target: file('LAPTOP-3'),
      source: 'automatedDeviceAction',
      verdict: 'suspicious',
      investigationId: 'inv-3',
    },
    steps: [{ type: 'cancel', by: alice }],
  },
  {
    id: 'act-e',
    hoursAfterT0: 8,
    start: 'approved',
    request: {
      actionType: 'isolateDevice',
      target: device('LAPTOP-2'),
      parameters: { isolationType: 'selective' },
      source: 'manualDeviceAction',
      requestedBy: alice,
    },
    steps: [{ type: 'start' }, { type: 'succeed' }, { type: 'requestUndo', by: bob }],
  },
  {
    id: 'act-w',
    hoursAfterT0: 9,
    start: 'approved',
    request: {
      actionType: 'restrictCodeExecution',
      target: device('LAPTOP-1'),
      source: 'manualDeviceAction',
      requestedBy: bob,
    },
    steps: [{ type: 'start' }, { type: 'succeed' }, { type: 'requestUndo', by: alice }, { type: 'undoSucceeded' }],
  },
  {
    id: 'act-f',
    hoursAfterT0: 10,
    start: 'approved',
    request: {
      actionType: 'stopService',
      target: { kind: 'service', ...onDevice('SRV-WEB-02', 'Servers'), serviceName: 'EvilSvc' },
      source: 'automatedDeviceAction',
      verdict: 'malicious',
      investigationId: 'inv-1',
    },
    steps: [{ type: 'start' }, { type: 'succeed' }, { type: 'requestUndo', by: alice }, { type: 'undoFailed' }],
  },
  {
    id: 'act-v',
    hoursAfterT0: 10,
    start: 'approved',
    request: {
      actionType: 'releaseFromQuarantine',
      target: file('LAPTOP-3'),
      source: 'automatedDeviceAction',
      investigationId: 'inv-3',
    },
    steps: [],
    undoOf: 'act-x',
  },
];

/**
 * Fresh copies of the fixture histories (new objects on every call, so a test may hand them to an
 * adapter that keeps or freezes what it is given).
 */
export function fixtureHistories(): ActionHistory[] {
  return FIXTURES.map((f) => {
    const type: ActionTypeDefinition = builtInCatalog.require(f.request.actionType);
    const automated = ACTION_SOURCES[f.request.source].automated;
    const parsed = builtInCatalog.parseRequest({
      ...f.request,
      requestedBy: f.request.requestedBy ?? (automated ? automation : alice),
    });
    if (!parsed.ok) throw new Error(`contract fixture ${f.id}: ${parsed.error.message}`);
    return buildActionHistory(
      parsed.value,
      type,
      { id: f.id, createdAt: FIXTURE_T0 + f.hoursAfterT0 * HOUR, status: f.start, undoOf: f.undoOf ?? null },
      f.steps,
    );
  });
}

/** The final records of the fixture histories. */
export function fixtureRecords(): ActionRecord[] {
  return fixtureHistories().map((h) => h.action);
}
