/**
 * Retry policies of action types (issue 15): how many starts a transient failure may take and the
 * backoff between them, as data checked by zod.
 *
 * @module
 */
import * as z from 'zod';

/**
 * How an action type retries a transient failure (an executor answer `{ status: 'failed', retryable:
 * true }`): the action is approved again and started no earlier than its backoff, at most
 * `maxAttempts` starts in all (the first included). The wait after attempt n is
 * `min(backoffMs * 2^(n-1), maxBackoffMs)`. A type without a policy (`retry: null`, the default)
 * fails at once, as does the last attempt and every failure the executor does not call transient.
 *
 * @example
 * ```ts
 * import type { RetryPolicy } from 'actioncenter/adapter-kit';
 * // Three starts at most: the second 30 s after the first fails, the third 60 s after the second.
 * const policy: RetryPolicy = { maxAttempts: 3, backoffMs: 30_000, maxBackoffMs: 300_000 };
 * ```
 */
export interface RetryPolicy {
  /** Starts in all, the first included (2-20): 3 means at most two retries. */
  readonly maxAttempts: number;
  /** The wait before the first retry, in milliseconds (1 ms to 1 day); it doubles with each attempt. */
  readonly backoffMs: number;
  /** The longest wait, in milliseconds (at least `backoffMs`, at most 7 days). */
  readonly maxBackoffMs: number;
}

/**
 * The retry policy of the built-in action types: three starts at most, 30 s then 60 s apart (capped
 * at 5 minutes). Only failures the executor calls transient (`retryable: true`) are retried.
 *
 * @example
 * ```ts
 * import { DEFAULT_RETRY_POLICY } from 'actioncenter/adapter-kit';
 * DEFAULT_RETRY_POLICY.maxAttempts; // 3
 * ```
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  backoffMs: 30_000,
  maxBackoffMs: 300_000,
});

/**
 * Zod schema of a {@link RetryPolicy}; `maxBackoffMs` may be left out on input (then
 * `max(backoffMs, 1 hour)`), and must not be below `backoffMs`.
 *
 * @example
 * ```ts
 * import { RetryPolicySchema } from 'actioncenter/adapter-kit';
 * RetryPolicySchema.safeParse({ maxAttempts: 1, backoffMs: 1000 }).success; // false (at least 2 starts)
 * ```
 */
export const RetryPolicySchema = z
  .strictObject({
    maxAttempts: z.number().int().min(2).max(20),
    backoffMs: z
      .number()
      .int()
      .min(1)
      .max(24 * 60 * 60 * 1000),
    maxBackoffMs: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60 * 60 * 1000)
      .optional(),
  })
  .transform((p): RetryPolicy => ({
    maxAttempts: p.maxAttempts,
    backoffMs: p.backoffMs,
    maxBackoffMs: p.maxBackoffMs ?? Math.max(p.backoffMs, 60 * 60 * 1000),
  }))
  .refine((p) => p.maxBackoffMs >= p.backoffMs, {
    message: 'maxBackoffMs must be at least backoffMs',
    path: ['maxBackoffMs'],
  });

/**
 * The stored policy: `null` for none; a well-formed one with its default cap filled in and frozen;
 * anything else kept as given (read once, inside a try), for the catalogue's check to refuse.
 */
export function retryPolicyOf(input: unknown): RetryPolicy | null {
  if (input === undefined || input === null) return null;
  try {
    const parsed = RetryPolicySchema.safeParse(input);
    if (parsed.success) return Object.freeze(parsed.data);
  } catch {
    // A throwing getter or Proxy: kept as given, refused by the catalogue with a typed error.
  }
  return input as RetryPolicy;
}
