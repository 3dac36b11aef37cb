/**
 * DEMO DATA: about 300 actions over the last 30 days (UTC), deterministic for a seed and a `now`.
 * They are made through the center's own operations (submit, approve, reject, cancel, run, undo),
 * never written around it, so every record has the audit trail the library would give it. Past
 * timestamps come from a clock the seeding moves forward by hand (`DemoClock`): the center reads
 * the seeding's time while `seeding` is on, and the real time after.
 */
import { manualClock, type ActionCenter, type ActionRecord, type Clock, type PrincipalInput } from 'actioncenter';
import { PERSONAS } from './personas.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The center's clock in the demo: hand-moved while seeding, the real one after. */
export interface DemoClock extends Clock {
  /** Seeding: read the hand-moved time. */
  startSeeding(at: number): void;
  /** Moves the hand-moved time (never backwards). */
  set(at: number): void;
  /** Back to the real time. */
  stopSeeding(): void;
}

/** A clock for the demo center. */
export function demoClock(realNow: () => number = Date.now): DemoClock {
  let manual: ReturnType<typeof manualClock> | null = null;
  return {
    now: () => (manual === null ? realNow() : manual.now()),
    startSeeding: (at) => {
      manual = manualClock(at);
    },
    set: (at) => {
      if (manual !== null && at > manual.now()) manual.set(at);
    },
    stopSeeding: () => {
      manual = null;
    },
  };
}

/** Which actions the demo executor fails: chosen while seeding, and about one in 17 after. */
export interface DemoFailures {
  readonly ids: Set<string>;
}

/** The demo executor: succeeds, but for the seeding's chosen failures and a deterministic few. */
export function demoExecutor(failures: DemoFailures) {
  return {
    supports: () => true,
    execute: async ({ action }: { action: ActionRecord }) =>
      failures.ids.has(action.id) || (action.id.length > 0 && hashOf(action.id) % 17 === 0 && action.undoOf === null)
        ? {
            status: 'failed' as const,
            failure: { code: 'deviceUnreachable', message: 'The device did not answer (demo failure)' },
          }
        : { status: 'succeeded' as const },
  };
}

function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** A small seeded PRNG (mulberry32): the same seed, the same demo. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

type Fate = 'pending' | 'approve' | 'reject' | 'cancel' | 'expire' | 'fail' | 'undo';

interface Device {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly deviceGroup: string;
}

const DEVICES: readonly Device[] = [
  ...Array.from({ length: 16 }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return { deviceId: `dev-laptop-${n}`, deviceName: `LAPTOP-${n}`, deviceGroup: 'Workstations' };
  }),
  ...['SRV-DB-01', 'SRV-DB-02', 'SRV-WEB-01', 'SRV-WEB-02', 'SRV-FILE-01', 'SRV-DC-01'].map((name) => ({
    deviceId: `dev-${name.toLowerCase()}`,
    deviceName: name,
    deviceGroup: 'Servers',
  })),
  { deviceId: 'dev-kiosk-01', deviceName: 'KIOSK-01', deviceGroup: 'Kiosks' },
  { deviceId: 'dev-kiosk-02', deviceName: 'KIOSK-02', deviceGroup: 'Kiosks' },
];
const MAILBOXES = [
  'alex@contoso.com',
  'megan@contoso.com',
  'lee@contoso.com',
  'nestor@contoso.com',
  'isaiah@contoso.com',
];
const SHARED_FILES = [
  { path: 'C:\\Users\\Public\\invoice_2026.exe', sha1: '3f786850e387550fdab836ed7e6dc881de23001b' },
  { path: 'C:\\Temp\\update-helper.dll', sha1: '89e6c98d92887913cadf06b2adb97f26cde4849b' },
];
const AUTOMATION = { type: 'system', component: 'automatedInvestigation' } as const;

