/**
 * What an executor answers is outside input: it is read once, inside a try/catch (a throwing getter
 * or a Proxy is itself a fault), checked with zod, and bounded before the engine uses or stores it.
 * A failure is normalised into the record's ActionFailure schema (code at most 100 characters, message at
 * most 2,000, no control characters, well-formed Unicode) with what was cut kept, bounded, for the
 * audit event; an answer of the wrong shape becomes `invalidExecutorResult`.
 *
 * @module
 */
import * as z from 'zod';
import { ExternalReferenceSchema, type ActionFailure } from '../catalog/records.js';

/** A JSON scalar: what executor details and normalisation notes may hold. */
export type Scalar = string | number | boolean | null;

/**
 * An executor's answer, read and bounded: the outcome, the executor's own `details` (bounded and
 * JSON-plain, or null; the lifecycle puts them on the record and in the audit event as
 * `executorDetails`), and what the audit event adds besides (`failureOriginal`: what normalisation
 * changed). `accepted`: the work was dispatched, with the remote system's `reference`.
 */
export type ReadOutcome =
  | {
      readonly kind: 'succeeded';
      readonly details: Readonly<Record<string, Scalar>> | null;
      readonly audit: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'failed';
      readonly failure: ActionFailure;
      readonly details: Readonly<Record<string, Scalar>> | null;
      readonly audit: Readonly<Record<string, unknown>>;
      /**
       * The executor said the failure is transient (`retryable: true`, exactly): the type's retry
       * policy may start the action again. Absent (false) for every other failure, a thrown error
       * or a malformed answer included.
       */
      readonly retryable?: boolean;
    }
  | {
      readonly kind: 'accepted';
      readonly reference: string;
      readonly details: Readonly<Record<string, Scalar>> | null;
      readonly audit: Readonly<Record<string, unknown>>;
    };

const MAX_CODE = 100;
const MAX_MESSAGE = 2000;
/** How much of an original code or text value is kept in the audit details. */
const MAX_ORIGINAL = 500;
const MAX_DETAIL_KEYS = 32;
const MAX_DETAIL_KEY = 100;
const MAX_DETAIL_TEXT = 500;
/** Control characters but tab and line breaks (the comment rule); codes lose those too. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;
const CONTROL_OR_BREAK = /[\u0000-\u001F\u007F-\u009F]/gu;
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/gu;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const RawFailureSchema = z.object({
  code: z.union([z.string(), z.number(), z.boolean(), z.bigint()]),
  message: z.unknown().optional(),
});
const RawOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('succeeded'), details: z.unknown().optional() }),
  // `retryable`: read as it is; only a real `true` makes the failure transient (a truthy string does not).
  z.object({ status: z.literal('failed'), failure: RawFailureSchema, retryable: z.unknown().optional() }),
  z.object({ status: z.literal('partial'), failure: RawFailureSchema, details: z.unknown().optional() }),
  // Dispatched (issue 15): the reference is checked as strictly as a report's; a bad one is a bad answer.
  z.object({ status: z.literal('accepted'), reference: ExternalReferenceSchema, details: z.unknown().optional() }),
]);

/**
 * Reads what `execute` resolved with. Never throws: a value of the wrong shape, or one whose
 * reading throws, is a failure with code `invalidExecutorResult`.
 */
export function readExecutionOutcome(value: unknown): ReadOutcome {
  try {
    const parsed = RawOutcomeSchema.safeParse(value);
    if (!parsed.success) {
      return invalidExecutorResult(
        `the executor answered ${describeValue(value)}, not an ExecutionOutcome (${parsed.error.issues[0]?.path.join('.') || 'status'}: ${parsed.error.issues[0]?.message ?? 'invalid'})`,
      );
    }
    const outcome = parsed.data;
    if (outcome.status === 'succeeded')
      return { kind: 'succeeded', details: boundedDetails(outcome.details), audit: {} };
    if (outcome.status === 'accepted')
      return { kind: 'accepted', reference: outcome.reference, details: boundedDetails(outcome.details), audit: {} };
    const { failure, original } = normaliseFailure(
      outcome.failure.code,
      outcome.failure.message,
      outcome.status === 'partial' ? 'Partial: ' : '',
    );
    const audit: Record<string, unknown> = {};
    if (original !== null) audit['failureOriginal'] = original;
    const details = outcome.status === 'partial' ? boundedDetails(outcome.details) : null;
    // Partial work is never retried: starting it again could repeat what was done.
    if (outcome.status === 'failed' && outcome.retryable === true) {
      return { kind: 'failed', failure, details, audit, retryable: true };
    }
    return { kind: 'failed', failure, details, audit };
  } catch (cause) {
    return invalidExecutorResult(`reading the executor's answer threw: ${describeValue(cause)}`);
  }
}

/**
 * Reads why `execute` threw or rejected. An `Error` is an `executorError` with its message; anything
 * else (a string, `undefined`, an object, an Error whose message cannot be read) is an answer of the
 * wrong shape: `invalidExecutorResult`.
 */
