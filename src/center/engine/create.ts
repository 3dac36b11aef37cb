/**
 * Wires the operations over one engine context. Each operation reads its input once inside a
 * guard (a Proxy or a throwing getter is `invalidInput`), and whatever else escapes (a component
 * that answered garbage, a bug) becomes a typed error: operations resolve to a Result; they never
 * throw or reject.
 *
 * @module
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { InvalidInputError } from '../../errors.js';
import { ok, type Result } from '../../result.js';
import type { ActionRepository } from '../ports.js';
import type { ActionCenter } from './api.js';
import { guarded, readFields, type EngineContext } from './context.js';
import { decide } from './decide.js';
import { afterExpiry, expire } from './expiry.js';
import { exportView } from './export.js';
import { contextOf } from './options.js';
import type { CommittedChange } from './results.js';
import { report } from './report.js';
import { resume } from './resume.js';
import { run } from './run.js';
import { submit } from './submit.js';
import { undo } from './undo.js';
import { retry } from './manual-retry.js';
import { addNote, setRevert } from './notes.js';
import { auditTrail, get, investigation, list, listInvestigations } from './views.js';
import { verifyAuditTrail } from './verify.js';

/**
 * Builds an Action center from options (validated), with `defaultRepository` making the store
 * when none is given. The composition root (`createActionCenter`) passes the in-memory one.
 */
export function buildActionCenter<C extends Catalog>(
  options: unknown,
  defaultRepository: () => ActionRepository,
): Result<ActionCenter<C>, InvalidInputError> {
  const ctx = contextOf(options, defaultRepository);
  return ctx.ok ? ok(operationsOver(ctx.value) as ActionCenter<C>) : ctx;
}

/** A read operation: its fields read once, pending actions due expired first, then the read. */
function read<T, E extends { readonly code: string }>(
  ctx: EngineContext,
  operation: string,
  what: string,
  keys: readonly ('principal' | 'query' | 'columns' | 'investigationId' | 'id' | 'signal')[],
  fn: (ctx: EngineContext, fields: Record<string, unknown>) => Promise<Result<T, E>>,
): (input: unknown) => Promise<Result<T, E | InvalidInputError>> {
  return guarded(operation, async (input: unknown): Promise<Result<T, E | InvalidInputError>> => {
    const fields = readFields(input, keys, what);
    if (!fields.ok) return fields;
    const f = fields.value as Record<string, unknown>;
    return afterExpiry(ctx, f['principal'], () => fn(ctx, f), keys.includes('id') ? f['id'] : undefined);
  });
}

function operationsOver(ctx: EngineContext): ActionCenter {
  const center = {
    catalog: ctx.catalog,
    submit: guarded('submit', (input: unknown) => submit(ctx, input)),
    approve: guarded('approve', (input: unknown) => decide(ctx, 'approve', input)),
    reject: guarded('reject', (input: unknown) => decide(ctx, 'reject', input)),
    cancel: guarded('cancel', (input: unknown) => decide(ctx, 'cancel', input)),
    undo: guarded('undo', (input: unknown) => undo(ctx, input)),
    retry: guarded('retry', (input: unknown) => retry(ctx, input)),
    addNote: guarded('addNote', (input: unknown) => addNote(ctx, input)),
    setRevert: guarded('setRevert', (input: unknown) => setRevert(ctx, input)),
    run: guarded('run', (input?: unknown) => run(ctx, input)),
    resume: guarded('resume', (input: unknown) => resume(ctx, input)),
    report: guarded('report', (input: unknown) => report(ctx, input)),
    expire: guarded('expire', () => expire(ctx)),
    list: read(ctx, 'list', 'list input', ['principal', 'query'], list),
    listInvestigations: read(
      ctx,
      'listInvestigations',
      'list investigations input',
      ['principal', 'query'],
      listInvestigations,
    ),
    investigation: read(
      ctx,
      'investigation',
      'investigation input',
      ['principal', 'investigationId', 'query'],
      investigation,
    ),
    get: read(ctx, 'get', 'get input', ['principal', 'id'], get),
    auditTrail: read(ctx, 'auditTrail', 'audit trail input', ['principal', 'id'], auditTrail),
    verifyAuditTrail: read(ctx, 'verifyAuditTrail', 'verify audit trail input', ['principal', 'id'], verifyAuditTrail),
    exportCsv: read(ctx, 'exportCsv', 'export input', ['principal', 'query', 'columns', 'signal'], exportView),
    subscribe: (listener: (change: CommittedChange) => void) => {
      // Not a function: nothing to call, nothing to stop.
      if (typeof listener !== 'function') return () => undefined;
      ctx.listeners.add(listener);
      return () => {
        ctx.listeners.delete(listener);
      };
    },
  };
  return Object.freeze(center) as ActionCenter;
}
