/**
 * The reference web Action center's HTTP API: `createWebApp` builds a Hono app over any center and
 * repository. Hono answers Web-standard Request/Response, so the app runs under Node
 * (@hono/node-server, serve.ts), in tests through `app.request()` with no socket, and on other
 * runtimes as is.
 */
import { Hono } from 'hono';
import {
  defaultAccessPolicy,
  type AccessPolicy,
  type ActionCenter,
  type ActionRepository,
  type PrincipalInput,
} from 'actioncenter';
import { DEFAULT_MAX_BODY_BYTES } from './body.js';
import { httpError } from './errors.js';
import { SessionStore } from './session.js';
import type { WebContext } from './context.js';
import { sessionRoutes } from './routes-session.js';
import { readRoutes } from './routes-read.js';
import { writeRoutes } from './routes-write.js';
import { streamRoutes } from './routes-stream.js';
import { openApiRoute } from './openapi.js';
import { staticRoutes } from './static.js';

/** Options of {@link createWebApp}. */
export interface WebAppOptions {
  /** The Action center the API serves. */
  readonly center: ActionCenter;
  /** Its repository: the change feed behind `GET /api/events`. */
  readonly repository: ActionRepository;
  /** Your sign-in: the principal of a request, or null (then the demo session, if on, else 401). */
  readonly authenticate?: (request: Request) => PrincipalInput | null | Promise<PrincipalInput | null>;
  /** DEMO ONLY: sign in as a persona with `POST /api/login`. Default: on when there is no `authenticate`. */
  readonly demoLogin?: boolean;
  /** The largest request body accepted, in bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** The access policy the center was built with (for the `can` answers). Default: the library's default. */
  readonly accessPolicy?: AccessPolicy;
}

/** Security headers of every answer. The page is modules from this origin only, with no inline script or style. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Builds the app: the JSON API under /api, the OpenAPI document, and the page. */
export function createWebApp(options: WebAppOptions): Hono {
  const web: WebContext = {
    center: options.center,
    repository: options.repository,
    accessPolicy: options.accessPolicy ?? defaultAccessPolicy,
    sessions: new SessionStore(),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    demoLogin: options.demoLogin ?? options.authenticate === undefined,
    authenticate: options.authenticate,
  };
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    // A route may set a stricter header of its own (the page's CSP names its import map's hash).
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    if (c.req.path.startsWith('/api/')) c.res.headers.set('cache-control', 'no-store');
  });
  app.route('/', sessionRoutes(web));
  app.route('/', readRoutes(web));
  app.route('/', writeRoutes(web));
  app.route('/', streamRoutes(web));
  app.route('/', openApiRoute(app));
  app.route('/', staticRoutes());
  app.notFound((c) => httpError('routeNotFound', `No route ${c.req.method} ${c.req.path.slice(0, 200)}`));
  app.onError((cause) => {
    // Logged for the operator; the client gets no stack, no message of ours to leak.
    console.error('actioncenter web: unexpected error', cause);
    return httpError('internal', 'Something went wrong on the server');
  });
  return app;
}
