/**
 * `checkInvariants`: what holds after every model-based command, read through the engine.
 *
 * @module
 */
import { ACTION_STATUSES, verifyAuditTrail, type ActionPage, type ActionRecord, type AuditEvent } from 'actioncenter';
import {
  agree,
  expireModel,
  isOpen,
  ModelMismatchError,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
} from '../model.js';
import { okOf, SUPERVISOR } from './shared.js';

/**
 * What holds after every command, read through the engine as a Global Administrator: as many actions
 * as the model has, each in the model's status, with an audit trail as long as its version whose last
 * event leads to its status, undo links, the remote reference and the execution details as the model has
 * them, the starts counted (`attempt`) and a retry's `retryAt`, every audit event chained up to the record's
 * audit head (`verifyAuditTrail`), and no two open actions with one open key.
 * Every command calls it after its own checks; call it from commands of your own.
 *
 * @example
 * ```ts
 * import { createActionCenter, createMemoryRepository } from 'actioncenter';
 * import { checkInvariants, createModelRunSetup } from 'actioncenter/testing';
 * const setup = createModelRunSetup({ engine: (deps) => createActionCenter({ ...deps, repository: createMemoryRepository() }) });
 * const { model, real } = await setup();
 * await checkInvariants(model, real); // throws a ModelMismatchError on the first difference
 * ```
 */
export async function checkInvariants(model: Readonly<ActionCenterModel>, real: ActionCenterReal): Promise<void> {
  // Reads expire what is due (expiry holds without a sweep), and the list below reads.
  expireModel(model as ActionCenterModel);
  const records: ActionRecord[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page: ActionPage = okOf(
      'invariants: list',
      await real.center.list({
        principal: SUPERVISOR,
        query: {
          sort: { column: 'id', direction: 'asc' },
          page: { size: 200, ...(cursor === null ? {} : { cursor }) },
        },
      }),
    );
    records.push(...page.items);
    agree('invariants: total count', page.total, model.actions.size);
    cursor = page.nextCursor;
    if (cursor === null) break;
  }
  agree('invariants: actions listed', records.length, model.actions.size);
  const openKeys = new Map<string, string>();
  for (const record of records) {
    const expected = model.actions.get(record.id);
    if (expected === undefined)
      throw new ModelMismatchError(`invariants: the engine holds ${record.id}, which the model does not know`);
    if (!(ACTION_STATUSES as readonly string[]).includes(record.status))
      throw new ModelMismatchError(`invariants: ${record.id} has status "${record.status}"`);
    agree(`invariants: status of ${record.id} (${record.actionType})`, record.status, expected.status);
    agree(`invariants: undoOf of ${record.id}`, record.undoOf, expected.undoOf);
    agree(`invariants: undoActionId of ${record.id}`, record.undoActionId, expected.undoActionId);
    agree(
      `invariants: reference and execution details of ${record.id}`,
      [record.externalReference, record.executionDetails],
      [expected.execution?.reference ?? null, expected.execution?.details ?? null],
    );
    // Starts counted, and a retry's due time only while approved again after a transient failure.
    agree(
      `invariants: attempt and retryAt of ${record.id}`,
      [record.attempt, record.retryAt],
      [expected.attempt ?? 0, expected.status === 'approved' ? (expected.retryAt ?? null) : null],
    );
    // Issue 16: the approval deadline until it escalates (once, at the first sweep after it), and the
    // unstarted expiry of an approved action never started.
    agree(
      `invariants: escalateAt, escalatedAt and approved expiry of ${record.id}`,
      [record.escalateAt, record.escalatedAt, record.status === 'approved' ? record.expiresAt : null],
      [
        expected.escalateAt ?? null,
        expected.escalatedAt ?? null,
        expected.status === 'approved' && (expected.attempt ?? 0) === 0 ? expected.expiresAt : null,
      ],
    );
    // Issue 16: the revert of a time-limited action (its delay; its time once succeeded) as the model has it.
    agree(
      `invariants: revertAfterMs and revertAt of ${record.id}`,
      [record.revertAfterMs, record.revertAt],
      [expected.revertAfterMs ?? null, expected.revertAt ?? null],
    );
    const trail: readonly AuditEvent[] = okOf(
      `invariants: auditTrail(${record.id})`,
      await real.center.auditTrail({ principal: SUPERVISOR, id: record.id }),
    );
    // Issue 16: every note is an `addNote` event; the count is the model's, the last note the last event's.
    const notes = trail.filter((e) => e.type === 'addNote');
    agree(
      `invariants: notes of ${record.id}`,
      [record.noteCount, record.lastNote?.text ?? null],
      [expected.noteCount ?? 0, notes[notes.length - 1]?.comment ?? null],
    );
    agree(`invariants: note count of ${record.id} equals its addNote events`, record.noteCount, notes.length);
    agree(`invariants: audit trail length of ${record.id} equals its version`, trail.length, record.version);
    agree(
      `invariants: audit sequence of ${record.id}`,
      trail.map((e) => e.sequence),
      trail.map((_, i) => i + 1),
    );
    agree(`invariants: first audit event of ${record.id}`, trail[0]?.type, 'created');
    agree(
      `invariants: last audit event of ${record.id} leads to its status`,
      trail[trail.length - 1]?.to,
      record.status,
    );
    // Tamper-evident trail (issue 16): every event the engine wrote is chained, up to the record's head.
    agree(`invariants: audit chain of ${record.id}`, verifyAuditTrail(trail, record), {
      ok: true,
      value: { intact: true, chained: trail.length, unchained: 0 },
    });
    if (record.openKey !== null && isOpen({ status: record.status } as ModelAction)) {
      const holder = openKeys.get(record.openKey);
      if (holder !== undefined)
        throw new ModelMismatchError(`invariants: ${holder} and ${record.id} are both open with the same open key`);
      openKeys.set(record.openKey, record.id);
    }
  }
}
