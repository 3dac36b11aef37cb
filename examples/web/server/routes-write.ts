/**
 * Write routes (POST, JSON body, CSRF-checked): submit, the bulk decisions, undo, notes. A bulk
 * operation answers `{ result }`, or streams NDJSON progress when asked (`accept: application/x-ndjson`);
 * aborting the request aborts the operation before its commit.
 */
import { Hono } from 'hono';
import type { BulkResult, Principal, Result } from 'actioncenter';
import type { BulkProgress } from 'actioncenter/adapter-kit';
import type { z } from 'zod';
import { readJsonBody } from './body.js';
import { requirePrincipal, type WebContext } from './context.js';
import { errorResponse, httpError, jsonResponse as json, statusOf, type ErrorBody } from './errors.js';
import { csrfReason } from './session.js';
import { DecisionBody, NoteBody, SubmitBody, UndoBody } from './schemas.js';

/** What a bulk route runs: the library call with the principal, progress callback and signal. */
type BulkCall = (
  principal: Principal,
  extra: { onProgress?: (progress: BulkProgress) => void; signal?: AbortSignal },
) => Promise<Result<BulkResult, ErrorBody>>;

/** The routes. */
export function writeRoutes(web: WebContext): Hono {
  const app = new Hono();
  const { center } = web;

  /** Signed in, CSRF-checked, body read and validated: the shared start of every write. */
  async function begin<S extends z.ZodType>(
    request: Request,
    schema: S,
  ): Promise<{ ok: true; principal: Principal; body: z.output<S> } | { ok: false; response: Response }> {
    const who = await requirePrincipal(web, request);
    if (!who.ok) return who;
    const refused = csrfReason(request, who.session);
    if (refused !== null) return { ok: false, response: httpError('csrfRejected', refused) };
    const body = await readJsonBody(request, schema, web.maxBodyBytes);
    if (!body.ok) return body;
    return { ok: true, principal: who.principal, body: body.value };
  }

  app.post('/api/actions', async (c) => {
    const started = await begin(c.req.raw, SubmitBody);
    if (!started.ok) return started.response;
    const result = await center.submit({ request: started.body.request as never, principal: started.principal });
    return result.ok ? json(result.value) : errorResponse(result.error);
  });

  for (const operation of ['approve', 'reject', 'cancel', 'retry'] as const) {
    app.post(`/api/actions/${operation}`, async (c) => {
      const started = await begin(c.req.raw, DecisionBody);
      if (!started.ok) return started.response;
      const { ids, comment } = started.body;
      return answerBulk(c.req.raw, started.principal, (principal, extra) =>
        center[operation]({ principal, ids, ...(comment !== undefined && { comment }), ...extra }),
      );
    });
  }

  app.post('/api/actions/undo', async (c) => {
    const started = await begin(c.req.raw, UndoBody);
    if (!started.ok) return started.response;
    const { ids, comment, applyToOtherInstances } = started.body;
    return answerBulk(c.req.raw, started.principal, (principal, extra) =>
      center.undo({
        principal,
        ids,
        ...(comment !== undefined && { comment }),
        ...(applyToOtherInstances !== undefined && { applyToOtherInstances }),
        ...extra,
      }),
    );
  });

  app.post('/api/actions/:id/notes', async (c) => {
    const started = await begin(c.req.raw, NoteBody);
    if (!started.ok) return started.response;
    const result = await center.addNote({
      principal: started.principal,
      id: c.req.param('id'),
      text: started.body.text,
    });
    return result.ok ? json({ record: result.value }) : errorResponse(result.error);
  });
  return app;
}

/** The error every item of a bulk result failed with, when all failed with the same code; else null. */
export function refusedWhole(result: BulkResult): ErrorBody | null {
  let first: ErrorBody | null = null;
  for (const item of result.items) {
    if (item.ok) return null;
    if (first === null) first = item.error;
    else if (item.error.code !== first.code) return null;
  }
  return first;
}

/** `{ result }` as JSON, or NDJSON progress lines then the result (or error) when the client asks for it. */
async function answerBulk(request: Request, principal: Principal, call: BulkCall): Promise<Response> {
  const wantsNdjson = (request.headers.get('accept') ?? '').includes('application/x-ndjson');
  if (!wantsNdjson) {
    const result = await call(principal, { signal: request.signal });
    if (!result.ok) return errorResponse(result.error);
    const refused = refusedWhole(result.value);
    // Every item refused for one reason (a reader approving): that reason's status, the items too.
    if (refused !== null) {
      return json({ error: refused, result: result.value }, statusOf(refused.code));
    }
    return json({ result: result.value });
  }
  const encoder = new TextEncoder();
  // Aborted when the request is (the client's fetch aborted) or the stream is cancelled (it went away).
  const abort = new AbortController();
  request.signal.addEventListener('abort', () => abort.abort(), { once: true });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const line = (value: unknown) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
        } catch {
          open = false; // the client went away; the operation goes on to its abort check
        }
      };
      void call(principal, { signal: abort.signal, onProgress: (p) => line({ type: 'progress', ...p }) })
        .then(
          (result) =>
            line(result.ok ? { type: 'result', result: result.value } : { type: 'error', error: result.error }),
          () => line({ type: 'error', error: { code: 'internal', message: 'Something went wrong on the server' } }),
        )
        .finally(() => {
          if (!open) return;
          open = false;
          try {
            controller.close();
          } catch {
            // already closed by a cancel
          }
        });
    },
    cancel() {
      abort.abort();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}
