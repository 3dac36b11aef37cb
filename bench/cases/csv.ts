/**
 * CSV export as users run it: `center.exportCsv` over a memory repository holding the actions
 * (1,000,000 in the full run), the chunks consumed as a stream (their length summed, as a writer
 * would hand them on), `completion` checked at the end.
 *
 * Baseline in the same run: csv-stringify's **streaming** API, the mode a user would pick for a
 * million rows (its sync API holds the whole output in memory): the rows, built with the same
 * column functions (`toRow`) inside the timed run, flow from `Readable.from` into `stringify()` and
 * are read back with `for await`. Same dialect: CRLF records, fields holding CR or LF quoted
 * (`quote_record_delimiter`), formula neutralisation (`escape_formulas`). The baseline reads the
 * records from an array, so it pays nothing for the repository: the ratio is conservative.
 * References: the sync `exportCsv` over the array, and csv-stringify's sync API. The outputs are
 * checked to be identical before timing.
 *
 * Heap: each variant runs once more on its own, with `heapUsed` sampled every few chunks against
 * the heap after a full GC before it; the streamed variants run at two sizes (N and N/10) to show
 * that their heap does not grow with N.
 *
 * @module
 */
import { Readable } from 'node:stream';
import { stringify as stringifyStream } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';
import {
  builtInCatalog,
  createActionCenter,
  createMemoryRepository,
  exportCsv,
  manualClock,
  sequentialIdGenerator,
  type ActionCenter,
  type ActionRecord,
  type ColumnId,
  type PrincipalInput,
} from '../../src/index.js';
import { ACTION_COLUMNS, toRow, type ActionColumn } from '../../src/adapter-kit.js';
import { NOW, historyActions } from '../data.js';
import {
  collectGarbage,
  compare,
  count,
  measureVariants,
  mib,
  timeRow,
  type BenchOptions,
  type BenchRow,
  type Comparison,
  type Stats,
} from '../harness.js';

const GROUP = 'CSV export';

const COLUMN_IDS: readonly ColumnId[] = [
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
];
const COLUMNS: readonly ActionColumn[] = COLUMN_IDS.map((id) => ACTION_COLUMNS[id]);
const CONTEXT = { catalog: builtInCatalog };
const STRINGIFY_OPTIONS = { record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true } as const;
const EXPORTER: PrincipalInput = {
  id: 'ga@contoso.com',
  assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }],
};
// Oldest first: the order the actions were generated in, so every variant writes the same rows.
const QUERY = { sort: { column: 'createdAt', direction: 'asc' } } as const;
// Heap may grow this much from the smaller size to the larger one and still count as bounded.
const HEAP_SLACK_MIB = 16;

/** A center over a memory repository holding `actions`. */
function centerOver(actions: readonly ActionRecord[]): ActionCenter {
  const repository = createMemoryRepository();
  const loaded = repository.load({ actions });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return createActionCenter({ repository, clock: manualClock(NOW), idGenerator: sequentialIdGenerator() });
}

/** `center.exportCsv` as a user runs it; answers the characters written. */
async function centerExport(center: ActionCenter, expected: number, onChunk?: () => void): Promise<number> {
  const r = await center.exportCsv({ principal: EXPORTER, query: QUERY, columns: COLUMN_IDS });
  if (!r.ok) throw new Error(`csv: exportCsv refused: ${r.error.message}`);
  let length = 0;
  for await (const chunk of r.value) {
    length += chunk.length;
    onChunk?.();
  }
  const done = await r.value.completion;
  if (!done.ok) throw new Error(`csv: export cut short: ${done.error.message}`);
  if (done.value.rows !== expected) throw new Error(`csv: exported ${done.value.rows} rows, not ${expected}`);
  return length;
}

/** The sync path: `exportCsv` over an array of records. */
async function arrayExport(actions: readonly ActionRecord[], onChunk?: () => void): Promise<number> {
  let length = 0;
  for await (const chunk of exportCsv(actions, { columns: COLUMNS, context: CONTEXT })) {
    length += chunk.length;
    onChunk?.();
  }
  return length;
}

function* rowsOf(actions: readonly ActionRecord[]): Generator<string[]> {
  yield COLUMNS.map((c) => c.header);
  for (const action of actions) yield toRow(action, COLUMNS, CONTEXT);
}

/** csv-stringify's streaming API; answers the characters written (the text, when `keep`). */
async function streamStringify(
  actions: readonly ActionRecord[],
  onChunk?: () => void,
  keep?: string[],
): Promise<number> {
  const stringifier = stringifyStream(STRINGIFY_OPTIONS);
  stringifier.setEncoding('utf8');
  Readable.from(rowsOf(actions)).pipe(stringifier);
  let length = 0;
  for await (const chunk of stringifier as AsyncIterable<string>) {
    length += chunk.length;
    keep?.push(chunk);
    onChunk?.();
  }
  return length;
}

function syncStringify(actions: readonly ActionRecord[]): string {
  return stringify([...rowsOf(actions)], STRINGIFY_OPTIONS);
}

/** Peak heap growth (MiB) while `run` streams, sampled every 8 chunks, from the heap after a full GC. */
async function peakGrowth(run: (onChunk: () => void) => Promise<unknown>): Promise<number> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let chunks = 0;
  await run(() => {
    chunks += 1;
    if (chunks % 8 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  });
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return mib(peak - before);
}

