// Client input never reaches a 500: random methods' bodies, queries and headers thrown at every
// route of the app (read from the app itself), signed in or not, with or without the CSRF token.
// Every answer is below 500, and every error is the typed body with its status from the table.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createWebApp } from '../../examples/web/server/app.js';
import { statusOf } from '../../examples/web/server/errors.js';
import { PERSONA_IDS } from '../../examples/web/server/personas.js';
import { clientOf, demoApp } from './api-client.js';

const SETUP_TIMEOUT = 120_000;

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const idLike = fc.oneof(
  fc.constantFrom('act-1', 'act-5', 'act-120', 'act-250', 'act-293', 'act-999999'),
  fc.string({ maxLength: 30 }),
);
const bodyArb = fc.oneof(
  fc.string({ maxLength: 200 }),
  jsonValue.map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        ids: fc.oneof(fc.array(idLike, { maxLength: 4 }), jsonValue),
        comment: fc.oneof(fc.string({ maxLength: 50 }), jsonValue),
        applyToOtherInstances: fc.oneof(fc.boolean(), jsonValue),
        persona: fc.oneof(fc.constantFrom('securityAdministrator', 'securityReader', 'root'), jsonValue),
        text: fc.oneof(fc.string({ maxLength: 50 }), jsonValue),
        request: jsonValue,
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
);
const queryArb = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 80 }).map((s) => `query=${encodeURIComponent(s)}`),
  jsonValue.map((v) => `query=${encodeURIComponent(JSON.stringify(v))}`),
  fc
    .record(
      {
        filter: fc.record(
          { view: fc.constantFrom('pending', 'history', 'all', 'x'), status: jsonValue },
          { requiredKeys: [] },
        ),
        sort: jsonValue,
        page: fc.record(
          {
            size: fc.integer({ min: -5, max: 5000 }),
            index: fc.integer({ min: -2, max: 20_000 }),
            cursor: fc.string({ maxLength: 20 }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    )
    .map((v) => `query=${encodeURIComponent(JSON.stringify(v))}`),
  fc.string({ maxLength: 40 }).map((s) => `columns=${encodeURIComponent(s)}`),
  fc.string({ maxLength: 60 }),
);
const headerArb = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
    ),
    accept: fc.constantFrom('application/json', 'application/x-ndjson', 'text/event-stream', '*/*'),
    origin: fc.constantFrom('http://localhost', 'http://localhost', 'https://evil.example', 'null'),
    'sec-fetch-site': fc.constantFrom('same-origin', 'same-origin', 'cross-site', 'none', 'same-site'),
    'last-event-id': fc.oneof(fc.nat().map(String), fc.string({ maxLength: 20 })),
    cookie: fc.string({ maxLength: 60 }).map((s) => `ac_session=${s.replace(/[\r\n]/g, '')}`),
    'x-csrf-token': fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, '')),
  },
  { requiredKeys: [] },
);

let app: Hono;
beforeAll(async () => {
  ({ app } = await demoApp());
}, SETUP_TIMEOUT);

/** The routes a client may call, with `:param`s to fill (middleware and wildcards left out). */
function routesOf(hono: Hono): { method: string; path: string }[] {
  const seen = new Set<string>();
  return hono.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => ({ method: r.method, path: r.path }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`) !== undefined);
}

async function expectTyped(response: Response, label: string): Promise<void> {
  expect(response.status, label).toBeLessThan(500);
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    await response.body?.cancel(); // a live feed never ends: hang up
    return;
  }
  const text = await response.text();
  if (response.status >= 400 && type.startsWith('application/json')) {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, label).toBe('string');
    expect(typeof body.error?.message, label).toBe('string');
    expect(statusOf(body.error?.code as string), label).toBe(response.status);
    expect(text, label).not.toMatch(/\n\s+at /); // no stack
  }
}

describe('client input never reaches a 500', () => {
  it('finds the routes to test in the app', () => {
    const routes = routesOf(app).map((r) => `${r.method} ${r.path}`);
    expect(routes).toEqual(
      expect.arrayContaining(['GET /api/actions', 'POST /api/actions/approve', 'GET /api/events']),
    );
  });

  it('random bodies, queries and headers at every route', { timeout: 600_000 }, async () => {
    const routes = routesOf(app);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.string({ maxLength: 20 }),
        queryArb,
        headerArb,
        bodyArb,
        fc.constantFrom(null, ...PERSONA_IDS),
        fc.boolean(),
        async (route, param, query, headers, body, persona, withToken) => {
          const path = route.path.replace(/:[A-Za-z_]+/g, encodeURIComponent(param) || 'x');
          const url = `${path}${query === '' ? '' : `?${query}`}`;
          const init: RequestInit = { method: route.method, headers: { ...headers } };
          if (persona !== null) {
            // A session per run: a fuzzed logout or login ends the session it was sent with.
            const client = clientOf(app);
            await client.login(persona);
            (init.headers as Record<string, string>).cookie = client.cookie ?? '';
            if (withToken) (init.headers as Record<string, string>)['x-csrf-token'] = client.csrf ?? '';
          }
          if (route.method !== 'GET' && route.method !== 'HEAD') init.body = body;
          const response = await app.request(`http://localhost${url}`, init);
          await expectTyped(response, `${route.method} ${url}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('an unexpected exception', () => {
  it(
    'is 500 internal, with no stack or message of its own, and the security headers',
    async () => {
      const { center, repository } = await demoApp({ data: 'empty' });
      const broken = createWebApp({
        center,
        repository,
        authenticate: () => {
          throw new Error('secret connection string postgres://admin:hunter2@db');
        },
      });
      const errors: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void errors.push(args); // logged for the operator, not printed in the test run
      try {
        const response = await broken.request('http://localhost/api/actions');
        expect(response.status).toBe(500);
        const text = await response.text();
        expect(JSON.parse(text)).toEqual({
          error: { code: 'internal', message: 'Something went wrong on the server' },
        });
        expect(text).not.toContain('hunter2');
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(errors).toHaveLength(1);
      } finally {
        console.error = original;
      }
    },
    SETUP_TIMEOUT,
  );
});
