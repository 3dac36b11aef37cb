#!/usr/bin/env node
// `npm run build` (after tsup and the declarations): the JSON Schemas of the public data as static
// files, dist/json-schema/<Name>.schema.json, exported as `actioncenter/json-schema/*.schema.json`,
// for services that read a schema file rather than run the library. Each file is what
// `jsonSchemaFor(name)` of the built package answers (test/json-schema/build.test.ts checks it).
//
// Usage: node scripts/build-json-schema.mjs [--out <dir>] [--from <dist/json-schema/index.js>]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(ROOT, 'dist', 'json-schema') },
    from: { type: 'string', default: join(ROOT, 'dist', 'json-schema', 'index.js') },
  },
});

const out = resolve(values.out);
const { JSON_SCHEMA_NAMES, jsonSchemaFor } = await import(pathToFileURL(resolve(values.from)).href);
mkdirSync(out, { recursive: true });
for (const name of JSON_SCHEMA_NAMES) {
  writeFileSync(join(out, `${name}.schema.json`), `${JSON.stringify(jsonSchemaFor(name), null, 2)}\n`);
}
console.log(`json-schema: ${JSON_SCHEMA_NAMES.length} schemas in ${relative(ROOT, out) || '.'}/`);
