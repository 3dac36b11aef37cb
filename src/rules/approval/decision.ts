/**
 * The approval decision: whether a request is taken now, starts pending, or is refused, as a pure
 * function of the request, its action type and the approval policy.
 *
 * @module
 */
import type { ActionTypeDefinition } from '../../catalog/action-type.js';
import type { ActionRequest } from '../../catalog/records.js';
import { assertNever, deviceOf } from '../../catalog/targets.js';
import { type FolderClass, classifyPath, pathOfTarget } from './folders.js';
import { AUTOMATION_LEVEL_LABELS, type AutomationLevel } from './levels.js';
import { type ApprovalPolicy, automationLevelFor } from './policy.js';

/**
 * The rules that can decide a request, each named once so a UI or audit can say which one did.
 *
 * @example
 * ```ts
 * import { APPROVAL_RULES } from 'actioncenter/adapter-kit';
 * APPROVAL_RULES.includes('emailNeverAutomatic'); // true
 * ```
 */
export const APPROVAL_RULES = [
  /** Seed 004: automated email remediation always waits for approval. */
  'emailNeverAutomatic',
  /** Automated identity remediation always waits for approval. */
  'identityNeedsApproval',
  /** Antivirus protection remediates a detection at once where the device group's automation level lets it. */
  'antivirusRemediates',
  'automationLevelFull',
  'automationLevelSemiCoreFolders',
  'automationLevelSemiNonTempFolders',
  'automationLevelSemiAll',
  'automationLevelNone',
  /** A manual action: taken directly (authorization is checked separately). */
  'manualAction',
  /** The requester proposed the action: someone else approves it. */
  'proposal',
  /** The request and the action type given do not belong together. */
  'inconsistentInput',
] as const;

/**
 * One of {@link APPROVAL_RULES}.
 *
 * @example
 * ```ts
 * import type { ApprovalRule } from 'actioncenter/adapter-kit';
 * const r: ApprovalRule = 'automationLevelSemiAll';
 * ```
 */
export type ApprovalRule = (typeof APPROVAL_RULES)[number];

/**
 * Why a request starts pending: a closed set of codes.
 *
 * @example
 * ```ts
 * import { PENDING_REASONS } from 'actioncenter/adapter-kit';
 * PENDING_REASONS.includes('coreFolder'); // true
 * ```
 */
export const PENDING_REASONS = [
  /** Email remediation is taken only upon approval (seed 004). */
  'emailRequiresApproval',
  /** Automated identity remediation is taken only upon approval. */
  'identityRequiresApproval',
  /** The investigation's verdict is suspicious or missing: only malicious entities are remediated at once. */
  'verdictNotMalicious',
  /** `semiCoreFolders`: the file is in a core folder. */
  'coreFolder',
  /** `semiNonTempFolders`: the file is not in a temp folder (or has no path). */
  'notTempFolder',
  /** A semi-automatic folder level: the file's folder cannot be told (`unknown`), so it waits. */
  'unclassifiedFolder',
  /** `semiAll`: every remediation needs approval. */
  'approvalRequiredForAll',
  /** The requester proposed the action instead of taking it. */
  'proposed',
] as const;

/**
 * One of {@link PENDING_REASONS}.
 *
 * @example
 * ```ts
 * import type { PendingReason } from 'actioncenter/adapter-kit';
 * const r: PendingReason = 'verdictNotMalicious';
 * ```
 */
export type PendingReason = (typeof PENDING_REASONS)[number];

/**
 * Why a request is refused outright: a closed set of codes.
 *
 * @example
 * ```ts
 * import { APPROVAL_REFUSAL_REASONS } from 'actioncenter/adapter-kit';
 * APPROVAL_REFUSAL_REASONS.includes('noAutomatedResponse'); // true
 * ```
 */
export const APPROVAL_REFUSAL_REASONS = [
  /** Automation level `none`: no automated action is accepted. */
  'noAutomatedResponse',
  /** `request.actionType` is not the id of the action type given. */
  'actionTypeMismatch',
] as const;

/**
 * One of {@link APPROVAL_REFUSAL_REASONS}.
 *
 * @example
 * ```ts
 * import type { ApprovalRefusalReason } from 'actioncenter/adapter-kit';
 * const r: ApprovalRefusalReason = 'noAutomatedResponse';
 * ```
 */
export type ApprovalRefusalReason = (typeof APPROVAL_REFUSAL_REASONS)[number];

/**
 * What the approval policy decided about a request: take it now, let it wait in Pending, or
 * refuse it. Every outcome names the deciding `rule`, carries a message a person can read, and
 * the facts it used (`automationLevel`, `folder`; `null` when they did not apply).
 *
 * @example
 * ```ts
 * import type { ApprovalDecision } from 'actioncenter';
 * const initialStatus = (d: ApprovalDecision) => (d.outcome === 'takenNow' ? 'approved' : d.outcome === 'pending' ? 'pending' : null);
 * ```
 */
