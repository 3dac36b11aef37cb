/**
 * Target identity: what an action acts on, without the fields that only describe it (a device's
 * name or group, a message's subject), so that a renamed device is still the same device.
 *
 * @module
 */
import type { Target } from '../catalog/targets.js';
import { assertNever } from '../catalog/targets.js';

/**
 * The stable identity of a target: the fields that say which entity it is, prefixed by its kind.
 * Display fields (device name and group, file path when a hash names the file, a process's SHA-1,
 * a driver's path, a message's subject, a cluster's message count, a user's principal name) are
 * left out: renaming a device, or moving it to another group, does not change what is acted on.
 *
 * - `device` → `device:<deviceId>`;
 * - `file` → its SHA-256, else its SHA-1, else its path, on its device;
 * - `process`, `registryKey`, `service`, `driver`, `scheduledTask` → their key on their device
 *   (process name and id; key path and value name; service, driver or task name);
 * - `emailMessage` → the network message id in its mailbox (each recipient's copy is acted on
 *   separately);
 * - `emailCluster` → the query; `url` → the URL; `mailbox` → the mailbox; `user` → the user id;
 * - `indicator` → its type and value.
 *
 * Kinds with one identity field are `<kind>:<value>`; the others `<kind>:<JSON array>`: two
 * different identities never give the same text.
 *
 * @example
 * ```ts
 * import { targetIdentityOf } from 'actioncenter/adapter-kit';
 * targetIdentityOf({ kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'G' as never }); // 'device:d1'
 * ```
 */
export function targetIdentityOf(target: Target): string {
  switch (target.kind) {
    case 'device':
      return `device:${target.deviceId}`;
    case 'file': {
      const [by, value] =
        target.sha256 !== null
          ? ['sha256', target.sha256]
          : target.sha1 !== null
            ? ['sha1', target.sha1]
            : ['path', target.path];
      return parts('file', [target.deviceId, by, value]);
    }
    case 'process':
      return parts('process', [target.deviceId, target.processName, target.processId]);
    case 'registryKey':
      return parts('registryKey', [target.deviceId, target.keyPath, target.valueName]);
    case 'service':
      return parts('service', [target.deviceId, target.serviceName]);
    case 'driver':
      return parts('driver', [target.deviceId, target.driverName]);
    case 'scheduledTask':
      return parts('scheduledTask', [target.deviceId, target.taskName]);
    case 'emailMessage':
      return parts('emailMessage', [target.mailbox, target.networkMessageId]);
    case 'emailCluster':
      return `emailCluster:${target.query}`;
    case 'url':
      return `url:${target.url}`;
    case 'mailbox':
      return `mailbox:${target.mailbox}`;
    case 'user':
      return `user:${target.userId}`;
    case 'indicator':
      return parts('indicator', [target.indicatorType, target.value]);
    default:
      return assertNever(target);
  }
}

function parts(kind: string, values: readonly (string | number | null)[]): string {
  return `${kind}:${JSON.stringify(values)}`;
}