/** Whether the heap growth at the larger size stays within that of the smaller size plus a slack. */
function bounded(large: number, small: number, smallLabel: string): Comparison {
  const allowed = small + HEAP_SLACK_MIB;
  return {
    baseline: `its heap at ${smallLabel} + ${HEAP_SLACK_MIB} MiB`,
    ratio: large / allowed,
    maxRatio: 1,
    target: 'heap bounded (does not grow with N)',
    met: large <= allowed,
  };
}

const heapStats = (growth: number): Stats => ({
  unit: 'MiB',
  runs: 1,
  median: growth,
  min: growth,
  max: growth,
  opsPerRun: null,
});

/** Runs the CSV export case. */
export async function csvBench(options: BenchOptions): Promise<BenchRow[]> {
  const size = options.quick ? 20_000 : 1_000_000;
  const small = size / 10;
  const actions = historyActions(size, 3);
  const center = centerOver(actions);
  const smallActions = actions.slice(0, small);
  const smallCenter = centerOver(smallActions);

  // Once, untimed: the same text every way (a small center keeps this cheap).
  let ours = '';
  const check = await smallCenter.exportCsv({ principal: EXPORTER, query: QUERY, columns: COLUMN_IDS });
  if (!check.ok) throw new Error(check.error.message);
  for await (const chunk of check.value) ours += chunk;
  const streamed: string[] = [];
  await streamStringify(smallActions, undefined, streamed);
  let overArray = '';
  for await (const chunk of exportCsv(smallActions, { columns: COLUMNS, context: CONTEXT })) overArray += chunk;
  const reference = syncStringify(smallActions);
  if (ours !== reference) throw new Error('csv: center.exportCsv and csv-stringify (sync) disagree on the same rows');
  if (streamed.join('') !== reference) throw new Error('csv: csv-stringify streaming and sync disagree');
  if (overArray !== reference) throw new Error('csv: exportCsv over an array and csv-stringify disagree');

  const stats = await measureVariants(
    [
      { name: 'stream', ops: size, run: () => streamStringify(actions) },
      { name: 'center', ops: size, run: () => centerExport(center, size) },
      { name: 'sync', ops: size, run: () => syncStringify(actions).length },
      { name: 'array', ops: size, run: () => arrayExport(actions) },
    ],
    options,
    // Seconds per run at a million rows: one warm-up round and five measured keep the case to a few minutes.
    { warmup: 1, runs: 5 },
  );
  const stream = stats.get('stream') as Stats;
  const centered = stats.get('center') as Stats;
  const sync = stats.get('sync') as Stats;
  const array = stats.get('array') as Stats;

  // Heap, in runs of their own (sampling would disturb the timings).
  const centerHeap = await peakGrowth((on) => centerExport(center, size, on));
  const centerHeapSmall = await peakGrowth((on) => centerExport(smallCenter, small, on));
  const streamHeap = await peakGrowth((on) => streamStringify(actions, on));
  const streamHeapSmall = await peakGrowth((on) => streamStringify(smallActions, on));
  const arrayHeap = await peakGrowth((on) => arrayExport(actions, on));
  collectGarbage();
  const syncBefore = process.memoryUsage().heapUsed;
  const text = syncStringify(actions);
  const syncHeap = mib(process.memoryUsage().heapUsed - syncBefore);
  const outputMib = mib(text.length * 2);

  const sizeLabel = `${count(size)} rows × ${COLUMNS.length} cols`;
  const smallLabel = `${count(small)} rows`;
  const heapNote = (large: number, smallGrowth: number) =>
    `peak heap growth ${large.toFixed(1)} MiB (${smallGrowth.toFixed(1)} MiB at ${smallLabel})`;
  return [
    timeRow(
      GROUP,
      'baseline: csv-stringify streaming (Readable.from → stringify(), for await)',
      sizeLabel,
      stream,
      [],
      heapNote(streamHeap, streamHeapSmall),
    ),
    timeRow(
      GROUP,
      'actioncenter center.exportCsv() over the memory repository, streamed',
      sizeLabel,
      centered,
      [
        compare(centered, 'csv-stringify streaming', stream, { maxRatio: 1 / 3, words: '≥ 3x faster' }),
        compare(centered, 'csv-stringify sync', sync, null),
      ],
      `${heapNote(centerHeap, centerHeapSmall)} for ${outputMib.toFixed(0)} MiB of output`,
    ),
    timeRow(GROUP, 'center.exportCsv() peak heap growth', sizeLabel, heapStats(centerHeap), [
      bounded(centerHeap, centerHeapSmall, smallLabel),
    ]),
    timeRow(
      GROUP,
      'reference: exportCsv() over an array (sync source)',
      sizeLabel,
      array,
      [compare(array, 'csv-stringify streaming', stream, null)],
      `peak heap growth ${arrayHeap.toFixed(1)} MiB`,
    ),
    timeRow(
      GROUP,
      'reference: csv-stringify sync (rows built in the run)',
      sizeLabel,
      sync,
      [],
      `heap growth ${syncHeap.toFixed(0)} MiB (holds all rows and the text)`,
    ),
  ];
}
