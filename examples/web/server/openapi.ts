/**
 * The OpenAPI 3.1 document of the app, built at request time from the app's own routes (so no
 * route is left out), the request-body zod schemas (z.toJSONSchema) and the library's JSON
 * Schemas as components. Not @hono/zod-openapi: the library's schemas carry transforms (ids
 * branded, hashes lower-cased), which that package cannot express; the bodies here are plain.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import { HTTP_STATUS_OF } from './errors.js';
import { DecisionBody, LoginBody, NoteBody, UndoBody } from './schemas.js';
import { componentSchemas } from './openapi-components.js';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const body = (schema: z.ZodType): Json => ({
  required: true,
  content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } },
});
const jsonAnswer = (description: string, schema: Json = { type: 'object' }): Json => ({
  description,
  content: { 'application/json': { schema } },
});
const queryParam: Json = {
  name: 'query',
  in: 'query',
  required: false,
  description: 'URL-encoded JSON ActionQueryInput: filters, sort, time period, page size and page or cursor',
  content: { 'application/json': { schema: ref('ActionQuery') } },
};
const idParam: Json = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const bulkResult = jsonAnswer('The per-item results (or NDJSON progress lines with accept: application/x-ndjson)', {
  type: 'object',
  properties: { result: { type: 'object' } },
  required: ['result'],
});

/** What each route takes and answers; a route missing here still appears with a generic answer. */
const OPERATIONS: Readonly<Record<string, Json>> = {
  'get /api/session': { summary: 'Who is signed in, the CSRF token, and the demo personas' },
  'post /api/login': { summary: 'DEMO ONLY: sign in as a persona', requestBody: body(LoginBody) },
  'post /api/logout': { summary: 'Sign out' },
  'get /api/meta': { summary: 'Action types, columns, time periods, sources and statuses for the filters' },
  'get /api/actions': {
    summary: 'One page of actions, and what the principal may do with each',
    parameters: [queryParam],
    responses: {
      200: jsonAnswer('A page', { type: 'object', properties: { page: ref('ActionPage'), can: { type: 'object' } } }),
    },
  },
  'get /api/actions/{id}': {
    summary: 'One action with its audit trail',
    parameters: [idParam],
    responses: {
      200: jsonAnswer('The action', {
        type: 'object',
        properties: { record: ref('ActionRecord'), audit: { type: 'array', items: ref('AuditEvent') } },
      }),
    },
  },
  'get /api/actions/{id}/undo-preview': {
    summary: 'How many more instances of the file an undo would take along ("Apply to X more instances")',
    parameters: [idParam],
  },
  'get /api/export.csv': {
    summary: 'The filtered view as a CSV download (streamed)',
    parameters: [queryParam, { name: 'columns', in: 'query', required: false, schema: { type: 'string' } }],
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } },
  },
  'get /api/events': {
    summary: 'Server-Sent Events of the change feed (Last-Event-ID resumes)',
    responses: { 200: { description: 'SSE', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
  },
  'post /api/actions': {
    summary: 'Submit an action request',
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['request'],
            properties: { request: ref('ActionRequest') },
            additionalProperties: false,
          },
        },
      },
    },
  },
  'post /api/actions/approve': {
    summary: 'Approve pending actions',
    requestBody: body(DecisionBody),
    responses: { 200: bulkResult },
  },
  'post /api/actions/reject': {
    summary: 'Reject pending actions',
    requestBody: body(DecisionBody),
    responses: { 200: bulkResult },
  },
  'post /api/actions/cancel': {
    summary: 'Cancel actions',
    requestBody: body(DecisionBody),
    responses: { 200: bulkResult },
  },
  'post /api/actions/retry': {
    summary: 'Retry failed actions',
    requestBody: body(DecisionBody),
    responses: { 200: bulkResult },
  },
  'post /api/actions/undo': {
    summary: 'Undo succeeded actions',
    requestBody: body(UndoBody),
    responses: { 200: bulkResult },
  },
  'post /api/actions/{id}/notes': {
    summary: 'Add a note to an action',
    parameters: [idParam],
    requestBody: body(NoteBody),
  },
  'get /openapi.json': { summary: 'This document' },
};

/** The statuses an error can have (from the one table), each answering the error body. */
function errorResponses(): Json {
  const out: Json = {};
  for (const status of new Set(Object.values(HTTP_STATUS_OF))) {
    out[String(status)] = jsonAnswer('An error (see the status table in docs/web.md)', ref('ErrorBody'));
  }
  return out;
}

/** The document for an app's routes. */
export function openApiDocument(routes: readonly { method: string; path: string }[]): Json {
  const paths: Record<string, Json> = {};
  const errors = errorResponses();
  for (const route of routes) {
    const method = route.method.toLowerCase();
    if (method === 'all' || route.path.includes('*')) continue; // middleware, not routes
    const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const described = OPERATIONS[`${method} ${path}`] ?? { summary: `${method.toUpperCase()} ${path}` };
    const { responses, ...rest } = described as { responses?: Json };
    paths[path] = {
      ...paths[path],
      [method]: { ...rest, responses: { 200: jsonAnswer('OK'), ...responses, ...errors } },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'actioncenter reference web Action center', version: '1.0.0' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: { schemas: componentSchemas() },
  };
}

/** `GET /openapi.json` for this app (its routes read when asked: every route mounted is there). */
export function openApiRoute(app: Hono): Hono {
  const route = new Hono();
  route.get('/openapi.json', (c) => c.json(openApiDocument(app.routes)));
  return route;
}
