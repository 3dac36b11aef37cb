/**
 * Arbitraries of the expiries of issue 16: an action type's own `pendingExpiryMs` and
 * `approvedExpiryMs` (options to spread into `defineActionType`), and the approval policy's
 * `pendingExpiryMs` and `approvedExpiryMs`. Durations are drawn in the units people set them in
 * (minutes, hours, days: Cortex XSIAM sets an action's expiration in hours, Defender keeps 7 days),
 * plus a few odd milliseconds, always within the 366 days a catalogue or policy accepts.
 *
 * @module
 */
import type { Arbitrary, FastCheck } from './fast-check.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MAX = 366 * DAY;

/**
 * The expiry options of an action type (issue 16), each present or left out (the policy's apply):
 * spread them into `defineActionType`.
 *
 * @example
 * ```ts
 * import type { ActionTypeExpiries } from 'actioncenter/testing';
 * const xsiam: ActionTypeExpiries = { pendingExpiryMs: 4 * 3_600_000 };
 * ```
 */
export interface ActionTypeExpiries {
  /** How long a pending action of the type waits before it expires (ms). */
  readonly pendingExpiryMs?: number;
  /** How long an approved action of the type never started waits before it expires (ms). */
  readonly approvedExpiryMs?: number;
}

/**
 * The expiry fields of an approval policy configuration (issue 16): `pendingExpiryMs` (left out:
 * the 7-day default) and `approvedExpiryMs` (null or left out: never).
 *
 * @example
 * ```ts
 * import type { PolicyExpiries } from 'actioncenter/testing';
 * const p: PolicyExpiries = { pendingExpiryMs: 7 * 86_400_000, approvedExpiryMs: null };
 * ```
 */
export interface PolicyExpiries {
  /** How long pending actions wait before they expire (ms); left out: 7 days. */
  readonly pendingExpiryMs?: number;
  /** How long approved actions never started wait before they expire (ms); null or left out: never. */
  readonly approvedExpiryMs?: number | null;
}

/**
 * A duration a catalogue and a policy accept (1 ms to 366 days), mostly whole minutes, hours or days.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { expiryDurationArbitrary } from 'actioncenter/testing';
 * fc.sample(expiryDurationArbitrary(fc), 1)[0]; // e.g. 14400000 (4 hours)
 * ```
 */
export function expiryDurationArbitrary(fc: FastCheck): Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 24 * 60 }).map((m) => m * MINUTE), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 72 }).map((h) => h * HOUR), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 366 }).map((d) => d * DAY), weight: 2 },
    { arbitrary: fc.constantFrom(1, 7 * DAY, 14 * DAY, MAX), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: MAX }), weight: 1 },
  );
}

/**
 * Arbitrary of an action type's expiry options (issue 16): each left out half of the time.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { z } from 'zod';
 * import { defineActionType } from 'actioncenter';
 * import { actionTypeExpiriesArbitrary } from 'actioncenter/testing';
 * const [expiries] = fc.sample(actionTypeExpiriesArbitrary(fc), 1);
 * defineActionType({ id: 'scan', displayName: 'Scan', workload: 'endpoint', targetKind: 'device', parameters: z.strictObject({}), ...expiries });
 * ```
 */
export function actionTypeExpiriesArbitrary(fc: FastCheck): Arbitrary<ActionTypeExpiries> {
  const duration = expiryDurationArbitrary(fc);
  return fc.record(
    { pendingExpiryMs: duration, approvedExpiryMs: duration },
    { requiredKeys: [], noNullPrototype: true },
  );
}

/**
 * Arbitrary of the expiry fields of an approval policy configuration (issue 16).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { createApprovalPolicy } from 'actioncenter';
 * import { policyExpiriesArbitrary } from 'actioncenter/testing';
 * const [expiries] = fc.sample(policyExpiriesArbitrary(fc), 1);
 * createApprovalPolicy({ ...expiries }).ok; // true
 * ```
 */
export function policyExpiriesArbitrary(fc: FastCheck): Arbitrary<PolicyExpiries> {
  const duration = expiryDurationArbitrary(fc);
  return fc.record(
    { pendingExpiryMs: duration, approvedExpiryMs: fc.option(duration, { nil: null }) },
    { requiredKeys: [], noNullPrototype: true },
  );
}
