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
