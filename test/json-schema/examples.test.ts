/**
 * Issue 17: named documents from the seeds pass both validators (a Defender isolate request, a
 * quarantine record with its audit trail and a page of the Pending view, a reader's refusal), and
 * the rules the JSON Schema restates by hand (plain-JSON parameters, execution details, note text)
 * refuse what zod refuses.
 */
import { describe, expect, it } from 'vitest';
import { createActionCenter, manualClock, parseActionRequest, sequentialIdGenerator } from '../../src/index.js';
import { jsonSchemaFor, jsonSchemas, JSON_SCHEMA_NAMES } from '../../src/json-schema/index.js';
import { actionRecord } from '../support/records.js';
import { ajvAccepts, asJson, compare, strictAjv, zodAccepts } from './support.js';

const both = (name: Parameters<typeof zodAccepts>[0], document: unknown) => ({
  zod: zodAccepts(name, asJson(document)),
  ajv: ajvAccepts(name, asJson(document)),
});
const ACCEPTED = { zod: true, ajv: true };
const REFUSED = { zod: false, ajv: false };

// Seed 001: "Isolate device", a manual response action by a Security Administrator in Defender.
const ISOLATE_REQUEST = {
  actionType: 'isolateDevice',
  target: { kind: 'device', deviceId: 'dev-srv-01', deviceName: 'SRV-01', deviceGroup: 'Servers' },
  parameters: { isolationType: 'full' },
  source: 'manualDeviceAction',
  requestedBy: { type: 'principal', id: 'sam.secadmin@contoso.com' },
  comment: 'Beaconing to a known C2 host',
  incidentId: 'inc-7',
} as const;

const QUARANTINE_REQUEST = {
  actionType: 'quarantineFile',
  target: {
    kind: 'file',
    deviceId: 'dev-laptop-03',
    deviceName: 'LAPTOP-03',
    deviceGroup: 'Workstations',
    path: 'C:\\Users\\alex\\Downloads\\Invoice_2026-11.pdf.exe',
    sha1: '3395856CE81F2B7382DEE72602F798B642F14140',
  },
  source: 'automatedDeviceAction',
  verdict: 'suspicious',
  investigationId: 'inv-1042',
  requestedBy: { type: 'system', component: 'automatedInvestigation' },
} as const;

const admin = {
  id: 'sam.secadmin@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
} as const;
const reader = {
  id: 'riley.reader@contoso.com',
  assignments: [{ role: 'securityReader', assignedIn: 'entraId' }],
} as const;

describe('named examples from the seeds pass both validators', () => {
  it('a Defender isolate request (as written, and as parsed)', () => {
    const parsed = parseActionRequest(ISOLATE_REQUEST);
    expect(parsed.ok).toBe(true);
    expect(both('ActionRequest', ISOLATE_REQUEST)).toEqual(ACCEPTED);
    if (parsed.ok) expect(both('ActionRequest', parsed.value)).toEqual(ACCEPTED);
    expect(both('Target', ISOLATE_REQUEST.target)).toEqual(ACCEPTED);
  });

  it('a quarantine record from the engine, its audit trail, a Pending page and a principal', async () => {
    const center = createActionCenter({
      clock: manualClock(Date.UTC(2026, 10, 23, 8, 30)),
      idGenerator: sequentialIdGenerator(),
    });
    const submitted = await center.submit({ request: QUARANTINE_REQUEST });
    if (!submitted.ok) throw new Error(submitted.error.message);
    const record = submitted.value.action;
    expect(record.status).toBe('pending');
    expect(both('ActionRecord', record)).toEqual(ACCEPTED);
    const noted = await center.addNote({ principal: admin, id: record.id, text: 'Called the device owner' });
    if (!noted.ok) throw new Error(noted.error.message);
    expect(both('ActionRecord', noted.value)).toEqual(ACCEPTED);
    const trail = await center.auditTrail({ principal: admin, id: record.id });
    if (!trail.ok) throw new Error(trail.error.message);
    expect(trail.value.length).toBe(2);
    for (const event of trail.value) expect(both('AuditEvent', event)).toEqual(ACCEPTED);
    const page = await center.list({ principal: admin, query: { filter: { view: 'pending' } } });
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.items.length).toBe(1);
    expect(both('ActionPage', page.value)).toEqual(ACCEPTED);
    expect(
      both('ActionQuery', { filter: { view: 'pending', time: { period: 'pastWeek', timeZone: 'Europe/Paris' } } }),
    ).toEqual(ACCEPTED);
    expect(both('Principal', admin)).toEqual(ACCEPTED);
  });

  it("a reader's refused approval: the error value passes the ActionCenterError schema", async () => {
    const center = createActionCenter({
      clock: manualClock(Date.UTC(2026, 10, 23, 8, 30)),
      idGenerator: sequentialIdGenerator(),
    });
    const submitted = await center.submit({ request: QUARANTINE_REQUEST });
    if (!submitted.ok) throw new Error(submitted.error.message);
    const refused = await center.approve({ principal: reader, ids: [submitted.value.action.id] });
    const error = refused.ok ? refused.value.items.find((item) => !item.ok)?.error : refused.error;
    expect(error).toBeDefined();
    expect(both('ActionCenterError', error)).toEqual(ACCEPTED);
    const invalid = parseActionRequest({ actionType: 42 });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(both('ActionCenterError', invalid.error)).toEqual(ACCEPTED);
  });

  it('the stock record fixture passes both, and so do its hashes in upper case (the input zod lower-cases)', () => {
    expect(both('ActionRecord', actionRecord())).toEqual(ACCEPTED);
    const upper = actionRecord({
      target: { ...actionRecord().target, kind: 'file', sha256: 'AB'.repeat(32) } as never,
    });
    expect(both('ActionRecord', upper)).toEqual(ACCEPTED);
  });
});

