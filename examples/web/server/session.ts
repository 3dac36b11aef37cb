/**
 * Sessions in memory and the CSRF check. A session is a random id (the `ac_session` cookie:
 * HttpOnly, SameSite=Strict, Path=/) holding a random CSRF token and, after the demo login, a
 * principal. Every POST but the login must echo the token in `x-csrf-token`, and when the browser
 * says where the request comes from (`Origin`, `Sec-Fetch-Site`) it must be this origin.
 */
import { randomBytes } from 'node:crypto';
import type { PrincipalInput } from 'actioncenter';
import type { PersonaId } from './personas.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'ac_session';
/** Sessions live 8 hours from their last use. */
const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** A bound on memory: the oldest sessions go first past it. */
const MAX_SESSIONS = 10_000;

/** One session. */
export interface Session {
  readonly id: string;
  readonly csrfToken: string;
  principal: PrincipalInput | null;
  persona: PersonaId | null;
  lastUsed: number;
}

const token = () => randomBytes(32).toString('base64url');

/** The session store: a Map in insertion (= age) order. */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();

  /** The live session of this id, or null. */
  get(id: string | undefined): Session | null {
    if (id === undefined) return null;
    const session = this.#sessions.get(id);
    if (session === undefined) return null;
    const now = Date.now();
    if (now - session.lastUsed > SESSION_TTL_MS) {
      this.#sessions.delete(id);
      return null;
    }
    session.lastUsed = now;
    return session;
  }

  /** A new session (a login starts a new one: a session id is never reused across a sign-in). */
  create(principal: PrincipalInput | null = null, persona: PersonaId | null = null): Session {
    if (this.#sessions.size >= MAX_SESSIONS) {
      const oldest = this.#sessions.keys().next();
      if (oldest.done !== true) this.#sessions.delete(oldest.value);
    }
    const session: Session = { id: token(), csrfToken: token(), principal, persona, lastUsed: Date.now() };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** Ends a session. */
  delete(id: string): void {
    this.#sessions.delete(id);
  }
}

/** The Set-Cookie value for a session (or for clearing it). */
export function sessionCookie(id: string | null, secure: boolean): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  return id === null
    ? [`${SESSION_COOKIE}=`, 'Max-Age=0', ...attributes].join('; ')
    : [`${SESSION_COOKIE}=${id}`, ...attributes].join('; ');
}

/** The session id a request's Cookie header carries. */
export function sessionIdOf(request: Request): string | undefined {
  const header = request.headers.get('cookie');
  if (header === null) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/** Comparing tokens in time independent of where they differ. */
function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Why a state-changing request is refused as cross-site, or null when it passes. */
export function crossSiteReason(request: Request): string | null {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== new URL(request.url).origin)
    return `Origin ${origin.slice(0, 200)} is not this site`;
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is ${site.slice(0, 50)}`;
  return null;
}

/** Why the CSRF check refuses this POST, or null when it passes. */
export function csrfReason(request: Request, session: Session | null): string | null {
  const crossSite = crossSiteReason(request);
  if (crossSite !== null) return crossSite;
  if (session === null) return 'No session: read GET /api/session first';
  const sent = request.headers.get('x-csrf-token');
  if (sent === null) return 'The x-csrf-token header is missing';
  if (!sameToken(sent, session.csrfToken)) return 'The x-csrf-token header does not match the session';
  return null;
}
