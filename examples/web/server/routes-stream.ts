/**
 * Streamed answers: the CSV download (from `center.exportCsv`, chunk by chunk, never the whole file
 * in memory) and the live feed of changes as Server-Sent Events (from the repository's change feed).
 */
import { Hono } from 'hono';
import type { ActionRepository, ChangeEntry, ChangePosition, CommittedChange, Principal } from 'actioncenter';
import { requirePrincipal, type WebContext } from './context.js';
import { errorResponse } from './errors.js';
import { parseQueryParam } from './routes-read.js';

/** How often the feed is read when nothing in this process woke it (another process may commit). */
const POLL_MS = 2_000;
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;
/** Events read per page of the change feed. */
const FEED_PAGE = 500;

/** The routes. */
export function streamRoutes(web: WebContext): Hono {
  const app = new Hono();

  app.get('/api/export.csv', async (c) => {
    const who = await requirePrincipal(web, c.req.raw);
    if (!who.ok) return who.response;
    const query = parseQueryParam(c.req.query('query'));
    if (!query.ok) return query.response;
    const columnsParam = c.req.query('columns');
    const columns = columnsParam === undefined || columnsParam === '' ? undefined : columnsParam.split(',');
    const exported = await web.center.exportCsv({
      principal: who.principal,
      query: query.value as never,
      ...(columns !== undefined && { columns: columns as never }),
      signal: c.req.raw.signal,
    });
    if (!exported.ok) return errorResponse(exported.error);
    const iterator = exported.value[Symbol.asyncIterator]();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await iterator.next();
        if (next.done !== true) return controller.enqueue(encoder.encode(next.value));
        // A failure after the first byte cannot change the status: fail the download instead of
        // handing out a truncated file that looks whole.
        const completion = await exported.value.completion;
        if (completion.ok) controller.close();
        else controller.error(new Error(`CSV export failed: ${completion.error.code}`));
      },
      async cancel() {
        // The client went away: stop reading the repository.
        await iterator.return?.();
      },
    });
    const view = viewOf(query.value);
    return new Response(body, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="actions-${view}-${utcStamp(Date.now())}.csv"`,
      },
    });
  });

  app.get('/api/events', async (c) => {
    const who = await requirePrincipal(web, c.req.raw);
    if (!who.ok) return who.response;
    const resume = c.req.header('last-event-id') ?? c.req.query('after');
    const after = resume !== undefined && /^\d{1,15}$/.test(resume) ? Number(resume) : null;
    return new Response(changeStream(web, who.principal, after, c.req.raw.signal), {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
    });
  });
  return app;
}

/**
 * The SSE body: `event: change` per audit event after `after` (null: from now on), each with its
 * feed position as `id` so the browser's EventSource resumes with Last-Event-ID. Woken at once by
 * `center.subscribe` for commits in this process, polled for the others; stops on disconnect.
 *
 * Only changes to actions in the principal's read scope are sent (one `list` by id per page of the
 * feed): an action it may not see is not revealed here either, as `get` answers notFound for it.
 */
function changeStream(
  web: WebContext,
  principal: Principal,
  after: ChangePosition | null,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stopped = false;
  let wake: (() => void) | null = null;
  let unsubscribe = () => {};
  const stop = () => {
    stopped = true;
    unsubscribe();
    wake?.();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      unsubscribe = web.center.subscribe((_change: CommittedChange) => wake?.());
      signal.addEventListener('abort', stop, { once: true });
      const send = (text: string) => {
        if (stopped) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      void (async () => {
        let cursor = after ?? (await headOf(web.repository));
        send(`retry: 2000\nid: ${cursor ?? 0}\nevent: ready\ndata: {"position":${cursor ?? 0}}\n\n`);
        let lastSent = 0;
        let ticks = 0;
        while (!stopped) {
          const page = await web.repository.changes({ after: cursor, limit: FEED_PAGE });
          if (page.ok) {
            const visible = await visibleIds(web, principal, page.value.entries);
            for (const { position, event } of page.value.entries) {
              if (!visible.has(event.actionId)) continue;
              const data = { actionId: event.actionId, status: event.to, version: event.sequence, type: event.type };
              send(`id: ${position}\nevent: change\ndata: ${JSON.stringify(data)}\n\n`);
              lastSent = ticks;
            }
            cursor = page.value.next;
            if (page.value.entries.length === FEED_PAGE) continue; // more waiting: read on at once
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, POLL_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
          ticks += 1;
          if ((ticks - lastSent) * POLL_MS >= KEEP_ALIVE_MS) {
            send(': keep-alive\n\n');
            lastSent = ticks;
          }
        }
        try {
          controller.close();
        } catch {
          // already cancelled
        }
      })().catch(() => stop());
    },
    cancel() {
      stop();
    },
  });
}

/** Which of these entries' actions the principal may see (read scope), in one query. */
async function visibleIds(
  web: WebContext,
  principal: Principal,
  entries: readonly ChangeEntry[],
): Promise<Set<string>> {
  const ids = [...new Set(entries.map((e) => e.event.actionId))];
  if (ids.length === 0) return new Set();
  const page = await web.center.list({ principal, query: { filter: { view: 'all', ids }, page: { size: 1000 } } });
  return new Set(page.ok ? page.value.items.map((a) => a.id) : []);
}

/**
 * The feed's latest position now, or null when it is empty: found with about 2·log2(head) reads of
 * one entry each (an exponential search for a position with nothing after it, then a binary search
 * below it), not by reading the feed through. Positions only grow, so "is there an entry after
 * x?" flips once, from yes to no. A store that fails a read answers the latest position known so far.
 */
export async function headOf(repository: Pick<ActionRepository, 'changes'>): Promise<ChangePosition | null> {
  /** The first position after `x`; null when there is none; undefined when the store failed. */
  const firstAfter = async (x: number): Promise<number | null | undefined> => {
    const page = await repository.changes({ after: x, limit: 1 });
    return page.ok ? (page.value.entries[0]?.position ?? null) : undefined;
  };
  const first = await firstAfter(0);
  if (first === null || first === undefined) return null;
  // `lo` is a position that exists; once the loop ends, no position is after `hi`.
  let lo = first;
  let hi = first;
  for (let step = 1; ; step *= 2) {
    const next = await firstAfter(hi);
    if (next === undefined) return lo;
    if (next === null) break;
    lo = next;
    hi = Math.min(next + step, Number.MAX_SAFE_INTEGER);
  }
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    const found = await firstAfter(mid - 1); // the first position at or after mid
    if (found === undefined) return lo;
    if (found === null) hi = mid - 1;
    else lo = found;
  }
  return lo;
}

function viewOf(query: unknown): string {
  const view =
    typeof query === 'object' && query !== null && 'filter' in query
      ? (query.filter as { view?: unknown } | null)?.view
      : undefined;
  return view === 'pending' || view === 'history' ? view : 'all';
}

/** yyyyMMdd-HHmmss in UTC. */
function utcStamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-29T14:32:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}
