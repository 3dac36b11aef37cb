/**
 * actioncenter: the domain core of a security Action center. This entry holds what an integrator
 * needs (133 names); what adapter, executor and UI authors build with (schemas, the repository port's
 * parts, query and CSV internals, each error code's value) is in `actioncenter/adapter-kit`.
 *
 * Layers, with arrows pointing one way: `catalog` (data) -> `rules` (pure) -> `center` (engine over
 * ports) -> adapters. Each name is listed here explicitly (no `export *`): a new export in a module
 * stays internal until it is added here or to src/adapter-kit.ts on purpose.
 *
 * @packageDocumentation
 * @module actioncenter
 */
// Center: create one, its operations, their inputs and results
export { createActionCenter, safeCreateActionCenter } from './action-center.js';
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
} from './center/engine/api.js';
export type { ResumeInput, ResumeResult, ResumeError } from './center/engine/resume.js';
export type { ReportInput, ReportOutcome, ReportResult, ReportError } from './center/engine/report.js';
export { DEFAULT_SYSTEM_COMPONENTS } from './center/engine/options.js';
export type { ActionCenterOptions, DuplicatePolicy } from './center/engine/options.js';
export { ITEM_OUTCOMES, single } from './center/engine/results.js';
export type {
  SubmitResult,
  BulkResult,
  ItemResult,
  ItemFailure,
  ItemError,
  ItemOutcome,
  RunReport,
  CommittedChange,
  SubmitError,
  DecisionError,
  RunError,
  ExpireError,
  ReadError,
  GetError,
} from './center/engine/results.js';

// Results: errors are values
export { ok, err, unwrap, ActionCenterException } from './result.js';
export type { Result, Ok, Err } from './result.js';
export type { ErrorValue } from './errors.js';

// Errors every operation can return
export type { ActionCenterError, ActionCenterErrorCode } from './center/errors.js';
export type { InvalidInputError, InputIssue } from './errors.js';

// Catalogue: action types, requests and records
export { defineActionType } from './catalog/action-type.js';
export type { ActionTypeDefinition, ParametersOf, ParametersInputOf } from './catalog/action-type.js';
export { createCatalog } from './catalog/catalog.js';
export type { Catalog, RequestError, CatalogError } from './catalog/catalog.js';
export { builtInCatalog, builtInActionTypes, builtInActionTypeMap } from './catalog/builtins.js';
export type { BuiltInActionTypeId } from './catalog/builtins.js';
export { parseActionRequest, requestFor } from './catalog/parse.js';
export { ACTION_STATUSES } from './catalog/records.js';
export type {
  ActionRequestInput,
  ActionRecord,
  ActionRequest,
  ActionStatus,
  AuditEvent,
  Actor,
  ActionFailure,
  ExecutionDetails,
} from './catalog/records.js';
export type { CatalogRequestInput, BuiltInRequestInput, RequestInputOf } from './catalog/request-input.js';
export type { Target, TargetKind, Workload } from './catalog/targets.js';
export { ACTION_SOURCES } from './catalog/sources.js';
export type { ActionSourceId } from './catalog/sources.js';
export type { ActionId } from './catalog/ids.js';

// Access: principals, roles and the policy
export type {
  Principal,
  PrincipalInput,
  Role,
  RoleScope,
  Operation,
  AccessPolicy,
  AccessDecision,
  ReadScope,
} from './rules/principals.js';
export { createDefaultAccessPolicy, defaultAccessPolicy } from './rules/access/default-policy.js';
export { readScope } from './rules/access/read-scope.js';

// Approval: the policy, automation levels, decisions
export { createApprovalPolicy } from './rules/approval/policy.js';
export type { ApprovalPolicy, ApprovalPolicyConfig } from './rules/approval/policy.js';
export type { AutomationLevel } from './rules/approval/levels.js';
export { setAutomationLevel, clearAutomationLevel, applyPolicyPatches } from './rules/approval/edits.js';
export type { PolicyEdit, PolicyPatch } from './rules/approval/edits.js';
export { decideApproval } from './rules/approval/decision.js';
export type { ApprovalDecision } from './rules/approval/decision.js';

// Lifecycle and undo
export { transition } from './rules/lifecycle.js';
export { transitionRecord } from './rules/lifecycle-record.js';
export type { LifecycleEvent } from './rules/lifecycle-events.js';
export type { LifecycleEffect } from './rules/lifecycle-effects.js';
export { FINAL_STATUSES, isFinal } from './rules/lifecycle-table.js';
export { undoEligibility } from './rules/undo.js';
export { verifyAuditTrail } from './rules/audit-chain.js';

// Selection state machine (bulk operations in a UI)
export {
  emptySelection,
  canAddToSelection,
  addToSelection,
  removeFromSelection,
  selectionActionType,
} from './rules/selection/state.js';
export type { Selection } from './rules/selection/state.js';
export { checkBulkSelection } from './rules/selection/bulk.js';

// Views and export
export { TIME_PERIODS } from './rules/query/schemas.js';
export type { ActionQueryInput, TimePeriod } from './rules/query/schemas.js';
export type { ActionPage } from './rules/query/resolve.js';
export type { InvestigationPage } from './rules/query/investigations.js';
export { COLUMN_IDS, DEFAULT_COLUMNS } from './center/columns.js';
export type { ColumnId } from './center/columns.js';
export { exportCsv, collectCsv } from './center/csv.js';
export type { CsvExport } from './center/csv.js';

// Executors, time, ids
export type { ActionExecutor, ExecutionOutcome, ExecutionRequest, Clock, IdGenerator } from './center/ports.js';
export { manualClock, sequentialIdGenerator, systemClock, randomIdGenerator, noopExecutor } from './center/defaults.js';

// Storage: the in-memory repository and the port
export { createMemoryRepository } from './adapters/memory/repository.js';
export type { ActionRepository, QueryTooBroadError } from './center/ports.js';
export type { ChangeEntry, ChangePage, ChangePosition, ChangeQuery } from './center/change-feed.js';
export type { MemoryRepository } from './adapters/memory/repository-types.js';
