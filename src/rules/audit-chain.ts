/**
 * The tamper-evident audit trail: every audit event carries the SHA-256 of its canonical JSON
 * (`hash`), which covers the hash of the action's previous event (`previousHash`), so editing,
 * deleting, reordering or inserting an event breaks the chain at that event; the record keeps the
 * hash of its last event (`auditHead`), so deleting the last event is caught too.
 *
 * The chain is per action, in `sequence` order, not one chain over the whole log: the audit order is
 * per action already, and a log-wide chain would make every commit of every action wait for one
 * head (a single row every writer updates), serialising all commits. An action's commits are
 * serialised by its version anyway, so its own chain costs no extra coordination.
 *
 * Canonical JSON sorts object keys at every depth (PostgreSQL's JSONB reorders them), so a hash
 * verifies after a round trip through any store that keeps the values. Pure: no I/O, no clock.
 *
 * @module
 */
import * as z from 'zod';
import { ActionIdSchema } from '../catalog/ids.js';
import { AuditEventSchema, type ActionRecord, type AuditEvent } from '../catalog/records.js';
import { invalidInput, type InvalidInputError } from '../errors.js';
import { err, ok, unreadableInput, type Result } from '../result.js';
import {
  canonicalBuffer,
  canonicalLength,
  resetCanonical,
  writeAscii,
  writeNumber,
  writeString,
  writeValue,
} from './canonical-json.js';
import { sha256HexOfBytes } from './sha256.js';

/**
 * An audit event before it is chained: every field but `hash` and `previousHash`.
 *
 * @example
 * ```ts
 * import type { UnchainedAuditEvent } from 'actioncenter/adapter-kit';
 * const seq = (e: UnchainedAuditEvent) => e.sequence;
 * ```
 */
export type UnchainedAuditEvent = Omit<AuditEvent, 'hash' | 'previousHash'>;

/**
 * The event chained to `previousHash` (the hash of the action's previous event, or null for its
 * first chained event): a new event with `previousHash` and its `hash` set. Pure.
 *
 * @example
 * ```ts
 * import { chainAuditEvent } from 'actioncenter/adapter-kit';
 * const first = chainAuditEvent(
 *   {
 *     id: 'e1' as never,
 *     actionId: 'a1' as never,
 *     sequence: 1,
 *     type: 'created',
 *     at: 0,
 *     actor: { type: 'system', component: 'automatedInvestigation' },
 *     from: null,
 *     to: 'pending',
 *     comment: null,
 *     details: {},
 *   },
 *   null,
 * );
 * first.hash?.length; // 64
 * ```
 */
export function chainAuditEvent(draft: UnchainedAuditEvent, previousHash: string | null): AuditEvent {
  // Every field written out (not a spread): the engine chains every event of a bulk operation.
  const event: AuditEvent = {
    id: draft.id,
    actionId: draft.actionId,
    sequence: draft.sequence,
    type: draft.type,
    at: draft.at,
    actor: draft.actor,
    from: draft.from,
    to: draft.to,
    comment: draft.comment,
    details: draft.details,
    hash: null,
    previousHash,
  };
  event.hash = auditEventHash(event);
  return event;
}

/**
 * The hash an event should carry: the SHA-256 of the canonical JSON of its fields but `hash`
 * (`previousHash` included). The fields are the schema's, listed here: a store can add nothing
 * (reads parse with `AuditEventSchema`, which drops unknown keys), and an event's hash never changes
 * when a later release adds a field.
 */
export function auditEventHash(event: Omit<AuditEvent, 'hash'>): string {
  // Top-level keys in code-unit order, written out; bytes straight into the writer's buffer (no
  // string per event: bench/, bulk approve).
  resetCanonical();
  writeAscii('{"actionId":');
  writeString(event.actionId);
  writeAscii(',"actor":');
  writeValue(event.actor);
  writeAscii(',"at":');
  writeNumber(event.at);
  writeAscii(',"comment":');
  writeValue(event.comment);
  writeAscii(',"details":');
  writeValue(event.details);
  writeAscii(',"from":');
  writeValue(event.from);
  writeAscii(',"id":');
  writeString(event.id);
  writeAscii(',"previousHash":');
  writeValue(event.previousHash);
  writeAscii(',"sequence":');
  writeNumber(event.sequence);
  writeAscii(',"to":');
  writeString(event.to);
  writeAscii(',"type":');
  writeString(event.type);
  writeAscii('}');
  return sha256HexOfBytes(canonicalBuffer(), canonicalLength());
}

/**
 * The canonical text {@link auditEventHash} hashes, as a string (tests, and anyone checking a hash
 * with other tools: `sha256(utf8(auditEventText(e))) === e.hash`).
 */
export function auditEventText(event: Omit<AuditEvent, 'hash'>): string {
  const { hash: _hash, ...fields } = event as AuditEvent;
  return canonicalJson({
    actionId: fields.actionId,
    actor: fields.actor,
    at: fields.at,
    comment: fields.comment,
    details: fields.details,
    from: fields.from,
    id: fields.id,
    previousHash: fields.previousHash,
    sequence: fields.sequence,
    to: fields.to,
    type: fields.type,
  });
}

