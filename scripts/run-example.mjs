#!/usr/bin/env node
// Usage: node scripts/run-example.mjs examples/demo.ts
// Runs one example against the built package (dist/), as a user of the published package would.
import { requireBuild, runAgainstDist } from './lib/run.mjs';

const [file] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node scripts/run-example.mjs <file.ts>');
  process.exit(2);
}
requireBuild();
const { code } = await runAgainstDist(file);
process.exit(code);
