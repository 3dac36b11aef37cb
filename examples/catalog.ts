/**
 * Your own action type next to the built-ins, and what parsing says when a request is wrong.
 *
 * Errors are values: every failure is `{ ok: false, error }` with an `error.code` to switch on and a
 * machine-readable payload. Nothing here throws for bad input.
 */
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  builtInActionTypes,
  createCatalog,
  defineActionType,
  parseActionRequest,
  type RequestError,
} from 'actioncenter';
import { assertNever } from 'actioncenter/adapter-kit';

// 1. A custom action type: wipe a device, optionally keeping its enrolment. Cancellable while
//    running, two hours to complete, no undo.
const wipeDevice = defineActionType({
  id: 'wipeDevice',
  displayName: 'Wipe device',
  description: 'Erases a lost or compromised device.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.object({ keepEnrollment: z.boolean().default(false) }),
  cancellableWhileRunning: true,
  deadlineMs: 2 * 60 * 60 * 1000,
});

// 2. A catalogue of the built-ins plus ours. createCatalog checks the set once.
const created = createCatalog([...builtInActionTypes, wipeDevice]);
if (!created.ok) throw new Error(`catalogue refused: ${created.error.message}`);
const catalog = created.value;
console.log(
  `catalogue: ${catalog.types.length} action types, including "${catalog.require('wipeDevice').displayName}"`,
);

// A catalogue that is not consistent is refused, with a code saying why.
const twice = createCatalog([wipeDevice, wipeDevice]);
assert.equal(twice.ok ? null : twice.error.code, 'duplicateActionType');
const orphan = defineActionType({
  id: 'lockDevice',
  displayName: 'Lock device',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.object({}),
  undo: { counterpart: 'unlockDevice', requiredRole: 'securityAdministrator' },
});
const missingCounterpart = createCatalog([orphan]);
assert.equal(missingCounterpart.ok ? null : missingCounterpart.error.code, 'unknownUndoCounterpart');
console.log(`refused catalogues: duplicateActionType, unknownUndoCounterpart`);

// 3. Parsing requests against our catalogue. A good one comes back with defaults applied.
const laptop = { kind: 'device', deviceId: 'd-17', deviceName: 'LAPTOP-17', deviceGroup: 'Workstations' } as const;
const alice = { type: 'principal', id: 'alice@contoso.com' } as const;

const wipe = parseActionRequest(
  { actionType: 'wipeDevice', target: laptop, parameters: {}, source: 'manualDeviceAction', requestedBy: alice },
  catalog,
);
assert.ok(wipe.ok);
assert.deepEqual(wipe.value.parameters, { keepEnrollment: false });
console.log(
  `parsed: ${wipe.value.actionType} on ${laptop.deviceName}, parameters ${JSON.stringify(wipe.value.parameters)}`,
);

// 4. Bad requests, each with the code a caller switches on. The switch is exhaustive: a new code
//    in RequestError would be a compile error here.
function explain(error: RequestError): string {
  switch (error.code) {
    case 'invalidInput':
      return `the request is malformed at ${error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`;
    case 'unknownActionType':
      return `no action type "${error.actionTypeId}"`;
    case 'invalidParameters':
      return `bad parameters for ${error.actionTypeId}: ${error.issues.map((i) => i.path.join('.')).join(', ')}`;
    case 'targetKindMismatch':
      return `${error.actionTypeId} acts on a ${error.expected}, not a ${error.actual}`;
    case 'sourceNotApplicable':
      return `source ${error.source} takes no ${error.workload} actions`;
    default:
      return assertNever(error);
  }
}

const badRequests: readonly { readonly expected: RequestError['code']; readonly input: unknown }[] = [
  { expected: 'invalidInput', input: { actionType: 'wipeDevice', target: laptop } },
  {
    expected: 'unknownActionType',
    input: { actionType: 'formatDisk', target: laptop, source: 'manualDeviceAction', requestedBy: alice },
  },
  {
    expected: 'invalidParameters',
    input: {
      actionType: 'wipeDevice',
      target: laptop,
      parameters: { keepEnrollment: 'yes' },
      source: 'manualDeviceAction',
      requestedBy: alice,
    },
  },
  {
    expected: 'targetKindMismatch',
    input: {
      actionType: 'wipeDevice',
      target: { kind: 'url', url: 'https://evil.example/' },
      source: 'manualDeviceAction',
      requestedBy: alice,
    },
  },
  {
    expected: 'sourceNotApplicable',
    input: { actionType: 'wipeDevice', target: laptop, source: 'explorerAction', requestedBy: alice },
  },
];

for (const { expected, input } of badRequests) {
  const result = parseActionRequest(input, catalog);
  assert.equal(result.ok, false);
  if (result.ok) continue;
  assert.equal(result.error.code, expected);
  console.log(`${result.error.code.padEnd(20)} ${explain(result.error)}`);
}
