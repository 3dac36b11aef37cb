/**
 * The one place the engine reads its clock: every reading is checked against the timestamps a record
 * may hold before anything uses it, so a broken clock (NaN, an infinity, a `Date`, a string, a
 * negative or fractional number, a throw) is a typed error that changes nothing, never a stored
 * value the store cannot read back or a comparison that is always false.
 *
 * @module
 */
import { TimestampSchema, type Timestamp } from '../catalog/records.js';
import type { ClockInvalidError } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import type { Clock } from './ports.js';

const MAX_TIMESTAMP = 8.64e15;

/** Reads `clock.now()` and checks it; never throws. */
export function readClock(clock: Clock): Result<Timestamp, ClockInvalidError> {
  let value: unknown;
  try {
    value = clock.now();
  } catch (cause) {
    return err(
      clockInvalid(
        'threw',
        `the clock threw: ${describe(cause instanceof Error ? safeMessage(cause) : cause)}`,
        describe(cause),
      ),
    );
  }
  // The schema is the rule; the checks below only say which part of it the reading broke.
  if (TimestampSchema.safeParse(value).success) return ok(value as Timestamp);
  const described = describe(value);
  if (typeof value !== 'number')
    return err(clockInvalid('notANumber', `the clock returned ${described}, not a number`, described));
  if (!Number.isFinite(value)) return err(clockInvalid('notFinite', `the clock returned ${described}`, described));
  if (value < 0) return err(clockInvalid('negative', `the clock returned a negative time (${described})`, described));
  if (value > MAX_TIMESTAMP)
    return err(clockInvalid('tooLarge', `the clock returned a time past 8.64e15 (${described})`, described));
  return err(clockInvalid('notInteger', `the clock returned a fractional time (${described})`, described));
}

function clockInvalid(reason: ClockInvalidError['reason'], detail: string, value: string): ClockInvalidError {
  return { code: 'clockInvalid', message: `Invalid clock reading: ${detail}; nothing was changed`, value, reason };
}

/** `typeof` and at most 100 characters of the value; safe on Proxies and throwing `toString`s. */
function describe(value: unknown): string {
  let text: string;
  try {
    text =
      value instanceof Date
        ? `Date ${Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()}`
        : `${typeof value} ${String(value)}`;
  } catch {
    text = `${typeof value} (unprintable)`;
  }
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

function safeMessage(error: Error): unknown {
  try {
    return error.message;
  } catch {
    return '(unreadable)';
  }
}
