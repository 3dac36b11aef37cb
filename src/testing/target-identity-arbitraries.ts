/**
 * Arbitraries for target identity: a target with only its display fields redrawn (a renamed
 * device, a message with another subject), which must keep its identity and open key.
 *
 * @module
 */
import type { Target } from 'actioncenter';
import { TargetSchema } from 'actioncenter/adapter-kit';
import type { Arbitrary, FastCheck } from './fast-check.js';

/**
 * An arbitrary of `target` with its display fields redrawn and its identity fields kept: device
 * name and group; a file's path when a hash names it, its SHA-1 when its SHA-256 does; a process's
 * SHA-1; a driver's path; a message's subject; a cluster's message count; a user's principal name.
 * What `targetIdentityOf` (and so the open key) must not see.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { displayVariantArbitrary } from 'actioncenter/testing';
 * const renamed = displayVariantArbitrary(fc, { kind: 'device', deviceId: 'd1', deviceName: 'PC-1', deviceGroup: 'G' as never });
 * ```
 */
export function displayVariantArbitrary(fc: FastCheck, target: Target): Arbitrary<Target> {
  const name = fc.string({ minLength: 1, maxLength: 30 });
  const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));
  const device = fc.record({ deviceName: name, deviceGroup: fc.constantFrom('Workstations', 'Servers', 'Finance') });
  const parsed = (changes: Arbitrary<Record<string, unknown>>): Arbitrary<Target> =>
    changes.map((c) => TargetSchema.parse({ ...target, ...c }));
  switch (target.kind) {
    case 'device':
    case 'registryKey':
    case 'service':
    case 'scheduledTask':
      return parsed(device);
    case 'file':
      return parsed(
        fc.tuple(device, name, hex(40)).map(([d, path, sha1]) => ({
          ...d,
          ...(target.sha256 !== null || target.sha1 !== null ? { path } : {}),
          ...(target.sha256 !== null ? { sha1 } : {}),
        })),
      );
    case 'process':
      return parsed(fc.tuple(device, fc.option(hex(40), { nil: null })).map(([d, sha1]) => ({ ...d, sha1 })));
    case 'driver':
      return parsed(fc.tuple(device, fc.option(name, { nil: null })).map(([d, path]) => ({ ...d, path })));
    case 'emailMessage':
      return parsed(fc.option(name, { nil: null }).map((subject) => ({ subject })));
    case 'emailCluster':
      return parsed(fc.option(fc.nat({ max: 1000 }), { nil: null }).map((messageCount) => ({ messageCount })));
    case 'user':
      return parsed(fc.stringMatching(/^[a-z]{1,8}@contoso\.com$/).map((userPrincipalName) => ({ userPrincipalName })));
    case 'url':
    case 'mailbox':
    case 'indicator':
      return fc.constant(target);
  }
}
