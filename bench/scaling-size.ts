/**
 * One size of the scaling bench (bench/scaling.ts runs it in a child process per size, so that the
 * heaps of different sizes never share a process): N history-like actions (most final, some pending)
 * plus 2k pending quarantine/isolate actions for the bulk approve, k = min(10,000, N/10), loaded into
 * the in-memory repository and read and changed through the public API only.
 *
 * Each measure is checked once, untimed, so that the figure means what it says: the center's pages
 * equal naive filter + sort + slice over the same records, the bulk approve applied all k and the
 * store then holds exactly k approved actions, and the export wrote N rows and N + 1 CRLF lines.
 *
 * Fresh repositories: a bulk approve changes the store, so every round loads a new one (timed: that
 * is the load figure) and approves on it; the reads and the export run on the first one, before it
 * is changed. The code is warmed first on a small store, so the rounds at large sizes (few, because
 * each loads millions of records) are not the first calls V8 sees.
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
  type MemoryRepository,
  type PrincipalInput,
} from '../src/index.js';
import { type PrincipalId } from '../src/adapter-kit.js';
import { NOW, actionId, historyActions, pendingActions, rawApprovalEvent, rawApprovedRecord } from './data.js';
import { collectGarbage, count, median, mib, sink } from './harness.js';
import {
  list,
  ms,
  progress,
  rate,
  ratio,
  settledHeap,
  timed,
  type ScalingCell,
  type SizeResult,
} from './scaling-common.js';
import { measureReads, readsOver } from './scaling-reads.js';

export type { ScalingCell, SizeResult } from './scaling-common.js';

const ADMIN: PrincipalInput = {
  id: 'secadmin@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};
const EXPORTER: PrincipalInput = {
  id: 'ga@contoso.com',
  assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }],
};
const COMMENT = 'Confirmed malicious';
/** An export still running after this long is stopped, and its rate reported over the rows so far. */
const EXPORT_DEADLINE_MS = 60_000;

/** Rounds per measure: fewer where one round loads or exports millions of records. */
function roundsFor(size: number, quick: boolean): { fresh: number; reads: number; exports: number } {
  if (quick) return { fresh: 3, reads: 5, exports: 2 };
  if (size >= 2_000_000) return { fresh: 3, reads: 5, exports: 1 };
  if (size >= 1_000_000) return { fresh: 3, reads: 7, exports: 1 };
  return { fresh: 5, reads: 11, exports: 3 };
}

/** The store: `size - 2k` history actions, then 2k pending ones (every other one a quarantineFile). */
function storeActions(size: number, k: number): { actions: ActionRecord[]; positions: number[] } {
  const actions = historyActions(size - 2 * k);
  const first = actions.length;
  // pendingActions numbers its ids from 0: renumbered after the history ones (targets stay distinct).
  pendingActions(2 * k).forEach((a, i) => actions.push({ ...a, id: actionId(first + i) }));
  const positions: number[] = [];
  for (let i = first; i < actions.length; i++)
    if ((actions[i] as ActionRecord).actionType === 'quarantineFile') positions.push(i);
  if (positions.length !== k) throw new Error(`scaling: ${positions.length} quarantine actions to approve, not ${k}`);
  return { actions, positions };
}

function loaded(actions: readonly ActionRecord[]): MemoryRepository {
  const repository = createMemoryRepository();
  const r = repository.load({ actions });
  if (!r.ok) throw new Error(`scaling: load refused: ${r.error.message}`);
  return repository;
}

function centerOver(repository: MemoryRepository, k: number): ActionCenter {
  return createActionCenter({
    repository,
    clock: manualClock(NOW),
    idGenerator: sequentialIdGenerator(),
    maxSelection: Math.max(1, k),
  });
}

// ---- export --------------------------------------------------------------------------------------------

