// The ```ts blocks of a markdown file (README.md, docs/*.md), as files the examples check can compile
// and run.
import { readFileSync } from 'node:fs';

/**
 * Every fenced block whose info string starts with `ts` or `typescript`, with the line it starts on.
 * Words after the language say how the block is checked:
 * - ```ts            type-checked and run against the built package;
 * - ```ts no-run     type-checked only (it needs a server, a test framework, ...);
 * - ```ts fragment   neither: a piece of a larger program shown for teaching (use sparingly).
 * Returns `{ line, run, code }` for every block that is not a fragment.
 */
export function markdownSnippets(markdownPath, displayName = markdownPath) {
  const lines = readFileSync(markdownPath, 'utf8').split(/\r?\n/);
  const snippets = [];
  let open = null;
  for (const [index, line] of lines.entries()) {
    if (open === null) {
      const fence = /^```(ts|typescript)\b(.*)$/.exec(line.trim());
      if (fence) {
        const words = (fence[2] ?? '').trim().split(/\s+/);
        open = { line: index + 1, run: !words.includes('no-run'), fragment: words.includes('fragment'), body: [] };
      }
    } else if (line.trim() === '```') {
      if (!open.fragment) snippets.push({ line: open.line, run: open.run, code: open.body.join('\n') + '\n' });
      open = null;
    } else {
      open.body.push(line);
    }
  }
  if (open !== null) throw new Error(`${displayName}: the code block opened on line ${open.line} is never closed`);
  return snippets;
}
