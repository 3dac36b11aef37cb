// The web example's write routes through app.request(): decisions per persona, a reader refused
// with the reason, CSRF, body checks (malformed, oversized, wrong type), the undo preview against
// the library's undo, NDJSON progress, notes, submit, cancel and retry.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { ActionCenter, ActionRecord } from 'actioncenter';
import { PERSONAS, type PersonaId } from '../../examples/web/server/personas.js';
import { clientOf, demoApp, q, type Client } from './api-client.js';

const SETUP_TIMEOUT = 120_000;

let app: Hono;
let center: ActionCenter;
beforeEach(async () => {
  ({ app, center } = await demoApp());
}, SETUP_TIMEOUT);

async function signedIn(persona: PersonaId): Promise<Client> {
  const client = clientOf(app);
  await client.login(persona);
  return client;
}

async function find(query: unknown): Promise<ActionRecord[]> {
  const page = await center.list({ principal: PERSONAS.globalAdministrator.principal, query: query as never });
  if (!page.ok) throw new Error(page.error.message);
  return [...page.value.items];
}

async function statusOf(id: string): Promise<string> {
  const got = await center.get({ principal: PERSONAS.globalAdministrator.principal, id });
  if (!got.ok) throw new Error(got.error.message);
  return got.value.status;
}

const pendingOf = (actionType: string) => find({ filter: { view: 'pending', actionType: [actionType] } });

describe('decisions', () => {
  it.each([
    ['securityAdministrator', 'stopService'],
    ['globalAdministrator', 'removeRegistryKey'],
    ['searchAndPurge', 'softDeleteEmail'],
    ['deviceGroupOperator', 'stopService'],
  ] as const)('%s approves pending %s actions in bulk', async (persona, actionType) => {
    const client = await signedIn(persona);
    const visible = (await client.get(`/api/actions?${q({ filter: { view: 'pending', actionType: [actionType] } })}`))
      .body as { page: { items: ActionRecord[] } };
    const ids = visible.page.items.slice(0, 3).map((a) => a.id);
    expect(ids.length).toBeGreaterThan(1);
    const got = await client.post('/api/actions/approve', { ids, comment: 'Reviewed' });
    expect(got.status).toBe(200);
    const result = (got.body as { result: { items: { actionId: string; ok: boolean }[] } }).result;
    expect(result.items.map((i) => [i.actionId, i.ok])).toEqual(ids.map((id) => [id, true]));
    for (const id of ids) expect(await statusOf(id)).toBe('approved');
  });

  it('rejects pending actions', async () => {
    const client = await signedIn('securityAdministrator');
    const [first] = await pendingOf('removeRegistryKey');
    const got = await client.post('/api/actions/reject', { ids: [first?.id], comment: 'Benign' });
    expect(got.status).toBe(200);
    expect(await statusOf(first?.id ?? '')).toBe('rejected');
  });

  it('a reader may not approve: 403 accessDenied with the reason, and nothing changes', async () => {
    const client = await signedIn('securityReader');
    const [first] = await pendingOf('stopService');
    const got = await client.post('/api/actions/approve', { ids: [first?.id] });
    expect(got.status).toBe(403);
    const body = got.body as { error: { code: string; message: string; decision: { reason: string } } };
    expect(body.error.code).toBe('accessDenied');
    expect(body.error.message).toMatch(/view and export only/);
    expect(body.error.decision.reason).toBe('readOnly');
    expect(await statusOf(first?.id ?? '')).toBe('pending');
  });

  it('a selection of two action types is refused whole: 422 selectionRefused', async () => {
    const client = await signedIn('globalAdministrator');
    const [a] = await pendingOf('stopService');
    const [b] = await pendingOf('removeRegistryKey');
    const got = await client.post('/api/actions/approve', { ids: [a?.id, b?.id] });
    expect(got.status).toBe(422);
    expect(got.body).toMatchObject({ error: { code: 'selectionRefused' } });
    expect(await statusOf(a?.id ?? '')).toBe('pending');
  });

  it('cancels a pending action and retries a failed one', async () => {
    const client = await signedIn('globalAdministrator');
    const [pending] = await pendingOf('stopService');
    const cancelled = await client.post('/api/actions/cancel', { ids: [pending?.id] });
    expect(cancelled.status).toBe(200);
    expect(await statusOf(pending?.id ?? '')).toBe('cancelled');
    const [failed] = await find({
      filter: {
        view: 'history',
        status: ['failed'],
        actionType: ['quarantineFile', 'stopService', 'removeRegistryKey'],
      },
    });
    const retried = await client.post('/api/actions/retry', { ids: [failed?.id] });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ result: { items: [{ actionId: failed?.id, ok: true }] } });
  });

  it('streams NDJSON progress, then the result, when asked', async () => {
    const client = await signedIn('securityAdministrator');
    const ids = (await pendingOf('removeRegistryKey')).slice(0, 2).map((a) => a.id);
    const got = await client.post('/api/actions/approve', { ids }, { accept: 'application/x-ndjson' });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = got.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines.at(-1)).toMatchObject({ type: 'result', result: { items: [{ ok: true }, { ok: true }] } });
    const progress = lines.slice(0, -1);
    expect(progress.every((line) => line.type === 'progress')).toBe(true);
    expect(progress).toContainEqual({ type: 'progress', operation: 'approve', phase: 'done', done: 2, total: 2 });
  });
});

