/**
 * The OpenAPI components: the library's public data as its JSON Schemas (actioncenter/json-schema:
 * each a self-contained draft 2020-12 document with an `$id`, so its `#/$defs` references resolve
 * inside it when embedded), and the error body.
 */
import { jsonSchemas } from 'actioncenter/json-schema';
import { HTTP_ERROR_CODES } from './errors.js';

type Json = Record<string, unknown>;

/** Schemas by name. */
export function componentSchemas(): Record<string, Json> {
  const library = jsonSchemas() as unknown as Record<string, Json>;
  const httpError: Json = {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { enum: [...HTTP_ERROR_CODES] }, message: { type: 'string' } },
    additionalProperties: true,
  };
  return {
    ...library,
    ErrorBody: {
      type: 'object',
      required: ['error'],
      properties: { error: { anyOf: [{ $ref: '#/components/schemas/ActionCenterError' }, httpError] } },
    },
  };
}
