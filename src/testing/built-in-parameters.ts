/**
 * Hand-written arbitraries of valid parameters for every built-in action type, and one fixed
 * example of each. Hand-written rather than derived from the schemas: they reach the corners the
 * schemas care about (padded text that trims to something, absent vs null optional fields, mixed-case
 * hashes).
 *
 * @module
 */
import type { BuiltInActionTypeId, ParametersInputOf, builtInActionTypeMap } from 'actioncenter';
import type { Arbitrary, FastCheck } from './fast-check.js';

/**
 * One arbitrary of valid parameters (in their input form: optional fields may be absent) per
 * built-in action type id. The mapped type makes a missing id a compile error.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { builtInParameterArbitraries, type BuiltInParameterArbitraries } from 'actioncenter/testing';
 * const arbitraries: BuiltInParameterArbitraries = builtInParameterArbitraries(fc);
 * fc.sample(arbitraries.isolateDevice, 1); // [{ isolationType: 'full' }] or [{ isolationType: 'selective' }]
 * ```
 */
export type BuiltInParameterArbitraries = {
  readonly [Id in BuiltInActionTypeId]: Arbitrary<ParametersInputOf<(typeof builtInActionTypeMap)[Id]>>;
};

/**
 * Arbitraries of valid parameters for every built-in action type, built with your fast-check.
 * Every value they produce is accepted by the type's schema, and parses again to itself after a
 * trip through JSON.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { builtInCatalog } from 'actioncenter';
 * import { builtInParameterArbitraries } from 'actioncenter/testing';
 * const { runScript } = builtInParameterArbitraries(fc);
 * fc.assert(fc.property(runScript, (p) => builtInCatalog.parseParameters('runScript', p).ok));
 * ```
 */
export function builtInParameterArbitraries(fc: FastCheck): BuiltInParameterArbitraries {
  const none = fc.constant({});
  /** Optional text: null, or a non-blank string, sometimes padded (trimming is idempotent). */
  const optionalText = (maxLength: number) =>
    fc.option(
      fc
        .tuple(
          fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 2 }),
          fc.string({ minLength: 1, maxLength: maxLength - 4 }),
          fc.constantFrom('', ' '),
        )
        .filter(([, core]) => core.trim().length > 0)
        .map(([before, core, after]) => before + core + after),
      { nil: null },
    );
  /** `{ key: value }`, or `{}` (the key left out). */
  const optionalKey = <K extends string, V>(key: K, value: Arbitrary<V>) =>
    fc.option(
      value.map((v) => ({ [key]: v }) as { [P in K]: V }),
      { nil: {} as { [P in K]?: never } },
    );
  const networkMessageId = fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim().length > 0);
  const emailMessage = fc.record({ networkMessageId }, { noNullPrototype: true });
  const sha1 = fc.stringMatching(/^[0-9a-fA-F]{40}$/);

  return {
    quarantineFile: none,
    removeRegistryKey: none,
    killProcess: none,
    stopService: none,
    disableDriver: none,
    removeScheduledTask: none,
    runAntivirusScan: fc.record({ scanType: fc.constantFrom('quick', 'full') }, { noNullPrototype: true }),
    isolateDevice: fc.record({ isolationType: fc.constantFrom('full', 'selective') }, { noNullPrototype: true }),
    addIndicator: fc
      .tuple(
        fc.constantFrom('block', 'allow'),
        optionalKey('title', optionalText(200)),
        optionalKey('description', optionalText(2000)),
      )
      .map(([indicatorAction, title, description]) => ({ indicatorAction, ...title, ...description })),
    restrictCodeExecution: none,
    collectForensicData: none,
    analyzeFile: none,
    runScript: fc
      .tuple(
        fc.stringMatching(/^[A-Za-z0-9_. -]{1,60}$/),
        optionalKey('args', fc.option(fc.string({ maxLength: 200 }), { nil: null })),
      )
      .map(([scriptName, args]) => ({ scriptName, ...args })),
    sendForAnalysis: none,
    remediateFile: none,
    huntForThreats: none,
    collectInvestigationPackage: none,
    offboardMachine: none,
    releaseCodeExecution: none,
    releaseFromQuarantine: none,
    releaseFromIsolation: none,
    requestSample: none,
    stopAndQuarantineFile: fc.record({ sha1 }, { noNullPrototype: true }),
    containDevice: none,
    blockUrl: fc.record(
      { url: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
      { noNullPrototype: true },
    ),
    softDeleteEmail: emailMessage,
    softDeleteEmailClusters: fc.record(
      { query: fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.trim().length > 0) },
      { noNullPrototype: true },
    ),
    turnOffExternalMailForwarding: optionalKey('forwardingRuleName', optionalText(256)),
    moveToJunk: emailMessage,
    moveToInbox: emailMessage,
    moveToDeletedItems: emailMessage,
    hardDeleteEmail: emailMessage,
    disableUser: none,
    containUser: none,
    restoreRegistryKey: none,
    restoreService: none,
    enableDriver: none,
    restoreScheduledTask: none,
    releaseFromContainment: none,
    releaseContainedUser: none,
  };
}

/**
 * One fixed, valid parameter value per built-in action type: what the contract suites hand an
 * executor when they need a concrete action of a type.
 *
 * @example
 * ```ts
 * import { BUILT_IN_PARAMETER_EXAMPLES } from 'actioncenter/testing';
 * BUILT_IN_PARAMETER_EXAMPLES.isolateDevice; // { isolationType: 'full' }
 * ```
 */
export const BUILT_IN_PARAMETER_EXAMPLES: {
  readonly [Id in BuiltInActionTypeId]: ParametersInputOf<(typeof builtInActionTypeMap)[Id]>;
} = Object.freeze({
  quarantineFile: {},
  removeRegistryKey: {},
  killProcess: {},
  stopService: {},
  disableDriver: {},
  removeScheduledTask: {},
  runAntivirusScan: { scanType: 'quick' },
  isolateDevice: { isolationType: 'full' },
  addIndicator: { indicatorAction: 'block', title: 'Known ransomware loader' },
  restrictCodeExecution: {},
  collectForensicData: {},
  analyzeFile: {},
  runScript: { scriptName: 'Collect-Logs.ps1', args: '-Days 7' },
  sendForAnalysis: {},
  remediateFile: {},
  huntForThreats: {},
  collectInvestigationPackage: {},
  offboardMachine: {},
  releaseCodeExecution: {},
  releaseFromQuarantine: {},
  releaseFromIsolation: {},
  requestSample: {},
  stopAndQuarantineFile: { sha1: 'ab'.repeat(20) },
  containDevice: {},
  blockUrl: { url: 'https://malicious.example/landing' },
  softDeleteEmail: { networkMessageId: '<msg-1@contoso.com>' },
  softDeleteEmailClusters: { query: 'subject:"Invoice overdue"' },
  turnOffExternalMailForwarding: { forwardingRuleName: 'Forward to external' },
  moveToJunk: { networkMessageId: '<msg-1@contoso.com>' },
  moveToInbox: { networkMessageId: '<msg-1@contoso.com>' },
  moveToDeletedItems: { networkMessageId: '<msg-1@contoso.com>' },
  hardDeleteEmail: { networkMessageId: '<msg-1@contoso.com>' },
  disableUser: {},
  containUser: {},
  restoreRegistryKey: {},
  restoreService: {},
  enableDriver: {},
  restoreScheduledTask: {},
  releaseFromContainment: {},
  releaseContainedUser: {},
});
