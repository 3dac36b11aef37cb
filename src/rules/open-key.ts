/**
 * The open key: what two open actions may not share (the type and the target's identity).
 *
 * @module
 */
import type { Target } from '../catalog/targets.js';
import { sha256Hex } from './sha256.js';

/**
 * The longest open key kept readable; longer ones are hashed. Well under the 2,000 characters the
 * record schema allows, so every key `openKeyOf` builds can be stored and read back.
 */
const READABLE_OPEN_KEY = 1000;

/**
 * The key two open actions may not share: the type and the target's identity, canonically encoded.
 * Bounded whatever the target's size: a key over 1,000 characters (a target field near its schema
 * maximum) becomes the type and the SHA-256 of the canonical target (`type\0sha256:<hex>`, at most
 * 172 characters), so every accepted request can be stored and read back. Shorter keys are kept as
 * they were (readable, and stable for stored actions); a hashed key cannot equal a readable one,
 * whose target part always starts with `{`.
 *
 * @example
 * ```ts
 * import { openKeyOf } from 'actioncenter/adapter-kit';
 * openKeyOf('isolateDevice', { kind: 'device', deviceId: 'd1', deviceName: 'PC', deviceGroup: 'G' as never });
 * ```
 */
export function openKeyOf(actionTypeId: string, target: Target): string {
  const canonical = canonicalJson(target);
  const key = `${actionTypeId}\u0000${canonical}`;
  return key.length <= READABLE_OPEN_KEY ? key : `${actionTypeId}\u0000sha256:${sha256Hex(canonical)}`;
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
