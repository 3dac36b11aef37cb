// Runs inside a throwaway consumer project on zod 3 (see scripts/check-consumers.mjs). actioncenter
// keeps its own zod 4; the project's zod 3 schemas are refused at the first call with a message that
// names the zod needed, and zod 3.25's bundled zod 4 ('zod/v4') is accepted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { z as z4 } from 'zod/v4';
import { builtInActionTypes, createCatalog, defineActionType } from 'actioncenter';

const { version } = JSON.parse(readFileSync('node_modules/zod/package.json', 'utf8'));
assert.match(version, /^3\./, `this project is on zod 3 (found ${version})`);

const typeWith = (parameters) =>
  defineActionType({
    id: 'wipeDevice',
    displayName: 'Wipe device',
    workload: 'endpoint',
    targetKind: 'device',
    parameters,
  });
const refused = createCatalog([...builtInActionTypes, typeWith(z.object({ reason: z.string() }))]);
assert.equal(refused.ok, false);
const message = JSON.stringify(refused.error);
assert.ok(message.includes('zod 3 schema') && message.includes('zod ^4.0.0'), message);
console.log(`zod ${version}: a zod 3 schema is refused: ${refused.error.message}`);

const accepted = createCatalog([...builtInActionTypes, typeWith(z4.object({ reason: z4.string() }))]);
assert.equal(accepted.ok, true, JSON.stringify(accepted));
console.log(`zod ${version}: a schema from 'zod/v4' is accepted`);
