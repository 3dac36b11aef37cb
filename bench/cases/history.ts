/**
 * The History view over 1,000,000 actions spread over six months, through `center.list` (validate
 * the principal and the query, authorize, resolve "past 30 days" to one cutoff, query the memory
 * repository's index): status + action type + past 30 days, newest first, a page of 50 with the
 * total. Also: the same filter sorted by another column (asset: the asset index walked in order, the
 * key-order plan); filters the (status, type) buckets do not serve: decided by one analyst, requested
 * by one analyst and one asset (read through the secondary indexes), and one investigation (no
 * index: a scan of the buckets' coded columns).
 *
 * Baselines in the same run: naive `filter` + `sort` + `slice` over the same array (with the cutoff
 * computed once, so the baseline pays no date math either); for the filters the buckets do not
 * serve, also the bare hand-written `Array.filter` (no sort, no page), with the target "≥ naive
 * speed" (issue 14). The center row's note gives the first call's time too: a scan's first query
 * builds the coded columns it then reuses (the measured runs follow warm-up runs).
 *
 * @module
 */
import {
  createActionCenter,
  createMemoryRepository,
  manualClock,
  unwrap,
  sequentialIdGenerator,
  type ActionCenter,
  type ActionPage,
  type ActionQueryInput,
  type ActionRecord,
  type MemoryRepository,
  type PrincipalInput,
} from '../../src/index.js';
import { periodStart, resolveQuery, type ResolvedQuery } from '../../src/adapter-kit.js';
import { NOW, historyActions } from '../data.js';
import { compare, count, measureVariants, timeRow, type BenchOptions, type BenchRow, type Stats } from '../harness.js';

const GROUP = 'History query';
const READER: PrincipalInput = {
  id: 'reader@contoso.com',
  assignments: [{ role: 'securityReader', assignedIn: 'entraId' }],
};

interface QueryCase {
  readonly key: string;
  readonly label: string;
  readonly query: ActionQueryInput;
  /** The same query, naively: filter, sort, slice. */
  readonly naive: (actions: readonly ActionRecord[]) => ActionPage;
  /** Queries per timed run through the center (they are fast; the naive side runs fewer). */
  readonly perRun: number;
  readonly naivePerRun: number;
  /** The target, if this query has one. */
  readonly target: { readonly maxRatio: number; readonly words: string } | null;
  /** For filters the buckets do not serve: the bare `Array.filter`, which the page must keep up with. */
  readonly naiveFilter?: (actions: readonly ActionRecord[]) => readonly ActionRecord[];
}

/** Issue 14: a filter the buckets do not serve answers at least as fast as a hand-written `Array.filter`. */
const FILTER_TARGET = { maxRatio: 1, words: '≥ naive speed' } as const;

