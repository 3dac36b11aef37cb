/**
 * Text schemas shared by every entry point that takes free text from a person.
 *
 * @module
 */
import * as z from 'zod';

/**
 * Schema of a comment on a decision: at most 2,000 characters, no control characters but tab and
 * line breaks (comments end up in audit logs and CSV exports, where control characters hide
 * content or break tools).
 *
 * @example
 * ```ts
 * import { CommentSchema } from 'actioncenter/adapter-kit';
 * CommentSchema.safeParse('Confirmed malicious by the SOC').success; // true
 * CommentSchema.safeParse('bell\u0007').success; // false
 * ```
 */
export const CommentSchema = z
  .string()
  .max(2000)
  .regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/u, 'must not contain control characters');

/**
 * Schema of a note's text (issue 16): a comment ({@link CommentSchema}) that is not blank, 1-2,000 characters.
 *
 * @example
 * ```ts
 * import { NoteTextSchema } from 'actioncenter/adapter-kit';
 * NoteTextSchema.safeParse('Called the device owner').success; // true
 * NoteTextSchema.safeParse('   ').success; // false
 * ```
 */
export const NoteTextSchema = CommentSchema.min(1).refine((text) => text.trim().length > 0, 'must not be blank');
