/**
 * The arbitraries of actioncenter/testing: every value they produce is valid for the library's own
 * schemas and rules, records are consistent and reach every state of the lifecycle, and everything is
 * built with the fast-check instance the caller passes (nothing in src/testing imports it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_STATUSES, builtInCatalog, type ActionStatus } from 'actioncenter';
import {
  ActionRecordSchema,
  AuditEventSchema,
  LifecycleEventSchema,
  PrincipalSchema,
  ROLES,
  TARGET_KINDS,
  TargetSchema,
  acceptedEvents,
  decodeCursor,
  referenceQuery,
  resolveQuery,
} from 'actioncenter/adapter-kit';
import {
  actionCenterArbitraries,
  buildActionHistory,
  queryValuesOf,
  type ActionHistory,
  type FastCheck,
} from 'actioncenter/testing';

const RUNS = 200;
const arbitraries = actionCenterArbitraries(fc);

/** The properties every history has, whatever walk made it. */
function expectConsistent(h: ActionHistory): void {
  expect(
    ActionRecordSchema.safeParse(h.action).success,
    JSON.stringify(ActionRecordSchema.safeParse(h.action).error?.issues),
  ).toBe(true);
  expect(h.events.length).toBe(h.action.version);
  expect(h.events.map((e) => e.sequence)).toEqual(h.events.map((_, i) => i + 1));
  expect(h.events[0]?.type).toBe('created');
  expect(h.events.at(-1)?.to).toBe(h.action.status);
  expect(h.steps.at(-1)?.action).toBe(h.action);
  const type = builtInCatalog.require(h.action.actionType);
  for (const [i, step] of h.steps.entries()) {
    expect(AuditEventSchema.safeParse(step.event).success).toBe(true);
    expect(step.action.version).toBe(i + 1);
    expect(step.event.actionId).toBe(h.action.id);
    const previous = h.steps[i - 1];
    if (previous === undefined) continue;
    // Each step is an event the previous state accepted, by the lifecycle table.
    expect(acceptedEvents(previous.action, { actionType: type })).toContain(step.event.type);
    expect(step.event.from).toBe(previous.action.status);
    expect(step.action.updatedAt).toBeGreaterThanOrEqual(previous.action.updatedAt);
  }
}

