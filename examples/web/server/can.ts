/**
 * What the signed-in principal may do with each action, for the page's buttons: null when allowed,
 * else the reason in a sentence. Asked of the same access policy and undo rules the center uses,
 * so a button the page enables is one the center accepts (bar a race, answered per item then).
 */
import {
  undoEligibility,
  type AccessPolicy,
  type ActionRecord,
  type Catalog,
  type Operation,
  type Principal,
} from 'actioncenter';
import { approvalEligibility, askPolicy, PENDING_STATUSES } from 'actioncenter/adapter-kit';

/** The four answers of one action. */
export interface Can {
  readonly approve: string | null;
  readonly reject: string | null;
  readonly cancel: string | null;
  readonly undo: string | null;
}

const STATUS_WORDS: Readonly<Record<string, string>> = { pending: 'pending', approved: 'approved', running: 'running' };

/** The `can` answers of one action for one principal. */
export function canOf(record: ActionRecord, principal: Principal, catalog: Catalog, policy: AccessPolicy): Can {
  const type = catalog.get(record.actionType);
  if (!type.ok) {
    const reason = `"${record.actionType.slice(0, 100)}" is not a known action type`;
    return { approve: reason, reject: reason, cancel: reason, undo: reason };
  }
  const ask = (operation: Operation): string | null => {
    const decision = askPolicy(policy, principal, operation, {
      kind: 'action',
      actionType: type.value,
      action: record,
    });
    return decision.allowed ? null : decision.message;
  };
  const pending = PENDING_STATUSES.includes(record.status);
  const notPending = `Only pending actions can be decided; this one is ${record.status}`;
  const cancellable =
    record.status === 'pending' ||
    record.status === 'approved' ||
    (record.status === 'running' && type.value.cancellableWhileRunning);
  const undo = undoEligibility(record, { catalog, principal, accessPolicy: policy });
  // The engine's own rules for one approval: the policy widened by an escalation, the requester of
  // an action needing several approvals, a second approval by the same principal.
  const approval = pending ? approvalEligibility(record, { catalog, principal, accessPolicy: policy }) : null;
  return {
    approve: approval === null ? notPending : approval.eligible ? null : approval.message,
    reject: pending ? ask('reject') : notPending,
    cancel: cancellable
      ? ask('cancel')
      : `Only ${Object.values(STATUS_WORDS).join(', ')} actions can be cancelled${
          record.status === 'running'
            ? ' (this type cannot be stopped while running)'
            : `; this one is ${record.status}`
        }`,
    undo: undo.eligible ? null : undo.message,
  };
}

/** The `can` map of a page of actions. */
export function canMap(
  records: readonly ActionRecord[],
  principal: Principal,
  catalog: Catalog,
  policy: AccessPolicy,
): Record<string, Can> {
  const out: Record<string, Can> = {};
  for (const record of records) out[record.id] = canOf(record, principal, catalog, policy);
  return out;
}
