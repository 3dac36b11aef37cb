/**
 * actioncenter/adapter-kit: the parts to build on the core with. For authors of repository adapters
 * (the port's write and error types, the conflict checks, query resolution, matching and sorting),
 * of executors, and of UIs and web APIs over the library (the zod schemas of records, requests,
 * principals and queries; column labels and CSV cells; each error code's value).
 *
 * Every name here comes from the same modules as the core's: in ESM both entries load one copy of
 * each module; the CommonJS build shares them through common chunks (tsup.config.ts), so a class such
 * as `ConflictCollector` or `ActionCenterException` has one identity across both entries.
 *
 * @packageDocumentation
 * @module actioncenter/adapter-kit
 */
// Notes and time-limited actions (issue 16): the inputs and errors of addNote and setRevert
export type { AddNoteInput, SetRevertInput } from './center/engine/api.js';
export type { AddNoteError, SetRevertError } from './center/engine/notes.js';
// Progress of long bulk operations (issue 17): what `onProgress` of approve, reject, cancel, undo and retry hears
export type { BulkProgress, ProgressOperation, ProgressPhase } from './center/engine/progress.js';

// Validating input and building error values: what every entry point does before it acts
export { describeIssues, invalidInput, toInputIssues } from './errors.js';
export { assertNever, describeThrown, safeParseInput, unreadableInput } from './result.js';

// Each error code's value (the members of ActionCenterError and of the port's RepositoryError)
export type {
  AccessDeniedError,
  ActorMismatchError,
  DuplicateOpenActionError,
  ConflictingActionError,
  AlreadyRetriedError,
  RetryLimitReachedError,
  AlreadyApprovedError,
  JustificationRequiredError,
  IdempotencyKeyConflictError,
  NotFoundError,
  SubmissionRefusedError,
  SystemNotAuthorizedError,
  UndoIneligibleError,
  ReferenceMismatchError,
  NotRunningError,
  AbortedError,
} from './center/errors.js';
export type {
  ConflictError,
  CorruptRecordError,
  QueryError,
  RepositoryError,
  RepositoryUnavailableError,
} from './center/ports.js';
export type {
  ClockInvalidError,
  DuplicateActionTypeError,
  InternalError,
  InvalidParametersError,
  InvalidTransitionError,
  SourceNotApplicableError,
  TargetKindMismatchError,
  UndoCounterpartWorkloadMismatchError,
  UnknownActionTypeError,
  UnknownUndoCounterpartError,
} from './errors.js';
export type { SelectionRefusedError } from './rules/selection/offences.js';

// Ids: branded types, their schemas and asId
export {
  ActionIdSchema,
  AlertIdSchema,
  ApprovalIdSchema,
  asId,
  AuditEventIdSchema,
  DeviceGroupIdSchema,
  IncidentIdSchema,
  InvestigationIdSchema,
  PrincipalIdSchema,
} from './catalog/ids.js';
export type {
  AlertId,
  ApprovalId,
  AuditEventId,
  DeviceGroupId,
  IncidentId,
  InvestigationId,
  PrincipalId,
} from './catalog/ids.js';

// Records, requests and audit events: schemas and the types beside them
export {
  ActionFailureSchema,
  ActionRecordSchema,
  ActionRequestSchema,
  ActionStatusSchema,
  ActorSchema,
  AUDIT_EVENT_TYPES,
  AuditEventSchema,
  SafeObjectSchema,
  TimestampSchema,
  VerdictSchema,
  EXECUTION_DETAILS_LIMITS,
  ExecutionDetailsSchema,
  ExternalReferenceSchema,
} from './catalog/records.js';
export type { Timestamp, Verdict } from './catalog/records.js';
export { CommentSchema, NoteTextSchema } from './catalog/text.js';

