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
  type ActionQueryInput,
  type ActionRecord,
  type Actor,
  type MemoryRepository,
  type PrincipalInput,
} from '../src/index.js';
import { assetOf, resolveQuery, type PrincipalId } from '../src/adapter-kit.js';
import { NOW, actionId, historyActions, pendingActions } from './data.js';
import { collectGarbage, collectYoungGarbage, count, heapAfterGc, median, mib, sink } from './harness.js';

/** One cell of the table: a measure (the row) and its value at this size. */
export interface ScalingCell {
  readonly measure: string;
  readonly value: string;
}

/** What a child process reports for one size. */
export interface SizeResult {
  readonly size: number;
  readonly cells: readonly ScalingCell[];
  /** Anything the table cannot say (an export cut at the deadline, the plans used). */
  readonly notes: readonly string[];
}

const READER: PrincipalInput = {
  id: 'reader@contoso.com',
  assignments: [{ role: 'securityReader', assignedIn: 'entraId' }],
};
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

function progress(size: number, message: string): void {
  process.stderr.write(`  [${count(size)}] ${message}\n`);
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

/**
 * Heap in use after full GCs with turns of the event loop between them: the warm-up's promises and
 * streams are only released once their callbacks have run, which a GC alone does not wait for.
 */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
  return heapAfterGc();
}

/** Milliseconds of one call of `fn` (`reps` calls, averaged), after a scavenge. */
async function timed(fn: () => unknown, reps = 1): Promise<number> {
  collectYoungGarbage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) {
    const out = fn();
    sink.value = out instanceof Promise ? await out : out;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / reps;
  sink.value = undefined;
  return ms;
}

// ---- formatting ------------------------------------------------------------------------------------