describe('requests, targets, sources, principals', () => {
  it('requests are valid for the catalogue, and parse again to themselves', () => {
    fc.assert(
      fc.property(arbitraries.request, (r) => {
        const again = builtInCatalog.parseRequest(JSON.parse(JSON.stringify(r)));
        expect(again).toStrictEqual({ ok: true, value: r });
      }),
      { numRuns: RUNS },
    );
  });

  it('request inputs parse, and every request is taken by the kind of actor its source calls for', () => {
    fc.assert(
      fc.property(arbitraries.requestInput, (input) => {
        const parsed = builtInCatalog.parseRequest(input);
        expect(parsed.ok).toBe(true);
        const automated =
          input.source === 'automatedDeviceAction' ||
          input.source === 'automatedEmailAction' ||
          input.source === 'antivirus';
        expect(input.requestedBy.type).toBe(automated ? 'system' : 'principal');
      }),
      { numRuns: RUNS },
    );
  });

  it.each([...TARGET_KINDS])(
    'targets of kind %s are parsed targets (TargetSchema gives them back unchanged)',
    (kind) => {
      fc.assert(
        fc.property(arbitraries.targetOf(kind), (t) => {
          expect(t.kind).toBe(kind);
          expect(TargetSchema.parse(t)).toStrictEqual(t);
        }),
        { numRuns: 50 },
      );
    },
  );

  it('sourceFor a type only gives sources that take its workload', () => {
    fc.assert(
      fc.property(
        arbitraries.actionType.chain((t) => arbitraries.sourceFor(t).map((s) => [t, s] as const)),
        ([type, source]) => {
          const r = builtInCatalog.parseRequest({
            actionType: type.id,
            target: { kind: 'url', url: 'https://x.example/' },
            source,
            requestedBy: { type: 'system', component: 'x' },
          });
          // Whatever else is wrong with this request, the source is never the problem.
          expect(!r.ok && r.error.code === 'sourceNotApplicable').toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('principals are valid, and assignments cover every role, assigned where it counts and where it does not, scoped and not', () => {
    const seen = { roles: new Set<string>(), scoped: 0, unscoped: 0, notCounting: 0 };
    fc.assert(
      fc.property(arbitraries.principal, (p) => {
        expect(PrincipalSchema.parse(p)).toStrictEqual(p);
        for (const a of p.assignments) {
          seen.roles.add(a.role);
          if (a.deviceGroups === null) seen.unscoped += 1;
          else seen.scoped += 1;
          if (a.role === 'securityAdministrator' && a.assignedIn === 'emailAndCollaboration') seen.notCounting += 1;
        }
      }),
      { numRuns: 500 },
    );
    expect([...seen.roles].sort()).toEqual([...ROLES].sort());
    expect(seen.scoped).toBeGreaterThan(0);
    expect(seen.unscoped).toBeGreaterThan(0);
    expect(seen.notCounting).toBeGreaterThan(0);
  });
});

describe('action records and histories', () => {
  it('histories are consistent: version = events, sequences 1..n, each step accepted by the lifecycle, last event leads to the status', () => {
    fc.assert(fc.property(arbitraries.actionHistory, expectConsistent), { numRuns: RUNS });
  });

  it('records reach all 12 statuses of the lifecycle', () => {
    const seen = new Map<ActionStatus, number>();
    for (const r of fc.sample(arbitraries.actionRecord, 3000)) seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
    expect([...seen.keys()].sort()).toEqual([...ACTION_STATUSES].sort());
  });

  it.each([...ACTION_STATUSES])('actionRecordIn(%s) gives consistent records in that status', (status) => {
    fc.assert(
      fc.property(arbitraries.actionHistoryIn(status), (h) => {
        expect(h.action.status).toBe(status);
        expectConsistent(h);
      }),
      { numRuns: 50 },
    );
    expect(fc.sample(arbitraries.actionRecordIn(status), 5).every((a) => a.status === status)).toBe(true);
  });

  it('histories of several actions have distinct ids (and so distinct audit event ids)', () => {
    fc.assert(
      fc.property(arbitraries.actionHistories({ minLength: 2, maxLength: 12 }), (hs) => {
        expect(new Set(hs.map((h) => h.action.id)).size).toBe(hs.length);
        const eventIds = hs.flatMap((h) => h.events.map((e) => e.id));
        expect(new Set(eventIds).size).toBe(eventIds.length);
      }),
      { numRuns: 50 },
    );
  });

  it('buildActionHistory builds the history a list of steps describes, and refuses a step the lifecycle refuses', () => {
    const request = fc.sample(arbitraries.requestOf('quarantineFile'), 1)[0];
    if (request === undefined) throw new Error('no request');
    const type = builtInCatalog.require('quarantineFile');
    const start = { id: 'act-1', createdAt: Date.UTC(2026, 0, 1), status: 'pending' } as const;
    const h = buildActionHistory(request, type, start, [
      { type: 'approve' },
      { type: 'start' },
      { type: 'succeed' },
      { type: 'requestUndo' },
      { type: 'undoFailed' },
    ]);
    expect(h.events.map((e) => `${e.type}->${e.to}`)).toEqual([
      'created->pending',
      'approve->approved',
      'start->running',
      'succeed->succeeded',
      'requestUndo->undoing',
      'undoFailed->undoFailed',
    ]);
    expectConsistent(h);
    expect(() => buildActionHistory(request, type, start, [{ type: 'succeed' }])).toThrow(
      /pending and does not accept "succeed"/,
    );
  });

  it('lifecycle events and audit events are valid for their schemas', () => {
    fc.assert(
      fc.property(arbitraries.lifecycleEvent, (e) => LifecycleEventSchema.safeParse(e).success),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(arbitraries.auditEvent, (e) => AuditEventSchema.safeParse(e).success),
      { numRuns: RUNS },
    );
  });
});

describe('queries', () => {
  it('query inputs are valid: resolveQuery accepts them', () => {
    fc.assert(
      fc.property(
        arbitraries.queryInput,
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (q, now) => {
          const r = resolveQuery(q, now);
          expect(r.ok, JSON.stringify(r)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('resolved queries over records page within bounds, draw cursors from stored records, and sometimes match', () => {
    let matched = 0;
    fc.assert(
      fc.property(
        arbitraries.actionHistories({ maxLength: 12 }).chain((hs) => {
          const records = hs.map((h) => h.action);
          return fc.tuple(fc.constant(records), arbitraries.resolvedQueryOver(records));
        }),
        ([records, q]) => {
          const page = referenceQuery(records, q);
          expect(page.items.length).toBeLessThanOrEqual(q.page.size);
          if (q.page.cursor !== null) expect(decodeCursor(q.page.cursor)?.id).toBeDefined();
          if (page.total > 0) matched += 1;
        },
      ),
      { numRuns: RUNS },
    );
    expect(matched).toBeGreaterThan(0);
  });

  it('query values hold what the records hold, and a value that matches nothing per field', () => {
    const values = queryValuesOf([]);
    expect(values.ids).toEqual(['act-none']);
    expect(values.statuses).toEqual([...ACTION_STATUSES]);
  });
});

describe('built with the caller’s fast-check', () => {
  it('every arbitrary comes from the fc instance passed in', () => {
    const calls = new Map<string, number>();
    // A copy of fast-check's functions that counts its calls: what the arbitraries are made of.
    const counting = Object.fromEntries(
      Object.entries(fc).map(([name, value]) => [
        name,
        typeof value === 'function'
          ? (...args: unknown[]) => {
              calls.set(name, (calls.get(name) ?? 0) + 1);
              return (value as (...a: unknown[]) => unknown)(...args);
            }
          : value,
      ]),
    ) as unknown as FastCheck;
    const built = actionCenterArbitraries(counting);
    expect(calls.get('record')).toBeGreaterThan(0);
    expect(calls.get('constantFrom')).toBeGreaterThan(0);
    fc.assert(
      fc.property(built.actionRecord, (a) => ActionRecordSchema.safeParse(a).success),
      { numRuns: 20 },
    );
  });

  it('nothing in src/testing imports fast-check or vitest at run time, nor the core by a relative path', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const testingDir = join(root, 'src', 'testing');
    const files = (readdirSync(testingDir, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(testingDir, f));
    expect(files.length).toBeGreaterThan(5);
    const offences: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/gms)) {
        const [, , typeOnly, specifier] = match;
        if (specifier === undefined) continue;
        if ((specifier === 'fast-check' || specifier === 'vitest') && typeOnly === undefined)
          offences.push(`${relative(root, file)}: runtime import of ${specifier}`);
        if (specifier.startsWith('.') && !resolve(dirname(file), specifier).startsWith(testingDir))
          offences.push(`${relative(root, file)}: relative import out of src/testing (${specifier})`);
      }
      if (/(?<![.\w])require\(|import\(\s*['"](fast-check|vitest)/.test(source))
        offences.push(`${relative(root, file)}: dynamic import or require`);
    }
    expect(offences).toEqual([]);
  });
});