// Action types: definition parts and request typing
export {
  ActionTypeMetaSchema,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_RETRIES,
  REMEDIATION_PERMISSIONS,
} from './catalog/action-type.js';
export { DEFAULT_RETRY_POLICY, RetryPolicySchema } from './catalog/retry-policy.js';
export type { RetryPolicy } from './catalog/retry-policy.js';
export type {
  ActionTypeInput,
  RemediationPermission,
  StoredTargetCheck,
  TargetCheck,
  TargetCheckIssue,
  TargetOfType,
  UndoRole,
  UndoSpec,
} from './catalog/action-type.js';
export { BUILT_IN_GROUPS } from './catalog/builtins.js';
export type { BuiltInGroup, BuiltInGroupId } from './catalog/builtins.js';
export type { ActionTypeIdOf, RequestFieldsOf, TypesOf } from './catalog/request-input.js';

// Targets
export {
  assetOf,
  deviceOf,
  HttpUrlSchema,
  Sha1Schema,
  Sha256Schema,
  TARGET_KINDS,
  TargetKindSchema,
  TargetSchema,
  WORKLOADS,
  WorkloadSchema,
} from './catalog/targets.js';
export type { TargetInput, TargetInputOf, TargetOf } from './catalog/targets.js';

// Sources: where an action came from
export {
  ACTION_SOURCE_IDS,
  ActionSourceIdSchema,
  DEFAULT_SOURCE_POLICY,
  manualSourceOf,
  ORIGIN_GROUPS,
  sourceByLabel,
  sourceTakes,
} from './catalog/sources.js';
export type { ActionSource, OriginGroup, SourcePolicy } from './catalog/sources.js';

// Plain JSON: what parameters may hold
export { PLAIN_JSON_LIMITS, toPlainJson } from './catalog/json.js';
export type { PlainJsonLimits } from './catalog/json.js';

// Repository port: what an adapter implements (ActionRepository itself is in the core)
export type { ActionWrite, CommitBatch, IdKind } from './center/ports.js';

// Due times: the rule stores index, the port's due query and its reference answer
export type { DueCursor, DueError, DuePage, DueQuery } from './center/ports.js';
export { DUE_LIMIT_MAX, readDueQuery } from './center/due-query.js';
export { compareDue, dueAtOf, referenceDue } from './rules/due.js';

// The change feed: the port's change query, validated, and the order a commit's events take in it
export type { ChangesError } from './center/ports.js';
export { CHANGE_LIMIT_MAX, inFeedOrder, readChangeQuery } from './center/change-feed.js';

// Conflicts: the checks every adapter makes at commit, in one order
export { CONFLICT_REASON_ORDER, ConflictCollector, heldOpenKey, unreadableWrite } from './center/conflicts.js';
export { openKeyOf } from './rules/open-key.js';
export { targetIdentityOf } from './rules/target-identity.js';

// Lifecycle: the transition table, events, effects and record creation
export { createActionRecord, createUndoCounterpart } from './rules/lifecycle-create.js';
export type { ActionRecordInit, AuditDraft, CreatedAction, UndoCounterpartInit } from './rules/lifecycle-create.js';
export { LIFECYCLE_EFFECT_TYPES } from './rules/lifecycle-effects.js';
export type { LifecycleEffectType } from './rules/lifecycle-effects.js';
export {
  DECISION_EVENT_TYPES,
  LIFECYCLE_EVENT_TYPES,
  LifecycleEventSchema,
  LifecycleEventTypeSchema,
  parseLifecycleEvent,
  UNDO_EVENT_TYPES,
  REPORT_EVENT_TYPES,
  RETRY_EVENT_TYPES,
  MANUAL_RETRY_EVENT_TYPES,
  NOTE_EVENT_TYPES,
  APPROVAL_EVENT_TYPES,
  ESCALATION_EVENT_TYPES,
} from './rules/lifecycle-events.js';
export type { LifecycleEventInput, LifecycleEventOf, LifecycleEventType } from './rules/lifecycle-events.js';
export {
  acceptedEvents,
  approvalsLeftOf,
  attemptsOf,
  isOpen,
  LIFECYCLE_GUARDS,
  LIFECYCLE_TRANSITIONS,
  lifecycleEdge,
  OPEN_STATUSES,
  outcomeOf,
  undoResultOfCounterpart,
} from './rules/lifecycle-table.js';
export type {
  ActionOutcome,
  FinalStatus,
  LifecycleEdge,
  LifecycleGuard,
  LifecycleGuardTable,
  LifecycleTransitionTable,
  TransitionRefusalReason,
} from './rules/lifecycle-table.js';
export { isExpired } from './rules/lifecycle.js';
export { canRetry, retryAtOf, retryDelayMs } from './rules/lifecycle-retry.js';
export type { TransitionContext, TransitionResult } from './rules/lifecycle.js';
export { transitionAudit, transitionEffects } from './rules/lifecycle-derive.js';

