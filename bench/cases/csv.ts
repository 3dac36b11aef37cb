/**
 * CSV export of 1,000,000 rows × 10 columns, streamed: `exportCsv` over an iterable of records,
 * chunks consumed as they come (their length summed, as a writer would hand them on).
 *
 * Baseline in the same run: `csv-stringify` (sync) with the same dialect — CRLF records, fields
 * holding CR or LF quoted (`quote_record_delimiter`), formula neutralisation (`escape_formulas`) —
 * over the equivalent string rows. Both sides pay for building the cells: the baseline builds its
 * rows with the same column functions (`toRow`) inside the timed run. (A third row shows
 * csv-stringify alone over rows built beforehand, for reference.) The two outputs are checked to
 * be identical before timing.
 *
 * Heap growth: sampled (heapUsed) at every chunk during the export, against the heap after a full
 * GC before it; for the baseline, the heap at the end against the same starting point.
 *
 * @module
 */
import { stringify } from 'csv-stringify/sync';
import { builtInCatalog, exportCsv, type ActionRecord } from '../../src/index.js';
import { ACTION_COLUMNS, toRow, type ActionColumn } from '../../src/adapter-kit.js';
import { historyActions } from '../data.js';
import {
  collectGarbage,
  compare,
  count,
  measureVariants,
  mib,
  timeRow,
  type BenchOptions,
  type BenchRow,
  type Stats,
} from '../harness.js';

const GROUP = 'CSV export';

const COLUMNS: readonly ActionColumn[] = (
  [
    'id',
    'investigationId',
    'actionType',
    'asset',
    'source',
    'status',
    'decidedBy',
    'comment',
    'createdAt',
    'completedAt',
  ] as const
).map((id) => ACTION_COLUMNS[id]);
const CONTEXT = { catalog: builtInCatalog };
const STRINGIFY_OPTIONS = { record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true } as const;

async function exportAll(actions: Iterable<ActionRecord>, onChunk?: () => void): Promise<number> {
  let length = 0;
  for await (const chunk of exportCsv(actions, { columns: COLUMNS, context: CONTEXT })) {
    length += chunk.length;
    onChunk?.();
  }
  return length;
}

function stringifyAll(actions: readonly ActionRecord[]): string {
  const rows: string[][] = new Array<string[]>(actions.length + 1);
  rows[0] = COLUMNS.map((c) => c.header);
  for (let i = 0; i < actions.length; i++) rows[i + 1] = toRow(actions[i] as ActionRecord, COLUMNS, CONTEXT);
  return stringify(rows, STRINGIFY_OPTIONS);
}

/** Runs the CSV export case. */
export async function csvBench(options: BenchOptions): Promise<BenchRow[]> {
  const size = options.quick ? 20_000 : 1_000_000;
  const actions = historyActions(size, 3);

  // Once, untimed: the same bytes either way (a small slice keeps this cheap).
  const sample = actions.slice(0, Math.min(size, 50_000));
  let ours = '';
  for await (const chunk of exportCsv(sample, { columns: COLUMNS, context: CONTEXT })) ours += chunk;
  if (ours !== stringifyAll(sample)) throw new Error('csv: exportCsv and csv-stringify disagree on the same rows');

  const prebuilt = (): string[][] => [COLUMNS.map((c) => c.header), ...actions.map((a) => toRow(a, COLUMNS, CONTEXT))];
  const stats = await measureVariants(
    [
      { name: 'stringify', ops: size, run: () => stringifyAll(actions).length },
      {
        name: 'stringifyOnly',
        ops: size,
        setup: prebuilt,
        run: (rows: string[][]) => stringify(rows, STRINGIFY_OPTIONS).length,
      },
      { name: 'export', ops: size, run: () => exportAll(actions) },
    ],
    options,
    // Seconds per run at a million rows: one warm-up round and five measured keep the case near two minutes.
    { warmup: 1, runs: 5 },
  );
  const baseline = stats.get('stringify') as Stats;
  const only = stats.get('stringifyOnly') as Stats;
  const exported = stats.get('export') as Stats;

  // Heap growth, measured in runs of their own (sampling would disturb the timings).
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let chunks = 0;
  const bytes = await exportAll(actions, () => {
    chunks += 1;
    if (chunks % 8 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  });
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  const exportGrowth = mib(peak - before);
  collectGarbage();
  const baseBefore = process.memoryUsage().heapUsed;
  const text = stringifyAll(actions);
  const baseGrowth = mib(process.memoryUsage().heapUsed - baseBefore);
  const outputMib = mib(bytes * 2);
  if (text.length !== bytes) throw new Error('csv: outputs differ in length');

  // Bounded: the streamed export must not hold the output (or anything like it) in memory.
  const bound = 64;
  const sizeLabel = `${count(size)} rows × ${COLUMNS.length} cols`;
  return [
    timeRow(
      GROUP,
      'baseline: csv-stringify sync (rows built in the run)',
      sizeLabel,
      baseline,
      [],
      `heap growth ${baseGrowth.toFixed(0)} MiB (holds all rows and the text)`,
    ),
    timeRow(
      GROUP,
      'reference: csv-stringify sync over prebuilt rows',
      sizeLabel,
      only,
      [],
      'rows built before timing (not counted)',
    ),
    timeRow(
      GROUP,
      'actioncenter exportCsv() streamed',
      sizeLabel,
      exported,
      [
        compare(exported, 'csv-stringify', baseline, { maxRatio: 1 / 3, words: '≥ 3x faster' }),
        compare(exported, 'csv-stringify alone', only, null),
      ],
      `peak heap growth ${exportGrowth.toFixed(1)} MiB (bound ${bound} MiB: ${exportGrowth <= bound ? 'held' : 'EXCEEDED'}) for ${outputMib.toFixed(0)} MiB of output in ${count(chunks)} chunks`,
    ),
  ];
}
