// Runs many small example modules in one process (started by runBatch in run.mjs, with tsx and the
// dist-only check preloaded): loading node, tsx and the package once for a batch instead of once per
// example is what keeps four hundred doc examples affordable on a two-core machine.
//
//   node --import tsx --import against-dist.mjs run-batch.mjs <results.jsonl> <file>...
//
// Each file is imported in turn (its top-level await included). Its output is captured, not printed.
// Before a file starts, `{"start":file}` is appended to the results; when it settles,
// `{"file","ok","output"}`. A file whose import throws, or that leaves a promise rejected unhandled
// while it runs, fails; the next file runs regardless. If the process dies, the last `start` without
// a result names the file that killed it.
import { appendFileSync } from 'node:fs';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';

const [resultsFile, ...files] = process.argv.slice(2);
const record = (entry) => appendFileSync(resultsFile, `${JSON.stringify(entry)}\n`);

let output = '';
const capture = (...args) => {
  output += `${format(...args)}\n`;
};
for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'table', 'dir']) console[method] = capture;
for (const stream of [process.stdout, process.stderr]) {
  stream.write = (chunk, encoding, callback) => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    if (typeof encoding === 'function') encoding();
    else if (typeof callback === 'function') callback();
    return true;
  };
}

let unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const describe = (error) => (error instanceof Error ? (error.stack ?? error.message) : format(error));

for (const file of files) {
  record({ start: file });
  output = '';
  unhandled = [];
  let ok = true;
  try {
    await import(pathToFileURL(file).href);
    // Let promises the example started but did not await settle (and fail it if one rejects).
    await new Promise((resolve) => setImmediate(resolve));
  } catch (error) {
    ok = false;
    output += describe(error);
  }
  if (unhandled.length > 0) {
    ok = false;
    output += unhandled.map((reason) => `unhandled rejection: ${describe(reason)}`).join('\n');
  }
  record({ file, ok, output });
}
// Examples may leave handles open (a PGlite instance, a timer): the batch is done, whatever they hold.
process.exit(0);