// The tamper-evident audit trail (verifyAuditTrail is in the core)
export { chainAuditEvent } from './rules/audit-chain.js';
export type {
  AuditTrailBreak,
  AuditTrailBreakReason,
  AuditTrailVerification,
  UnchainedAuditEvent,
} from './rules/audit-chain.js';

// Undo
export {
  isUndoEligibleSource,
  UNDO_ELIGIBLE_ORIGIN_GROUPS,
  UNDO_INELIGIBLE_REASONS,
  UNDOABLE_STATUSES,
} from './rules/undo.js';
export type { UndoContext, UndoEligibility, UndoIneligibleReason } from './rules/undo.js';

// Principals and access: schemas, tables and the policy parts
export { askPolicy, authorize } from './rules/access/ask.js';
export type { DefaultAccessPolicyOptions } from './rules/access/default-policy.js';
export { defaultReadScope } from './rules/access/default-read-scope.js';
export { leastPrivilegeReport } from './rules/access/least-privilege.js';
export type { LeastPrivilegeFinding, LeastPrivilegeWorkload } from './rules/access/least-privilege.js';
export { askReadScope } from './rules/access/read-scope.js';
export type { ReadScopeAnswer } from './rules/access/read-scope.js';
export {
  DEFAULT_POLICY_RULES,
  describeMissingRequirement,
  ROLE_DISPLAY_NAMES,
  ROLE_SCOPE_DISPLAY_NAMES,
  ROLE_SCOPES_THAT_COUNT,
} from './rules/access/roles.js';
export type { DefaultPolicyRule } from './rules/access/roles.js';
export {
  AccessDecisionSchema,
  DENIAL_REASONS,
  OPERATIONS,
  OperationSchema,
  permissionOf,
  PrincipalSchema,
  READ_OPERATIONS,
  ReadScopeSchema,
  ROLE_SCOPES,
  RoleAssignmentSchema,
  ROLES,
  RoleSchema,
  RoleScopeSchema,
} from './rules/principals.js';
export type {
  AccessSubject,
  DenialReason,
  MissingRequirement,
  ReadOperation,
  RoleAssignment,
} from './rules/principals.js';

// Approval: automation levels, folders, rules and the default policy
export { APPROVAL_REFUSAL_REASONS, APPROVAL_RULES, PENDING_REASONS } from './rules/approval/decision.js';
export type { ApprovalFacts, ApprovalRefusalReason, ApprovalRule, PendingReason } from './rules/approval/decision.js';
export {
  classifyPath,
  DEFAULT_WINDOWS_FOLDERS,
  FOLDER_CLASSES,
  FolderClassificationSchema,
  normaliseWindowsPath,
  pathMatchesFolderPattern,
  pathOfTarget,
} from './rules/approval/folders.js';
export type { FolderClass, FolderClassification } from './rules/approval/folders.js';
export { AUTOMATION_LEVEL_LABELS, AUTOMATION_LEVELS, AutomationLevelSchema } from './rules/approval/levels.js';
export {
  ApprovalPolicyConfigSchema,
  automationLevelFor,
  DEFAULT_APPROVAL_POLICY,
  DEFAULT_PENDING_EXPIRY_MS,
} from './rules/approval/policy.js';
export type { ReadonlyDeep } from './rules/approval/policy.js';
export {
  ApprovalRequirementRuleSchema,
  approvalRequirementsFor,
  JUSTIFIED_OPERATIONS,
  requirementRuleMatches,
} from './rules/approval/requirements.js';
export { approvalProgressText, approvalStepOf, awaitsApprovalBy } from './rules/approval/approvals.js';
export {
  alreadyApprovedMessage,
  approvalEligibility,
  escalationAllows,
  requesterApprovalMessage,
  type ApprovalContext,
  type ApprovalEligibility,
  type ApprovalIneligibleReason,
} from './rules/approval/eligibility.js';
export type { ApprovalState, ApprovalStep } from './rules/approval/approvals.js';
export type {
  ApprovalRequirementRule,
  ApprovalRequirementRuleInput,
  ApprovalRequirements,
  JustifiedOperation,
  RequirementFacts,
} from './rules/approval/requirements.js';

