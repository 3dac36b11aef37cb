/**
 * Prints PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS)` of the statement each view issues on a table of
 * 1,000,000 actions (the store of bench/postgres.ts, loaded once with `bulkLoad` or reused): Pending
 * and History defaults, History filtered by type, device group, asset, decided by, every sort
 * column, and a cursor page deep into History, after a VACUUM ANALYZE. Each statement runs once untimed first (a warm
 * cache, as in a running application), then explained. Ends with a summary table: the plan
 * nodes of the page, the time of the capped count and the execution time of each view.
 *
 * Run: `DATABASE_URL=postgres://... node --import tsx bench/explain.ts [--size 1000000]`.
 *
 * @module
 */
import pg from 'pg';
import { builtInCatalog } from '../src/index.js';
import { SORT_COLUMNS, resolveQuery, sortLabels, type ResolvedQuery } from '../src/adapter-kit.js';
import { createPostgresRepository } from '../src/adapters/postgres/index.js';
import { NOW } from './data.js';
import { openBenchStore } from './postgres.js';

const url = process.env['DATABASE_URL'];
if (url === undefined || url === '') {
  console.log('bench/explain.ts needs a PostgreSQL server: set DATABASE_URL');
  process.exit(1);
}
const sizeAt = process.argv.indexOf('--size');
const size = sizeAt >= 0 ? Number(process.argv[sizeAt + 1]) : 1_000_000;
const pool = new pg.Pool({ connectionString: url, max: 2 });
const store = await openBenchStore(pool, size, Math.min(10_000, size / 10), true);
const repository = createPostgresRepository({ client: pool, schema: store.schema });
// The steady state autovacuum keeps: bench/postgres.ts leaves dead row versions of its selection
// behind, and the capped count's index-only scan then visits the heap for them (14,615 heap fetches,
// 13.8 ms instead of 2.5 ms for the History default view).
await pool.query(`VACUUM ANALYZE "${store.schema}".actioncenter_actions`);
const labels = sortLabels(builtInCatalog);

/** A view query as the center resolves it (labels for the labelled sorts). */
function view(input: unknown, scope: ResolvedQuery['filter']['scope'] = null): ResolvedQuery {
  const r = resolveQuery(input, NOW, labels);
  if (!r.ok) throw new Error(r.error.message);
  return scope === null ? r.value : { ...r.value, filter: { ...r.value.filter, scope } };
}

/** The cursor of the page `pages` pages into History (walked by cursor, untimed). */
async function deepCursor(pages: number): Promise<string> {
  let cursor: string | null = null;
  for (let i = 0; i < pages; i++) {
    const page = await repository.query(view({ filter: { view: 'history' }, page: { size: 1000, cursor } }));
    if (!page.ok || page.value.nextCursor === null) throw new Error('History has fewer pages than asked');
    cursor = page.value.nextCursor;
  }
  return cursor as string;
}

const views: [string, ResolvedQuery][] = [
  ['Pending default', view({ filter: { view: 'pending' } })],
  ['History default', view({ filter: { view: 'history' } })],
  ['History, type = runAntivirusScan', view({ filter: { view: 'history', actionType: ['runAntivirusScan'] } })],
  [
    'History, device group Servers (read scope)',
    view({ filter: { view: 'history' } }, { deviceGroups: ['Servers'], includeUngrouped: false }),
  ],
  ['History, asset = SRV-00005', view({ filter: { view: 'history', asset: ['SRV-00005'] } })],
  ['History, decided by analyst7', view({ filter: { view: 'history', decidedBy: ['analyst7@contoso.com'] } })],
  ...SORT_COLUMNS.map((column): [string, ResolvedQuery] => [
    `History, sort by ${column} asc`,
    view({ filter: { view: 'history' }, sort: { column, direction: 'asc' } }),
  ]),
  [
    'History, cursor page 100,000 rows deep',
    view({ filter: { view: 'history' }, page: { size: 50, cursor: await deepCursor(100) } }),
  ],
];

const summary: string[] = [];
console.log(`EXPLAIN (ANALYZE, BUFFERS) of the views' statements on ${size.toLocaleString('en-US')} actions`);
console.log(
  `(schema ${store.schema}; PostgreSQL ${String((await pool.query('SHOW server_version')).rows[0]?.['server_version'])})`,
);
for (const [name, q] of views) {
  const statement = repository.statementOf(q);
  await pool.query(statement.text, statement.params);
  const r = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.params);
  const lines = r.rows.map((row) => String(row['QUERY PLAN']));
  const time = lines.find((l) => l.startsWith('Execution Time'))?.replace('Execution Time: ', '') ?? '?';
  // The page's access path: the nodes from the page's Limit (the second Limit: the first caps the
  // count) down to its first scan, e.g. "Incremental Sort < Index Scan Backward using ...".
  const limits = lines.flatMap((l, i) => (/->\s+Limit/.test(l) ? [i] : []));
  const path: string[] = [];
  for (const l of lines.slice((limits[1] ?? limits[0] ?? 0) + 1)) {
    const m = /->\s+(.*?)\s+\(cost/.exec(l);
    if (m === null) continue;
    path.push((m[1] as string).replace(/ on actioncenter_actions a(_1)?$/, ''));
    if (/Scan/.test(m[1] as string)) break;
  }
  const node = path.join(' < ');
  // The capped count's share: the Aggregate over the count's Limit.
  const count = lines.find((l) => /->\s+Aggregate/.test(l))?.match(/actual time=[\d.]+\.\.([\d.]+)/)?.[1] ?? '?';
  console.log(`\n=== ${name}: ${time}`);
  for (const l of lines) console.log(l);
  summary.push(`| ${name} | ${node} | ${count} ms | ${time} |`);
}
console.log('\n| view | page: plan nodes down to the first scan | capped count | execution time |');
console.log('|---|---|---|---|');
for (const s of summary) console.log(s);
await pool.end();
