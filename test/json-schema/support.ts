/**
 * The two validators side by side: the library's zod schema and the shipped JSON Schema under ajv 8
 * (draft 2020-12, strict mode, ajv-formats), on the same JSON document.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { z } from 'zod';
import {
  JSON_SCHEMA_EXCEPTIONS,
  JSON_SCHEMA_NAMES,
  jsonSchemaFor,
  type JsonSchemaName,
} from '../../src/json-schema/index.js';
import { ZOD_SCHEMAS } from '../../src/json-schema/sources.js';

// ajv-formats is CommonJS with a default export; under NodeNext its namespace wraps it.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** A strict ajv, as a careful consumer would set it up (strict mode catches sloppy schemas). */
export function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

const ajv = strictAjv();
const validators = new Map<JsonSchemaName, ValidateFunction>(
  JSON_SCHEMA_NAMES.map((name) => [name, ajv.compile(jsonSchemaFor(name))]),
);

/** The document as it travels: JSON text parsed back (no undefined, no Dates, no -0). */
export const asJson = (value: unknown): unknown =>
  value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);

export function ajvAccepts(name: JsonSchemaName, document: unknown): boolean {
  const validate = validators.get(name);
  if (validate === undefined) throw new Error(`no validator for ${name}`);
  return validate(document);
}

export function zodResult(name: JsonSchemaName, document: unknown): z.ZodSafeParseResult<unknown> {
  return ZOD_SCHEMAS[name].safeParse(document);
}

export const zodAccepts = (name: JsonSchemaName, document: unknown): boolean => zodResult(name, document).success;

/**
 * How each documented exception shows in zod's issues: a refusal only zod makes, because of a rule
 * the JSON Schema cannot say (src/json-schema/exceptions.ts).
 */
export const EXCEPTION_MATCHERS: Readonly<Record<string, (issue: z.core.$ZodIssue, document: unknown) => boolean>> = {
  timeZoneName: (issue) => issue.code === 'custom' && issue.message.startsWith('must be an IANA time-zone name'),
  timeRangeOrder: (issue) => issue.code === 'custom' && issue.message === 'from must not be after to',
  httpUrl: (issue) => issue.code === 'invalid_format' && issue.format === 'url',
  plainJsonSize: (issue) => issue.code === 'custom' && /characters of JSON$/.test(issue.message),
};

/**
 * The exceptions that explain a disagreement, or null when none does: the JSON Schema accepts, zod
 * refuses, and every issue of zod's is one of the documented exceptions (the other way round, a
 * document zod accepts and the JSON Schema refuses, is never explained).
 */
export function explainedBy(name: JsonSchemaName, document: unknown): string[] | null {
  const result = zodResult(name, document);
  if (result.success || !ajvAccepts(name, document)) return null;
  const ids = new Set<string>();
  return explainAll(name, result.error.issues, [], document, ids) ? [...ids].sort() : null;
}

/** Whether every issue is a documented exception (a union's: every issue of one of its branches). */
function explainAll(
  name: JsonSchemaName,
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  document: unknown,
  ids: Set<string>,
): boolean {
  return issues.every((relative) => {
    const issue = { ...relative, path: [...prefix, ...relative.path] } as z.core.$ZodIssue;
    if (issue.code === 'invalid_union') {
      // The JSON Schema accepted the document, so one branch holds: its issues must all be exceptions.
      return issue.errors.some((branch) => {
        const found = new Set<string>();
        if (!explainAll(name, branch, issue.path, document, found)) return false;
        for (const id of found) ids.add(id);
        return true;
      });
    }
    const id = JSON_SCHEMA_EXCEPTIONS.find(
      (e) => e.schemas.includes(name) && EXCEPTION_MATCHERS[e.id]?.(issue, document) === true,
    )?.id;
    if (id === undefined) return false;
    ids.add(id);
    return true;
  });
}

/** Both validators' answers, and whether they agree (or differ only by a documented exception). */
export function compare(name: JsonSchemaName, document: unknown): { zod: boolean; ajv: boolean; agree: boolean } {
  const zod = zodAccepts(name, document);
  const ajvOk = ajvAccepts(name, document);
  return { zod, ajv: ajvOk, agree: zod === ajvOk || explainedBy(name, document) !== null };
}