describe('rules the JSON Schema restates, refused by both', () => {
  const record = actionRecord();
  const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: nested(depth - 1) });

  it('parameters: an object, no prototype keys at any depth, at most 32 deep', () => {
    expect(both('ActionRecord', { ...record, parameters: 'x' })).toEqual(REFUSED);
    expect(both('ActionRecord', { ...record, parameters: [1] })).toEqual(REFUSED);
    expect(both('ActionRecord', { ...record, parameters: JSON.parse('{"a":{"__proto__":{"admin":true}}}') })).toEqual(
      REFUSED,
    );
    expect(both('ActionRecord', { ...record, parameters: { a: [{ constructor: 1 }] } })).toEqual(REFUSED);
    // The record's parameters are depth 0; its members depth 1; containers up to depth 31.
    expect(both('ActionRecord', { ...record, parameters: nested(32) })).toEqual(ACCEPTED);
    expect(both('ActionRecord', { ...record, parameters: nested(33) })).toEqual(REFUSED);
  });

  it('execution details: flat scalars, at most 32 keys of printable text, no prototype names', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(both('ActionRecord', { ...record, executionDetails: keys(32) })).toEqual(ACCEPTED);
    expect(both('ActionRecord', { ...record, executionDetails: keys(33) })).toEqual(REFUSED);
    expect(both('ActionRecord', { ...record, executionDetails: { nested: { no: 1 } } })).toEqual(REFUSED);
    expect(both('ActionRecord', { ...record, executionDetails: { 'bad\u0007key': 1 } })).toEqual(REFUSED);
    expect(both('ActionRecord', { ...record, executionDetails: JSON.parse('{"__proto__":1}') })).toEqual(REFUSED);
    expect(both('ActionRecord', { ...record, executionDetails: { note: 'x'.repeat(501) } })).toEqual(REFUSED);
    expect(both('ActionRecord', { ...record, executionDetails: { note: 'tab\tand\nlines' } })).toEqual(ACCEPTED);
  });

  it('a note is not blank (JavaScript white space, as trim knows it)', () => {
    const note = (text: string) => ({
      ...record,
      noteCount: 1,
      lastNote: { text, by: { type: 'principal', id: 'a' }, at: 1 },
    });
    expect(both('ActionRecord', note('Called the owner'))).toEqual(ACCEPTED);
    for (const blank of [' ', '\t\n', '\u00a0', '\u2003\ufeff'])
      expect(both('ActionRecord', note(blank))).toEqual(REFUSED);
  });

  it('hashes: 40 or 64 hex digits of either case', () => {
    const withSha1 = (sha1: string) => ({ ...record, target: { ...record.target, sha1 } });
    expect(both('ActionRecord', withSha1('A'.repeat(40)))).toEqual(ACCEPTED);
    expect(both('ActionRecord', withSha1('g'.repeat(40)))).toEqual(REFUSED);
    expect(both('ActionRecord', withSha1('a'.repeat(41)))).toEqual(REFUSED);
  });
});

describe('the documents themselves', () => {
  it('are plain JSON, draft 2020-12, self-contained, named and compiled by a strict ajv', () => {
    const all = jsonSchemas();
    expect(Object.keys(all)).toEqual([...JSON_SCHEMA_NAMES]);
    const ajv = strictAjv();
    for (const name of JSON_SCHEMA_NAMES) {
      const doc = all[name];
      expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
      expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(doc.$id).toBe(`urn:actioncenter:json-schema:${name}`);
      expect(doc.title).toBe(name);
      expect(doc.description).toMatch(/^[A-Z].{20,}\.$/);
      // No remote reference: every $ref points into the document's own $defs.
      const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
      for (const ref of refs) expect(ref).toMatch(/^"\$ref":"#\/\$defs\//);
      expect(() => ajv.addSchema(doc)).not.toThrow();
    }
    // Added together, they refer to each other by $id.
    expect(ajv.validate({ $ref: 'urn:actioncenter:json-schema:Target' }, ISOLATE_REQUEST.target)).toBe(true);
  });

  it('each call answers a fresh copy; an unknown name answers a schema that accepts nothing', () => {
    const first = jsonSchemaFor('Target') as Record<string, unknown>;
    first.title = 'changed';
    expect(jsonSchemaFor('Target').title).toBe('Target');
    const unknown = jsonSchemaFor('NoSuchSchema' as never);
    expect(strictAjv().validate(unknown, {})).toBe(false);
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(jsonSchemaFor(hostile as never).not).toEqual({});
    expect(jsonSchemaFor('__proto__' as never).not).toEqual({});
    expect(compare('Target', ISOLATE_REQUEST.target)).toEqual({ zod: true, ajv: true, agree: true });
  });
});
