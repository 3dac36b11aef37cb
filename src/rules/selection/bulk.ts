/**
 * The checks a bulk operation runs on a whole selection (seeds 001 and 002), and "Apply to X more
 * instances of this file".
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import { err, ok, type Result } from '../../result.js';
import { undoEligibility, type UndoContext } from '../undo.js';
import {
  type BulkOperation,
  type BulkSelection,
  MAX_SELECTION_SIZE,
  type SelectionContext,
  type SelectionOffence,
  type SelectionRefusedError,
  itemOffences,
  limitOf,
  offence,
  refusal,
} from './offences.js';

/**
 * Checks a selection for a bulk operation. Seed 002: "You can approve or reject actions one at a
 * time, or select multiple actions if they have the same type of action (such as Quarantine
 * file)." Seed 001, for undo: "Make sure to select items that have the same Action type."
 *
 * - approve/reject: every action is pending, its type is known and, with a principal, the access
 *   policy allows the operation on it;
 * - undo: every action is undo-eligible ({@link undoEligibility}, with the same principal);
 * - all: one action type — the FIRST item's type is the selection's type, as in a UI where the
 *   first pick sets the type, so every item of another type offends as `mixedActionType`;
 *   no duplicate ids (later occurrences offend); at most `maxItems` items (the items past the
 *   limit offend as `tooMany`); an empty selection is refused with reason `empty`.
 *
 * Every check runs on every item, so the error names every offending item with every reason.
 *
 * @example
 * ```ts
 * import { checkBulkSelection, builtInCatalog, type ActionRecord } from 'actioncenter';
 * const approvable = (selected: readonly ActionRecord[]) =>
 *   checkBulkSelection('approve', selected, { catalog: builtInCatalog }).ok;
 * ```
 */
export function checkBulkSelection(
  operation: BulkOperation,
  actions: readonly ActionRecord[],
  context: SelectionContext,
): Result<BulkSelection, SelectionRefusedError> {
  const first = actions[0];
  if (first === undefined) {
    return err({
      code: 'selectionRefused',
      message: `Cannot ${operation} an empty selection: select at least one action`,
      operation,
      reasons: ['empty'],
      offending: [],
    });
  }
  const limit = limitOf(context);
  const actionType = first.actionType;
  const seen = new Set<string>();
  const offending: SelectionOffence[] = [];
  for (let index = 0; index < actions.length; index++) {
    const action = actions[index] as ActionRecord;
    if (index >= limit) {
      offending.push(offence(action, 'tooMany', `At most ${limit} actions can be selected at once`));
    }
    if (seen.has(action.id)) {
      offending.push(offence(action, 'duplicate', 'This action is selected more than once'));
      continue;
    }
    seen.add(action.id);
    if (action.actionType !== actionType) {
      offending.push(
        offence(
          action,
          'mixedActionType',
          `Select items that have the same action type: the selection is "${actionType.slice(0, 100)}", this item is "${action.actionType.slice(0, 100)}"`,
        ),
      );
    }
    offending.push(...itemOffences(operation, action, context));
  }
  if (offending.length > 0) return err(refusal(operation, offending));
  return ok({ operation, actionType, actions: Object.freeze([...actions]) });
}

/**
 * What refuses a selection as a whole when the operation runs: only the seeds' rule (every item of
 * the first item's action type), with its shape (not empty, no duplicate ids, at most `maxItems`).
 * Everything else — an item already decided by someone else, out of the principal's scope, in the
 * wrong state, not undo-eligible — is refused item by item with its reason while the rest proceed
 * (issue 12, item 9); {@link checkBulkSelection} still tells a UI every problem up front.
 *
 * @example
 * ```ts
 * import { type ActionRecord } from 'actioncenter';
 * import { checkSelectionWhole } from 'actioncenter/adapter-kit';
 * const sameType = (selected: readonly ActionRecord[]) => checkSelectionWhole('approve', selected).ok;
 * ```
 */
export function checkSelectionWhole(
  operation: BulkOperation,
  actions: readonly ActionRecord[],
  options: { readonly maxItems?: number } = {},
): Result<BulkSelection, SelectionRefusedError> {
  const first = actions[0];
  if (first === undefined) {
    return err({
      code: 'selectionRefused',
      message: `Cannot ${operation} an empty selection: select at least one action`,
      operation,
      reasons: ['empty'],
      offending: [],
    });
  }
  const max = options.maxItems ?? MAX_SELECTION_SIZE;
  const limit = Number.isSafeInteger(max) && max >= 1 ? max : 0;
  const seen = new Set<string>();
  const offending: SelectionOffence[] = [];
  for (let index = 0; index < actions.length; index++) {
    const action = actions[index] as ActionRecord;
    if (index >= limit) offending.push(offence(action, 'tooMany', `At most ${limit} actions can be selected at once`));
    if (seen.has(action.id)) {
      offending.push(offence(action, 'duplicate', 'This action is selected more than once'));
      continue;
    }
    seen.add(action.id);
    if (action.actionType !== first.actionType) {
      offending.push(
        offence(
          action,
          'mixedActionType',
          `Select items that have the same action type: the selection is "${first.actionType.slice(0, 100)}", this item is "${action.actionType.slice(0, 100)}"`,
        ),
      );
    }
  }
  if (offending.length > 0) return err(refusal(operation, offending));
  return ok({ operation, actionType: first.actionType, actions: Object.freeze([...actions]) });
}

/**
 * Seed 001: "select Apply to X more instances of this file, and then select Undo." Given one
 * action on a file (a Quarantine file action, or any action whose target is a file), the OTHER
 * candidates that:
 * - are of the same action type, and target a file;
 * - share its SHA-1 or its SHA-256 (case-insensitive; a file without hashes matches nothing);
 * - are on another device (other than the given action's device);
 * - are undo-eligible under the same context (with the same principal, if any);
 * - are not the action itself.
 * Each candidate appears once (the first occurrence of an id), ordered by `createdAt`, then id.
 * An action whose target is not a file has no other instances.
 *
 * @example
 * ```ts
 * import { builtInCatalog, type ActionRecord } from 'actioncenter';
 * import { otherInstancesOfFile } from 'actioncenter/adapter-kit';
 * const applyToMore = (picked: ActionRecord, history: readonly ActionRecord[]) =>
 *   otherInstancesOfFile(picked, history, { catalog: builtInCatalog }).length; // the X of "Apply to X more"
 * ```
 */
export function otherInstancesOfFile(
  action: ActionRecord,
  candidates: readonly ActionRecord[],
  context: UndoContext,
): ActionRecord[] {
  const target = action.target;
  if (target.kind !== 'file') return [];
  const sha1 = target.sha1?.toLowerCase() ?? null;
  const sha256 = target.sha256?.toLowerCase() ?? null;
  if (sha1 === null && sha256 === null) return [];
  const seen = new Set<string>([action.id]);
  const found: ActionRecord[] = [];
  for (const candidate of candidates) {
    if (seen.has(candidate.id)) continue;
    seen.add(candidate.id);
    const t = candidate.target;
    if (candidate.actionType !== action.actionType || t.kind !== 'file' || t.deviceId === target.deviceId) continue;
    const sameFile =
      (sha1 !== null && t.sha1 !== null && t.sha1.toLowerCase() === sha1) ||
      (sha256 !== null && t.sha256 !== null && t.sha256.toLowerCase() === sha256);
    if (!sameFile) continue;
    if (undoEligibility(candidate, context).eligible) found.push(candidate);
  }
  return found.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
