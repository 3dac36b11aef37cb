/**
 * The reads of the scaling bench: the History default view, filters (each also as a naive
 * `Array.filter` over the same records, timed interleaved with it), and a sort by asset; each
 * checked once, untimed, against the naive filter + sort + slice.
 *
 * @module
 */
import type { ActionCenter, ActionQueryInput, ActionRecord, MemoryRepository } from '../src/index.js';
import { assetOf, resolveQuery } from '../src/adapter-kit.js';
import { NOW } from './data.js';
import { count, median } from './harness.js';
import { READER, list, ms, progress, ratio, timed, type ScalingCell } from './scaling-common.js';

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

/** The reads, with their naive equivalents over `actions` (the records the store was loaded with). */
export function readsOver(actions: readonly ActionRecord[]): Read[] {
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

/** Times every read (center and naive interleaved) and adds its cells. */
export async function measureReads(
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
    const { plan, examined } = repository.explain(resolved.value).stats;

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
    notes.push(`${read.label}: ${count(total)} match, plan ${plan}, ${count(examined)} records read`);
    progress(size, `${read.label}: ${ms(centerMs)}`);
  }
}
