/**
 * The page's files: `/` (index.html with its import map), `/app/*` (the page's own ES modules and
 * stylesheet, plain JavaScript: no build step), `/vendor/*` (preact, preact/hooks, htm from
 * node_modules, and the library bundled for the browser).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Hono } from 'hono';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PUBLIC = join(ROOT, 'examples', 'web', 'public');

const INDEX_HTML = readFileSync(join(PUBLIC, 'index.html'), 'utf8');
const IMPORT_MAP = /<script type="importmap">([\s\S]*?)<\/script>/.exec(INDEX_HTML)?.[1] ?? '';

/**
 * The CSP source of index.html's inline import map. Browsers take no import map from a file, and
 * `default-src 'self'` forbids inline scripts, so the map is allowed by its hash.
 *
 * @example
 * ```ts
 * import { IMPORT_MAP_CSP_HASH } from './static.js';
 * const csp = `default-src 'self'; script-src 'self' ${IMPORT_MAP_CSP_HASH}`;
 * ```
 */
export const IMPORT_MAP_CSP_HASH = `'sha256-${createHash('sha256').update(IMPORT_MAP, 'utf8').digest('base64')}'`;

/**
 * The Content-Security-Policy of the page: only its own origin, plus the import map's hash.
 *
 * @example
 * ```ts
 * import { PAGE_CSP } from './static.js';
 * PAGE_CSP.startsWith("default-src 'self'"); // true
 * ```
 */
export const PAGE_CSP = `default-src 'self'; script-src 'self' ${IMPORT_MAP_CSP_HASH}; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

const VENDOR: Readonly<Record<string, string>> = {
  'preact.mjs': join(ROOT, 'node_modules', 'preact', 'dist', 'preact.mjs'),
  'preact-hooks.mjs': join(ROOT, 'node_modules', 'preact', 'hooks', 'dist', 'hooks.mjs'),
  'htm.mjs': join(ROOT, 'node_modules', 'htm', 'dist', 'htm.mjs'),
};

// The library reaches the browser as one ES module bundled here, once per process and kept in
// memory: `npm test` runs vitest before `npm run build`, so dist/ may not exist yet, and the
// library's own modules import zod and date-fns by bare name, which a browser cannot resolve
// without a bundler. The root tsconfig's `paths` point `actioncenter` at src/.
let libraryBundle: Promise<string> | undefined;
function libraryModule(): Promise<string> {
  libraryBundle ??= build({
    entryPoints: [join(PUBLIC, 'lib-entry.ts')],
    tsconfig: join(ROOT, 'tsconfig.json'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  libraryBundle.catch(() => {
    libraryBundle = undefined; // a failed build is tried again on the next request
  });
  return libraryBundle;
}

const TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

function asset(body: string, type: string, cache = 'no-cache'): Response {
  return new Response(body, {
    headers: { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': cache },
  });
}

/**
 * The routes of the page's files, mounted by the server with `app.route('/', staticRoutes())`.
 * `/` carries the page's Content-Security-Policy ({@link PAGE_CSP}).
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { staticRoutes } from './static.js';
 * const app = new Hono();
 * app.route('/', staticRoutes());
 * ```
 */
export function staticRoutes(): Hono {
  const app = new Hono();
  // Bundled as the server starts, so that the first page load does not wait for esbuild.
  libraryModule().catch(() => undefined);
  app.get('/', () => {
    const response = asset(INDEX_HTML, 'text/html; charset=utf-8');
    response.headers.set('content-security-policy', PAGE_CSP);
    response.headers.set('referrer-policy', 'no-referrer');
    return response;
  });
  app.get('/app/:name', async (c) => {
    const name = c.req.param('name');
    // Only plain file names of this folder: no path, so nothing outside it can be named.
    const match = /^[a-z][a-z0-9-]*\.(js|css)$/.exec(name);
    if (match === null) return c.notFound();
    const text = await readFile(join(PUBLIC, 'app', name), 'utf8').catch(() => null);
    if (text === null) return c.notFound();
    return asset(text, TYPES[match[1] as string] as string);
  });
  app.get('/vendor/:name', async (c) => {
    const name = c.req.param('name');
    if (name === 'actioncenter.js') {
      try {
        return asset(await libraryModule(), TYPES['js'] as string);
      } catch {
        return c.json({ error: { code: 'bundleFailed', message: 'The library could not be bundled' } }, 500);
      }
    }
    const file = VENDOR[name];
    if (file === undefined) return c.notFound();
    return asset(await readFile(file, 'utf8'), TYPES['js'] as string, 'max-age=3600');
  });
  return app;
}
