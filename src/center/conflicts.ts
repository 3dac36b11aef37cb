/**
 * Building a repository's conflict error: every adapter reports conflicts the same way, so the
 * engine (and the contract suite) can rely on one reason priority and one message shape.
 *
 * @module
 */
import { ActionRecordSchema, AuditEventSchema, type ActionRecord } from '../catalog/records.js';
import { toInputIssues } from '../errors.js';
import { isOpen } from '../rules/lifecycle-table.js';
import type { CommitBatch, ConflictError, CorruptRecordError } from './ports.js';

/**
 * When a batch conflicts for several reasons, the error carries the first of these: a claimed
 * idempotency key means the whole request already happened, which matters more than anything else.
 *
 * @example
 * ```ts
 * import { CONFLICT_REASON_ORDER } from 'actioncenter/adapter-kit';
 * CONFLICT_REASON_ORDER[0]; // 'idempotencyKeyTaken'
 * ```
 */
export const CONFLICT_REASON_ORDER: readonly ConflictError['reason'][] = Object.freeze([
  'idempotencyKeyTaken',
  'alreadyExists',
  'staleVersion',
  'openKeyTaken',
]);

/**
 * The open key an action holds: its `openKey` while it is open, otherwise null.
 *
 * @example
 * ```ts
 * import { type ActionRecord } from 'actioncenter';
 * import { heldOpenKey } from 'actioncenter/adapter-kit';
 * const key = (a: ActionRecord) => heldOpenKey(a); // null once the action is final
 * ```
 */
export function heldOpenKey(action: { readonly openKey: string | null; readonly status: string }): string | null {
  return action.openKey !== null && isOpen(action.status) ? action.openKey : null;
}

/**
 * Collects every offending action of a commit, per reason, with a line of explanation each, and
 * turns them into one {@link ConflictError}: the most important reason, every offending action (of
 * every reason), the first ten lines. For adapter authors.
 *
 * @example
 * ```ts
 * import { ConflictCollector } from 'actioncenter/adapter-kit';
 * const conflicts = new ConflictCollector();
 * conflicts.add('staleVersion', 'act-1', 'act-1 is at version 3, not 2');
 * if (!conflicts.empty) conflicts.toError().reason; // 'staleVersion'
 * ```
 */
export class ConflictCollector {
  readonly #byReason = new Map<ConflictError['reason'], { ids: Set<string>; lines: string[] }>();

  add(reason: ConflictError['reason'], actionId: string, line: string): void {
    let entry = this.#byReason.get(reason);
    if (entry === undefined) this.#byReason.set(reason, (entry = { ids: new Set(), lines: [] }));
    entry.ids.add(actionId);
    entry.lines.push(line);
  }

  get empty(): boolean {
    return this.#byReason.size === 0;
  }

  toError(what = 'Commit'): ConflictError {
    const reasons = CONFLICT_REASON_ORDER.filter((r) => this.#byReason.has(r));
    const ids = new Set<string>();
    const lines: string[] = [];
    for (const r of reasons) {
      const entry = this.#byReason.get(r) as { ids: Set<string>; lines: string[] };
      for (const id of entry.ids) ids.add(id);
      lines.push(...entry.lines);
    }
    const shown = lines.length > 10 ? [...lines.slice(0, 10), `and ${lines.length - 10} more`] : lines;
    return {
      code: 'conflict',
      message: `${what} refused, nothing was written: ${shown.join('; ')}`,
      reason: reasons[0] ?? 'staleVersion',
      actionIds: [...ids],
    };
  }
}

/**
 * The first write of a batch that could not be read back: an action or audit event that does not
 * parse with the schema every read parses with (`ActionRecordSchema`, `AuditEventSchema`), or null
 * when all are readable. An adapter whose reads validate calls it before writing and refuses the
 * whole commit with the error, so that it never stores a record it would then serve as
 * `corruptRecord` forever. For adapter authors.
 *
 * @example
 * ```ts
 * import { unreadableWrite, type CommitBatch } from 'actioncenter/adapter-kit';
 * const empty: CommitBatch = { writes: [], events: [], idempotencyKey: null };
 * unreadableWrite(empty); // null
 * ```
 */
export function unreadableWrite(batch: CommitBatch): CorruptRecordError | null {
  for (const { action } of batch.writes) {
    const parsed = ActionRecordSchema.safeParse(action);
    if (!parsed.success) return refused(String(action.id), 'record', toInputIssues(parsed.error.issues));
  }
  for (const event of batch.events) {
    const parsed = AuditEventSchema.safeParse(event);
    if (!parsed.success)
      return refused(
        String(event.actionId),
        `audit event ${String(event.sequence)}`,
        toInputIssues(parsed.error.issues),
      );
  }
  return null;
}

function refused(actionId: string, what: string, issues: CorruptRecordError['issues']): CorruptRecordError {
  const shown = issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
  return {
    code: 'corruptRecord',
    message: `Commit refused, nothing was written: the ${what} of action ${JSON.stringify(actionId)} could not be read back (${shown})`,
    actionId,
    issues,
  };
}
