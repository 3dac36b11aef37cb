/**
 * The tamper-evident audit trail (issue 16): chained trails verify, any single edit, deletion,
 * reordering or insertion is caught at the right sequence, trails stored before the chain verify
 * as unchained, and hashes do not depend on key order (JSONB reorders keys).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyAuditTrail, type AuditEvent } from 'actioncenter';
import { chainAuditEvent } from 'actioncenter/adapter-kit';
import { actionCenterArbitraries } from 'actioncenter/testing';
import { createHash } from 'node:crypto';
import { auditEventHash, auditEventText, canonicalJson } from '../../src/rules/audit-chain.js';
import { canonicalBuffer, canonicalLength, resetCanonical, writeValue } from '../../src/rules/canonical-json.js';

const arbitraries = actionCenterArbitraries(fc);
// Histories of at least two events (an edit needs something to break).
const history = arbitraries.actionHistory.filter((h) => h.events.length >= 2);

/** The verification, or the invalid-input error as it is. */
const verified = (...args: Parameters<typeof verifyAuditTrail>) => {
  const r = verifyAuditTrail(...args);
  return r.ok ? r.value : r;
};

const unhashed = (e: AuditEvent): AuditEvent => ({ ...e, hash: null, previousHash: null });
const reversedKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((k) => [k, reversedKeys((value as Record<string, unknown>)[k])]),
  );
};

describe('verifyAuditTrail', () => {
  it('an untouched chained trail verifies, with its record, every event chained', () => {
    fc.assert(
      fc.property(arbitraries.actionHistory, (h) => {
        expect(verified(h.events, h.action)).toEqual({ intact: true, chained: h.events.length, unchained: 0 });
        expect(h.action.auditHead).toBe(h.events.at(-1)?.hash);
        expect(h.events[0]?.previousHash).toBeNull();
      }),
    );
  });

  it('hashes do not depend on key order at any depth (a JSONB round trip reorders keys)', () => {
    fc.assert(
      fc.property(arbitraries.actionHistory, (h) => {
        const reordered = JSON.parse(JSON.stringify(reversedKeys(h.events))) as AuditEvent[];
        expect(verified(reordered, h.action)).toMatchObject({ intact: true });
      }),
    );
  });

  it('any single-field edit of an event is caught at its sequence', () => {
    const fields = ['id', 'actionId', 'type', 'at', 'actor', 'from', 'to', 'comment', 'details', 'hash'] as const;
    fc.assert(
      fc.property(history, fc.nat(), fc.constantFrom(...fields), (h, pick, field) => {
        const i = pick % h.events.length;
        const events = h.events.map((e) => ({ ...e }));
        const original = events[i] as AuditEvent;
        const edited: Record<string, unknown> = { ...original };
        switch (field) {
          case 'at':
            edited['at'] = original.at + 1;
            break;
          case 'actor':
            edited['actor'] = { type: 'system', component: 'forger' };
            break;
          case 'from':
            edited['from'] = original.from === 'pending' ? 'approved' : 'pending';
            break;
          case 'to':
            edited['to'] = original.to === 'cancelled' ? 'rejected' : 'cancelled';
            break;
          case 'type':
            edited['type'] = original.type === 'cancel' ? 'reject' : 'cancel';
            break;
          case 'comment':
            edited['comment'] = original.comment === null ? 'forged' : null;
            break;
          case 'details':
            edited['details'] = { ...original.details, forged: true };
            break;
          case 'hash':
            edited['hash'] = (original.hash as string).replace(/^./, (c) => (c === '0' ? '1' : '0'));
            break;
          default:
            edited[field] = `${String(original[field])}x`;
        }
        events[i] = edited as AuditEvent;
        expect(verified(events, h.action)).toEqual({
          intact: false,
          brokenAt: { sequence: i + 1, eventId: edited['id'], reason: 'hashMismatch' },
        });
      }),
    );
  });

  it('an edited previousHash or sequence is caught at its sequence', () => {
    fc.assert(
      fc.property(history, fc.nat(), fc.boolean(), (h, pick, previous) => {
        const i = pick % h.events.length;
        const events = h.events.map((e) => ({ ...e }));
        const e = events[i] as AuditEvent;
        if (previous) events[i] = { ...e, previousHash: 'f'.repeat(64) };
        else events[i] = { ...e, sequence: e.sequence + 1 };
        expect(verified(events)).toEqual({
          intact: false,
          brokenAt: { sequence: i + 1, eventId: e.id, reason: previous ? 'previousMismatch' : 'sequenceGap' },
        });
      }),
    );
  });

  it('an event deleted is caught where it was; the last one deleted, by the record head', () => {
    fc.assert(
      fc.property(history, fc.nat(), (h, pick) => {
        const i = pick % h.events.length;
        const events = h.events.filter((_, j) => j !== i);
        const result = verified(events, h.action);
        if (i === h.events.length - 1)
          expect(result).toEqual({
            intact: false,
            brokenAt: { sequence: i + 1, eventId: null, reason: 'headMismatch' },
          });
        else
          expect(result).toEqual({
            intact: false,
            brokenAt: { sequence: i + 1, eventId: h.events[i + 1]?.id, reason: 'sequenceGap' },
          });
      }),
    );
  });

  it('two events swapped are caught at the first of them', () => {
    fc.assert(
      fc.property(history, fc.nat(), (h, pick) => {
        const i = pick % (h.events.length - 1);
        const events = [...h.events];
        [events[i], events[i + 1]] = [events[i + 1] as AuditEvent, events[i] as AuditEvent];
        expect(verified(events, h.action)).toEqual({
          intact: false,
          brokenAt: { sequence: i + 1, eventId: h.events[i + 1]?.id, reason: 'sequenceGap' },
        });
      }),
    );
  });

  it('a forged event inserted (the later ones renumbered, even rehashed) is caught after it', () => {
    fc.assert(
      fc.property(history, fc.nat(), (h, pick) => {
        const i = pick % h.events.length; // inserted before events[i], after events[i - 1]
        const base = h.events[i] as AuditEvent;
        const previous = i === 0 ? null : (h.events[i - 1]?.hash ?? null);
        // A forger who knows the scheme chains the forged event to its predecessor...
        const forged = chainAuditEvent({ ...base, id: 'forged' as AuditEvent['id'], comment: 'forged' }, previous);
        // ...and renumbers the rest, but cannot re-chain them without rewriting every later hash.
        const later = h.events.slice(i).map((e) => ({ ...e, sequence: e.sequence + 1 }));
        const events = [...h.events.slice(0, i), forged, ...later];
        const result = verified(events);
        expect(result).toMatchObject({ intact: false, brokenAt: { sequence: i + 2 } });
      }),
    );
  });

  it('a trail stored before the chain verifies as unchained, and chains on from null', () => {
    fc.assert(
      fc.property(history, fc.nat(), (h, pick) => {
        const cut = 1 + (pick % h.events.length);
        // The first `cut` events stored before the chain; the engine chains the rest from a null head.
        const events: AuditEvent[] = h.events.slice(0, cut).map(unhashed);
        let head: string | null = null;
        for (const e of h.events.slice(cut)) {
          const chained = chainAuditEvent(e, head);
          events.push(chained);
          head = chained.hash;
        }
        expect(verified(events, { ...h.action, auditHead: head })).toEqual({
          intact: true,
          chained: h.events.length - cut,
          unchained: cut,
        });
      }),
    );
  });

  it('hashes stripped from a chained prefix are caught at the first chained event after them', () => {
    fc.assert(
      fc.property(history, fc.nat(), (h, pick) => {
        const cut = 1 + (pick % (h.events.length - 1)); // leaves at least one chained event
        const events = [...h.events.slice(0, cut).map(unhashed), ...h.events.slice(cut)];
        expect(verified(events, h.action)).toEqual({
          intact: false,
          brokenAt: { sequence: cut + 1, eventId: h.events[cut]?.id, reason: 'previousMismatch' },
        });
      }),
    );
  });

  it('every hash stripped from a chained trail is caught by the record head', () => {
    fc.assert(
      fc.property(arbitraries.actionHistory, (h) => {
        const result = verified(h.events.map(unhashed), h.action);
        expect(result).toMatchObject({ intact: false, brokenAt: { reason: 'headMismatch' } });
      }),
    );
  });
});