/**
 * JSON with object keys sorted (code-unit order) at every depth, and what JSON.stringify drops
 * dropped the same way (undefined members); numbers and strings as JSON.stringify writes them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (i > 0) out += ',';
          out += item === undefined || typeof item === 'function' ? 'null' : canonicalJson(item);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length === 0) return '{}';
      keys.sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined || typeof member === 'function') continue;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      // undefined, functions, symbols, bigints: not JSON (audit events never hold them).
      return 'null';
  }
}

/**
 * Why a link of an audit trail is broken: the event's hash is not the hash of its content
 * (`hashMismatch`), its `previousHash` is not the previous event's hash (`previousMismatch`), its
 * sequence is not the next one (`sequenceGap`: an event deleted, inserted or moved), or the record's
 * `auditHead` or version does not match the trail's last event (`headMismatch`: the last events
 * deleted).
 *
 * @example
 * ```ts
 * import type { AuditTrailBreakReason } from 'actioncenter/adapter-kit';
 * const reason: AuditTrailBreakReason = 'headMismatch';
 * ```
 */
export type AuditTrailBreakReason = 'hashMismatch' | 'previousMismatch' | 'sequenceGap' | 'headMismatch';

/**
 * The first broken link of a trail: the sequence it breaks at (the place in the trail, counted
 * from 1; for `headMismatch` the record's version), the id of the event found there (null when
 * there is none), and why.
 *
 * @example
 * ```ts
 * import type { AuditTrailBreak } from 'actioncenter/adapter-kit';
 * const where = (b: AuditTrailBreak) => `${b.reason} at ${b.sequence}`;
 * ```
 */
export interface AuditTrailBreak {
  /** Where the trail breaks: the place in the trail, counted from 1 (for `headMismatch`, the record's version). */
  readonly sequence: number;
  /** The id of the event found there; null when there is none (the last events deleted). */
  readonly eventId: string | null;
  /** Why the link is broken. */
  readonly reason: AuditTrailBreakReason;
}

/**
 * What {@link verifyAuditTrail} found: an intact trail (how many events are chained, and how many
 * were stored before the chain existed: `unchained`, all before the first chained one), or its
 * first broken link.
 *
 * @example
 * ```ts
 * import type { AuditTrailVerification } from 'actioncenter/adapter-kit';
 * const intact = (v: AuditTrailVerification) => v.intact;
 * ```
 */
export type AuditTrailVerification =
  | { readonly intact: true; readonly chained: number; readonly unchained: number }
  | { readonly intact: false; readonly brokenAt: AuditTrailBreak };

const RecordHeadSchema = z.object({
  id: ActionIdSchema,
  version: z.number().int().positive(),
  auditHead: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .default(null),
});

const TrailSchema = z.array(AuditEventSchema).max(1_000_000);

/**
 * Verifies one action's audit trail, in the order given (the trail's `sequence` order): the first
 * broken link, or how many events are chained and unchained. Events stored before the chain
 * existed (null `hash` and `previousHash`) count as `unchained` while no chained event came
 * before them; the first chained event then starts the chain (null `previousHash`). With the
 * action's `record`, its `auditHead` must be the last event's hash and its version the trail's
 * length (`headMismatch` otherwise). Pure; input that is not a trail (or a record) is `invalidInput`.
 *
 * @example
 * ```ts
 * import { verifyAuditTrail } from 'actioncenter';
 * const result = verifyAuditTrail([]);
 * result.ok && result.value.intact && result.value.chained; // 0
 * ```
 */
export function verifyAuditTrail(
  events: readonly AuditEvent[],
  record?: Pick<ActionRecord, 'id' | 'version' | 'auditHead'>,
): Result<AuditTrailVerification, InvalidInputError> {
  let trail: AuditEvent[];
  let head: z.infer<typeof RecordHeadSchema> | undefined;
  try {
    const parsed = TrailSchema.safeParse(events);
    if (!parsed.success) return err(invalidInput('audit trail', parsed.error.issues));
    trail = parsed.data;
    if (record !== undefined) {
      const r = RecordHeadSchema.safeParse(record);
      if (!r.success) return err(invalidInput('action record', r.error.issues));
      head = r.data;
    }
  } catch (cause) {
    return err(unreadableInput('audit trail', cause));
  }
  return ok(verifyParsedTrail(trail, head));
}

/** {@link verifyAuditTrail} on input already parsed (the engine's, read from its store). */
export function verifyParsedTrail(
  trail: readonly AuditEvent[],
  record?: Pick<ActionRecord, 'version' | 'auditHead'>,
): AuditTrailVerification {
  let previous: string | null = null;
  let chained = 0;
  let unchained = 0;
  for (let i = 0; i < trail.length; i++) {
    const event = trail[i] as AuditEvent;
    const sequence = i + 1;
    const broken = (reason: AuditTrailBreakReason): AuditTrailVerification => ({
      intact: false,
      brokenAt: { sequence, eventId: event.id, reason },
    });
    if (event.sequence !== sequence) return broken('sequenceGap');
    if (event.hash === null && event.previousHash === null && chained === 0) {
      // Stored before the chain existed: nothing to check but its place.
      unchained += 1;
      continue;
    }
    if (event.previousHash !== previous) return broken('previousMismatch');
    if (event.hash !== auditEventHash(event)) return broken('hashMismatch');
    previous = event.hash;
    chained += 1;
  }
  if (record !== undefined && (record.auditHead !== previous || record.version !== trail.length)) {
    const there = trail[record.version - 1];
    return {
      intact: false,
      brokenAt: { sequence: record.version, eventId: there?.id ?? null, reason: 'headMismatch' },
    };
  }
  return { intact: true, chained, unchained };
}
