/**
 * Keyset cursors: the sort value and id of a page's last action, encoded as base64url JSON.
 *
 * @module
 */
import * as z from 'zod';

/**
 * A keyset cursor: the sort value and id of the last item of a page, encoded as base64url JSON.
 *
 * @example
 * ```ts
 * import { encodeCursor, decodeCursor } from 'actioncenter/adapter-kit';
 * decodeCursor(encodeCursor({ value: 5, id: 'a1' })); // { value: 5, id: 'a1' }
 * ```
 */
export interface CursorPosition {
  /** The sort column's value of the last action of the page (`null` when that action has none). */
  readonly value: string | number | null;
  /** The id of the last action of the page: the tie-breaker. */
  readonly id: string;
}

/**
 * Encodes a {@link CursorPosition}.
 *
 * @example
 * ```ts
 * import { encodeCursor } from 'actioncenter/adapter-kit';
 * encodeCursor({ value: 'x', id: 'a' });
 * ```
 */
export function encodeCursor(position: CursorPosition): string {
  return toBase64Url(JSON.stringify([position.value, position.id]));
}

// btoa/atob rather than Buffer: the core also runs in browsers and edge runtimes.
function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(encoded: string): string {
  const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

const CursorSchema = z.tuple([z.union([z.string(), z.number(), z.null()]), z.string()]);

/**
 * Decodes a cursor; null when it is not one of ours.
 *
 * @example
 * ```ts
 * import { decodeCursor } from 'actioncenter/adapter-kit';
 * decodeCursor('garbage'); // null
 * ```
 */
export function decodeCursor(cursor: string): CursorPosition | null {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(fromBase64Url(cursor)));
    return parsed.success ? { value: parsed.data[0], id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}
