/**
 * Bulk selection (seeds 001 and 002): which actions may be approved, rejected or undone together,
 * a selection a UI can drive one item at a time, and "Apply to X more instances of this file".
 *
 * Every refusal names every offending item and why, so a UI can mark them; nothing is silently
 * dropped.
 *
 * @module
 */
export {
  BULK_OPERATIONS,
  type BulkOperation,
  MAX_SELECTION_SIZE,
  SELECTION_REFUSAL_REASONS,
  type SelectionRefusalReason,
  type SelectionOffence,
  type SelectionRefusedError,
  type SelectionContext,
  type BulkSelection,
} from './selection/offences.js';
export { checkBulkSelection, checkSelectionWhole, otherInstancesOfFile } from './selection/bulk.js';
export {
  type Selection,
  type CanAddToSelection,
  emptySelection,
  canAddToSelection,
  addToSelection,
  removeFromSelection,
  selectionActionType,
} from './selection/state.js';
