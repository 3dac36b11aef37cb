/**
 * Due times: when something must happen to an action without anyone asking (a pending action
 * expires, a running one times out). Derived from the record by one pure rule, so that stores can
 * index it and a sweep reads only what is due, not every open action.
 *
 * @module
 */
import type { ActionRecord, Timestamp } from '../catalog/records.js';

/**
 * An action's due time: when a sweep must look at it next.
 * - pending: its expiry (`expiresAt`), or its approval deadline (`escalateAt`, issue 16) when
 *   that comes first (`escalateAt` is cleared once it escalated, so each is due once);
 * - running: its deadline (`deadlineAt`);
 * - approved: when it may start again after a retry (`retryAt`, the backoff); else, never started
 *   (`attempt` 0), its unstarted expiry (`expiresAt`, issue 16); else null (other approved actions
 *   are work for `run`, not timers);
 * - succeeded and time-limited: when its undo is requested (`revertAt`, issue 16);
 * - other final ones: nothing due.
 *
 * Stores index the one value it answers. Fields added later may be left out (records shaped
 * before them): `retryAt`, `escalateAt`, `attempt` and `revertAt` then count as null, null, 0 and null.
 *
 * @example
 * ```ts
 * import { dueAtOf } from 'actioncenter/adapter-kit';
 * dueAtOf({ status: 'pending', expiresAt: 1000, deadlineAt: null }); // 1000
 * dueAtOf({ status: 'pending', expiresAt: 1000, deadlineAt: null, escalateAt: 400 }); // 400
 * dueAtOf({ status: 'approved', expiresAt: 900, deadlineAt: null, attempt: 0 }); // 900
 * dueAtOf({ status: 'succeeded', expiresAt: null, deadlineAt: null }); // null
 * ```
 */
export function dueAtOf(
  action: Pick<ActionRecord, 'status' | 'expiresAt' | 'deadlineAt'> & {
    readonly retryAt?: Timestamp | null;
    readonly escalateAt?: Timestamp | null;
    readonly attempt?: number;
    readonly revertAt?: Timestamp | null;
  },
): Timestamp | null {
  switch (action.status) {
    case 'pending': {
      const escalateAt = action.escalateAt ?? null;
      const expiresAt = action.expiresAt;
      if (escalateAt === null) return expiresAt;
      return expiresAt === null || escalateAt < expiresAt ? escalateAt : expiresAt;
    }
    case 'running':
      return action.deadlineAt;
    case 'approved': {
      const retryAt = action.retryAt ?? null;
      if (retryAt !== null) return retryAt;
      // Only an action never started expires unstarted; a retry-waiting one has its `retryAt`.
      return (action.attempt ?? 0) === 0 ? action.expiresAt : null;
    }
    case 'succeeded':
      // A time-limited action (issue 16): when the center requests its undo (`autoRevert`).
      return action.revertAt ?? null;
    default:
      return null;
  }
}

/**
 * The order of due actions: by due time, then by id (by UTF-16 code units, as `<` compares strings).
 * Negative when `a` comes first, 0 when they are the same place.
 *
 * @example
 * ```ts
 * import { compareDue } from 'actioncenter/adapter-kit';
 * compareDue({ dueAt: 1, id: 'b' }, { dueAt: 2, id: 'a' }); // -1
 * ```
 */
export function compareDue(
  a: { readonly dueAt: number; readonly id: string },
  b: { readonly dueAt: number; readonly id: string },
): number {
  if (a.dueAt !== b.dueAt) return a.dueAt < b.dueAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The answer of a due query over a set of actions, by definition: those whose due time is at most
 * `before`, after the cursor, in (due time, id) order, the first `limit`; `next` is the last one's
 * place when more follow. Linear in the actions: for tests and small stores, not for sweeps.
 *
 * @example
 * ```ts
 * import { referenceDue } from 'actioncenter/adapter-kit';
 * referenceDue([], { before: 0, limit: 10, after: null }); // { items: [], next: null }
 * ```
 */
export function referenceDue<A extends Pick<ActionRecord, 'id' | 'status' | 'expiresAt' | 'deadlineAt'>>(
  actions: Iterable<A>,
  query: {
    readonly before: Timestamp;
    readonly limit: number;
    readonly after: { readonly dueAt: Timestamp; readonly id: string } | null;
  },
): { items: A[]; next: { dueAt: Timestamp; id: string } | null } {
  const due: { dueAt: Timestamp; id: string; action: A }[] = [];
  for (const action of actions) {
    const dueAt = dueAtOf(action);
    if (dueAt === null || dueAt > query.before) continue;
    const place = { dueAt, id: action.id as string, action };
    if (query.after !== null && compareDue(place, query.after) <= 0) continue;
    due.push(place);
  }
  due.sort(compareDue);
  const page = due.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((p) => p.action),
    next: due.length > query.limit && last !== undefined ? { dueAt: last.dueAt, id: last.id } : null,
  };
}
