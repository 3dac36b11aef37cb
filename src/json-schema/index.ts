/**
 * actioncenter/json-schema: JSON Schemas (draft 2020-12) of the public data (requests, records,
 * audit events, targets, queries, principals, pages and errors), generated from the library's zod
 * schemas, for a service that validates actioncenter's JSON without running it (with ajv, say).
 *
 * Each document describes what the zod schema accepts as input (`io: 'input'`: defaults make a
 * field optional, hashes may be upper case), is plain JSON and self-contained (`$defs`, no remote
 * `$ref`). The same documents ship as files, `actioncenter/json-schema/<Name>.schema.json`. Where
 * JSON Schema cannot say a zod rule exactly, {@link JSON_SCHEMA_EXCEPTIONS} names it.
 *
 * @packageDocumentation
 * @module actioncenter/json-schema
 */
import * as z from 'zod';
import { override, plainJsonDef, plainJsonDefs, strictTypes, type JsonNode } from './overrides.js';
import { DESCRIPTIONS, JSON_SCHEMA_NAMES, ZOD_SCHEMAS, type JsonSchemaName } from './sources.js';

export { JSON_SCHEMA_EXCEPTIONS, type JsonSchemaException } from './exceptions.js';

export { JSON_SCHEMA_NAMES, type JsonSchemaName } from './sources.js';

/**
 * A JSON Schema document (draft 2020-12) as plain JSON: `$schema`, `$id`, `title`, the schema's
 * keywords and its `$defs`.
 *
 * @example
 * ```ts
 * import { jsonSchemaFor, type JsonSchemaDocument } from 'actioncenter/json-schema';
 * const doc: JsonSchemaDocument = jsonSchemaFor('Target');
 * console.log(doc.$id); // 'urn:actioncenter:json-schema:Target'
 * ```
 */
export interface JsonSchemaDocument {
  /** Always `https://json-schema.org/draft/2020-12/schema`. */
  readonly $schema?: string;
  /** `urn:actioncenter:json-schema:<Name>`: the id to `$ref` it by once added to a validator. */
  readonly $id?: string;
  /** The schema's name, one of {@link JSON_SCHEMA_NAMES}. */
  readonly title?: string;
  /** What the data is, in a sentence. */
  readonly description?: string;
  /** Any other JSON Schema keyword (`type`, `properties`, `oneOf`, `$defs`, ...). */
  readonly [keyword: string]: unknown;
}

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/** The `$id` of a shipped document. */
const idOf = (name: string): string => `urn:actioncenter:json-schema:${name}`;

/** Whether `node` holds a `$ref` to the `$defs` entry `name`, at any depth. */
function refersTo(node: unknown, name: string): boolean {
  const target = `#/$defs/${name}`;
  return JSON.stringify(node).includes(JSON.stringify(target));
}

function generate(name: JsonSchemaName): JsonSchemaDocument {
  const generated = z.toJSONSchema(ZOD_SCHEMAS[name], {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'throw',
    reused: 'inline',
    override,
  }) as JsonNode;
  strictTypes(generated);
  const { $schema: _draft, $defs, ...body } = generated;
  const defs: Record<string, unknown> = { ...($defs as Record<string, unknown> | undefined) };
  if (refersTo(body, plainJsonDef(0)) || refersTo(defs, plainJsonDef(0))) Object.assign(defs, plainJsonDefs());
  return {
    $schema: DRAFT,
    $id: idOf(name),
    title: name,
    description: DESCRIPTIONS[name],
    ...body,
    ...(Object.keys(defs).length > 0 ? { $defs: defs } : {}),
  };
}

const cache = new Map<JsonSchemaName, string>();

/**
 * The JSON Schema of one shape of the public data, a fresh copy (yours to change). A name that is
 * none of {@link JSON_SCHEMA_NAMES} (from untyped code) answers a schema that accepts nothing,
 * rather than throwing.
 *
 * @example
 * ```ts
 * import { jsonSchemaFor } from 'actioncenter/json-schema';
 * import { Ajv2020 } from 'ajv/dist/2020.js';
 * const validTarget = new Ajv2020({ strict: true }).compile(jsonSchemaFor('Target'));
 * validTarget({ kind: 'mailbox', mailbox: 'alice@contoso.com' }); // true
 * ```
 */
export function jsonSchemaFor(name: JsonSchemaName): JsonSchemaDocument {
  // A hostile name (a Proxy, an object whose toString throws) is never converted: only a string is looked up.
  if (typeof name !== 'string' || !Object.hasOwn(ZOD_SCHEMAS, name)) {
    return { $schema: DRAFT, $id: idOf('unknown'), title: 'unknown', not: {} };
  }
  let text = cache.get(name);
  if (text === undefined) {
    text = JSON.stringify(generate(name));
    cache.set(name, text);
  }
  return JSON.parse(text) as JsonSchemaDocument;
}

/**
 * Every shipped JSON Schema by name (fresh copies), what `dist/json-schema/<Name>.schema.json`
 * holds.
 *
 * @example
 * ```ts
 * import { jsonSchemas } from 'actioncenter/json-schema';
 * const all = jsonSchemas();
 * console.log(Object.keys(all).length, all.ActionRequest.title); // 9 'ActionRequest'
 * ```
 */
export function jsonSchemas(): Readonly<Record<JsonSchemaName, JsonSchemaDocument>> {
  const all = {} as Record<JsonSchemaName, JsonSchemaDocument>;
  for (const name of JSON_SCHEMA_NAMES) all[name] = jsonSchemaFor(name);
  return all;
}
