// Over a real socket (serve.ts on port 0): the Server-Sent Events feed hears an approve, and
// resumes after Last-Event-ID. And the OpenAPI document: every schema compiles (ajv, draft
// 2020-12), real answers validate against it, and every route of the app is in its paths.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../examples/web/server/serve.js';
import { createWebApp } from '../../examples/web/server/app.js';
import { clientOf, demoApp } from './api-client.js';

const SLOW = 120_000;

/** Reads an SSE body until `done` says stop; answers the events read. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  done: (events: { id: string; event: string; data: string }[]) => boolean,
): Promise<{ id: string; event: string; data: string }[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: { id: string; event: string; data: string }[] = [];
  let buffer = '';
  try {
    while (!done(events)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) =>
          block
            .split('\n')
            .find((line) => line.startsWith(`${name}: `))
            ?.slice(name.length + 2) ?? '';
        if (field('event') !== '') events.push({ id: field('id'), event: field('event'), data: field('data') });
      }
    }
  } finally {
    await reader.cancel();
  }
  return events;
}

describe('Server-Sent Events over a real socket', () => {
  let server: WebServer;
  let cookie = '';
  let csrf = '';
  beforeAll(async () => {
    server = await startWebServer({ port: 0, data: 'demo', seed: 17 });
    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: 'globalAdministrator' }),
    });
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  }, SLOW);
  afterAll(async () => {
    await server?.close();
  }, SLOW);

  it('hears the change after an approve, then resumes after Last-Event-ID', { timeout: SLOW }, async () => {
    const pending = await fetch(
      `${server.url}/api/actions?query=${encodeURIComponent(JSON.stringify({ filter: { view: 'pending', actionType: ['stopService'] } }))}`,
      { headers: { cookie } },
    );
    const id = ((await pending.json()) as { page: { items: { id: string }[] } }).page.items[0]?.id ?? '';
    expect(id).toMatch(/^act-/);

    const feed = await fetch(`${server.url}/api/events`, { headers: { cookie, accept: 'text/event-stream' } });
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    let approved = false;
    const events = await readEvents(feed.body as ReadableStream<Uint8Array>, (seen) => {
      if (!approved && seen.some((e) => e.event === 'ready')) {
        approved = true;
        void fetch(`${server.url}/api/actions/approve`, {
          method: 'POST',
          headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
          body: JSON.stringify({ ids: [id] }),
        });
      }
      return seen.some((e) => e.event === 'change' && (JSON.parse(e.data) as { actionId: string }).actionId === id);
    });
    const ready = events.find((e) => e.event === 'ready');
    const change = events.find((e) => e.event === 'change');
    expect(JSON.parse(change?.data ?? '{}')).toMatchObject({ actionId: id, status: 'approved', type: 'approve' });
    expect(Number(change?.id)).toBeGreaterThan(Number(ready?.id));

    // Resuming from the position before the approve hears it again, first.
    const resumed = await fetch(`${server.url}/api/events`, { headers: { cookie, 'last-event-id': ready?.id ?? '' } });
    const again = await readEvents(resumed.body as ReadableStream<Uint8Array>, (seen) =>
      seen.some((e) => e.event === 'change'),
    );
    expect(again.find((e) => e.event === 'change')).toEqual(change);
  });

  it('a device-group operator hears only changes in its read scope', { timeout: SLOW }, async () => {
    const operatorLogin = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: 'deviceGroupOperator' }),
    });
    const operator = (operatorLogin.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const pendingIn = async (deviceGroup: string) => {
      const query = encodeURIComponent(JSON.stringify({ filter: { view: 'pending' }, page: { size: 1000 } }));
      const page = (await (
        await fetch(`${server.url}/api/actions?query=${query}`, { headers: { cookie } })
      ).json()) as {
        page: { items: { id: string; actionType: string; target: { deviceGroup?: string } }[] };
      };
      const found = page.page.items.find(
        (a) => a.target.deviceGroup === deviceGroup && a.actionType === 'removeRegistryKey',
      );
      return found?.id ?? page.page.items.find((a) => a.target.deviceGroup === deviceGroup)?.id ?? '';
    };
    const outside = await pendingIn('Workstations');
    const inside = await pendingIn('Servers');
    expect(outside).toMatch(/^act-/);
    expect(inside).toMatch(/^act-/);
    const cancel = (id: string) =>
      fetch(`${server.url}/api/actions/cancel`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [id] }),
      });
    const feed = await fetch(`${server.url}/api/events`, { headers: { cookie: operator } });
    let acted = false;
    const events = await readEvents(feed.body as ReadableStream<Uint8Array>, (seen) => {
      if (!acted && seen.some((e) => e.event === 'ready')) {
        acted = true;
        // The one outside first: when the one inside arrives, the one outside was already read past.
        void cancel(outside).then(() => cancel(inside));
      }
      return seen.some((e) => e.event === 'change' && e.data.includes(`"${inside}"`));
    });
    const heard = events
      .filter((e) => e.event === 'change')
      .map((e) => (JSON.parse(e.data) as { actionId: string }).actionId);
    expect(heard).toContain(inside);
    expect(heard).not.toContain(outside);
  });

  it('answers 401 to a feed without a session', { timeout: SLOW }, async () => {
    const feed = await fetch(`${server.url}/api/events`);
    expect(feed.status).toBe(401);
    expect(await feed.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });
});

describe('the OpenAPI document', () => {
  const BASE = 'https://actioncenter.example/openapi.json';

  async function documentAndApp() {
    const { app } = await demoApp();
    const got = await app.request('http://localhost/openapi.json');
    expect(got.status).toBe(200);
    return { app, doc: (await got.json()) as Record<string, any> };
  }

  /** An ajv with the components as one resource: `#/components/schemas/X` -> `BASE#/$defs/X`. */
  function ajvFor(doc: Record<string, any>) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const rewritten = JSON.parse(
      JSON.stringify(doc).replaceAll('"#/components/schemas/', `"${BASE}#/$defs/`),
    ) as Record<string, any>;
    ajv.addSchema({ $id: BASE, $defs: rewritten.components.schemas });
    return { ajv, rewritten };
  }

  it('is OpenAPI 3.1 with every route of the app in its paths', { timeout: SLOW }, async () => {
    const { app, doc } = await documentAndApp();
    expect(doc.openapi).toBe('3.1.0');
    const routes = app.routes.filter((r) => r.method !== 'ALL' && !r.path.includes('*'));
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
    }
  });

  it('every schema in it compiles (components, bodies, parameters, answers)', { timeout: SLOW }, async () => {
    const { doc } = await documentAndApp();
    const { ajv, rewritten } = ajvFor(doc);
    for (const name of Object.keys(doc.components.schemas))
      expect(ajv.getSchema(`${BASE}#/$defs/${name}`), name).toBeDefined();
    let compiled = 0;
    for (const [path, operations] of Object.entries(rewritten.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schemas = [
          ...Object.values(operation.requestBody?.content ?? {}).map((c: any) => c.schema),
          ...(operation.parameters ?? []).flatMap((p: any) => [
            p.schema,
            ...Object.values(p.content ?? {}).map((c: any) => c.schema),
          ]),
          ...Object.values(operation.responses ?? {}).flatMap((r: any) =>
            Object.values(r.content ?? {}).map((c: any) => c.schema),
          ),
        ].filter((s) => s !== undefined);
        for (const schema of schemas) {
          expect(() => ajv.compile(schema), `${method} ${path}`).not.toThrow();
          compiled += 1;
        }
      }
    }
    expect(compiled).toBeGreaterThan(50);
  });

  it('real answers validate against it: a page of actions, one action, an error', { timeout: SLOW }, async () => {
    const { app, doc } = await documentAndApp();
    const { ajv, rewritten } = ajvFor(doc);
    const client = clientOf(app);
    await client.login('securityAdministrator');
    const schemaOf = (path: string, method: string, status: string) =>
      ajv.compile(rewritten.paths[path][method].responses[status].content['application/json'].schema);
    const list = await client.get('/api/actions?query=%7B%22page%22%3A%7B%22size%22%3A20%7D%7D');
    const validList = schemaOf('/api/actions', 'get', '200');
    expect(validList(list.body), JSON.stringify(validList.errors)).toBe(true);
    const id = (list.body as { page: { items: { id: string }[] } }).page.items[0]?.id;
    const one = await client.get(`/api/actions/${id}`);
    const validOne = schemaOf('/api/actions/{id}', 'get', '200');
    expect(validOne(one.body), JSON.stringify(validOne.errors)).toBe(true);
    const denied = await client.get('/api/actions/act-999999');
    const validError = schemaOf('/api/actions/{id}', 'get', '404');
    expect(validError(denied.body), JSON.stringify(validError.errors)).toBe(true);
    expect(validError({ error: { code: 12 } })).toBe(false);
  });
});

describe('a vendor app without the page', () => {
  it('still has the document route', async () => {
    const { center, repository } = await demoApp({ data: 'empty' });
    const app = createWebApp({ center, repository });
    expect((await app.request('http://localhost/openapi.json')).status).toBe(200);
  });
});