/** One export of everything, consumed as a stream; rows written and peak heap growth (sampled). */
async function exportAll(
  center: ActionCenter,
): Promise<{ ms: number; rows: number; lines: number; cut: boolean; peakMib: number }> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const t0 = performance.now();
  const r = await center.exportCsv({ principal: EXPORTER, query: { sort: { column: 'createdAt', direction: 'asc' } } });
  if (!r.ok) throw new Error(`scaling: exportCsv refused: ${r.error.message}`);
  let lines = 0;
  let chunks = 0;
  let cut = false;
  let afterCr = false;
  for await (const chunk of r.value) {
    // CRLF ends every record (fields hold bare LFs, never CRLF): counted as a writer reads them.
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1))
      if (i > 0 ? chunk.charCodeAt(i - 1) === 13 : afterCr) lines += 1;
    afterCr = chunk.charCodeAt(chunk.length - 1) === 13;
    chunks += 1;
    if (chunks % 16 === 0) {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      if (performance.now() - t0 > EXPORT_DEADLINE_MS) {
        cut = true;
        break;
      }
    }
  }
  const done = await r.value.completion;
  const elapsed = performance.now() - t0;
  if (!done.ok) throw new Error(`scaling: export failed: ${done.error.message}`);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  // Stopped early, the rows written in full are the CRLF lines counted, less the header.
  return { ms: elapsed, rows: cut ? lines - 1 : done.value.rows, lines, cut, peakMib: mib(peak - before) };
}

// ---- bulk approve ------------------------------------------------------------------------------------

/**
 * The raw update. `copy` true, as in bench/cases/bulk-approve.ts: slice the store's array, spread k
 * records into it, k events; its slice costs O(N), which flatters the ratio at millions. `copy`
 * false: the k spread records go to an array of their own (O(k), like the engine's target).
 */
function rawApprove(actions: readonly ActionRecord[], positions: readonly number[], copy: boolean): unknown {
  const by: Actor = { type: 'principal', id: ADMIN.id as PrincipalId };
  const next = copy ? actions.slice() : new Array<ActionRecord>(positions.length);
  const events = new Array<object>(positions.length);
  for (let j = 0; j < positions.length; j++) {
    const i = positions[j] as number;
    const a = actions[i] as ActionRecord;
    next[copy ? i : j] = rawApprovedRecord(a, by, COMMENT);
    events[j] = rawApprovalEvent(a, by, COMMENT, j);
  }
  return [next, events];
}

async function approveAll(center: ActionCenter, ids: readonly string[]): Promise<void> {
  const r = await center.approve({ principal: ADMIN, ids, comment: COMMENT });
  if (!r.ok || !r.value.allApplied || r.value.counts.applied !== ids.length)
    throw new Error(
      `scaling: bulk approve applied ${r.ok ? r.value.counts.applied : r.error.message}, not ${ids.length}`,
    );
}

/** Every path once or twice on a small store, untimed, so V8 has compiled them before the big rounds. */
async function warmUp(): Promise<void> {
  const k = 1_000;
  const { actions, positions } = storeActions(10_000, k);
  const ids = positions.map((i) => (actions[i] as ActionRecord).id);
  // As many rounds as bench/cases/bulk-approve.ts warms up: the engine's many functions need them.
  for (let round = 0; round < 6; round++) {
    const center = centerOver(loaded(actions), k);
    for (const read of readsOver(actions)) await list(center, read.query);
    await exportAll(center);
    await approveAll(center, ids);
    sink.value = [rawApprove(actions, positions, true), rawApprove(actions, positions, false)];
  }
  sink.value = undefined;
}

