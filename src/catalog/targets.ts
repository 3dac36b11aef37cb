/**
 * Workloads and the entities remediation actions target.
 *
 * @module
 */
import * as z from 'zod';
import { DeviceGroupIdSchema, type DeviceGroupId } from './ids.js';
import { assertNever } from '../result.js';

/**
 * The workloads of the Action center: devices (`endpoint`), email & collaboration (`email`) and
 * identities (`identity`).
 *
 * @example
 * ```ts
 * import { WORKLOADS } from 'actioncenter/adapter-kit';
 * WORKLOADS.includes('email'); // true
 * ```
 */
export const WORKLOADS = ['endpoint', 'email', 'identity'] as const;

/**
 * Schema of a {@link Workload}.
 *
 * @example
 * ```ts
 * import { WorkloadSchema } from 'actioncenter/adapter-kit';
 * WorkloadSchema.parse('endpoint');
 * ```
 */
export const WorkloadSchema = z.enum(WORKLOADS);
/**
 * One of {@link WORKLOADS}.
 *
 * @example
 * ```ts
 * import type { Workload } from 'actioncenter';
 * const w: Workload = 'identity';
 * ```
 */
export type Workload = z.infer<typeof WorkloadSchema>;

/**
 * The kinds of entity an action can target.
 *
 * @example
 * ```ts
 * import { TARGET_KINDS } from 'actioncenter/adapter-kit';
 * TARGET_KINDS.length; // 13
 * ```
 */
export const TARGET_KINDS = [
  'device',
  'file',
  'process',
  'registryKey',
  'service',
  'driver',
  'scheduledTask',
  'emailMessage',
  'emailCluster',
  'url',
  'mailbox',
  'user',
  'indicator',
] as const;

/**
 * Schema of a {@link TargetKind}.
 *
 * @example
 * ```ts
 * import { TargetKindSchema } from 'actioncenter/adapter-kit';
 * TargetKindSchema.parse('file');
 * ```
 */
export const TargetKindSchema = z.enum(TARGET_KINDS);
/**
 * One of {@link TARGET_KINDS}.
 *
 * @example
 * ```ts
 * import type { TargetKind } from 'actioncenter';
 * const k: TargetKind = 'scheduledTask';
 * ```
 */
export type TargetKind = z.infer<typeof TargetKindSchema>;

const name = z.string().min(1).max(1024);
const sha1 = z
  .string()
  .regex(/^[0-9a-fA-F]{40}$/, 'must be a SHA-1 hex digest (40 hex characters)')
  .transform((s) => s.toLowerCase());
const sha256 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be a SHA-256 hex digest (64 hex characters)')
  .transform((s) => s.toLowerCase());
const email = z.email().max(320);
const httpUrl = z.url({ protocol: /^https?$/ }).max(4096);

/**
 * Schema of a SHA-1 digest: 40 hex characters, normalised to lower case.
 *
 * @example
 * ```ts
 * import { Sha1Schema } from 'actioncenter/adapter-kit';
 * Sha1Schema.parse('A'.repeat(40)); // 'aaaa…'
 * ```
 */
export const Sha1Schema = sha1;
/**
 * Schema of a SHA-256 digest: 64 hex characters, normalised to lower case.
 *
 * @example
 * ```ts
 * import { Sha256Schema } from 'actioncenter/adapter-kit';
 * Sha256Schema.parse('b'.repeat(64));
 * ```
 */
export const Sha256Schema = sha256;
/**
 * Schema of an http(s) URL of at most 4,096 characters.
 *
 * @example
 * ```ts
 * import { HttpUrlSchema } from 'actioncenter/adapter-kit';
 * HttpUrlSchema.safeParse('javascript:alert(1)').success; // false
 * ```
 */
export const HttpUrlSchema = httpUrl;

// The device a device-side entity lives on: every device entity carries it, since approval policy
// (automation level) and permissions (device-group scope) are decided per device group.
const onDevice = {
  deviceId: name,
  deviceName: name,
  deviceGroup: DeviceGroupIdSchema,
};

/**
 * Schema of a target entity, a union discriminated on `kind`. Each kind carries what the rules need:
 * device entities carry the device and its group, files their hashes and path, email entities the
 * mailbox or cluster query, and so on.
 *
 * @example
 * ```ts
 * import { TargetSchema } from 'actioncenter/adapter-kit';
 * const t = TargetSchema.parse({ kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' });
 * ```
 */
