/**
 * The due query of the repository port, validated: every adapter reads `ActionRepository.due`'s
 * argument through {@link readDueQuery}, so that all refuse the same input the same way.
 *
 * @module
 */
import * as z from 'zod';
import { TimestampSchema, type Timestamp } from '../catalog/records.js';
import type { InvalidInputError } from '../errors.js';
import { ok, safeParseInput, type Result } from '../result.js';
import type { DueCursor } from './ports.js';

/**
 * The most actions one page of `ActionRepository.due` may ask for.
 *
 * @example
 * ```ts
 * import { DUE_LIMIT_MAX } from 'actioncenter/adapter-kit';
 * DUE_LIMIT_MAX; // 10000
 * ```
 */
export const DUE_LIMIT_MAX = 10_000;

const DueQuerySchema = z.strictObject({
  before: TimestampSchema,
  limit: z.number().int().min(1).max(DUE_LIMIT_MAX),
  after: z.strictObject({ dueAt: TimestampSchema, id: z.string() }).nullable().optional(),
});

/**
 * A due query as an adapter acts on it: checked and copied (a Proxy or getter is read once, inside
 * a guard), `after` null when left out. Bad input is `invalidInput`, never a throw.
 *
 * @example
 * ```ts
 * import { readDueQuery } from 'actioncenter/adapter-kit';
 * readDueQuery({ before: 0, limit: 0 }).ok; // false: limit is 1 to 10,000
 * ```
 */
export function readDueQuery(
  query: unknown,
): Result<{ readonly before: Timestamp; readonly limit: number; readonly after: DueCursor | null }, InvalidInputError> {
  const parsed = safeParseInput(DueQuerySchema, query, 'due query');
  if (!parsed.ok) return parsed;
  const { before, limit, after } = parsed.value;
  return ok({ before, limit, after: after ?? null });
}
