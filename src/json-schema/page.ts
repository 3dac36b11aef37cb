/**
 * A zod schema of {@link ActionPage} (a TypeScript type only elsewhere): one page of a view as it
 * travels, for its JSON Schema.
 *
 * @module
 */
import { ActionRecordSchema } from 'actioncenter/adapter-kit';
import * as z from 'zod';

const IssueSchema = z.strictObject({
  path: z.array(z.union([z.string(), z.number()])),
  code: z.string(),
  message: z.string(),
});

/** Schema of an {@link ActionPage}: its items are action records. */
export const ActionPageSchema = z.strictObject({
  items: z.array(ActionRecordSchema),
  total: z.number().int().nonnegative(),
  totalIs: z.enum(['exact', 'atLeast']),
  nextCursor: z.string().nullable(),
  skipped: z
    .array(
      z.strictObject({
        code: z.literal('corruptRecord'),
        message: z.string(),
        actionId: z.string(),
        issues: z.array(IssueSchema),
      }),
    )
    .optional(),
});
