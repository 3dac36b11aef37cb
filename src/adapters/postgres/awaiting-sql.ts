/**
 * The "awaiting my approval" filter of issue 16 in SQL (its own module: view-sql.ts is at its line
 * budget).
 *
 * @module
 */
import { columnText } from './text.js';

/** The parameters of a query being built (view-sql.ts `Params`; named here by shape, to import nothing back). */
interface Params {
  add(value: unknown): string;
}

/**
 * "Awaiting my approval" (issue 16), exactly `awaitsApprovalIn`: pending, not requested by the
 * principal (`requested_by` holds the requester's actor key), not in the record's `approvals`, and
 * of an approvable type or escalated to them. The record is read as `json` (not `jsonb`): a record
 * kept as text (`record_text`, NUL characters) reads too; a field absent (records stored before the
 * field) lists nothing.
 */
export function awaitingApprovalSql(
  principal: string,
  types: readonly string[] | null,
  p: Params,
  textArray: (values: readonly string[]) => string,
): string {
  // The column holds its text encoded (`columnText`); the record's JSON holds the id as it is.
  const whoColumn = p.add(columnText(principal));
  const who = p.add(principal);
  const record = 'COALESCE(a.record::json, a.record_text::json)';
  const approved = `EXISTS (SELECT 1 FROM json_array_elements(${record}->'approvals') e WHERE e->>'by' = ${who}::text)`;
  const parts = [`a.status = 'pending'`, `a.requested_by <> ${whoColumn}`, `NOT ${approved}`];
  if (types !== null) {
    const escalated = `EXISTS (SELECT 1 FROM json_array_elements_text(${record}->'escalatedTo') x WHERE x = ${who}::text)`;
    const typed =
      types.length === 0 ? 'FALSE' : `a.action_type = ANY(${p.add(textArray(types.map(columnText)))}::text[])`;
    parts.push(`(${typed} OR ${escalated})`);
  }
  return `(${parts.join(' AND ')})`;
}
