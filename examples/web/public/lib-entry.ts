// What the page takes from the library, bundled for the browser by examples/web/server/static.ts.
// Only pure parts (catalog, rules): the selection state machine the page's multi-select is built on,
// the views' constants and the catalogue for labels. No I/O reaches the browser.
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
  FINAL_STATUSES,
} from 'actioncenter';
export { MAX_SELECTION_SIZE, SORT_COLUMNS } from 'actioncenter/adapter-kit';
