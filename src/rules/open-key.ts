/**
 * The open key: what two open actions may not share (the type, or its conflict group, and the
 * target's identity).
 *
 * @module
 */
import type { Target } from '../catalog/targets.js';
import { sha256Hex } from './sha256.js';
import { targetIdentityOf } from './target-identity.js';

/**
 * The longest open key kept readable; longer ones are hashed. Well under the 2,000 characters the
 * record schema allows, so every key `openKeyOf` builds can be stored and read back.
 */
const READABLE_OPEN_KEY = 1000;

/**
 * The key two open actions may not share: the type's conflict group (or, without one, the type's
 * id) and the target's identity ({@link targetIdentityOf}: a renamed device is the same device).
 * Types of one conflict group (isolate and release from isolation) share keys, so an action and
 * its inverse are never open together on one target. Bounded whatever the target's size: a key
 * over 1,000 characters becomes the group and the SHA-256 of the identity
 * (`group\0sha256:<hex>`), so every accepted request can be stored and read back; a hashed key
 * cannot equal a readable one, whose identity part starts with the target's kind.
 *
 * `type`: an action type (`group:<conflictGroup>`, else its `id`), or the key's first part as given.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { openKeyOf } from 'actioncenter/adapter-kit';
 * const device = { kind: 'device', deviceId: 'd1', deviceName: 'PC', deviceGroup: 'G' as never } as const;
 * openKeyOf(builtInCatalog.require('isolateDevice'), device) ===
 *   openKeyOf(builtInCatalog.require('releaseFromIsolation'), { ...device, deviceName: 'PC-renamed' }); // true
 * ```
 */
export function openKeyOf(
  type: string | { readonly id: string; readonly conflictGroup?: string | undefined },
  target: Target,
): string {
  // `group:` cannot start a type id (letters, digits, `_`, `.`, `-`): a group never takes a type's keys.
  const first =
    typeof type === 'string' ? type : type.conflictGroup === undefined ? type.id : `group:${type.conflictGroup}`;
  const identity = targetIdentityOf(target);
  const key = `${first}\u0000${identity}`;
  return key.length <= READABLE_OPEN_KEY ? key : `${first}\u0000sha256:${sha256Hex(identity)}`;
}

/** JSON with object keys sorted at every depth: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}