/** A request of a kind, on a device or mailbox; who asks depends on the source. */
function requestFor(kind: number, r: ReturnType<typeof random>, device: Device, investigation: string) {
  const mailbox = r.pick(MAILBOXES);
  const common = {
    investigationId: investigation,
    incidentId: `inc-${investigation.slice(4)}`,
    alertId: `alert-${r.int(900) + 100}`,
  };
  const automatedDevice = r.next() < 0.8 ? 'automatedDeviceAction' : 'antivirus';
  switch (kind) {
    case 0:
      return {
        ...common,
        actionType: 'quarantineFile',
        parameters: {},
        source: automatedDevice,
        verdict: 'malicious',
        requestedBy: AUTOMATION,
        target: {
          kind: 'file',
          ...device,
          path: `C:\\Users\\${device.deviceName}\\Downloads\\tool-${r.int(50)}.exe`,
          sha1: hex(r, 40),
        },
      };
    case 1:
      return {
        ...common,
        actionType: 'isolateDevice',
        parameters: { isolationType: r.next() < 0.7 ? 'full' : 'selective' },
        source: 'manualDeviceAction',
        requestedBy: { type: 'principal', id: PERSONAS.securityAdministrator.principal.id },
        target: { kind: 'device', ...device },
      };
    case 2:
      return {
        ...common,
        actionType: 'stopService',
        parameters: {},
        source: 'automatedDeviceAction',
        verdict: 'suspicious',
        requestedBy: AUTOMATION,
        target: { kind: 'service', ...device, serviceName: `svc-updater-${r.int(9)}` },
      };
    case 3:
      return {
        ...common,
        actionType: 'removeRegistryKey',
        parameters: {},
        source: 'automatedDeviceAction',
        verdict: 'suspicious',
        requestedBy: AUTOMATION,
        target: {
          kind: 'registryKey',
          ...device,
          keyPath: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
          valueName: `Updater${r.int(20)}`,
        },
      };
    case 4: {
      const networkMessageId = `msg-${hex(r, 12)}`;
      return {
        ...common,
        actionType: 'softDeleteEmail',
        parameters: { networkMessageId },
        source: 'automatedEmailAction',
        verdict: 'malicious',
        requestedBy: AUTOMATION,
        target: { kind: 'emailMessage', mailbox, networkMessageId, subject: 'Invoice overdue' },
      };
    }
    case 5: {
      const url = `https://phish-${r.int(40)}.example/login`;
      return {
        ...common,
        actionType: 'blockUrl',
        parameters: { url },
        source: 'automatedEmailAction',
        verdict: 'malicious',
        requestedBy: AUTOMATION,
        target: { kind: 'url', url },
      };
    }
    case 6:
      return {
        ...common,
        actionType: 'runAntivirusScan',
        parameters: { scanType: r.next() < 0.5 ? 'quick' : 'full' },
        source: 'manualDeviceAction',
        requestedBy: { type: 'principal', id: PERSONAS.securityAdministrator.principal.id },
        target: { kind: 'device', ...device },
      };
    default:
      return {
        ...common,
        actionType: 'disableUser',
        parameters: {},
        source: 'advancedHuntingAction',
        requestedBy: { type: 'principal', id: PERSONAS.globalAdministrator.principal.id },
        target: { kind: 'user', userId: `user-${r.int(30)}`, userPrincipalName: mailbox },
      };
  }
}

function hex(r: ReturnType<typeof random>, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'[r.int(16)];
  return out;
}

/** Who decides an action of this type in the demo (the narrowest persona that may). */
function deciderOf(actionType: string): PrincipalInput {
  if (['softDeleteEmail', 'blockUrl'].includes(actionType)) return PERSONAS.searchAndPurge.principal;
  if (actionType === 'disableUser') return PERSONAS.globalAdministrator.principal;
  return PERSONAS.securityAdministrator.principal;
}

/** What the seeding made, for the log line and tests. */
export interface DemoSummary {
  readonly submitted: number;
  readonly refused: number;
}

