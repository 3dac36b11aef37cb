// A small client for the web example's API through `app.request()` (no socket): a session
// cookie, the CSRF token, JSON in and out. Shared by test/web/api*.test.ts.
import type { Hono } from 'hono';
import { createWebApp } from '../../examples/web/server/app.js';
import { createDemoCenter, type DemoCenter } from '../../examples/web/server/demo-center.js';
import type { PersonaId } from '../../examples/web/server/personas.js';

/**
 * The demo data's "now": this minute. The data is the same for a seed relative to it (ids, types,
 * statuses); it must be recent, as the center's clock runs on in real time after seeding and a
 * pending action older than 7 days would expire under the tests.
 */
export const DEMO_NOW = Math.floor(Date.now() / 60_000) * 60_000;

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

export interface Client {
  cookie: string | null;
  csrf: string | null;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Answer>;
  raw(path: string, init: RequestInit): Promise<Response>;
  login(persona: PersonaId): Promise<Answer>;
}

const BASE = 'http://localhost';

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** A client of `app`, with no session until it reads /api/session or logs in. */
export function clientOf(app: Hono): Client {
  const client: Client = {
    cookie: null,
    csrf: null,
    raw: async (path, init) => {
      const headers = new Headers(init.headers);
      if (client.cookie !== null && !headers.has('cookie')) headers.set('cookie', client.cookie);
      const response = await app.request(`${BASE}${path}`, { ...init, headers });
      const set = response.headers.get('set-cookie');
      if (set !== null) client.cookie = set.split(';')[0] ?? null;
      return response;
    },
    get: async (path, headers = {}) => answer(await client.raw(path, { method: 'GET', headers })),
    post: async (path, body, headers = {}) =>
      answer(
        await client.raw(path, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(client.csrf !== null && { 'x-csrf-token': client.csrf }),
            ...headers,
          },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    login: async (persona) => {
      const got = await client.post('/api/login', { persona });
      client.csrf = (got.body as { csrfToken: string }).csrfToken;
      return got;
    },
  };
  return client;
}

/** A fresh demo center (seed 17 as of DEMO_NOW) and its app. */
export async function demoApp(
  options: { readonly maxBodyBytes?: number; readonly data?: 'demo' | 'empty' } = {},
): Promise<DemoCenter & { app: Hono }> {
  const demo = await createDemoCenter({ seed: 17, now: DEMO_NOW, data: options.data ?? 'demo' });
  const app = createWebApp({
    center: demo.center,
    repository: demo.repository,
    ...(options.maxBodyBytes !== undefined && { maxBodyBytes: options.maxBodyBytes }),
  });
  return { ...demo, app };
}

/** `?query=` of a list or export. */
export const q = (query: unknown) => `query=${encodeURIComponent(JSON.stringify(query))}`;