export function readExecutionError(cause: unknown): ReadOutcome {
  try {
    if (cause instanceof Error) {
      const message: unknown = cause.message;
      const { failure, original } = normaliseFailure(
        'executorError',
        typeof message === 'string' ? message : describeValue(message),
        '',
      );
      return { kind: 'failed', failure, details: null, audit: original === null ? {} : { failureOriginal: original } };
    }
  } catch (inner) {
    return invalidExecutorResult(`the executor failed and its error could not be read: ${describeValue(inner)}`);
  }
  return invalidExecutorResult(`the executor rejected with ${describeValue(cause)}, not an Error`);
}

/**
 * A failure as the record's Failure schema takes it, and what was changed to make it fit (or null
 * when nothing was): the original code (at most 500 characters), its type when it was not a
 * string, the original message length when the message was cut.
 */
export function normaliseFailure(
  code: unknown,
  message: unknown,
  prefix: string,
): { failure: ActionFailure; original: Record<string, Scalar> | null } {
  const original: Record<string, Scalar> = {};
  let codeText: string;
  if (typeof code === 'string') {
    codeText = code;
  } else if (typeof code === 'number' || typeof code === 'boolean' || typeof code === 'bigint') {
    codeText = String(code);
    original['originalCodeType'] = typeof code;
  } else {
    codeText = '';
    original['originalCodeType'] = code === null ? 'null' : typeof code;
  }
  let cleanCode = clean(codeText, CONTROL_OR_BREAK).trim();
  if (cleanCode === '') cleanCode = 'unspecifiedFailure';
  if (cleanCode !== codeText || cleanCode.length > MAX_CODE)
    original['originalCode'] = cut(clean(codeText, CONTROL_OR_BREAK), MAX_ORIGINAL);
  const finalCode = cut(cleanCode, MAX_CODE);

  let messageText: string;
  if (typeof message === 'string') messageText = message;
  else if (message === undefined || message === null) messageText = '';
  else {
    messageText = describeValue(message);
    original['originalMessageType'] = typeof message;
  }
  const cleanMessage = clean(prefix + messageText, CONTROL);
  if (cleanMessage !== prefix + messageText) original['messageCleaned'] = true;
  if (cleanMessage.length > MAX_MESSAGE) original['originalMessageLength'] = cleanMessage.length;
  const failure: ActionFailure = { code: finalCode, message: cut(cleanMessage, MAX_MESSAGE) };
  return { failure, original: Object.keys(original).length === 0 ? null : original };
}

/**
 * Executor details kept for the audit event: at most 32 keys (no prototype keys, control characters
 * removed, 100 characters each), values that are JSON scalars (text cut at 500 characters,
 * non-finite numbers as text); anything else is left out and counted. Null when there is nothing.
 */
export function boundedDetails(value: unknown): Record<string, Scalar> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return { invalidDetails: describeValue(value) };
  const out: Record<string, Scalar> = {};
  let kept = 0;
  let dropped = 0;
  for (const rawKey of Object.keys(value)) {
    // Format characters go too: the record's schema refuses them in keys (ExecutionDetailsSchema).
    const key = cut(clean(rawKey, CONTROL_OR_FORMAT), MAX_DETAIL_KEY);
    const raw: unknown = (value as Record<string, unknown>)[rawKey];
    if (kept >= MAX_DETAIL_KEYS || key === '' || FORBIDDEN_KEYS.has(key) || Object.hasOwn(out, key)) {
      dropped += 1;
      continue;
    }
    if (typeof raw === 'string') out[key] = cut(clean(raw, CONTROL), MAX_DETAIL_TEXT);
    else if (typeof raw === 'number') out[key] = Number.isFinite(raw) ? raw : String(raw);
    else if (typeof raw === 'boolean' || raw === null) out[key] = raw;
    else {
      dropped += 1;
      continue;
    }
    kept += 1;
  }
  if (dropped > 0) out['droppedDetails'] = dropped;
  return Object.keys(out).length === 0 ? null : out;
}

function invalidExecutorResult(message: string): ReadOutcome {
  const { failure } = normaliseFailure('invalidExecutorResult', `Invalid executor result: ${message}`, '');
  return { kind: 'failed', failure, details: null, audit: {} };
}

/** Removes control characters and makes the text well-formed Unicode (no lone surrogates). */
function clean(text: string, control: RegExp): string {
  return wellFormed(text.replace(control, ''));
}

// Lone surrogates have no UTF-8 form (PostgreSQL refuses them); `String#toWellFormed` is ES2024.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** At most `max` UTF-16 units, never splitting a surrogate pair, with an ellipsis when cut. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  // Cutting between the halves of a pair would leave a lone high surrogate: cut before it.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return text.slice(0, end) + '…';
}

/** A short, safe description of any value (Proxies and throwing `toString`s included). */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    if (value === null) text = 'null';
    else if (value === undefined) text = 'undefined';
    else if (typeof value === 'string') text = JSON.stringify(value);
    else if (value instanceof Error) text = `${value.name}: ${String(value.message)}`;
    else if (typeof value === 'object' || typeof value === 'function')
      text = Array.isArray(value) ? 'an array' : typeof value === 'function' ? 'a function' : 'an object';
    else text = `${typeof value} ${String(value)}`;
  } catch {
    text = 'an unreadable value';
  }
  return clean(cut(text, 200), CONTROL);
}
