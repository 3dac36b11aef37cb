// The web example's HTTP API through app.request() (no socket): sessions and the demo login, every
// read and write route per persona, CSRF, body checks, the undo preview and the CSV export against
// the library's own answers. Streams over a real socket are in api-stream.test.ts.
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createActionCenter, createMemoryRepository, type ActionRecord, type ActionCenter } from 'actioncenter';
import { createWebApp } from '../../examples/web/server/app.js';
import { PERSONA_IDS, PERSONAS } from '../../examples/web/server/personas.js';
import { clientOf, demoApp, q, type Client } from './api-client.js';

type Page = {
  page: { items: ActionRecord[]; total: number; nextCursor: string | null };
  can: Record<string, Record<string, string | null>>;
};

const SETUP_TIMEOUT = 120_000;

async function list(client: Client, query: unknown): Promise<Page> {
  const got = await client.get(`/api/actions?${q(query)}`);
  expect(got.status).toBe(200);
  return got.body as Page;
}

describe('session and demo login', () => {
  let app: Hono;
  beforeAll(async () => {
    ({ app } = await demoApp({ data: 'empty' }));
  }, SETUP_TIMEOUT);

  it('answers an anonymous session with a CSRF token, the five personas and demoLogin: true', async () => {
    const client = clientOf(app);
    const got = await client.get('/api/session');
    expect(got.status).toBe(200);
    const body = got.body as {
      principal: unknown;
      csrfToken: string;
      personas: { persona: string }[];
      demoLogin: boolean;
    };
    expect(body.principal).toBeNull();
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    expect(body.personas.map((p) => p.persona)).toEqual([...PERSONA_IDS]);
    expect(body.demoLogin).toBe(true);
    const cookie = got.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ac_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it.each(PERSONA_IDS)('signs in as %s with a new session id and answers its principal', async (persona) => {
    const client = clientOf(app);
    await client.get('/api/session');
    const before = client.cookie;
    const got = await client.login(persona);
    expect(got.status).toBe(200);
    expect(client.cookie).not.toBe(before); // a sign-in never keeps the session id it came with
    const body = got.body as { principal: { id: string; persona: string } };
    expect(body.principal.id).toBe(PERSONAS[persona].principal.id);
    expect(body.principal.persona).toBe(persona);
    expect((await client.get('/api/session')).body).toMatchObject({ principal: { persona } });
  });

  it('refuses an unknown persona (400 invalidInput) and a cross-site login (403 csrfRejected)', async () => {
    const client = clientOf(app);
    const unknown = await client.post('/api/login', { persona: 'root' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { code: 'invalidInput' } });
    const cross = await client.post(
      '/api/login',
      { persona: 'globalAdministrator' },
      { origin: 'https://evil.example' },
    );
    expect(cross.status).toBe(403);
    expect(cross.body).toMatchObject({ error: { code: 'csrfRejected' } });
  });

  it('logs out: the session is gone, reads answer 401', async () => {
    const client = clientOf(app);
    await client.login('securityAdministrator');
    expect((await client.get('/api/actions')).status).toBe(200);
    const out = await client.post('/api/logout', {});
    expect(out.status).toBe(200);
    const after = await client.get('/api/actions');
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('takes the principal from the authenticate hook; the demo login is then off (404 demoLoginDisabled)', async () => {
    const { center, repository } = await demoApp({ data: 'empty' });
    const hooked = createWebApp({
      center,
      repository,
      authenticate: (request) =>
        request.headers.get('authorization') === 'Bearer let-me-in'
          ? {
              id: 'sso@contoso.com',
              displayName: null,
              assignments: [{ role: 'securityReader', assignedIn: 'entraId', deviceGroups: null }],
            }
          : null,
    });
    const client = clientOf(hooked);
    expect((await client.get('/api/actions')).status).toBe(401);
    const session = await client.get('/api/session', { authorization: 'Bearer let-me-in' });
    expect(session.body).toMatchObject({ principal: { id: 'sso@contoso.com' }, demoLogin: false, personas: [] });
    expect((await client.get('/api/actions', { authorization: 'Bearer let-me-in' })).status).toBe(200);
    const login = await client.post('/api/login', { persona: 'globalAdministrator' });
    expect(login.status).toBe(404);
    expect(login.body).toMatchObject({ error: { code: 'demoLoginDisabled' } });
  });
});

describe('reads', () => {
  let app: Hono;
  let center: ActionCenter;
  beforeAll(async () => {
    ({ app, center } = await demoApp());
  }, SETUP_TIMEOUT);

  it('meta lists every action type, column, time period, source and status', async () => {
    const got = await clientOf(app).get('/api/meta');
    expect(got.status).toBe(200);
    const meta = got.body as Record<string, unknown[]>;
    expect(meta.actionTypes).toHaveLength(center.catalog.types.length);
    expect(meta.columns?.length).toBeGreaterThan(10);
    expect(meta.defaultColumns?.length).toBeGreaterThan(3);
    expect(meta.timePeriods).toEqual(['pastDay', 'pastWeek', 'past30Days', 'past6Months']);
    expect(meta.statuses).toContainEqual({ id: 'succeeded', label: 'Completed' });
    expect(meta.sources?.length).toBe(9);
  });

  it.each(PERSONA_IDS)('%s lists what the library lists for it, with a can entry per item', async (persona) => {
    const client = clientOf(app);
    await client.login(persona);
    const query = {
      filter: { view: 'history', time: { period: 'past30Days' } },
      sort: { column: 'createdAt', direction: 'desc' },
      page: { size: 25 },
    };
    const got = await list(client, query);
    const expected = await center.list({ principal: PERSONAS[persona].principal, query: query as never });
    if (!expected.ok) throw new Error(expected.error.message);
    expect(got.page.total).toBe(expected.value.total);
    expect(got.page.items.map((a) => a.id)).toEqual(expected.value.items.map((a) => a.id));
    expect(Object.keys(got.can).sort()).toEqual(got.page.items.map((a) => a.id).sort());
  });

  it('the device-group operator sees only Servers (and actions on no device)', async () => {
    const client = clientOf(app);
    await client.login('deviceGroupOperator');
    const got = await list(client, { page: { size: 1000 } });
    expect(got.page.items.length).toBeGreaterThan(0);
    for (const action of got.page.items) {
      const group = (action.target as { deviceGroup?: string }).deviceGroup;
      expect(group === undefined || group === 'Servers').toBe(true);
    }
  });

  it('can: a reader gets the reason for each disabled button, an administrator null for a pending device action', async () => {
    const reader = clientOf(app);
    await reader.login('securityReader');
    const admin = clientOf(app);
    await admin.login('securityAdministrator');
    const query = { filter: { view: 'pending', actionType: ['stopService'] } };
    const asReader = await list(reader, query);
    const asAdmin = await list(admin, query);
    const id = asReader.page.items[0]?.id ?? '';
    expect(asReader.can[id]?.approve).toMatch(/view and export only/);
    expect(asAdmin.can[id]).toMatchObject({ approve: null, reject: null, cancel: null });
    expect(asAdmin.can[id]?.undo).toMatch(/succeeded/);
  });

  it('answers one action with its audit trail, its verification and can; an unknown id is 404 notFound', async () => {
    const client = clientOf(app);
    await client.login('globalAdministrator');
    const first = (await list(client, { filter: { view: 'history' }, page: { size: 1 } })).page
      .items[0] as ActionRecord;
    const got = await client.get(`/api/actions/${encodeURIComponent(first.id)}`);
    expect(got.status).toBe(200);
    const body = got.body as {
      record: ActionRecord;
      audit: { actionId: string }[];
      verification: { intact: boolean };
      can: object;
    };
    expect(body.record.id).toBe(first.id);
    expect(body.audit.length).toBeGreaterThan(1);
    expect(body.audit.every((e) => e.actionId === first.id)).toBe(true);
    expect(body.verification.intact).toBe(true);
    expect(Object.keys(body.can).sort()).toEqual(['approve', 'cancel', 'reject', 'undo']);
    const missing = await client.get('/api/actions/act-999999');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'notFound', actionId: 'act-999999' } });
  });

  it('a query that is not JSON, or that the library refuses, is 400 invalidInput', async () => {
    const client = clientOf(app);
    await client.login('securityReader');
    const notJson = await client.get('/api/actions?query=%7Bnope');
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ error: { code: 'invalidInput', issues: [{ path: ['query'] }] } });
    const refused = await client.get(`/api/actions?${q({ filter: { view: 'sideways' } })}`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'invalidInput' } });
  });

  it('exports the CSV as a download whose rows are center.list for the same query', async () => {
    const client = clientOf(app);
    await client.login('securityAdministrator');
    const query = {
      filter: { view: 'history', status: ['succeeded', 'failed'] },
      sort: { column: 'createdAt', direction: 'asc' },
    };
    const response = await client.raw(`/api/export.csv?${q(query)}&columns=id,actionType,status`, { method: 'GET' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="actions-history-\d{8}-\d{6}\.csv"$/,
    );
    const rows = parse(await response.text(), { bom: true }) as string[][];
    const all: ActionRecord[] = [];
    let cursor: string | null = null;
    do {
      const page = await center.list({
        principal: PERSONAS.securityAdministrator.principal,
        query: { ...query, page: { size: 1000, cursor } } as never,
      });
      if (!page.ok) throw new Error(page.error.message);
      all.push(...page.value.items);
      cursor = page.value.nextCursor;
    } while (cursor !== null);
    expect(rows[0]).toEqual(['Action ID', 'Action type', 'Status']);
    expect(rows.slice(1).map((row) => row[0])).toEqual(all.map((a) => a.id));
    expect(all.length).toBeGreaterThan(50);
  });

  it('an export with an unknown column is 400 invalidInput, not a broken download', async () => {
    const client = clientOf(app);
    await client.login('securityReader');
    const got = await client.get('/api/export.csv?columns=id,shoeSize');
    expect(got.status).toBe(400);
    expect(got.body).toMatchObject({ error: { code: 'invalidInput' } });
  });
});

