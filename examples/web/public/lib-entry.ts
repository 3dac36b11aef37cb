// What the page takes from the library, bundled for the browser by examples/web/server/static.ts.
// Only pure parts (catalog, rules, column cells): the selection state machine the page's
// multi-select is built on, the views' constants, and the cells the CSV export writes too, so that
// the table and the export read alike. No I/O reaches the browser.
export {
  emptySelection,
  canAddToSelection,
  addToSelection,
  removeFromSelection,
  selectionActionType,
  checkBulkSelection,
  builtInCatalog,
  TIME_PERIODS,
  COLUMN_IDS,
  DEFAULT_COLUMNS,
} from 'actioncenter';
export { ACTION_COLUMNS, MAX_SELECTION_SIZE, SORT_COLUMNS, STATUS_LABELS } from 'actioncenter/adapter-kit';
