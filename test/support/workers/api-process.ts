/**
 * The API process of the multi-process test and the workers bench: submits `AC_ACTIONS` actions
 * (pending approval), then approves them in bulk (`AC_BATCH` per approval, each one commit that
 * enqueues its jobs). Prints one JSON line: how many were approved, and how long each phase took.
 */
import { unwrap, type PrincipalInput } from 'actioncenter';
import { bossOf, centerOf, settingsFromEnv } from './setup.js';

const settings = settingsFromEnv();
const count = Number(process.env['AC_ACTIONS'] ?? '100');
const batch = Number(process.env['AC_BATCH'] ?? '500');
const parallel = 8;
const alice: PrincipalInput = {
  id: 'alice@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};

const boss = bossOf(settings, false);
await boss.start();
const noExecutor = { supports: () => false, execute: () => Promise.reject(new Error('the API process runs nothing')) };
const { center, pool } = centerOf(settings, boss, noExecutor, parallel + 2);
const started = Date.now();
const ids: string[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: parallel }, async () => {
    for (let i = next++; i < count; i = next++) {
      const submitted = unwrap(
        await center.submit({
          request: {
            actionType: 'quarantineFile',
            target: {
              kind: 'file',
              deviceId: `dev-${i}`,
              deviceName: `device-${i}`,
              deviceGroup: 'Workstations',
              path: 'C:\\Users\\alex\\invoice.exe',
              sha1: 'ab'.repeat(20),
            },
            source: 'automatedDeviceAction',
            verdict: 'suspicious',
            investigationId: `inv-${i % 50}`,
            requestedBy: { type: 'system', component: 'automatedInvestigation' },
          },
        }),
      );
      ids.push(submitted.action.id);
    }
  }),
);
const submittedMs = Date.now() - started;
let approved = 0;
for (let i = 0; i < ids.length; i += batch) {
  const r = unwrap(await center.approve({ principal: alice, ids: ids.slice(i, i + batch) }));
  approved += r.counts.applied;
}
const approvedMs = Date.now() - started - submittedMs;
await boss.stop({ graceful: false, wait: true });
await pool.end();
console.log(JSON.stringify({ approved, submittedMs, approvedMs }));
