/**
 * The approval policy: what an incoming request does first — run at once, wait in the Pending tab
 * for someone to approve it, or be refused — as a pure function of the request, its action type and
 * policy data (automation level per device group, folder classification, pending expiry).
 *
 * Sources of the rules: seed 004 ("In Office 365 ATP, no remediation actions are taken
 * automatically"), DESIGN.md "Approval policy" and Defender's automation levels
 * (automation-levels.md). Authorization of a principal is not decided here: the engine asks the
 * access policy separately.
 *
 * @module
 */
export {
  AUTOMATION_LEVELS,
  AutomationLevelSchema,
  type AutomationLevel,
  AUTOMATION_LEVEL_LABELS,
} from './approval/levels.js';
export {
  FOLDER_CLASSES,
  type FolderClass,
  type FolderClassification,
  FolderClassificationSchema,
  DEFAULT_WINDOWS_FOLDERS,
  normaliseWindowsPath,
  pathMatchesFolderPattern,
  classifyPath,
  pathOfTarget,
} from './approval/folders.js';
export {
  DEFAULT_PENDING_EXPIRY_MS,
  ApprovalPolicyConfigSchema,
  type ApprovalPolicyConfig,
  type ApprovalPolicy,
  createApprovalPolicy,
  DEFAULT_APPROVAL_POLICY,
  automationLevelFor,
} from './approval/policy.js';
export {
  type PolicyPatch,
  type PolicyEdit,
  setAutomationLevel,
  clearAutomationLevel,
  applyPolicyPatches,
} from './approval/edits.js';
export {
  APPROVAL_RULES,
  type ApprovalRule,
  PENDING_REASONS,
  type PendingReason,
  APPROVAL_REFUSAL_REASONS,
  type ApprovalRefusalReason,
  type ApprovalDecision,
  type ApprovalFacts,
  decideApproval,
} from './approval/decision.js';
