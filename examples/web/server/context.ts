/**
 * What every route of the app shares: the center, its repository and access policy, the sessions,
 * and how a request's principal is found (the `authenticate` hook, then the demo login's session).
 */
import type { AccessPolicy, ActionCenter, ActionRepository, Principal, PrincipalInput } from 'actioncenter';
import { PrincipalSchema, safeParseInput } from 'actioncenter/adapter-kit';
import { httpError } from './errors.js';
import { sessionIdOf, type Session, type SessionStore } from './session.js';

/** The shared state of one app. */
export interface WebContext {
  readonly center: ActionCenter;
  readonly repository: ActionRepository;
  readonly accessPolicy: AccessPolicy;
  readonly sessions: SessionStore;
  readonly maxBodyBytes: number;
  readonly demoLogin: boolean;
  readonly authenticate: ((request: Request) => PrincipalInput | null | Promise<PrincipalInput | null>) | undefined;
}

/** Who is asking: the principal (null: nobody signed in) and the session, if any. */
export interface Caller {
  readonly principal: Principal | null;
  readonly session: Session | null;
}

/** The caller of a request. The hook wins; the demo session is asked only when the demo login is on. */
export async function callerOf(web: WebContext, request: Request): Promise<Caller> {
  const session = web.sessions.get(sessionIdOf(request));
  if (web.authenticate !== undefined) {
    const fromHook = await web.authenticate(request);
    if (fromHook !== null) {
      // A hook's principal is checked as the library checks any input: a bad one is nobody.
      const parsed = safeParseInput(PrincipalSchema, fromHook, 'principal');
      return { principal: parsed.ok ? parsed.value : null, session };
    }
  }
  if (web.demoLogin && session?.principal != null) {
    const parsed = safeParseInput(PrincipalSchema, session.principal, 'principal');
    return { principal: parsed.ok ? parsed.value : null, session };
  }
  return { principal: null, session };
}

/** The principal of a request, or the 401 answer. */
export async function requirePrincipal(
  web: WebContext,
  request: Request,
): Promise<{ ok: true; principal: Principal; session: Session | null } | { ok: false; response: Response }> {
  const caller = await callerOf(web, request);
  if (caller.principal === null) {
    return { ok: false, response: httpError('unauthenticated', 'Sign in first (POST /api/login in the demo)') };
  }
  return { ok: true, principal: caller.principal, session: caller.session };
}

/** A library Result's error as the JSON answer with its status from the table. */
export { errorResponse } from './errors.js';