describe('can foresees N-of-M approvals and escalations (a center of the caller’s, issue 16)', () => {
  const ADMINS = ['first@contoso.com', 'second@contoso.com', 'third@contoso.com'] as const;
  const admin = (id: string) => ({
    id,
    displayName: null,
    assignments: [{ role: 'securityAdministrator' as const, assignedIn: 'entraId' as const, deviceGroups: null }],
  });

  it('the approve button of an action needing 2 approvals: refused to its requester and to who approved it, open to the others; each as center.approve answers', async () => {
    const repository = createMemoryRepository();
    const center = createActionCenter({
      repository,
      approvalPolicy: { requirements: [{ match: { actionTypes: ['isolateDevice'] }, requiredApprovals: 2 }] },
    });
    const app = createWebApp({
      center,
      repository,
      authenticate: (request) => {
        const id = request.headers.get('x-test-user');
        return id === null ? null : admin(id);
      },
    });
    const [first, second, third] = ADMINS;
    const submitted = await center.submit({
      principal: admin(first),
      request: {
        actionType: 'isolateDevice',
        target: { kind: 'device', deviceId: 'dev-PC-9', deviceName: 'PC-9', deviceGroup: 'Workstations' },
        parameters: { isolationType: 'full' },
        source: 'manualDeviceAction',
        requestedBy: { type: 'principal', id: first },
        propose: true,
      },
    });
    if (!submitted.ok) throw new Error(submitted.error.message);
    const id = submitted.value.action.id;
    const canOf = async (who: string) => {
      const got = await clientOf(app).get(`/api/actions?${q({ filter: { view: 'pending' } })}`, { 'x-test-user': who });
      expect(got.status).toBe(200);
      return (got.body as Page).can[id]?.approve;
    };
    const approveAs = async (who: string) => {
      const r = await center.approve({ principal: admin(who), ids: [id] });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.items[0];
    };

    // The requester: refused (the four-eyes rule of the default policy), with the message approve answers.
    const requesterReason = await canOf(first);
    expect(requesterReason).toEqual(expect.any(String));
    const byRequester = await approveAs(first);
    expect(byRequester?.ok === false && byRequester.error.message).toBe(requesterReason);

    expect(await canOf(second)).toBeNull();
    expect(await approveAs(second)).toMatchObject({ ok: true, action: { status: 'pending' } });

    // Who approved already: refused, as approve refuses them; the third principal may give the last approval.
    const againReason = await canOf(second);
    expect(againReason).toMatch(/approved .* already/);
    const again = await approveAs(second);
    expect(again?.ok === false && again.error).toMatchObject({ code: 'alreadyApproved', message: againReason });
    expect(await canOf(third)).toBeNull();
    expect(await approveAs(third)).toMatchObject({ ok: true, action: { status: 'approved' } });
  });
});