export type ApprovalDecision =
  | (ApprovalFacts & { readonly outcome: 'takenNow' })
  | (ApprovalFacts & { readonly outcome: 'pending'; readonly reason: PendingReason })
  | (ApprovalFacts & { readonly outcome: 'refused'; readonly reason: ApprovalRefusalReason });

/**
 * What every {@link ApprovalDecision} carries.
 *
 * @example
 * ```ts
 * import type { ApprovalFacts } from 'actioncenter/adapter-kit';
 * const explain = (f: ApprovalFacts) => `${f.rule}: ${f.message}`;
 * ```
 */
export interface ApprovalFacts {
  /** The rule that decided (`email.neverAutomatic`, `automationLevel.full`, ...). */
  readonly rule: ApprovalRule;
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The automation level consulted, or null when none was (manual, email, identity). */
  readonly automationLevel: AutomationLevel | null;
  /** The folder class consulted, or null when the rule did not look at folders. */
  readonly folder: FolderClass | null;
}

interface Facts {
  automationLevel?: AutomationLevel;
  folder?: FolderClass;
}

const takenNow = (rule: ApprovalRule, message: string, facts: Facts = {}): ApprovalDecision => ({
  outcome: 'takenNow',
  rule,
  message,
  automationLevel: facts.automationLevel ?? null,
  folder: facts.folder ?? null,
});
const pending = (rule: ApprovalRule, reason: PendingReason, message: string, facts: Facts = {}): ApprovalDecision => ({
  outcome: 'pending',
  rule,
  reason,
  message,
  automationLevel: facts.automationLevel ?? null,
  folder: facts.folder ?? null,
});
const refused = (
  rule: ApprovalRule,
  reason: ApprovalRefusalReason,
  message: string,
  facts: Facts = {},
): ApprovalDecision => ({
  outcome: 'refused',
  rule,
  reason,
  message,
  automationLevel: facts.automationLevel ?? null,
  folder: facts.folder ?? null,
});

/**
 * Decides whether a request is taken now, starts pending, or is refused. The rules, in order:
 *
 * 1. A request whose `actionType` is not the given type's id is refused (`actionTypeMismatch`).
 * 2. Automated sources (automated device/email actions, antivirus):
 *    - email workload → pending (seed 004: "no remediation actions are taken automatically");
 *    - identity workload → pending (automated identity remediation always waits for a person);
 *    - endpoint, automated investigation or antivirus → by the automation level of the target's device group
 *      (targets without a device use `defaultAutomationLevel`):
 *      `none` → refused; `semiAll` → pending; `semiCoreFolders` → pending for a file in a core
 *      folder; `semiNonTempFolders` → pending unless the file is in a temp folder; and at every
 *      level a verdict other than `malicious` (suspicious or none) → pending, since no level is
 *      more automatic than `full`. Targets without a path count as `other`: they pass
 *      `semiCoreFolders` and wait under `semiNonTempFolders`; a path whose folder cannot be told
 *      (`unknown`) waits under both. Antivirus detections are convictions: without a verdict they
 *      count as malicious (a `suspicious` one still waits), so at the default level (`full`) antivirus
 *      remediation is taken at once, as seed 002's History shows, while a level that asks for approval
 *      makes it pending, as seed 000 says pending actions "can arise from antivirus/antimalware
 *      protection".
 * 3. Manual sources → taken now (the engine checks the principal's authorization separately).
 * 4. Finally, `request.propose === true` never runs at once: what would be taken now starts
 *    pending instead (`proposed`), for someone else to approve (Explorer's two-step remediation).
 *    A refusal stays a refusal.
 *
 * @example
 * ```ts
 * import { decideApproval, parseActionRequest, unwrap, builtInCatalog } from 'actioncenter';
 * import { DEFAULT_APPROVAL_POLICY } from 'actioncenter/adapter-kit';
 * const request = unwrap(parseActionRequest({
 *   actionType: 'quarantineFile', source: 'automatedDeviceAction', verdict: 'suspicious',
 *   target: { kind: 'file', deviceId: 'd1', deviceName: 'PC-1', deviceGroup: 'G', path: 'C:\\Users\\bob\\x.exe' },
 *   requestedBy: { type: 'system', component: 'automatedInvestigation' },
 * }));
 * decideApproval(request, builtInCatalog.require('quarantineFile'), DEFAULT_APPROVAL_POLICY).outcome; // 'pending'
 * ```
 */
export function decideApproval(
  request: ActionRequest,
  actionType: ActionTypeDefinition,
  policy: ApprovalPolicy,
): ApprovalDecision {
  if (request.actionType !== actionType.id) {
    return refused(
      'inconsistentInput',
      'actionTypeMismatch',
      `The request is for "${request.actionType.slice(0, 100)}" but the action type given is "${actionType.id}"`,
    );
  }
  const decision = decideBySource(request, actionType, policy);
  if (request.propose && decision.outcome === 'takenNow') {
    return pending('proposal', 'proposed', `"${actionType.displayName}" was proposed: another person must approve it`, {
      ...(decision.automationLevel === null ? {} : { automationLevel: decision.automationLevel }),
      ...(decision.folder === null ? {} : { folder: decision.folder }),
    });
  }
  return decision;
}