describe('undo and its preview', () => {
  it('the preview counts what undo with applyToOtherInstances takes along', async () => {
    const client = await signedIn('securityAdministrator');
    const shared = await find({
      filter: { view: 'history', investigationId: ['inv-shared-1'], status: ['succeeded'] },
      sort: { column: 'createdAt', direction: 'asc' },
    });
    const picked = shared[0] as ActionRecord;
    const preview = await client.get(`/api/actions/${picked.id}/undo-preview`);
    expect(preview.status).toBe(200);
    const { otherInstances, ids } = preview.body as { otherInstances: number; ids: string[] };
    expect(otherInstances).toBeGreaterThan(1);
    expect(ids).toHaveLength(otherInstances);
    const undone = await client.post('/api/actions/undo', {
      ids: [picked.id],
      applyToOtherInstances: true,
      comment: 'Benign',
    });
    expect(undone.status).toBe(200);
    const items = (undone.body as { result: { items: { actionId: string; ok: boolean }[] } }).result.items;
    expect(items.map((i) => i.actionId)).toEqual([picked.id, ...ids]);
    expect(items.every((i) => i.ok)).toBe(true);
  });

  it('an action that is not a file has no other instances', async () => {
    const client = await signedIn('securityAdministrator');
    const [service] = await pendingOf('stopService');
    expect((await client.get(`/api/actions/${service?.id}/undo-preview`)).body).toEqual({ otherInstances: 0, ids: [] });
  });
});

describe('notes and submit', () => {
  it('adds a note', async () => {
    const client = await signedIn('securityAdministrator');
    const [first] = await pendingOf('stopService');
    const got = await client.post(`/api/actions/${first?.id}/notes`, { text: 'Called the server owner' });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ record: { id: first?.id, lastNote: { text: 'Called the server owner' } } });
  });

  it('submits a request as the signed-in principal; a bad one is the library typed error', async () => {
    const client = await signedIn('securityAdministrator');
    const request = {
      actionType: 'isolateDevice',
      parameters: { isolationType: 'full' },
      source: 'manualDeviceAction',
      requestedBy: { type: 'principal', id: PERSONAS.securityAdministrator.principal.id },
      target: { kind: 'device', deviceId: 'dev-new', deviceName: 'NEW-01', deviceGroup: 'Workstations' },
    };
    const got = await client.post('/api/actions', { request });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ action: { actionType: 'isolateDevice' } });
    const bad = await client.post('/api/actions', { request: { ...request, actionType: 'launchMissiles' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'unknownActionType' } });
  });
});