function ms(x: number): string {
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  if (x >= 100) return `${x.toFixed(0)} ms`;
  if (x >= 10) return `${x.toFixed(1)} ms`;
  if (x >= 1) return `${x.toFixed(2)} ms`;
  return `${x.toFixed(3)} ms`;
}
function rate(perSecond: number, unit: string): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M ${unit}/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k ${unit}/s`;
  return `${perSecond.toFixed(0)} ${unit}/s`;
}
const ratio = (x: number) => `${x < 0.1 ? x.toFixed(3) : x.toFixed(2)}x`;

// ---- the reads ---------------------------------------------------------------------------------------

interface Read {
  readonly label: string;
  readonly query: ActionQueryInput;
  /** Which records the page holds, for the untimed check (and, for filters, the naive baseline). */
  readonly matches: (a: ActionRecord) => boolean;
  readonly order: (a: ActionRecord, b: ActionRecord) => number;
  /** Whether to time a bare `Array.filter` with `matches` beside it (the filters). */
  readonly naive: boolean;
}

const byIdAsc = (a: ActionRecord, b: ActionRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const newestFirst = (a: ActionRecord, b: ActionRecord) => b.createdAt - a.createdAt || byIdAsc(a, b);

function readsOver(actions: readonly ActionRecord[]): Read[] {
  // A device from the middle of the data: a device name is the asset most actions share.
  const onDevice = actions.slice(Math.floor(actions.length / 2)).find((a) => 'deviceName' in a.target);
  const asset = assetOf((onDevice ?? (actions[0] as ActionRecord)).target);
  const investigation = actions.slice(Math.floor(actions.length / 2)).find((a) => a.investigationId !== null)
    ?.investigationId as string;
  const analyst = 'analyst7@contoso.com';
  const history = (a: ActionRecord) => a.status !== 'pending';
  const page = { size: 50 };
  return [
    {
      label: 'list: History default view, first page (50)',
      query: { filter: { view: 'history' }, page },
      matches: history,
      order: newestFirst,
      naive: false,
    },
    {
      label: 'filter: History decided by one analyst',
      query: { filter: { view: 'history', decidedBy: [analyst] }, page },
      matches: (a) => history(a) && a.decidedBy?.type === 'principal' && a.decidedBy.id === analyst,
      order: newestFirst,
      naive: true,
    },
    {
      label: 'filter: History on one asset',
      query: { filter: { view: 'history', asset: [asset] }, page },
      matches: (a) => history(a) && assetOf(a.target) === asset,
      order: newestFirst,
      naive: true,
    },
    {
      label: 'filter: History of one investigation',
      query: { filter: { view: 'history', investigationId: [investigation] }, page },
      matches: (a) => history(a) && a.investigationId === investigation,
      order: newestFirst,
      naive: true,
    },
    {
      label: 'sort: History by asset, first page (50)',
      query: { filter: { view: 'history' }, sort: { column: 'asset', direction: 'asc' }, page },
      matches: history,
      order: (a, b) => {
        const x = assetOf(a.target);
        const y = assetOf(b.target);
        return x < y ? -1 : x > y ? 1 : byIdAsc(a, b);
      },
      naive: false,
    },
  ];
}

async function list(center: ActionCenter, query: ActionQueryInput) {
  const r = await center.list({ principal: READER, query });
  if (!r.ok) throw new Error(`scaling: list refused: ${r.error.message}`);
  return r.value;
}

async function measureReads(
  size: number,
  actions: readonly ActionRecord[],
  repository: MemoryRepository,
  center: ActionCenter,
  rounds: number,
  cells: ScalingCell[],
  notes: string[],
): Promise<void> {
  // Sub-millisecond calls at small sizes: several per sample, so the timer's grain does not show.
  const reps = Math.max(1, Math.ceil(20_000 / size));
  for (const read of readsOver(actions)) {
    // Once, untimed: the center's page is the naive one.
    const expected = actions.filter(read.matches);
    const total = expected.length;
    expected.sort(read.order);
    const got = await list(center, read.query);
    const ids = (xs: readonly ActionRecord[]) => xs.map((a) => a.id).join();
    if (got.total !== total || ids(got.items) !== ids(expected.slice(0, 50)))
      throw new Error(`scaling: "${read.label}" differs from the naive page`);
    const resolved = resolveQuery(read.query, NOW);
    if (!resolved.ok) throw new Error(resolved.error.message);
    const plan = repository.explain(resolved.value).stats.plan;

    const viaCenter: number[] = [];
    const naive: number[] = [];
    for (let round = 0; round < rounds + 2; round++) {
      // Interleaved, the first two rounds as warm-up: drift hits both sides alike.
      const c = await timed(() => center.list({ principal: READER, query: read.query }), reps);
      const n = read.naive ? await timed(() => actions.filter(read.matches), reps) : 0;
      if (round < 2) continue;
      viaCenter.push(c);
      naive.push(n);
    }
    const centerMs = median(viaCenter);
    cells.push({ measure: `${read.label}: center.list`, value: `${ms(centerMs)} (${plan})` });
    if (read.naive) {
      const naiveMs = median(naive);
      cells.push({ measure: `${read.label}: naive Array.filter`, value: ms(naiveMs) });
      cells.push({ measure: `${read.label}: center / naive`, value: ratio(centerMs / naiveMs) });
    }
    notes.push(`${read.label}: ${count(total)} match, plan ${plan}`);
    progress(size, `${read.label}: ${ms(centerMs)}`);
  }
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

/** The raw update, as in bench/cases/bulk-approve.ts: slice the store's array, spread k records, k events. */
function rawApprove(actions: readonly ActionRecord[], positions: readonly number[]): unknown {
  const by: Actor = { type: 'principal', id: ADMIN.id as PrincipalId };
  const next = actions.slice();
  const events = new Array<object>(positions.length);
  for (let j = 0; j < positions.length; j++) {
    const i = positions[j] as number;
    const a = next[i] as ActionRecord;
    next[i] = {
      ...a,
      status: 'approved',
      version: a.version + 1,
      decidedBy: by,
      decidedAt: NOW,
      decisionComment: COMMENT,
      expiresAt: null,
      updatedAt: NOW,
    };
    events[j] = {
      id: `evt-${j}`,
      actionId: a.id,
      sequence: a.version + 1,
      type: 'approve',
      at: NOW,
      actor: by,
      from: 'pending',
      to: 'approved',
      comment: COMMENT,
      details: {},
    };
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
    sink.value = rawApprove(actions, positions);
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
    rawMs.push(await timed(() => rawApprove(actions, positions)));
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
  cells.push(
    { measure: 'bulk approve: selected (one call)', value: count(k) },
    { measure: 'bulk approve: center.approve', value: ms(approveMedian) },
    { measure: 'bulk approve: µs per action', value: ((approveMedian * 1000) / Math.max(1, k)).toFixed(1) },
    { measure: 'bulk approve: raw slice + spread baseline', value: ms(rawMedian) },
    { measure: 'bulk approve: center / raw', value: ratio(approveMedian / rawMedian) },
  );
  notes.push(
    `runs: ${rounds.fresh} loads and bulk approves (fresh stores), ${rounds.reads} per read after 2 warm-up, ${rounds.exports} export(s); medians`,
  );
  return { size, cells, notes };
}