export const TargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('device'), ...onDevice }),
  z.object({
    kind: z.literal('file'),
    ...onDevice,
    path: name,
    sha1: sha1.nullable().default(null),
    sha256: sha256.nullable().default(null),
  }),
  z.object({
    kind: z.literal('process'),
    ...onDevice,
    processName: name,
    processId: z.number().int().nonnegative().nullable().default(null),
    sha1: sha1.nullable().default(null),
  }),
  z.object({ kind: z.literal('registryKey'), ...onDevice, keyPath: name, valueName: name.nullable().default(null) }),
  z.object({ kind: z.literal('service'), ...onDevice, serviceName: name }),
  z.object({ kind: z.literal('driver'), ...onDevice, driverName: name, path: name.nullable().default(null) }),
  z.object({ kind: z.literal('scheduledTask'), ...onDevice, taskName: name }),
  z.object({
    kind: z.literal('emailMessage'),
    mailbox: email,
    networkMessageId: name,
    subject: z.string().max(1024).nullable().default(null),
  }),
  z.object({
    kind: z.literal('emailCluster'),
    query: z.string().min(1).max(4096),
    messageCount: z.number().int().nonnegative().nullable().default(null),
  }),
  z.object({ kind: z.literal('url'), url: httpUrl }),
  z.object({ kind: z.literal('mailbox'), mailbox: email }),
  z.object({ kind: z.literal('user'), userId: name, userPrincipalName: name }),
  z.object({
    kind: z.literal('indicator'),
    indicatorType: z.enum(['fileSha1', 'fileSha256', 'url', 'domain', 'ipAddress', 'certificate']),
    value: z.string().min(1).max(4096),
  }),
]);

/**
 * A target entity after parsing (defaults applied, hashes lower-cased).
 *
 * @example
 * ```ts
 * import type { Target } from 'actioncenter';
 * const t: Target = { kind: 'url', url: 'https://evil.example/' };
 * ```
 */
export type Target = z.infer<typeof TargetSchema>;
/**
 * A target entity as accepted on input (optional fields may be left out).
 *
 * @example
 * ```ts
 * import type { TargetInput } from 'actioncenter/adapter-kit';
 * const t: TargetInput = { kind: 'file', deviceId: 'd1', deviceName: 'PC', deviceGroup: 'G', path: 'C:\\x.exe' };
 * ```
 */
export type TargetInput = z.input<typeof TargetSchema>;
/**
 * The target of one {@link TargetKind}.
 *
 * @example
 * ```ts
 * import type { TargetOf } from 'actioncenter/adapter-kit';
 * const f: TargetOf<'url'> = { kind: 'url', url: 'https://evil.example/' };
 * ```
 */
export type TargetOf<K extends TargetKind> = Extract<Target, { kind: K }>;

/**
 * The input form of the target of one {@link TargetKind}.
 *
 * @example
 * ```ts
 * import type { TargetInputOf } from 'actioncenter/adapter-kit';
 * const d: TargetInputOf<'device'> = { kind: 'device', deviceId: 'd1', deviceName: 'PC-1', deviceGroup: 'G' };
 * ```
 */
export type TargetInputOf<K extends TargetKind> = Extract<TargetInput, { kind: K }>;

/**
 * The device a target lives on, or `null` for email, identity and indicator targets.
 *
 * @example
 * ```ts
 * import { deviceOf } from 'actioncenter/adapter-kit';
 * deviceOf({ kind: 'url', url: 'https://x.example/' }); // null
 * ```
 */
export function deviceOf(target: Target): { deviceId: string; deviceName: string; deviceGroup: DeviceGroupId } | null {
  return 'deviceId' in target
    ? { deviceId: target.deviceId, deviceName: target.deviceName, deviceGroup: target.deviceGroup }
    : null;
}

/**
 * The "Asset" column: what a person reads as the thing acted on (device name, mailbox, URL, user).
 *
 * @example
 * ```ts
 * import { assetOf } from 'actioncenter/adapter-kit';
 * assetOf({ kind: 'mailbox', mailbox: 'ceo@contoso.com' }); // 'ceo@contoso.com'
 * ```
 */
export function assetOf(target: Target): string {
  switch (target.kind) {
    case 'device':
    case 'file':
    case 'process':
    case 'registryKey':
    case 'service':
    case 'driver':
    case 'scheduledTask':
      return target.deviceName;
    case 'emailMessage':
    case 'mailbox':
      return target.mailbox;
    case 'emailCluster':
      return target.query;
    case 'url':
      return target.url;
    case 'user':
      return target.userPrincipalName;
    case 'indicator':
      return target.value;
    default:
      return assertNever(target);
  }
}

// In the base layer, so that a module needing only this does not load the target schemas (and zod).
export { assertNever };
