/**
 * Session routes: who is signed in, the DEMO-ONLY persona login, and logout.
 */
import { Hono } from 'hono';
import { readJsonBody } from './body.js';
import { callerOf, type WebContext } from './context.js';
import { httpError, jsonResponse } from './errors.js';
import { PERSONA_IDS, PERSONAS } from './personas.js';
import { crossSiteReason, csrfReason, sessionCookie, sessionIdOf, type Session } from './session.js';
import { LoginBody } from './schemas.js';

const personaList = PERSONA_IDS.map((id) => ({
  persona: id,
  displayName: PERSONAS[id].displayName,
  description: PERSONAS[id].description,
}));

const json = (body: unknown, headers: Record<string, string> = {}) => jsonResponse(body, 200, headers);

/** The routes. */
export function sessionRoutes(web: WebContext): Hono {
  const app = new Hono();
  const secure = (request: Request) => new URL(request.url).protocol === 'https:';

  const sessionBody = async (request: Request, session: Session) => {
    const caller = await callerOf(web, request);
    const principal = caller.principal;
    return {
      principal:
        principal === null
          ? null
          : {
              id: principal.id,
              displayName: principal.displayName,
              persona: caller.session?.persona ?? null,
              assignments: principal.assignments,
            },
      csrfToken: session.csrfToken,
      personas: web.demoLogin ? personaList : [],
      demoLogin: web.demoLogin,
    };
  };

  // A session (and so a CSRF token) is made on first read, before any sign-in: the hook's users need one too.
  app.get('/api/session', async (c) => {
    const caller = await callerOf(web, c.req.raw);
    if (caller.session !== null) return json(await sessionBody(c.req.raw, caller.session));
    const session = web.sessions.create();
    const body = await sessionBody(withCookie(c.req.raw, session.id), session);
    return json(body, { 'set-cookie': sessionCookie(session.id, secure(c.req.raw)) });
  });

  // DEMO ONLY. No token yet to check (that is what it hands out), but a cross-site login is refused.
  app.post('/api/login', async (c) => {
    if (!web.demoLogin) return httpError('demoLoginDisabled', 'The demo login is off on this server');
    const crossSite = crossSiteReason(c.req.raw);
    if (crossSite !== null) return httpError('csrfRejected', crossSite);
    const body = await readJsonBody(c.req.raw, LoginBody, web.maxBodyBytes);
    if (!body.ok) return body.response;
    const old = web.sessions.get(sessionIdOf(c.req.raw));
    if (old !== null) web.sessions.delete(old.id);
    const persona = PERSONAS[body.value.persona];
    const session = web.sessions.create(persona.principal, persona.persona);
    const answer = await sessionBody(withCookie(c.req.raw, session.id), session);
    return json(answer, { 'set-cookie': sessionCookie(session.id, secure(c.req.raw)) });
  });

  app.post('/api/logout', async (c) => {
    const caller = await callerOf(web, c.req.raw);
    const refused = csrfReason(c.req.raw, caller.session);
    if (refused !== null) return httpError('csrfRejected', refused);
    if (caller.session !== null) web.sessions.delete(caller.session.id);
    return json({ ok: true }, { 'set-cookie': sessionCookie(null, secure(c.req.raw)) });
  });
  return app;
}

/** The request as if it carried this session's cookie (to answer the session just made). */
function withCookie(request: Request, id: string): Request {
  const headers = new Headers(request.headers);
  headers.set('cookie', `ac_session=${id}`);
  return new Request(request.url, { method: 'GET', headers });
}