function decideBySource(
  request: ActionRequest,
  actionType: ActionTypeDefinition,
  policy: ApprovalPolicy,
): ApprovalDecision {
  switch (request.source) {
    case 'manualDeviceAction':
    case 'manualEmailAction':
    case 'advancedHuntingAction':
    case 'explorerAction':
    case 'manualLiveResponseAction':
    case 'liveResponseAction':
      return takenNow(
        'manualAction',
        `A manual "${actionType.displayName}" is taken directly by the person who requested it`,
      );
    case 'antivirus':
      return decideAutomated(request, actionType, policy, 'antivirus');
    case 'automatedDeviceAction':
    case 'automatedEmailAction':
      return decideAutomated(request, actionType, policy, 'investigation');
    default:
      return assertNever(request.source);
  }
}

function decideAutomated(
  request: ActionRequest,
  actionType: ActionTypeDefinition,
  policy: ApprovalPolicy,
  origin: 'antivirus' | 'investigation',
): ApprovalDecision {
  switch (actionType.workload) {
    case 'email':
      return pending(
        'emailNeverAutomatic',
        'emailRequiresApproval',
        `No email remediation is taken automatically: "${actionType.displayName}" waits for approval by the security team`,
      );
    case 'identity':
      return pending(
        'identityNeedsApproval',
        'identityRequiresApproval',
        `Automated identity remediation waits for approval: "${actionType.displayName}"`,
      );
    case 'endpoint':
      return decideByAutomationLevel(request, actionType, policy, origin);
    default:
      return assertNever(actionType.workload);
  }
}

function decideByAutomationLevel(
  request: ActionRequest,
  actionType: ActionTypeDefinition,
  policy: ApprovalPolicy,
  origin: 'antivirus' | 'investigation',
): ApprovalDecision {
  const deviceGroup = deviceOf(request.target)?.deviceGroup ?? null;
  const level = automationLevelFor(policy, deviceGroup);
  const where = deviceGroup === null ? 'the default automation level' : `device group "${deviceGroup}"`;
  const path = pathOfTarget(request.target);
  const folder: FolderClass = path === null ? 'other' : classifyPath(path, policy.folders);
  const name = actionType.displayName;
  // An antivirus detection is a conviction: without a verdict it counts as malicious.
  const convicted = request.verdict === 'malicious' || (origin === 'antivirus' && request.verdict === null);
  const verdictGate = (rule: ApprovalRule, facts: Facts): ApprovalDecision =>
    convicted
      ? origin === 'antivirus'
        ? takenNow(
            'antivirusRemediates',
            `Antivirus protection took "${name}" (${AUTOMATION_LEVEL_LABELS[level]})`,
            facts,
          )
        : takenNow(
            rule,
            `"${name}" on a malicious entity is taken automatically (${AUTOMATION_LEVEL_LABELS[level]})`,
            facts,
          )
      : pending(
          rule,
          'verdictNotMalicious',
          `"${name}" waits for approval: the verdict is ${request.verdict ?? 'not given'}, and only malicious entities are remediated automatically`,
          facts,
        );
  const unclassified = (): ApprovalDecision =>
    pending(
      level === 'semiCoreFolders' ? 'automationLevelSemiCoreFolders' : 'automationLevelSemiNonTempFolders',
      'unclassifiedFolder',
      `"${name}" waits for approval: the folder of "${path ?? ''}" cannot be told for sure (${where}: ${AUTOMATION_LEVEL_LABELS[level]})`,
      { automationLevel: level, folder },
    );
  switch (level) {
    case 'full':
      return verdictGate('automationLevelFull', { automationLevel: level });
    case 'semiCoreFolders':
      if (folder === 'unknown') return unclassified();
      return folder === 'core'
        ? pending(
            'automationLevelSemiCoreFolders',
            'coreFolder',
            `"${name}" waits for approval: the file is in a core folder (${where}: ${AUTOMATION_LEVEL_LABELS[level]})`,
            { automationLevel: level, folder },
          )
        : verdictGate('automationLevelSemiCoreFolders', { automationLevel: level, folder });
    case 'semiNonTempFolders':
      if (folder === 'unknown') return unclassified();
      return folder === 'temp'
        ? verdictGate('automationLevelSemiNonTempFolders', { automationLevel: level, folder })
        : pending(
            'automationLevelSemiNonTempFolders',
            'notTempFolder',
            `"${name}" waits for approval: ${path === null ? 'the target has no file path' : 'the file is not in a temp folder'} (${where}: ${AUTOMATION_LEVEL_LABELS[level]})`,
            { automationLevel: level, folder },
          );
    case 'semiAll':
      return pending(
        'automationLevelSemiAll',
        'approvalRequiredForAll',
        `"${name}" waits for approval: ${where} requires approval for any remediation`,
        { automationLevel: level },
      );
    case 'none':
      return refused(
        'automationLevelNone',
        'noAutomatedResponse',
        `"${name}" is refused: ${where} has no automated response, so no automated action is accepted`,
        { automationLevel: level },
      );
    default:
      return assertNever(level);
  }
}
