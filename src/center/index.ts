export * from './ports.js';
export * from './conflicts.js';
export * from './errors.js';
export * from './defaults.js';
export * from './columns.js';
export * from './csv.js';
export type {
  ActionCenter,
  SubmitInput,
  DecisionInput,
  UndoInput,
  RunInput,
  ListInput,
  ListInvestigationsInput,
  InvestigationInput,
  GetInput,
  ExportInput,
} from './engine/api.js';
export {
  ITEM_OUTCOMES,
  single,
  type ItemOutcome,
  type ItemFailure,
  type ItemError,
  type ItemResult,
  type BulkResult,
  type SubmitResult,
  type RunReport,
  type CommittedChange,
  type SubmitError,
  type DecisionError,
  type RunError,
  type ExpireError,
  type ReadError,
  type GetError,
} from './engine/results.js';
export { DEFAULT_SYSTEM_COMPONENTS, type ActionCenterOptions, type DuplicatePolicy } from './engine/options.js';
