/**
 * Branded identifiers. Each id is a non-empty string of at most 200 printable characters, branded
 * so that an `ActionId` can never be passed where a `PrincipalId` is expected.
 *
 * @module
 */
import * as z from 'zod';

// Printable, no control characters: ids end up in logs, CSV files and SQL parameters.
const ID_TEXT = /^[^\p{Cc}\p{Cf}]+$/u;
/** Printable ASCII holds no control or format character: tested first, without the Unicode tables. */
function isPrintableAscii(value: string): boolean {
  // A loop over char codes: a regular expression costs several times as much on short ids.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

const idString = () => z.string().min(1).max(200).regex(ID_TEXT, 'must not contain control or format characters');

/**
 * Whether `value` is a string the id schemas accept, checked without a schema: for the hot paths
 * that check thousands of ids a call (a bulk selection, generated audit event ids). A value it
 * refuses is then parsed with the schema for the exact issues.
 */
export function isIdText(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= 200 &&
    (isPrintableAscii(value) || ID_TEXT.test(value))
  );
}

/**
 * Schema of an {@link ActionId}: the id of one action in the Action center.
 *
 * @example
 * ```ts
 * import { ActionIdSchema } from 'actioncenter/adapter-kit';
 * const id = ActionIdSchema.parse('act-1');
 * ```
 */
export const ActionIdSchema = idString().brand<'ActionId'>();
/**
 * The id of one action in the Action center.
 *
 * @example
 * ```ts
 * import { type ActionId } from 'actioncenter';
 * import { ActionIdSchema } from 'actioncenter/adapter-kit';
 * const id: ActionId = ActionIdSchema.parse('act-1');
 * ```
 */
export type ActionId = z.infer<typeof ActionIdSchema>;

/**
 * Schema of a {@link PrincipalId}: a user or service principal that proposes or decides.
 *
 * @example
 * ```ts
 * import { PrincipalIdSchema } from 'actioncenter/adapter-kit';
 * PrincipalIdSchema.parse('alice@contoso.com');
 * ```
 */
export const PrincipalIdSchema = idString().brand<'PrincipalId'>();
/**
 * A user or service principal that proposes or decides.
 *
 * @example
 * ```ts
 * import { PrincipalIdSchema, type PrincipalId } from 'actioncenter/adapter-kit';
 * const alice: PrincipalId = PrincipalIdSchema.parse('alice@contoso.com');
 * ```
 */
export type PrincipalId = z.infer<typeof PrincipalIdSchema>;

/**
 * Schema of an {@link InvestigationId}: the automated investigation an action came from.
 *
 * @example
 * ```ts
 * import { InvestigationIdSchema } from 'actioncenter/adapter-kit';
 * InvestigationIdSchema.parse('inv-42');
 * ```
 */
export const InvestigationIdSchema = idString().brand<'InvestigationId'>();
/**
 * The automated investigation an action came from (the "Investigation ID" column).
 *
 * @example
 * ```ts
 * import { InvestigationIdSchema, type InvestigationId } from 'actioncenter/adapter-kit';
 * const inv: InvestigationId = InvestigationIdSchema.parse('inv-42');
 * ```
 */
export type InvestigationId = z.infer<typeof InvestigationIdSchema>;

/**
 * Schema of an {@link IncidentId}: the incident an action was taken while investigating (seed 001).
 *
 * @example
 * ```ts
 * import { IncidentIdSchema } from 'actioncenter/adapter-kit';
 * IncidentIdSchema.parse('inc-1001');
 * ```
 */
export const IncidentIdSchema = idString().brand<'IncidentId'>();
/**
 * The incident an action was taken from or while reviewing (the "Incident ID" column).
 *
 * @example
 * ```ts
 * import { IncidentIdSchema, type IncidentId } from 'actioncenter/adapter-kit';
 * const inc: IncidentId = IncidentIdSchema.parse('inc-1001');
 * ```
 */
export type IncidentId = z.infer<typeof IncidentIdSchema>;

/**
 * Schema of an {@link AlertId}: the alert an action was taken while investigating (seed 001).
 *
 * @example
 * ```ts
 * import { AlertIdSchema } from 'actioncenter/adapter-kit';
 * AlertIdSchema.parse('da637-1');
 * ```
 */
export const AlertIdSchema = idString().brand<'AlertId'>();
/**
 * The alert an action was taken from or while reviewing (the "Alert ID" column).
 *
 * @example
 * ```ts
 * import { AlertIdSchema, type AlertId } from 'actioncenter/adapter-kit';
 * const alert: AlertId = AlertIdSchema.parse('da637-1');
 * ```
 */
export type AlertId = z.infer<typeof AlertIdSchema>;

/**
 * Schema of an {@link ApprovalId}: the approval request a pending action belongs to.
 *
 * @example
 * ```ts
 * import { ApprovalIdSchema } from 'actioncenter/adapter-kit';
 * ApprovalIdSchema.parse('apr-7');
 * ```
 */
export const ApprovalIdSchema = idString().brand<'ApprovalId'>();
/**
 * The approval request a pending action belongs to (the "Approval ID" column).
 *
 * @example
 * ```ts
 * import { ApprovalIdSchema, type ApprovalId } from 'actioncenter/adapter-kit';
 * const apr: ApprovalId = ApprovalIdSchema.parse('apr-7');
 * ```
 */
export type ApprovalId = z.infer<typeof ApprovalIdSchema>;

/**
 * Schema of an {@link AuditEventId}.
 *
 * @example
 * ```ts
 * import { AuditEventIdSchema } from 'actioncenter/adapter-kit';
 * AuditEventIdSchema.parse('evt-1');
 * ```
 */
export const AuditEventIdSchema = idString().brand<'AuditEventId'>();
/**
 * The id of one audit event.
 *
 * @example
 * ```ts
 * import { AuditEventIdSchema, type AuditEventId } from 'actioncenter/adapter-kit';
 * const e: AuditEventId = AuditEventIdSchema.parse('evt-1');
 * ```
 */
export type AuditEventId = z.infer<typeof AuditEventIdSchema>;

/**
 * Schema of a {@link DeviceGroupId}: a device group (machine group) that scopes automation levels
 * and permissions.
 *
 * @example
 * ```ts
 * import { DeviceGroupIdSchema } from 'actioncenter/adapter-kit';
 * DeviceGroupIdSchema.parse('Servers');
 * ```
 */
export const DeviceGroupIdSchema = idString().brand<'DeviceGroupId'>();
/**
 * A device group (machine group) that scopes automation levels and permissions.
 *
 * @example
 * ```ts
 * import { DeviceGroupIdSchema, type DeviceGroupId } from 'actioncenter/adapter-kit';
 * const g: DeviceGroupId = DeviceGroupIdSchema.parse('Servers');
 * ```
 */
export type DeviceGroupId = z.infer<typeof DeviceGroupIdSchema>;

/**
 * Casts trusted strings (from your own storage or tests) to branded ids without validation.
 * Input from outside goes through the schemas instead.
 *
 * @example
 * ```ts
 * import { type ActionId } from 'actioncenter';
 * import { asId } from 'actioncenter/adapter-kit';
 * const id = asId<ActionId>('act-1');
 * ```
 */
export function asId<T extends string>(value: string): T {
  return value as T;
}