const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.oneof(fc.string(), fc.string({ unit: utf16Unit }), fc.string({ unit: 'binary' }));
// JSON values whose strings hold any UTF-16 (lone surrogates, control characters), keys included.
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.maxSafeNat(),
    anyText,
    fc.array(tie('value')),
    fc.dictionary(anyText, tie('value'), { noNullPrototype: true }),
  ),
})).value;

describe('the canonical bytes', () => {
  it('are the UTF-8 of JSON.stringify with sorted keys, for any JSON value', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        resetCanonical();
        writeValue(value);
        const bytes = canonicalBuffer().slice(0, canonicalLength());
        expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(canonicalJson(value), 'utf8').toString('hex'));
      }),
      { numRuns: 500 },
    );
  });

  it('an event hash is the SHA-256 of its canonical text (checkable with any SHA-256 tool)', () => {
    fc.assert(
      fc.property(arbitraries.auditEvent, fc.dictionary(anyText, anyJson, { noNullPrototype: true }), (e, details) => {
        const event = { ...e, details };
        const digest = createHash('sha256').update(auditEventText(event), 'utf8').digest('hex');
        expect(auditEventHash(event)).toBe(digest);
      }),
      { numRuns: 300 },
    );
  });
});

describe('verifyAuditTrail: edges', () => {
  it('an empty trail verifies; against a record, it is a head mismatch', () => {
    expect(verified([])).toEqual({ intact: true, chained: 0, unchained: 0 });
    const r = verified([], { id: 'a1' as never, version: 1, auditHead: null });
    expect(r).toEqual({ intact: false, brokenAt: { sequence: 1, eventId: null, reason: 'headMismatch' } });
  });

  it('input that is not a trail is invalidInput, never a throw (a Proxy whose reads throw)', () => {
    const hostile = new Proxy([], {
      get() {
        throw new Error('boom');
      },
    });
    expect(verifyAuditTrail(hostile)).toMatchObject({ ok: false, error: { code: 'invalidInput' } });
    expect(verifyAuditTrail([{ id: 1 }] as never)).toMatchObject({ ok: false, error: { code: 'invalidInput' } });
    expect(verifyAuditTrail([], { version: 'x' } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalidInput' },
    });
  });

  it('canonical JSON sorts keys at every depth and drops undefined members as JSON does', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"z":1}]},"b":1}',
    );
    expect(canonicalJson([undefined, null])).toBe('[null,null]');
  });

  it('the hash is the SHA-256 of the canonical JSON of the fields but hash (a pinned vector)', () => {
    const event = chainAuditEvent(
      {
        id: 'e1' as AuditEvent['id'],
        actionId: 'a1' as AuditEvent['actionId'],
        sequence: 1,
        type: 'created',
        at: 0,
        actor: { type: 'system', component: 'automatedInvestigation' },
        from: null,
        to: 'pending',
        comment: null,
        details: {},
      },
      null,
    );
    expect(event.hash).toBe(auditEventHash(event));
    // Pinned: a change of the canonical form would break every stored chain.
    expect(event.hash).toBe('de2704e0731c002b4ece95d09ce6b2f33842064d95cfdee395f3d87e82ac6637');
  });
});
