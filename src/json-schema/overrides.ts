/**
 * Where the generated JSON Schema would say less (or other) than the zod schema, and how it is
 * told instead. `z.toJSONSchema` with `io: 'input'` describes what a schema accepts; it drops
 * refinements and custom checks silently, and some string formats differ between zod and JSON
 * Schema validators. Each rule here restores the zod rule where JSON Schema can say it exactly;
 * what it cannot say is listed in {@link JSON_SCHEMA_EXCEPTIONS} (exceptions.ts).
 *
 * @module
 */
import {
  EXECUTION_DETAILS_LIMITS,
  ExecutionDetailsSchema,
  NoteTextSchema,
  PLAIN_JSON_LIMITS,
  SafeObjectSchema,
} from 'actioncenter/adapter-kit';
import type { z } from 'zod';

/** A JSON Schema node as the generator hands it over: mutable until the document is returned. */
export type JsonNode = Record<string, unknown>;

/** The keys a plain JSON object may not hold at any depth (toPlainJson, ExecutionDetailsSchema). */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

// One type per branch: ajv's strict mode refuses a union `type` unless told to allow it.
const SCALARS: readonly JsonNode[] = ['string', 'number', 'boolean', 'null'].map((type) => ({ type }));

/** `$defs` names of the plain-JSON levels: `PlainJson0` is the value itself, `PlainJson32` a scalar. */
export const plainJsonDef = (depth: number): string => `PlainJson${depth}`;

/**
 * toPlainJson's rules, as a chain of `$defs`: at each depth an object may not hold a prototype key
 * and its members are one level deeper; at `maxDepth` only scalars remain (the root is depth 0).
 */
export function plainJsonDefs(maxDepth = PLAIN_JSON_LIMITS.maxDepth): Record<string, JsonNode> {
  const defs: Record<string, JsonNode> = {};
  for (let depth = 0; depth < maxDepth; depth += 1) {
    const next = { $ref: `#/$defs/${plainJsonDef(depth + 1)}` };
    defs[plainJsonDef(depth)] = {
      anyOf: [
        ...SCALARS,
        { type: 'object', propertyNames: { not: { enum: [...PROTOTYPE_KEYS] } }, additionalProperties: next },
        { type: 'array', items: next },
      ],
    };
  }
  defs[plainJsonDef(maxDepth)] = { anyOf: [...SCALARS] };
  return defs;
}

// The pattern of ExecutionDetailsSchema's keys and text (records.ts), kept in step by the tests.
const DETAIL_KEY = '^[^\\p{Cc}\\p{Cf}\\p{Cs}]+$';
const DETAIL_TEXT = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\p{Cs}]*$';

/** Replaces a node's content in place (the generator keeps its reference). */
function replace(node: JsonNode, content: JsonNode): void {
  for (const key of Object.keys(node)) delete node[key];
  Object.assign(node, content);
}

/** The JSON Schema of the zod schemas that have no faithful generated one, by identity. */
const REPLACEMENTS = new Map<z.core.$ZodType, () => JsonNode>([
  [
    // A plain JSON object: the generator sees `unknown` (the input of the copying transform).
    SafeObjectSchema,
    () => ({ allOf: [{ type: 'object' }, { $ref: `#/$defs/${plainJsonDef(0)}` }] }),
  ],
  [
    // The generator sees `unknown` (the input of the refinement before the record).
    ExecutionDetailsSchema,
    () => ({
      type: 'object',
      maxProperties: EXECUTION_DETAILS_LIMITS.maxKeys,
      propertyNames: {
        minLength: 1,
        maxLength: EXECUTION_DETAILS_LIMITS.maxKeyLength,
        pattern: DETAIL_KEY,
        not: { enum: [...PROTOTYPE_KEYS] },
      },
      additionalProperties: {
        anyOf: [
          { type: 'string', maxLength: EXECUTION_DETAILS_LIMITS.maxTextLength, pattern: DETAIL_TEXT },
          { type: 'number' },
          { type: 'boolean' },
          { type: 'null' },
        ],
      },
    }),
  ],
]);

/**
 * The `override` option of `z.toJSONSchema`: replaces the nodes of {@link REPLACEMENTS}, adds the
 * refinements JSON Schema can say (a note is not blank), and drops formats whose validators differ
 * from zod's (the pattern zod emits next to `email` is zod's own rule; `uri` is not zod's URL parser).
 */
export function override(ctx: { zodSchema: z.core.$ZodType; jsonSchema: JsonNode }): void {
  const { zodSchema, jsonSchema } = ctx;
  const replacement = REPLACEMENTS.get(zodSchema);
  if (replacement !== undefined) {
    replace(jsonSchema, replacement());
    return;
  }
  if (zodSchema === NoteTextSchema) {
    // `text.trim().length > 0`: JavaScript's trim and `\s` know the same white space. Beside the
    // comment's own pattern, which the node keeps.
    jsonSchema.allOf = [{ pattern: '\\S' }];
  }
  if (jsonSchema.format === 'email' && typeof jsonSchema.pattern === 'string') delete jsonSchema.format;
  if (jsonSchema.format === 'uri') delete jsonSchema.format;
}

/**
 * The finished document, made acceptable to ajv's strict mode: zod folds a union of bare primitives
 * into a union `type` (`["string", "number"]`), which strict mode refuses; it becomes an `anyOf`.
 */
export function strictTypes(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) strictTypes(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const json = node as JsonNode;
  for (const value of Object.values(json)) strictTypes(value);
  if (Array.isArray(json.type) && json.anyOf === undefined) {
    const types: unknown[] = json.type;
    delete json.type;
    json.anyOf = types.map((type) => ({ type }));
  }
}
