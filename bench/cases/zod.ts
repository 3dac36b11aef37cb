/**
 * Validation of submitted actions per second: `catalog.parseRequest` (zod: the request's shape,
 * its target, then the action type's own parameter schema) over a mix of requests, and the
 * lifecycle event parser for comparison. No baseline: the issue asks for the figure.
 *
 * @module
 */
import { builtInCatalog, type ActionRequestInput } from '../../src/index.js';
import { parseLifecycleEvent } from '../../src/adapter-kit.js';
import { count, measureVariants, timeRow, type BenchOptions, type BenchRow, type Stats } from '../harness.js';

const GROUP = 'Validation (zod)';

const automation = { type: 'system', component: 'automatedInvestigation' } as const;

const REQUESTS: readonly ActionRequestInput[] = [
  {
    actionType: 'quarantineFile',
    target: {
      kind: 'file',
      deviceId: 'dev-1',
      deviceName: 'LAPTOP-1',
      deviceGroup: 'Workstations',
      path: 'C:\\Users\\alex\\Downloads\\invoice.exe',
      sha1: 'ab'.repeat(20),
    },
    source: 'automatedDeviceAction',
    verdict: 'suspicious',
    investigationId: 'inv-1',
    requestedBy: automation,
  },
  {
    actionType: 'isolateDevice',
    target: { kind: 'device', deviceId: 'dev-2', deviceName: 'LAPTOP-2', deviceGroup: 'Workstations' },
    parameters: { isolationType: 'full' },
    source: 'manualDeviceAction',
    requestedBy: { type: 'principal', id: 'secadmin@contoso.com' },
    comment: 'Lateral movement seen',
  },
  {
    actionType: 'softDeleteEmail',
    target: {
      kind: 'emailMessage',
      mailbox: 'user1@contoso.com',
      networkMessageId: 'nmi-1',
      subject: 'Invoice overdue',
    },
    parameters: { networkMessageId: 'nmi-1' },
    source: 'automatedEmailAction',
    investigationId: 'inv-2',
    requestedBy: automation,
  },
  {
    actionType: 'blockUrl',
    target: { kind: 'url', url: 'https://phish.example/login' },
    parameters: { url: 'https://phish.example/login' },
    source: 'automatedEmailAction',
    requestedBy: automation,
  },
];

const EVENT = {
  type: 'approve',
  by: { type: 'principal', id: 'secadmin@contoso.com' },
  at: Date.UTC(2026, 5, 30),
  comment: 'ok',
};

/** Runs the validation case. */
export async function zodBench(options: BenchOptions): Promise<BenchRow[]> {
  const n = options.quick ? 2_000 : 50_000;
  for (const request of REQUESTS) {
    const r = builtInCatalog.parseRequest(request);
    if (!r.ok) throw new Error(`zod: a sample request is invalid: ${r.error.message}`);
  }
  const stats = await measureVariants(
    [
      {
        name: 'request',
        ops: n,
        run: () => {
          let valid = 0;
          for (let i = 0; i < n; i++) if (builtInCatalog.parseRequest(REQUESTS[i % REQUESTS.length]).ok) valid += 1;
          return valid;
        },
      },
      {
        name: 'event',
        ops: n,
        run: () => {
          let valid = 0;
          for (let i = 0; i < n; i++) if (parseLifecycleEvent(EVENT).ok) valid += 1;
          return valid;
        },
      },
    ],
    options,
  );
  return [
    timeRow(
      GROUP,
      'catalog.parseRequest() (4 request kinds)',
      `${count(n)} requests`,
      stats.get('request') as Stats,
      [],
      'shape + target + type parameters',
    ),
    timeRow(GROUP, 'parseLifecycleEvent()', `${count(n)} events`, stats.get('event') as Stats),
  ];
}
