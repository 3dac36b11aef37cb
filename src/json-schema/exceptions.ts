/**
 * What the shipped JSON Schemas cannot say exactly as the zod schemas do. Each is tested by name in
 * test/json-schema/exceptions.test.ts with a document on which the two validators disagree; every
 * other document gets the same answer from both.
 *
 * @module
 */

/**
 * One rule of the zod schemas that the JSON Schemas say more loosely.
 *
 * @example
 * ```ts
 * import { JSON_SCHEMA_EXCEPTIONS, type JsonSchemaException } from 'actioncenter/json-schema';
 * const ids: readonly string[] = JSON_SCHEMA_EXCEPTIONS.map((e: JsonSchemaException) => e.id);
 * ```
 */
export interface JsonSchemaException {
  /** A stable name for the rule, e.g. `timeZoneName`. */
  readonly id: string;
  /** The schemas it concerns. */
  readonly schemas: readonly string[];
  /** What zod checks that the JSON Schema does not, and what the JSON Schema checks instead. */
  readonly description: string;
}

/**
 * The documented differences: a document the JSON Schema accepts may still be refused by the
 * library on these grounds (never the other way round). Validate with the library when they matter.
 *
 * @example
 * ```ts
 * import { JSON_SCHEMA_EXCEPTIONS } from 'actioncenter/json-schema';
 * for (const e of JSON_SCHEMA_EXCEPTIONS) console.log(`${e.id}: ${e.description}`);
 * ```
 */
export const JSON_SCHEMA_EXCEPTIONS: readonly JsonSchemaException[] = Object.freeze([
  {
    id: 'timeZoneName',
    schemas: ['ActionQuery', 'InvestigationQuery'],
    description:
      "A time filter's `timeZone` must be an IANA zone the runtime knows (Intl); the JSON Schema checks 1-64 characters.",
  },
  {
    id: 'timeRangeOrder',
    schemas: ['ActionQuery', 'InvestigationQuery'],
    description:
      'A custom time range needs `from <= to`; JSON Schema cannot compare two values, so it checks each bound alone.',
  },
  {
    id: 'httpUrl',
    schemas: ['ActionRequest', 'ActionRecord', 'Target', 'ActionPage'],
    description:
      'A URL target is parsed by the WHATWG URL parser and must be http(s); the JSON Schema checks a string of at most 4,096 characters.',
  },
  {
    id: 'plainJsonSize',
    schemas: ['ActionRequest', 'ActionRecord', 'AuditEvent', 'ActionPage'],
    description:
      'Parameters (and audit details) are at most 64 KiB of JSON text; the JSON Schema checks their shape and depth, not their size.',
  },
] satisfies JsonSchemaException[]);
