/**
 * actioncenter/testing in one script: property-check your own policies with the arbitraries, run the
 * repository contract suite on a repository without a test framework, and run the model-based
 * commands against an engine. Exits non-zero when anything fails (fast-check prints the seed).
 *
 * 1. An access policy of our own (tier-1 operators approve device actions on Workstations; nobody
 *    decides on their own action) is checked against the rules we mean it to keep.
 * 2. An approval policy configuration (Servers need approval for everything) is checked on
 *    generated requests.
 * 3. The repository contract suite runs on the in-memory repository with node:test (it comes with
 *    Node: no test framework to install).
 * 4. Generated command sequences run against the engine and a model of it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  createActionCenter,
  createApprovalPolicy,
  createMemoryRepository,
  decideApproval,
  defaultAccessPolicy,
  unwrap,
  type AccessDecision,
  type AccessPolicy,
  type ActionRecord,
  type Principal,
} from 'actioncenter';
import { OPERATIONS, deviceOf } from 'actioncenter/adapter-kit';
import {
  actionCenterArbitraries,
  actionCenterCommands,
  createModelRunSetup,
  repositoryContract,
  type ContractExpect,
} from 'actioncenter/testing';

const arbitraries = actionCenterArbitraries(fc);
const catalog = arbitraries.catalog;
const runs = { numRuns: 300 };

// ---- 1. our access policy -------------------------------------------------------------------------

/** Tier 1: Security Operators may approve or reject device actions on Workstations; four eyes for everyone. */
const tier1Policy: AccessPolicy = {
  name: 'tier1',
  authorize(principal, operation, subject): AccessDecision {
    if ((operation === 'approve' || operation === 'reject') && subject.kind === 'action') {
      const { action, actionType } = subject;
      if (action.requestedBy.type === 'principal' && action.requestedBy.id === principal.id) {
        return {
          allowed: false,
          rule: 'tier1.fourEyes',
          operation,
          principalId: principal.id,
          reason: 'ownAction',
          missing: [],
          message: 'Someone else must decide on your action',
        };
      }
      const operator = principal.assignments.some((a) => a.role === 'securityOperator' && a.assignedIn === 'entraId');
      if (
        operator &&
        actionType.permission === 'deviceRemediation' &&
        deviceOf(action.target)?.deviceGroup === 'Workstations'
      ) {
        return { allowed: true, rule: 'tier1.workstations', operation, principalId: principal.id };
      }
    }
    return defaultAccessPolicy.authorize(principal, operation, subject);
  },
};

const subjectOf = (action: ActionRecord) => ({
  kind: 'action' as const,
  action,
  actionType: catalog.require(action.actionType),
});
const readersOnly = (p: Principal) =>
  p.assignments.length > 0 && p.assignments.every((a) => a.role === 'securityReader' || a.role === 'globalReader');

// Readers view and export; they never act, whatever the action and wherever their roles were assigned.
fc.assert(
  fc.property(
    arbitraries.principal.filter(readersOnly),
    arbitraries.actionRecord,
    fc.constantFrom(...OPERATIONS),
    (principal, action, operation) => {
      const decision = tier1Policy.authorize(principal, operation, subjectOf(action));
      return operation === 'view' || operation === 'export' || !decision.allowed;
    },
  ),
  runs,
);

// Four eyes: nobody approves or rejects an action they requested.
fc.assert(
  fc.property(
    arbitraries.principal,
    arbitraries.actionRecordIn('pending'),
    fc.constantFrom('approve' as const, 'reject' as const),
    (principal, pending, operation) => {
      const own: ActionRecord = { ...pending, requestedBy: { type: 'principal', id: principal.id } };
      return !tier1Policy.authorize(principal, operation, subjectOf(own)).allowed;
    },
  ),
  runs,
);

// Our policy grants nothing beyond the default policy except through its own Workstations rule.
let widened = 0;
fc.assert(
  fc.property(
    arbitraries.principal,
    arbitraries.actionRecord,
    fc.constantFrom(...OPERATIONS),
    (principal, action, operation) => {
      const ours = tier1Policy.authorize(principal, operation, subjectOf(action));
      const theirs = defaultAccessPolicy.authorize(principal, operation, subjectOf(action));
      if (ours.allowed && !theirs.allowed) {
        widened += 1;
        return ours.rule === 'tier1.workstations';
      }
      return true;
    },
  ),
  runs,
);
console.log(`1. access policy "${tier1Policy.name}": 3 properties hold over ${3 * runs.numRuns} generated cases`);

// ---- 2. our approval policy ----------------------------------------------------------------------

const approval = unwrap(createApprovalPolicy({ automationLevels: { Servers: 'semiAll' } }));
let onServers = 0;
// Any request, and more of the device kind (where automation levels apply).
const deviceRequests = arbitraries.actionType
  .filter((t) => t.workload === 'endpoint')
  .chain((t) => arbitraries.requestOf(t));
fc.assert(
  fc.property(fc.oneof(arbitraries.request, deviceRequests), (request) => {
    const decision = decideApproval(request, catalog.require(request.actionType), approval);
    const automated = request.source === 'automatedDeviceAction' || request.source === 'automatedEmailAction';
    // Seed 004: no automated email remediation is taken at once.
    if (automated && catalog.require(request.actionType).workload === 'email')
      assert.notEqual(decision.outcome, 'takenNow');
    // Ours: on Servers, every automated remediation waits for approval.
    if (request.source === 'automatedDeviceAction' && deviceOf(request.target)?.deviceGroup === 'Servers') {
      onServers += 1;
      assert.equal(decision.outcome, 'pending', decision.message);
    }
  }),
  { numRuns: 500 },
);
assert.ok(onServers > 0, 'the generated requests reached Servers');
console.log(
  `2. approval policy: Servers always wait (${onServers} automated requests on Servers checked), email never runs by itself`,
);

// ---- 3. the repository contract suite, with node:test ----------------------------------------------

// vitest's and jest's `expect` fit as they are; with node:assert it takes two lines.
const expect: ContractExpect = (actual, message) => ({
  toBe: (expected) => assert.equal(actual, expected, message),
  toEqual: (expected) => assert.deepEqual(actual, expected, message),
});
// One node:test test whose subtests are the suite's (node:test prints its report as they run).
let contractTests = 0;
let contractPassed = 0;
await test('repository contract', async (t) => {
  const registered: Promise<void>[] = [];
  repositoryContract({
    test: (name, body, timeout) =>
      registered.push(
        t.test(name, { timeout }, async () => {
          await body();
          contractPassed += 1;
        }),
      ),
    expect,
    fc,
    numRuns: 10,
    factory: () => createMemoryRepository(),
    name: 'memory repository',
  });
  contractTests = registered.length;
  await Promise.all(registered);
});
assert.ok(contractTests > 0, 'the suite registered its tests');
assert.equal(contractPassed, contractTests, 'every contract test passed (node:test reports the failures above)');
console.log(`3. repository contract: ${contractPassed} of ${contractTests} tests passed under node:test`);

// ---- 4. model-based commands against the engine ----------------------------------------------------

const setup = createModelRunSetup({
  engine: (deps) => createActionCenter({ ...deps, repository: createMemoryRepository() }),
});
await fc.assert(
  fc.asyncProperty(fc.commands(actionCenterCommands(fc), { size: '+1' }), (commands) =>
    fc.asyncModelRun(setup, commands),
  ),
  { numRuns: 50 },
);
console.log('4. model-based: 50 generated command sequences agree with the model');
console.log(`(the tier-1 rule granted ${widened} decision(s) the default policy would not have)`);
