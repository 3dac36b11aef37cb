/** Durations as a person reads them in a table: `1 h`, `10 min`, `7 d`, `1 h 30 min`. */

const UNITS = [
  ['d', 24 * 60 * 60 * 1000],
  ['h', 60 * 60 * 1000],
  ['min', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
] as const;

/** Formats a number of milliseconds with its two largest non-zero units. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0 s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count} ${unit}`);
    rest -= count * size;
  }
  return parts.slice(0, 2).join(' ');
}
