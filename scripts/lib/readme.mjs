// The ```ts blocks of README.md, as files the examples check can compile and run.
import { readFileSync } from 'node:fs';

/**
 * Every fenced block whose info string starts with `ts` or `typescript`, with the README line it
 * starts on. A block fenced as ```ts no-run is type-checked but not run.
 */
export function readmeSnippets(readmePath) {
  const lines = readFileSync(readmePath, 'utf8').split(/\r?\n/);
  const snippets = [];
  let open = null;
  for (const [index, line] of lines.entries()) {
    if (open === null) {
      const fence = /^```(ts|typescript)\b(.*)$/.exec(line.trim());
      if (fence) open = { line: index + 1, run: !/\bno-run\b/.test(fence[2] ?? ''), body: [] };
    } else if (line.trim() === '```') {
      snippets.push({ line: open.line, run: open.run, code: open.body.join('\n') + '\n' });
      open = null;
    } else {
      open.body.push(line);
    }
  }
  if (open !== null) throw new Error(`README.md: the code block opened on line ${open.line} is never closed`);
  return snippets;
}