describe('CSRF: refused with 403 csrfRejected, nothing changed', () => {
  it.each([
    ['a missing token', {}, true],
    ['a wrong token', { 'x-csrf-token': 'x'.repeat(43) }, false],
    ['another origin', { origin: 'https://evil.example' }, false],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, false],
  ] as const)('%s', async (_, headers: Record<string, string>, dropToken) => {
    const client = await signedIn('globalAdministrator');
    if (dropToken) client.csrf = null;
    const [first] = await pendingOf('stopService');
    const got = await client.post('/api/actions/approve', { ids: [first?.id] }, headers);
    expect(got.status).toBe(403);
    expect(got.body).toMatchObject({ error: { code: 'csrfRejected' } });
    expect(await statusOf(first?.id ?? '')).toBe('pending');
  });

  it('the same origin passes', async () => {
    const client = await signedIn('globalAdministrator');
    const [first] = await pendingOf('stopService');
    const got = await client.post(
      '/api/actions/approve',
      { ids: [first?.id] },
      { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    );
    expect(got.status).toBe(200);
  });

  it('a token of another session does not pass', async () => {
    const mine = await signedIn('globalAdministrator');
    const other = await signedIn('globalAdministrator');
    mine.csrf = other.csrf;
    const [first] = await pendingOf('stopService');
    expect((await mine.post('/api/actions/approve', { ids: [first?.id] })).status).toBe(403);
  });
});

describe('bodies', () => {
  it('malformed JSON is 400 malformedBody', async () => {
    const client = await signedIn('globalAdministrator');
    const got = await client.post('/api/actions/approve', '{"ids": [');
    expect(got.status).toBe(400);
    expect(got.body).toMatchObject({ error: { code: 'malformedBody' } });
  });

  it('a body that is not JSON is 415 unsupportedMediaType', async () => {
    const client = await signedIn('globalAdministrator');
    const got = await client.post('/api/actions/approve', 'ids=1', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(got.status).toBe(415);
    expect(got.body).toMatchObject({ error: { code: 'unsupportedMediaType' } });
  });

  it('a body of the wrong shape is 400 invalidInput with the issues', async () => {
    const client = await signedIn('globalAdministrator');
    const got = await client.post('/api/actions/approve', { ids: 'act-1', extra: true });
    expect(got.status).toBe(400);
    const issues = (got.body as { error: { issues: { path: unknown[] }[] } }).error.issues;
    expect(issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(['ids']));
  });

  it('an oversized body is 413 bodyTooLarge, by Content-Length and when streamed without one', async () => {
    const small = await demoApp({ data: 'empty', maxBodyBytes: 100 });
    const client = clientOf(small.app);
    await client.login('globalAdministrator');
    const big = JSON.stringify({ ids: ['a'.repeat(200)] });
    const declared = await client.post('/api/actions/approve', big);
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ error: { code: 'bodyTooLarge', maxBytes: 100 } });
    const chunks = [big.slice(0, 60), big.slice(60)];
    const streamed = await client.raw('/api/actions/approve', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': client.csrf ?? '' },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: { code: 'bodyTooLarge' } });
  });

  it('an unknown route is 404 routeNotFound as JSON, with the security headers', async () => {
    const got = await clientOf(app).get('/api/nothing-here');
    expect(got.status).toBe(404);
    expect(got.body).toMatchObject({ error: { code: 'routeNotFound' } });
    expect(got.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('an aborted request', () => {
  it('aborts the bulk operation before its commit: 499 aborted, nothing changed', async () => {
    const client = await signedIn('globalAdministrator');
    const [first] = await pendingOf('stopService');
    const controller = new AbortController();
    controller.abort();
    const response = await client.raw('/api/actions/approve', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': client.csrf ?? '' },
      body: JSON.stringify({ ids: [first?.id] }),
      signal: controller.signal,
    });
    expect(response.status).toBe(499);
    expect(await response.json()).toMatchObject({ error: { code: 'aborted', operation: 'approve' } });
    expect(await statusOf(first?.id ?? '')).toBe('pending');
  });
});
