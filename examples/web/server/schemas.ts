/**
 * The request bodies and query parameters, in zod: validated on the way in and turned into the
 * OpenAPI document (z.toJSONSchema). Deep checks (a request's type, target and parameters, a
 * query's filters) are the library's: these schemas take the shape, the library the meaning.
 */
import * as z from 'zod';
import { MAX_SELECTION_SIZE } from 'actioncenter/adapter-kit';
import { PERSONA_IDS } from './personas.js';

const ids = z.array(z.string().min(1).max(200)).min(1).max(MAX_SELECTION_SIZE);
const comment = z.string().max(2000).nullable().optional();

export const LoginBody = z.strictObject({ persona: z.enum(PERSONA_IDS) });
export const SubmitBody = z.strictObject({
  /** The action request; validated by the library (`center.submit`). */
  request: z.record(z.string(), z.unknown()),
});
export const DecisionBody = z.strictObject({ ids, comment });
export const UndoBody = z.strictObject({ ids, comment, applyToOtherInstances: z.boolean().optional() });
export const NoteBody = z.strictObject({ text: z.string().min(1).max(2000) });

/** `?query=` holds the library's ActionQueryInput as JSON (validated by `center.list`). */
export const QueryParam = z.string().max(16_384).optional();
/** `?columns=` a comma-separated list of column ids (validated by `center.exportCsv`). */
export const ColumnsParam = z.string().max(4096).optional();
