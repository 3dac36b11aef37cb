/**
 * The zod schema behind each shipped JSON Schema, by name: the library's own, and those of this
 * subpath for shapes the library types only in TypeScript (pages, errors).
 *
 * @module
 */
import {
  ActionQuerySchema,
  ActionRecordSchema,
  ActionRequestSchema,
  AuditEventSchema,
  InvestigationQuerySchema,
  PrincipalSchema,
  TargetSchema,
} from 'actioncenter/adapter-kit';
import type { z } from 'zod';
import { ActionCenterErrorSchema } from './errors.js';
import { ActionPageSchema } from './page.js';

/**
 * The names of the shipped JSON Schemas, one per public data shape.
 *
 * @example
 * ```ts
 * import { JSON_SCHEMA_NAMES } from 'actioncenter/json-schema';
 * for (const name of JSON_SCHEMA_NAMES) console.log(`${name}.schema.json`);
 * ```
 */
export const JSON_SCHEMA_NAMES = [
  'ActionRequest',
  'ActionRecord',
  'AuditEvent',
  'Target',
  'ActionQuery',
  'InvestigationQuery',
  'ActionCenterError',
  'Principal',
  'ActionPage',
] as const;

/**
 * One of {@link JSON_SCHEMA_NAMES}.
 *
 * @example
 * ```ts
 * import type { JsonSchemaName } from 'actioncenter/json-schema';
 * const name: JsonSchemaName = 'ActionRecord';
 * ```
 */
export type JsonSchemaName = (typeof JSON_SCHEMA_NAMES)[number];

/** The zod schema each JSON Schema is generated from (the tests compare the two). */
export const ZOD_SCHEMAS: { readonly [N in JsonSchemaName]: z.ZodType } = {
  ActionRequest: ActionRequestSchema,
  ActionRecord: ActionRecordSchema,
  AuditEvent: AuditEventSchema,
  Target: TargetSchema,
  ActionQuery: ActionQuerySchema,
  InvestigationQuery: InvestigationQuerySchema,
  ActionCenterError: ActionCenterErrorSchema,
  Principal: PrincipalSchema,
  ActionPage: ActionPageSchema,
};

/** The `description` of each document: what the data is, and where the library takes or gives it. */
export const DESCRIPTIONS: { readonly [N in JsonSchemaName]: string } = {
  ActionRequest:
    'A remediation action as a caller submits it (submit). Its parameters are checked against the action type by the library, not here.',
  ActionRecord: 'A stored remediation action, as get, list and the change feed give it.',
  AuditEvent: "One event of an action's audit trail (hash-chained).",
  Target: 'What an action acts on: a device, file, process, registry key, mailbox, message, URL, user, ...',
  ActionQuery: 'A query of the Pending and History views (list, exportCsv): filter, sort and page.',
  InvestigationQuery: 'A query of the view grouped by investigation (listInvestigations).',
  ActionCenterError: 'An error value of actioncenter: a code, a message and the payload of that code.',
  Principal: 'Who acts: an id and role assignments, some scoped to device groups.',
  ActionPage: 'One page of a view: its action records, the total, the next cursor and the unreadable rows skipped.',
};
