/**
 * Bulk approve through the engine: 10,000 of 100,000 pending actions, one type, in ONE `approve`
 * call on the in-memory repository. That call validates the input, loads the actions, checks the
 * selection rule (one type, all pending, permitted), authorizes each action, runs each transition,
 * builds each audit event, and commits everything atomically (version checks, open keys, index
 * moves).
 *
 * Baseline in the same run: the raw update of the same 10,000 records — slice the array of 100,000
 * and replace each with a spread copy — plus 10,000 plain event objects. Floor in the same run: the
 * same raw update whose events are hash-chained with `node:crypto` (what any engine keeping the
 * tamper-evident trail of issue 16 must at least do), which shows how much of the issue's ≤ 5x
 * budget the hash chain alone takes.
 *
 * @module
 */
import {
  createActionCenter,
  createMemoryRepository,
  manualClock,
  sequentialIdGenerator,
  type ActionCenter,
  type ActionRecord,
  type Actor,
  type PrincipalInput,
} from '../../src/index.js';
import { type PrincipalId } from '../../src/adapter-kit.js';
import { NOW, pendingActions, rawApprovalEvent, rawApprovedRecord, rawChainedApproval } from '../data.js';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  compare,
  count,
  measureVariants,
  median,
  timeRow,
  type BenchOptions,
  type BenchRow,
  type Comparison,
  type Stats,
} from '../harness.js';

const GROUP = 'Bulk approve';