const byIdAsc = (a: ActionRecord, b: ActionRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function page(matching: ActionRecord[], compareFn: (a: ActionRecord, b: ActionRecord) => number): ActionPage {
  matching.sort(compareFn);
  return { items: matching.slice(0, 50), total: matching.length, totalIs: 'exact', nextCursor: null };
}

/** Runs the History query case. */
export async function historyBench(options: BenchOptions): Promise<BenchRow[]> {
  const size = options.quick ? 20_000 : 1_000_000;
  const actions = historyActions(size);
  const repository: MemoryRepository = createMemoryRepository();
  const loaded = repository.load({ actions });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const center: ActionCenter = createActionCenter({
    repository,
    clock: manualClock(NOW),
    idGenerator: sequentialIdGenerator(),
  });
  const cutoff = unwrap(periodStart('past30Days', NOW));
  const q = options.quick ? 0.05 : 1;
  // One asset and one requester, picked from the data (the same on every run).
  const oneAsset = assetName(actions[Math.floor(size / 2)] as ActionRecord);
  const requester = 'analyst7@contoso.com';
  const decidedByAnalyst = (a: ActionRecord) =>
    a.status !== 'pending' &&
    a.decidedBy !== null &&
    a.decidedBy.type === 'principal' &&
    a.decidedBy.id === 'analyst7@contoso.com';
  const onAsset = (a: ActionRecord) => a.status !== 'pending' && assetName(a) === oneAsset;
  const requestedByAnalyst = (a: ActionRecord) =>
    a.status !== 'pending' && a.requestedBy.type === 'principal' && a.requestedBy.id === requester;
  const investigation = actions.slice(Math.floor(size / 2)).find((a) => a.investigationId !== null)
    ?.investigationId as string;
  const inInvestigation = (a: ActionRecord) => a.status !== 'pending' && a.investigationId === investigation;
  const newestFirst = (a: ActionRecord, b: ActionRecord) => b.createdAt - a.createdAt || byIdAsc(a, b);

  const cases: readonly QueryCase[] = [
    {
      key: 'indexed',
      label: 'status + type + past 30 days, newest first',
      query: {
        filter: { status: ['succeeded'], actionType: ['quarantineFile'], time: { period: 'past30Days' } },
        sort: { column: 'createdAt', direction: 'desc' },
        page: { size: 50 },
      },
      naive: (xs) =>
        page(
          xs.filter((a) => a.status === 'succeeded' && a.actionType === 'quarantineFile' && a.createdAt >= cutoff),
          (a, b) => b.createdAt - a.createdAt || byIdAsc(a, b),
        ),
      perRun: Math.ceil(2_000 * q),
      naivePerRun: Math.ceil(4 * q),
      target: { maxRatio: 1 / 200, words: '≥ 200x faster' },
    },
    {
      key: 'otherSort',
      label: 'same filter, sorted by asset',
      query: {
        filter: { status: ['succeeded'], actionType: ['quarantineFile'], time: { period: 'past30Days' } },
        sort: { column: 'asset', direction: 'asc' },
        page: { size: 50 },
      },
      naive: (xs) =>
        page(
          xs.filter((a) => a.status === 'succeeded' && a.actionType === 'quarantineFile' && a.createdAt >= cutoff),
          (a, b) => {
            const x = assetName(a);
            const y = assetName(b);
            return x < y ? -1 : x > y ? 1 : byIdAsc(a, b);
          },
        ),
      // The key-order plan reads about a page's worth of actions (issue 14): fast, so many per run.
      perRun: Math.ceil(1_000 * q),
      naivePerRun: Math.ceil(4 * q),
      target: null,
    },
    {
      key: 'decidedBy',
      label: 'History decided by one analyst (decided-by index), newest first',
      query: {
        filter: { view: 'history', decidedBy: ['analyst7@contoso.com'] },
        sort: { column: 'createdAt', direction: 'desc' },
        page: { size: 50 },
      },
      naive: (xs) => page(xs.filter(decidedByAnalyst), newestFirst),
      naiveFilter: (xs) => xs.filter(decidedByAnalyst),
      perRun: Math.ceil(40 * q),
      naivePerRun: Math.ceil(4 * q),
      target: null,
    },
    {
      key: 'asset',
      label: 'History on one asset (asset index), newest first',
      query: {
        filter: { view: 'history', asset: [oneAsset] },
        sort: { column: 'createdAt', direction: 'desc' },
        page: { size: 50 },
      },
      naive: (xs) => page(xs.filter(onAsset), newestFirst),
      naiveFilter: (xs) => xs.filter(onAsset),
      perRun: Math.ceil(400 * q),
      naivePerRun: Math.ceil(4 * q),
      target: null,
    },
    {
      key: 'requestedBy',
      label: 'History requested by one analyst (requested-by index), newest first',
      query: {
        filter: { view: 'history', requestedBy: [requester] },
        sort: { column: 'createdAt', direction: 'desc' },
        page: { size: 50 },
      },
      naive: (xs) => page(xs.filter(requestedByAnalyst), newestFirst),
      naiveFilter: (xs) => xs.filter(requestedByAnalyst),
      perRun: Math.ceil(10 * q),
      naivePerRun: Math.ceil(4 * q),
      target: null,
    },
    {
      key: 'investigation',
      label: 'History of one investigation (no index: coded scan), newest first',
      query: {
        filter: { view: 'history', investigationId: [investigation] },
        sort: { column: 'createdAt', direction: 'desc' },
        page: { size: 50 },
      },
      naive: (xs) => page(xs.filter(inInvestigation), newestFirst),
      naiveFilter: (xs) => xs.filter(inInvestigation),
      perRun: Math.ceil(10 * q),
      naivePerRun: Math.ceil(4 * q),
      target: null,
    },
  ];

  const rows: BenchRow[] = [];
  for (const c of cases) {
    // Once, untimed: the center returns exactly the naive page, and how the repository answered.
    // Timed too, once: the first query of a filter builds what it caches (the coded columns of a scan).
    const firstStart = performance.now();
    const listed = await center.list({ principal: READER, query: c.query });
    const firstMs = performance.now() - firstStart;
    if (!listed.ok) throw new Error(listed.error.message);
    const expected = c.naive(actions);
    if (
      listed.value.total !== expected.total ||
      listed.value.items.map((a) => a.id).join() !== expected.items.map((a) => a.id).join()
    ) {
      throw new Error(`history "${c.key}": the center's page differs from the naive page`);
    }
    const resolved = resolveQuery(c.query, NOW);
    if (!resolved.ok) throw new Error(resolved.error.message);
    const plan = repository.explain(resolved.value).stats;
    const naiveFilter = c.naiveFilter;
    const stats = await measureVariants(
      [
        ...(naiveFilter === undefined
          ? []
          : [
              {
                name: 'naive filter',
                ops: c.naivePerRun,
                run: () => {
                  let last: readonly ActionRecord[] | undefined;
                  for (let i = 0; i < c.naivePerRun; i++) last = naiveFilter(actions);
                  return last;
                },
              },
            ]),
        {
          name: 'naive',
          ops: c.naivePerRun,
          run: () => {
            let last: ActionPage | undefined;
            for (let i = 0; i < c.naivePerRun; i++) last = c.naive(actions);
            return last;
          },
        },
        {
          name: 'center',
          ops: c.perRun,
          run: async () => {
            let last: unknown;
            for (let i = 0; i < c.perRun; i++) last = await center.list({ principal: READER, query: c.query });
            return last;
          },
        },
        {
          name: 'repository',
          ops: c.perRun,
          run: () => queryLoop(repository, resolved.value, c.perRun),
        },
      ],
      options,
    );
    const naive = stats.get('naive') as Stats;
    const viaCenter = stats.get('center') as Stats;
    const viaRepository = stats.get('repository') as Stats;
    const filterOnly = stats.get('naive filter');
    const sizeLabel = `${count(size)} actions, ${count(expected.total)} match`;
    // Against the bare Array.filter too, where the case has one: the target for these filters.
    const versusFilter = (subject: Stats) =>
      filterOnly === undefined ? [] : [compare(subject, 'naive Array.filter', filterOnly, FILTER_TARGET)];
    rows.push(
      ...(filterOnly === undefined
        ? []
        : [timeRow(GROUP, `baseline: naive Array.filter only — ${c.label}`, sizeLabel, filterOnly)]),
      timeRow(GROUP, `baseline: naive filter+sort+slice — ${c.label}`, sizeLabel, naive),
      timeRow(
        GROUP,
        `center.list() — ${c.label}`,
        sizeLabel,
        viaCenter,
        [compare(viaCenter, 'naive', naive, c.target), ...versusFilter(viaCenter)],
        `plan ${plan.plan}: ${plan.buckets} buckets, ${count(plan.examined)} records read; first call ${firstMs.toFixed(0)} ms`,
      ),
      timeRow(
        GROUP,
        `repository.query() — ${c.label}`,
        sizeLabel,
        viaRepository,
        [compare(viaRepository, 'naive', naive, null), ...versusFilter(viaRepository)],
        'resolved query, no validation',
      ),
    );
  }
  return rows;
}

async function queryLoop(repository: MemoryRepository, query: ResolvedQuery, n: number): Promise<unknown> {
  let last: unknown;
  for (let i = 0; i < n; i++) last = await repository.query(query);
  return last;
}

function assetName(a: ActionRecord): string {
  const t = a.target;
  switch (t.kind) {
    case 'emailMessage':
    case 'mailbox':
      return t.mailbox;
    case 'emailCluster':
      return t.query;
    case 'url':
      return t.url;
    case 'user':
      return t.userPrincipalName;
    case 'indicator':
      return t.value;
    default:
      return t.deviceName;
  }
}
