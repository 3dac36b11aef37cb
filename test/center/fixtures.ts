/**
 * Shared fixtures of the engine tests: principals as seed 002 describes them, request factories and
 * a deterministic center.
 */
import {
  createActionCenter,
  createMemoryRepository,
  manualClock,
  sequentialIdGenerator,
  type ActionCenterOptions,
  type ActionExecutor,
  type ActionRepository,
  type BuiltInRequestInput,
  type IdGenerator,
  type PrincipalInput,
} from '../../src/index.js';
import type fc from 'fast-check';

export const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
export const DAY = 24 * 60 * 60 * 1000;

const principal = (id: string, assignments: PrincipalInput['assignments']): PrincipalInput => ({ id, assignments });

export const people = {
  secAdmin: principal('secadmin@contoso.com', [{ role: 'securityAdministrator', assignedIn: 'entraId' }]),
  searchAndPurgeAdmin: principal('purge@contoso.com', [
    { role: 'securityAdministrator', assignedIn: 'entraId' },
    { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' },
  ]),
  emailCollabOnlyAdmin: principal('collab@contoso.com', [
    { role: 'securityAdministrator', assignedIn: 'emailAndCollaboration' },
  ]),
  reader: principal('reader@contoso.com', [{ role: 'securityReader', assignedIn: 'entraId' }]),
  globalAdmin: principal('ga@contoso.com', [{ role: 'globalAdministrator', assignedIn: 'entraId' }]),
  serversOnly: principal('servers@contoso.com', [
    { role: 'activeRemediationActions', assignedIn: 'defenderForEndpoint', deviceGroups: ['Servers'] },
  ]),
  nobody: principal('nobody@contoso.com', []),
} as const;

export const automation = { type: 'system', component: 'automatedInvestigation' } as const;

export const SHA1 = 'ab'.repeat(20);

export function quarantine(
  device: string,
  options: {
    sha1?: string;
    path?: string;
    group?: string;
    verdict?: 'malicious' | 'suspicious';
    investigationId?: string;
  } = {},
): BuiltInRequestInput {
  return {
    actionType: 'quarantineFile',
    target: {
      kind: 'file',
      deviceId: `dev-${device}`,
      deviceName: device,
      deviceGroup: options.group ?? 'Workstations',
      path: options.path ?? 'C:\\Users\\alex\\Downloads\\invoice.exe',
      sha1: options.sha1 ?? SHA1,
    },
    parameters: {},
    source: 'automatedDeviceAction',
    verdict: options.verdict ?? 'suspicious',
    investigationId: options.investigationId ?? 'inv-1',
    requestedBy: automation,
  };
}

export function isolate(device: string, by: PrincipalInput, group = 'Workstations'): BuiltInRequestInput {
  return {
    actionType: 'isolateDevice',
    target: { kind: 'device', deviceId: `dev-${device}`, deviceName: device, deviceGroup: group },
    parameters: { isolationType: 'full' },
    source: 'manualDeviceAction',
    requestedBy: { type: 'principal', id: by.id },
  };
}

export function softDeleteCluster(
  query = 'subject:"Invoice overdue" AND from:billing@fabrikam.example',
): BuiltInRequestInput {
  return {
    actionType: 'softDeleteEmailClusters',
    target: { kind: 'emailCluster', query },
    parameters: { query },
    source: 'automatedEmailAction',
    investigationId: 'inv-1',
    requestedBy: automation,
  };
}

export function scriptedExecutor(
  script: (actionType: string, deviceName: string | null) => ReturnType<ActionExecutor['execute']>,
): ActionExecutor {
  return {
    supports: () => true,
    execute: ({ action }) => script(action.actionType, 'deviceName' in action.target ? action.target.deviceName : null),
  };
}

export function testCenter(options: Partial<ActionCenterOptions> & { repository?: ActionRepository } = {}) {
  const clock = manualClock(T0);
  const repository = options.repository ?? createMemoryRepository();
  const center = createActionCenter({ clock, idGenerator: sequentialIdGenerator(), repository, ...options });
  return { center, clock, repository };
}

export async function must<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/**
 * A repository whose every call starts only when the fast-check scheduler says so: several engines
 * on it have their reads and commits interleaved in every order fast-check explores.
 */
export function scheduled(repository: ActionRepository, s: fc.Scheduler): ActionRepository {
  const later =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      s.schedule(Promise.resolve()).then(() => f(...args));
  return {
    get: later((id) => repository.get(id)),
    getMany: later((ids) => repository.getMany(ids)),
    query: later((q) => repository.query(q)),
    findOpen: later((k) => repository.findOpen(k)),
    findByIdempotencyKey: later((k) => repository.findByIdempotencyKey(k)),
    auditTrail: later((id) => repository.auditTrail(id)),
    changes: later((q) => repository.changes(q)),
    due: later((q) => repository.due(q)),
    commit: later((b) => repository.commit(b)),
  };
}

/** Ids of one process: two processes never make the same audit event id. */
export function idsOf(prefix: string): IdGenerator {
  let n = 0;
  return { next: (kind) => `${prefix}-${kind}-${++n}` };
}