/** Measures everything at one size. */
export async function measureSize(size: number, quick: boolean): Promise<SizeResult> {
  const rounds = roundsFor(size, quick);
  const k = Math.min(10_000, Math.floor(size / 10));
  const cells: ScalingCell[] = [];
  const notes: string[] = [];
  progress(size, 'warming up on a store of 10,000');
  await warmUp();

  progress(size, 'generating the actions');
  const empty = await settledHeap();
  const { actions, positions } = storeActions(size, k);
  const ids = positions.map((i) => (actions[i] as ActionRecord).id);
  const withArray = await settledHeap();

  // Round 0's repository: measured, then read and exported before the approve changes it.
  let t0 = performance.now();
  let repository: MemoryRepository | null = loaded(actions);
  const loadMs = [performance.now() - t0];
  const withStore = await settledHeap();
  progress(size, `loaded in ${ms(loadMs[0] as number)}`);
  cells.push({
    measure: 'memory: generated records in a plain array, bytes/action',
    value: count((withArray - empty) / size),
  });
  cells.push({
    measure: 'memory: repository retained (records + indexes), bytes/action',
    value: count((withStore - withArray) / size),
  });
  cells.push({ measure: 'memory: repository retained, MiB', value: mib(withStore - withArray).toFixed(1) });

  let center: ActionCenter | null = centerOver(repository, k);
  await measureReads(size, actions, repository, center, rounds.reads, cells, notes);

  const exports: { ms: number; rows: number; peakMib: number; cut: boolean }[] = [];
  for (let run = 0; run < rounds.exports; run++) {
    const e = await exportAll(center);
    if (!e.cut && (e.rows !== size || e.lines !== size + 1))
      throw new Error(`scaling: export wrote ${e.rows} rows and ${e.lines} lines for ${size} actions`);
    exports.push(e);
    progress(size, `export ${run + 1}/${rounds.exports}: ${count(e.rows)} rows in ${ms(e.ms)}`);
  }
  const exportRate = median(exports.map((e) => (e.rows / e.ms) * 1000));
  const cutShort = exports.find((e) => e.cut);
  cells.push({
    measure: 'export: center.exportCsv of all rows, rows/s',
    value: `${rate(exportRate, 'rows')}${cutShort === undefined ? '' : ' (sampled)'}`,
  });
  cells.push({
    measure: 'export: peak heap growth, MiB',
    value: Math.max(...exports.map((e) => e.peakMib)).toFixed(1),
  });
  if (cutShort !== undefined)
    notes.push(
      `export stopped at the ${EXPORT_DEADLINE_MS / 1000} s deadline after ${count(cutShort.rows)} of ${count(size)} rows: the rate is over those rows`,
    );

  const approveMs: number[] = [];
  const rawMs: number[] = [];
  const updateMs: number[] = [];
  for (let round = 0; round < rounds.fresh; round++) {
    if (round > 0) {
      // A fresh store per round (approving changes it); the old one collected first.
      repository = null;
      center = null;
      collectGarbage();
      t0 = performance.now();
      repository = loaded(actions);
      loadMs.push(performance.now() - t0);
      center = centerOver(repository, k);
    }
    const c = center as ActionCenter;
    approveMs.push(await timed(() => approveAll(c, ids)));
    rawMs.push(await timed(() => rawApprove(actions, positions, true)));
    updateMs.push(await timed(() => rawApprove(actions, positions, false)));
    if (round === 0) {
      // Once, untimed: the store now holds exactly the k approved (the history data holds none).
      const approved = await list(c, { filter: { status: ['approved'] } });
      if (approved.total !== k) throw new Error(`scaling: ${approved.total} approved after the bulk approve, not ${k}`);
    }
    progress(
      size,
      `round ${round + 1}/${rounds.fresh}: load ${ms(loadMs[round] as number)}, approve ${ms(approveMs[round] as number)}`,
    );
  }
  const loadMedian = median(loadMs);
  cells.unshift({
    measure: 'load: repository.load, actions/s',
    value: `${rate((size / loadMedian) * 1000, 'actions')}`,
  });
  const approveMedian = median(approveMs);
  const rawMedian = median(rawMs);
  const updateMedian = median(updateMs);
  cells.push(
    { measure: 'bulk approve: selected (one call)', value: count(k) },
    { measure: 'bulk approve: center.approve', value: ms(approveMedian) },
    { measure: 'bulk approve: µs per action', value: ((approveMedian * 1000) / Math.max(1, k)).toFixed(1) },
    { measure: 'bulk approve: baseline raw slice of the store array + spread', value: ms(rawMedian) },
    { measure: 'bulk approve: center / raw slice + spread', value: ratio(approveMedian / rawMedian) },
    { measure: 'bulk approve: baseline spread + events only (no array copy)', value: ms(updateMedian) },
    { measure: 'bulk approve: center / spread only', value: ratio(approveMedian / updateMedian) },
  );
  notes.push(
    `runs: ${rounds.fresh} loads and bulk approves (fresh stores), ${rounds.reads} per read after 2 warm-up, ${rounds.exports} export(s); medians`,
  );
  return { size, cells, notes };
}