/** Fills the center with the demo's history. The clock must be the center's, in seeding mode from here on. */
export async function seedDemoData(
  center: ActionCenter,
  clock: DemoClock,
  failures: DemoFailures,
  options: { readonly seed: number; readonly now: number; readonly count?: number },
): Promise<DemoSummary> {
  const r = random(options.seed);
  const now = options.now;
  const start = now - 30 * DAY;
  clock.startSeeding(start);
  const queue: { at: number; order: number; step: () => Promise<void> }[] = [];
  let order = 0;
  const later = (at: number, step: () => Promise<void>) => {
    if (at < now - MINUTE) queue.push({ at, order: order++, step });
  };
  let submitted = 0;
  let refused = 0;
  const submit = (at: number, request: Record<string, unknown>, fate: Fate) =>
    later(at, async () => {
      const requester = (request.requestedBy as { type: string }).type === 'principal';
      const principal =
        request.actionType === 'disableUser'
          ? PERSONAS.globalAdministrator.principal
          : PERSONAS.securityAdministrator.principal;
      const result = await center.submit({ request: request as never, ...(requester && { principal }) });
      if (!result.ok) {
        if (process.env.DEMO_DEBUG) console.log('refused', result.error.code, result.error.message);
        refused += 1;
        return;
      }
      submitted += 1;
      const record = result.value.action;
      if (process.env.DEMO_DEBUG) console.log(record.actionType, record.source, result.value.disposition, fate);
      // Taken at once (the automation level said so): it can only be carried out, failed or undone.
      const taken = result.value.disposition === 'takenNow';
      follow(at, record, taken && ['pending', 'expire', 'reject'].includes(fate) ? 'approve' : fate);
    });
  const run = async () => {
    await center.run();
  };
  const follow = (at: number, record: ActionRecord, fate: Fate) => {
    const decider = deciderOf(record.actionType);
    const decideAt = at + 5 * MINUTE + r.int(3 * HOUR);
    const ids = [record.id];
    switch (fate) {
      case 'pending':
      case 'expire':
        return; // left pending: run() expires it after 7 days
      case 'reject':
        return later(
          decideAt,
          async () => void (await center.reject({ principal: decider, ids, comment: 'False positive' })),
        );
      case 'cancel':
        return later(
          decideAt,
          async () => void (await center.cancel({ principal: decider, ids, comment: 'No longer needed' })),
        );
      case 'fail':
        failures.ids.add(record.id);
        break;
      default:
        break;
    }
    later(decideAt, async () => {
      if (record.status === 'pending') await center.approve({ principal: decider, ids });
      await run();
    });
    if (fate === 'undo') {
      later(decideAt + DAY + r.int(DAY), async () => {
        await center.undo({ principal: decider, ids, comment: 'Confirmed benign' });
        await run();
      });
    }
  };

  // The bulk of the history: spread over 30 days, older ones decided, recent ones often pending.
  const count = options.count ?? 260;
  for (let i = 0; i < count; i++) {
    const at = start + Math.floor(((i + r.next()) / count) * 29.5 * DAY);
    const age = now - at;
    const device = r.pick(DEVICES);
    const investigation = `inv-${1000 + Math.floor(i / 7)}`;
    const request = requestFor(r.int(8), r, device, investigation);
    const roll = r.next();
    const fate: Fate =
      age < 4 * DAY && roll < 0.45
        ? 'pending'
        : age > 8 * DAY && roll < 0.08
          ? 'expire'
          : roll < 0.16
            ? 'reject'
            : roll < 0.22
              ? 'cancel'
              : roll < 0.3
                ? 'fail'
                : roll < 0.38
                  ? 'undo'
                  : 'approve';
    submit(at, request, fate);
  }
  // The same file quarantined on several devices and taken: "Apply to X more instances" has an X.
  SHARED_FILES.forEach((file, f) => {
    const devices = DEVICES.filter((d) => d.deviceGroup !== 'Kiosks').slice(f * 7, f * 7 + 6 - f);
    devices.forEach((device, d) => {
      submit(
        now - (12 - f * 4) * DAY + d * 17 * MINUTE,
        {
          actionType: 'quarantineFile',
          parameters: {},
          source: 'automatedDeviceAction',
          verdict: 'malicious',
          requestedBy: AUTOMATION,
          investigationId: `inv-shared-${f + 1}`,
          target: { kind: 'file', ...device, ...file },
        },
        'approve',
      );
    });
  });
  // Pending groups to bulk-approve: one type each, and mixed types in one investigation.
  const recent = now - 6 * HOUR;
  for (let i = 0; i < 6; i++) {
    const device = DEVICES[i] as Device;
    submit(recent + i * 7 * MINUTE, { ...requestFor(0, r, device, 'inv-2001') }, 'pending');
  }
  for (let i = 0; i < 5; i++)
    submit(recent + i * 5 * MINUTE + 3 * MINUTE, requestFor(4, r, DEVICES[0] as Device, 'inv-2002'), 'pending');
  const servers = DEVICES.filter((d) => d.deviceGroup === 'Servers');
  servers.slice(0, 3).forEach((device, i) => {
    submit(recent + HOUR + i * 9 * MINUTE, requestFor(3, r, device, 'inv-2003'), 'pending');
    submit(recent + HOUR + i * 9 * MINUTE + MINUTE, requestFor(2, r, device, 'inv-2003'), 'pending');
  });

  while (queue.length > 0) {
    let first = 0;
    for (let i = 1; i < queue.length; i++) {
      const a = queue[i] as (typeof queue)[number];
      const b = queue[first] as (typeof queue)[number];
      if (a.at < b.at || (a.at === b.at && a.order < b.order)) first = i;
    }
    const [next] = queue.splice(first, 1);
    if (next === undefined) break;
    clock.set(next.at);
    await next.step();
  }
  clock.set(now - MINUTE);
  await center.run(); // expires what has waited more than 7 days
  clock.stopSeeding();
  return { submitted, refused };
}
