/**
 * The OpenAPI components: the error body, and the library's public data as JSON Schema.
 */
type Json = Record<string, unknown>;

const ErrorBody: Json = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      additionalProperties: true,
    },
  },
};

/** Schemas by name. Until actioncenter/json-schema is there, the library's data is described loosely. */
export function componentSchemas(): Record<string, Json> {
  const loose: Json = { type: 'object' };
  return {
    ErrorBody,
    ActionQuery: loose,
    ActionPage: loose,
    ActionRecord: loose,
    AuditEvent: loose,
    ActionRequest: loose,
  };
}
