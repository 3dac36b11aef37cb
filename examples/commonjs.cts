/**
 * actioncenter from CommonJS: `require('actioncenter')` loads the CJS build (dist/index.cjs) and its
 * types (dist/index.d.cts). Proves the `require` branch of the exports map works at run time.
 */
import assert = require('node:assert/strict');
import actioncenter = require('actioncenter');

const { builtInCatalog, parseActionRequest } = actioncenter;

const resolved = require.resolve('actioncenter');
assert.match(resolved, /index\.cjs$/);

const quarantine = builtInCatalog.byDisplayName('Quarantine file');
assert.ok(quarantine !== undefined);
assert.equal(quarantine.id, 'quarantineFile');

const result = parseActionRequest({ actionType: 'quarantineFile' });
assert.equal(result.ok ? null : result.error.code, 'invalidInput');

console.log(
  `require('actioncenter') -> ${resolved.slice(resolved.lastIndexOf('dist'))}: "${quarantine.displayName}" is ${quarantine.id}`,
);
