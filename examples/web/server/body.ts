/**
 * Reading a JSON request body safely: content type, size (declared and counted while streaming),
 * JSON syntax, then the zod schema. Each failure is a typed 4xx answer, never a throw.
 */
import type { z } from 'zod';
import { invalidInput } from 'actioncenter/adapter-kit';
import { errorResponse, httpError } from './errors.js';

/** The default largest body accepted: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A body read and validated, or the answer to send instead. */
export type BodyResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly response: Response };

/** Reads the request's JSON body into `schema`'s output, or the 4xx answer to send. */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes: number,
): Promise<BodyResult<z.output<S>>> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json') {
    return fail(
      httpError('unsupportedMediaType', 'The body must be JSON (content-type: application/json)', {
        contentType: type.slice(0, 200),
      }),
    );
  }
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) return fail(tooLarge(maxBytes));
  const text = await readText(request, maxBytes);
  if (text === null) return fail(tooLarge(maxBytes));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    return fail(httpError('malformedBody', `The body is not valid JSON: ${(cause as Error).message.slice(0, 200)}`));
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return fail(errorResponse(invalidInput('request body', parsed.error.issues)));
  return { ok: true, value: parsed.data };
}

const fail = (response: Response): { ok: false; response: Response } => ({ ok: false, response });

const tooLarge = (maxBytes: number) =>
  httpError('bodyTooLarge', `The body is larger than ${maxBytes} bytes`, { maxBytes });

/** The body as text, or null once it passes `maxBytes` (counted as it streams: Content-Length may lie or be absent). */
async function readText(request: Request, maxBytes: number): Promise<string | null> {
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  // fatal: false replaces invalid UTF-8 (JSON.parse then decides); a body is text, not bytes.
  return new TextDecoder().decode(all);
}
