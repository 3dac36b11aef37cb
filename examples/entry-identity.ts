/**
 * actioncenter and actioncenter/adapter-kit as ES modules share one copy of each module: the build
 * is unbundled, and both entries import the same dist/ files, so a class has one identity.
 */
import assert from 'node:assert/strict';
import { ActionCenterException, err, unwrap } from 'actioncenter';
import { ConflictCollector, invalidInput } from 'actioncenter/adapter-kit';

assert.match(import.meta.resolve('actioncenter/adapter-kit'), /dist\/adapter-kit\.js$/);

// An error value from the kit, thrown by the core's unwrap, caught with the core's class.
const refused = invalidInput('request', [{ code: 'custom', path: ['target'], message: 'missing', input: undefined }]);
assert.throws(
  () => unwrap(err(refused)),
  (thrown: unknown) => thrown instanceof ActionCenterException && thrown.error === refused,
);

// The kit's conflict collector builds the error value the core's repository port returns.
const conflicts = new ConflictCollector();
conflicts.add('staleVersion', 'act-1', 'act-1 is at version 3, not 2');
assert.equal(conflicts.toError().reason, 'staleVersion');

console.log("import from 'actioncenter' and 'actioncenter/adapter-kit': one ActionCenterException");
