/**
 * Plain-text tables for the examples: a column is a header and a way to read a cell from a row.
 * `formatTable` returns the text (so examples can assert on it); `printTable` writes it.
 */

/** What a cell may hold; `null` prints as a dash. */
export type Cell = string | number | boolean | null;

/** One column: its header, how to read a row's cell, and how to align it. */
export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => Cell;
  readonly align?: 'left' | 'right';
}

function show(cell: Cell): string {
  if (cell === null) return '-';
  if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
  return String(cell);
}

/** The rows as a table: a header line, a rule, one line per row; columns padded to their widest cell. */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => show(column.cell(row))));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => line[i]?.length ?? 0)),
  );
  const line = (texts: readonly string[]) =>
    texts
      .map((text, i) => (columns[i]?.align === 'right' ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Prints {@link formatTable}'s text, with an optional title above it. */
export function printTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], title?: string): void {
  if (title !== undefined) console.log(`\n${title}\n`);
  console.log(formatTable(rows, columns));
}