const SECURITY_ADMINISTRATOR: PrincipalInput = {
  id: 'secadmin@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};

/** Runs the bulk approve case. */
export async function bulkApproveBench(options: BenchOptions): Promise<BenchRow[]> {
  const total = options.quick ? 10_000 : 100_000;
  const selected = options.quick ? 1_000 : 10_000;
  const actions = pendingActions(total);
  // The first `selected` quarantine-file actions (every other action is one).
  const positions: number[] = [];
  for (let i = 0; i < actions.length && positions.length < selected; i++)
    if ((actions[i] as ActionRecord).actionType === 'quarantineFile') positions.push(i);
  const ids = positions.map((i) => (actions[i] as ActionRecord).id);
  const comment = 'Confirmed malicious';

  const freshCenter = (): ActionCenter => {
    const repository = createMemoryRepository();
    const loaded = repository.load({ actions });
    if (!loaded.ok) throw new Error(loaded.error.message);
    return createActionCenter({
      repository,
      clock: manualClock(NOW),
      idGenerator: sequentialIdGenerator(),
      maxSelection: selected,
    });
  };

  const by: Actor = { type: 'principal', id: SECURITY_ADMINISTRATOR.id as PrincipalId };
  const rawUpdate = (a: ActionRecord): ActionRecord => rawApprovedRecord(a, by, comment);

  // Once, untimed: the call does what it says, and stores what the raw update computes.
  const checked = freshCenter();
  const check = await checked.approve({ principal: SECURITY_ADMINISTRATOR, ids, comment });
  if (!check.ok || !check.value.allApplied || check.value.counts.applied !== selected)
    throw new Error(
      `bulk approve: expected ${selected} approved, got ${check.ok ? check.value.counts.applied : check.error.message}`,
    );
  for (const i of positions) {
    const before = actions[i] as ActionRecord;
    const stored = await checked.get({ principal: SECURITY_ADMINISTRATOR, id: before.id });
    if (!stored.ok) throw new Error(`bulk approve: ${before.id} cannot be read back: ${stored.error.message}`);
    // Every field but the audit head: the engine's hash chain (issue 16), which a raw update has not.
    const keys = Object.keys(before)
      .filter((k) => k !== 'auditHead')
      .sort();
    const expected = JSON.stringify(rawUpdate(before), keys);
    const actual = JSON.stringify(stored.value, keys);
    if (actual !== expected) throw new Error(`bulk approve: ${before.id} differs from the raw update: ${actual}`);
  }

  const stats = await measureVariants(
    [
      {
        name: 'raw',
        ops: selected,
        run: () => {
          const next = actions.slice();
          const events = new Array<object>(positions.length);
          for (let k = 0; k < positions.length; k++) {
            const i = positions[k] as number;
            const a = next[i] as ActionRecord;
            next[i] = rawUpdate(a);
            events[k] = rawApprovalEvent(a, by, comment, k);
          }
          return [next, events];
        },
      },
      {
        name: 'chained',
        ops: selected,
        run: () => {
          const next = actions.slice();
          const events = new Array<object>(positions.length);
          for (let k = 0; k < positions.length; k++) {
            const i = positions[k] as number;
            next[i] = rawChainedApproval(next[i] as ActionRecord, by, comment, k, events);
          }
          return [next, events];
        },
      },
      {
        name: 'engine',
        ops: selected,
        setup: freshCenter,
        run: async (center: ActionCenter) => {
          const r = await center.approve({ principal: SECURITY_ADMINISTRATOR, ids, comment });
          if (!r.ok || !r.value.allApplied) throw new Error('bulk approve failed');
          return r;
        },
      },
    ],
    options,
    // Each round loads 100,000 actions first (untimed): cheap enough for more warm-up, which the
    // engine's many functions need before V8 has optimised them all.
    { warmup: 6, runs: 9 },
  );
  const raw = stats.get('raw');
  const chained = stats.get('chained');
  const engine = stats.get('engine');
  if (raw === undefined || chained === undefined || engine === undefined)
    throw new Error('bulk approve: missing measurements');
  const size = `${count(selected)} of ${count(total)} pending`;
  const allocation = allocationPerAction(options);
  return [
    ...allocation.map((row) => ({ ...row, size })),
    timeRow(GROUP, 'baseline: raw slice + spread + events', size, raw),
    timeRow(
      GROUP,
      'floor: the raw update + a SHA-256 hash chain (node:crypto)',
      size,
      chained,
      [compare(chained, 'raw update', raw)],
      'each event hashed over its JSON with previousHash, the record given its hash as audit head: the least any engine keeping the audit chain of issue 16 does',
    ),
    timeRow(
      GROUP,
      'actioncenter approve() (one call)',
      size,
      engine,
      [
        compare(engine, 'raw update', raw, { maxRatio: 5, words: '≤ 5x raw' }),
        compare(engine, 'raw update + hash chain', chained),
      ],
      'authorize, selection rule, transitions, audit (hash chain: canonical JSON + SHA-256 in pure TypeScript), atomic commit',
    ),
  ];
}

/**
 * Bytes allocated per approved action, engine and raw update, measured in a child process whose
 * young generation holds a whole call (bench/bulk-approve-alloc.ts). The first two rounds are left
 * out: they also allocate the optimised code.
 */
function allocationPerAction(options: BenchOptions): BenchRow[] {
  const file = fileURLToPath(new URL('../bulk-approve-alloc.ts', import.meta.url));
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--max-semi-space-size=1024', '--import', 'tsx', file, ...(options.quick ? ['--quick'] : [])],
    { encoding: 'utf8' },
  );
  const { engine, raw, chained } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    engine: number[];
    raw: number;
    chained: number;
  };
  const warm = engine.slice(2);
  const bytes = (median: number, runs: number, min = median, max = median): Stats => ({
    unit: 'B',
    runs,
    median,
    min,
    max,
    opsPerRun: null,
  });
  const engineBytes = bytes(median(warm), warm.length, Math.min(...warm), Math.max(...warm));
  const rawBytes = bytes(raw, 1);
  const chainedBytes = bytes(chained, 1);
  const perKb: Comparison = {
    baseline: '1 KB',
    ratio: engineBytes.median / 1024,
    maxRatio: 1,
    target: '< 1 KB per action',
    met: engineBytes.median < 1024,
  };
  return [
    { group: GROUP, name: 'allocated per action: raw update', size: '', stats: rawBytes, comparisons: [], note: null },
    {
      group: GROUP,
      name: 'allocated per action: floor, raw update + hash chain (node:crypto)',
      size: '',
      stats: chainedBytes,
      comparisons: [compare(chainedBytes, 'raw update', rawBytes)],
      note: 'the event JSON, the hash object and its hex digest on top of the raw update',
    },
    {
      group: GROUP,
      name: 'allocated per action: approve()',
      size: '',
      stats: engineBytes,
      comparisons: [
        perKb,
        compare(engineBytes, 'raw update', rawBytes),
        compare(engineBytes, 'raw update + hash chain', chainedBytes),
      ],
      note: 'heap growth over one call with no collection in it, rounds 3-5',
    },
  ];
}
