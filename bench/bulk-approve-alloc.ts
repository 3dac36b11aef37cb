/**
 * Bytes allocated per approved action by one bulk approve (10,000 of 100,000 pending; 1,000 of
 * 10,000 with `--quick`) through the engine, and by the raw update (slice + spread + events), for
 * the bulk approve case (bench/cases/bulk-approve.ts), which runs this file in a child process:
 * the heap's growth across one call counts every allocation only when no collection runs during
 * it, which needs a young generation larger than the call allocates (`--max-semi-space-size`).
 * The raw update with a hash chain (`rawChainedApproval`) is measured the same way: the floor of any
 * engine that keeps the audit chain.
 * Prints one JSON line: `{ "engine": [bytes per action, per round], "raw": bytes, "chained": bytes }`.
 *
 * @module
 */
import {
  createActionCenter,
  createMemoryRepository,
  manualClock,
  sequentialIdGenerator,
  type ActionRecord,
} from '../src/index.js';
import { NOW, pendingActions, rawApprovalEvent, rawApprovedRecord, rawChainedApproval } from './data.js';

const quick = process.argv.includes('--quick');
const total = quick ? 10_000 : 100_000;
const selected = quick ? 1_000 : 10_000;
const ROUNDS = 5;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const actions = pendingActions(total);
const positions: number[] = [];
for (let i = 0; i < actions.length && positions.length < selected; i++)
  if ((actions[i] as ActionRecord).actionType === 'quarantineFile') positions.push(i);
const ids = positions.map((i) => (actions[i] as ActionRecord).id);
const principal = {
  id: 'secadmin@contoso.com',
  assignments: [{ role: 'securityAdministrator' as const, assignedIn: 'entraId' as const }],
};

const centers = Array.from({ length: ROUNDS }, () => {
  const repository = createMemoryRepository();
  const loaded = repository.load({ actions });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return createActionCenter({
    repository,
    clock: manualClock(NOW),
    idGenerator: sequentialIdGenerator(),
    maxSelection: selected,
  });
});

const engine: number[] = [];
for (const center of centers) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const r = await center.approve({ principal, ids, comment: 'Confirmed malicious' });
  const after = process.memoryUsage().heapUsed;
  if (!r.ok || !r.value.allApplied) throw new Error('bulk approve failed');
  engine.push(Math.round((after - before) / selected));
}

gc();
const before = process.memoryUsage().heapUsed;
const by = { type: 'principal' as const, id: principal.id };
const next = actions.slice();
const events = new Array<object>(positions.length);
for (let k = 0; k < positions.length; k++) {
  const i = positions[k] as number;
  const a = next[i] as ActionRecord;
  next[i] = rawApprovedRecord(a, by as ActionRecord['decidedBy'], 'Confirmed malicious');
  events[k] = rawApprovalEvent(a, by as ActionRecord['decidedBy'], 'Confirmed malicious', k);
}
const raw = Math.round((process.memoryUsage().heapUsed - before) / selected);
if (next.length !== actions.length || events.length !== selected) throw new Error('raw update incomplete');

gc();
const beforeChained = process.memoryUsage().heapUsed;
const chainedNext = actions.slice();
const chainedEvents = new Array<object>(positions.length);
for (let k = 0; k < positions.length; k++) {
  const i = positions[k] as number;
  chainedNext[i] = rawChainedApproval(
    chainedNext[i] as ActionRecord,
    by as ActionRecord['decidedBy'],
    'Confirmed malicious',
    k,
    chainedEvents,
  );
}
const chained = Math.round((process.memoryUsage().heapUsed - beforeChained) / selected);
if (chainedNext.length !== actions.length || chainedEvents.length !== selected)
  throw new Error('raw update with hash chain incomplete');
console.log(JSON.stringify({ engine, raw, chained }));
