/**
 * actioncenter and actioncenter/adapter-kit from CommonJS share one copy of each module: both
 * entries require the same common chunk (tsup.config.ts), so a class has one identity and an error
 * value built with the kit is thrown and caught as the core's ActionCenterException.
 */
import assert = require('node:assert/strict');
import nodeModule = require('node:module');
import core = require('actioncenter');
import kit = require('actioncenter/adapter-kit');

assert.match(require.resolve('actioncenter/adapter-kit'), /adapter-kit\.cjs$/);

// An error value from the kit, thrown by the core's unwrap, caught with the core's class.
const refused = kit.invalidInput('request', [
  { code: 'custom', path: ['target'], message: 'missing', input: undefined },
]);
assert.throws(
  () => core.unwrap(core.err(refused)),
  (thrown: unknown) => thrown instanceof core.ActionCenterException && thrown.error === refused,
);

// The two entries loaded one chunk between them: nothing of the package is in memory twice.
// (A require of node's own: tsx runs this file with a require that has no cache.)
const loaded = Object.keys(nodeModule.createRequire(__filename).cache).filter((file) =>
  /[\\/]dist[\\/][^\\/]+\.cjs$/.test(file),
);
const chunks = loaded.filter((file) => /chunk-[^\\/]+\.cjs$/.test(file));
assert.equal(chunks.length, 1, `one shared chunk, not: ${loaded.join(', ')}`);

// The kit's conflict collector builds the error value the core's repository port returns.
const conflicts = new kit.ConflictCollector();
conflicts.add('staleVersion', 'act-1', 'act-1 is at version 3, not 2');
assert.equal(conflicts.toError().reason, 'staleVersion');

console.log(`require('actioncenter') and require('actioncenter/adapter-kit') share ${chunks.length} chunk`);
