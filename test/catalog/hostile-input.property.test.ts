/**
 * Issue 11, item 6: the pure entry points (catalogue, rules, columns) never throw, whatever they are
 * given: fc.anything(), revoked Proxies, throwing getters and traps, cycles, values thousands deep
 * and non-JSON objects, alone or inside plausible input, in every argument position.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  builtInActionTypes,
  builtInCatalog,
  createApprovalPolicy,
  createCatalog,
  parseActionRequest,
  setAutomationLevel,
  type Catalog,
} from '../../src/index.js';
import {
  authorize,
  DEFAULT_APPROVAL_POLICY,
  parseLifecycleEvent,
  resolveQuery,
  safeParseInput,
  selectColumns,
  toPlainJson,
} from '../../src/adapter-kit.js';
import { ACTION_CENTER_ERROR_CODES_FOR_TESTS } from '../center/error-codes.js';
import { hostile, materialize } from '../support/hostile.js';

const T0 = Date.UTC(2026, 0, 1);
const ga = { id: 'ga', assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }] };

const ENTRY_POINTS: Record<string, (h: unknown) => { ok: boolean; error?: { code: string; message: string } }> = {
  parseActionRequest: (h) => parseActionRequest(h),
  parseActionRequestCatalog: (h) => parseActionRequest({}, h as Catalog),
  parseRequest: (h) => builtInCatalog.parseRequest(h),
  parseRequestParameters: (h) =>
    builtInCatalog.parseRequest({
      actionType: 'isolateDevice',
      target: { kind: 'device', deviceId: 'd1', deviceName: 'PC', deviceGroup: 'G' },
      parameters: h,
      source: 'manualDeviceAction',
      requestedBy: { type: 'principal', id: 'a' },
    }),
  parseParameters: (h) => builtInCatalog.parseParameters('isolateDevice', h),
  parseParametersId: (h) => builtInCatalog.parseParameters(h as string, {}),
  get: (h) => builtInCatalog.get(h as string),
  createCatalog: (h) => createCatalog(h as never),
  createCatalogType: (h) => createCatalog([...builtInActionTypes, h] as never),
  createApprovalPolicy: (h) => createApprovalPolicy(h),
  setAutomationLevel: (h) => setAutomationLevel(DEFAULT_APPROVAL_POLICY, h, h),
  setAutomationLevelPolicy: (h) => setAutomationLevel(h as never, 'Servers', 'full'),
  authorizePrincipal: (h) => authorize(h, 'view', { kind: 'none' }),
  authorizeOperation: (h) => authorize(ga, h, { kind: 'none' }),
  authorizeSubject: (h) => authorize(ga, 'approve', h as never),
  authorizePolicy: (h) => authorize(ga, 'approve', { kind: 'none' }, h as never),
  authorizePolicyAnswer: (h) =>
    authorize(ga, 'approve', { kind: 'none' }, { name: 'custom', authorize: () => h as never }),
  resolveQuery: (h) => resolveQuery(h, T0),
  resolveQueryFilter: (h) => resolveQuery({ filter: h, sort: h }, T0),
  selectColumns: (h) => selectColumns(h),
  parseLifecycleEvent: (h) => parseLifecycleEvent(h),
  safeParseInput: (h) => safeParseInput(z.object({ a: z.record(z.string(), z.unknown()) }), h, 'thing'),
  toPlainJson: (h) => {
    const r = toPlainJson(h);
    return r.ok ? r : { ok: false, error: { code: 'invalidInput', message: r.error.message } };
  },
};

describe('hostile objects at every pure entry point (issue 11, item 6)', () => {
  it('no entry point throws; each answers a Result, failures with a typed code; a custom policy answer never allows unless well-formed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(ENTRY_POINTS)), hostile, (name, recipe) => {
        let r: { ok: boolean; error?: { code: string; message: string } } | undefined;
        try {
          r = (ENTRY_POINTS[name] as (h: unknown) => typeof r)(materialize(recipe));
        } catch (cause) {
          expect.fail(`${name} threw: ${String(cause)}`);
        }
        expect(r).toBeDefined();
        if (r !== undefined && !r.ok) {
          expect(ACTION_CENTER_ERROR_CODES_FOR_TESTS).toContain(r.error?.code);
          expect(r.error?.message.length).toBeGreaterThan(0);
        }
        if (name === 'authorizePolicyAnswer' && r !== undefined && r.ok) {
          expect((r as unknown as { value: { allowed: unknown } }).value.allowed).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