// Selection: bulk operations and why a selection is refused
export { checkSelectionWhole, otherInstancesOfFile } from './rules/selection/bulk.js';
export { BULK_OPERATIONS, MAX_SELECTION_SIZE, SELECTION_REFUSAL_REASONS } from './rules/selection/offences.js';
export type {
  BulkOperation,
  BulkSelection,
  SelectionContext,
  SelectionOffence,
  SelectionRefusalReason,
} from './rules/selection/offences.js';
export type { CanAddToSelection } from './rules/selection/state.js';

// Queries: schemas, resolution, matching, sorting and cursors (what an adapter answers list queries with)
export { isTimeZone } from './rules/calendar.js';
export { decodeCursor, encodeCursor } from './rules/query/cursor.js';
export type { CursorPosition } from './rules/query/cursor.js';
export {
  INVESTIGATION_SORT_COLUMNS,
  InvestigationQuerySchema,
  pageInvestigations,
  referenceInvestigations,
  resolveInvestigationQuery,
  summarizeInvestigations,
} from './rules/query/investigations.js';
export type {
  InvestigationQueryInput,
  InvestigationSortColumn,
  InvestigationSummary,
  ResolvedInvestigationQuery,
} from './rules/query/investigations.js';
export {
  actorKey,
  awaitsApprovalIn,
  actorSortLabel,
  compareActions,
  compareSortValues,
  matchesFilter,
  sortValue,
} from './rules/query/match.js';
export { isAfterCursor, referenceQuery } from './rules/query/page.js';
export { MAX_OFFSET_ROWS, inScope, periodStart, resolveQuery, scopeFilterOf } from './rules/query/resolve.js';
export type { ResolvedQuery, ScopeFilter } from './rules/query/resolve.js';
export {
  ActionFilterSchema,
  ActionQuerySchema,
  LABELLED_SORT_COLUMNS,
  PENDING_STATUSES,
  SORT_COLUMNS,
  TimeFilterSchema,
  TimeZoneSchema,
} from './rules/query/schemas.js';
export type { ActionFilter, SortColumn, SortLabels, TimeFilter } from './rules/query/schemas.js';

// Columns and CSV: cells, rows and labels
export {
  ACTION_COLUMNS,
  actorLabel,
  ColumnIdSchema,
  NOTE_COLUMN_IDS,
  selectColumns,
  sortLabels,
  STATUS_LABELS,
  toRow,
  WORKLOAD_LABELS,
} from './center/columns.js';
export type { ActionColumn, ColumnContext } from './center/columns.js';
export { csvCell, csvRecord, DEFAULT_CSV_CHUNK_SIZE } from './center/csv.js';
export type { CsvExportError, CsvExportReport, ExportCsvOptions } from './center/csv.js';

// The in-memory repository: options, seed and query explanation
export type { MemoryQueryStats } from './adapters/memory/query-plan.js';
export type {
  MemoryQueryExplanation,
  MemoryRepositoryOptions,
  MemorySeed,
} from './adapters/memory/repository-types.js';
