// The page's calls to the HTTP API (docs/web.md). Every answer is a value, never a throw: `{ ok: true, value }`
// or `{ ok: false, error: { code, message } }`, as the library answers.

/** @type {string | null} */
let csrfToken = null;

/** @param {string | null} token */
export function setCsrfToken(token) {
  csrfToken = token;
}

/**
 * @param {Response} response
 * @returns {Promise<{ ok: true, value: any } | { ok: false, error: { code: string, message: string } }>}
 */
async function answer(response) {
  const body = await response.json().catch(() => null);
  if (response.ok) return { ok: true, value: body };
  const error = body && typeof body === 'object' && body.error ? body.error : null;
  return {
    ok: false,
    error: error ?? { code: 'http' + response.status, message: `The server answered ${response.status}` },
  };
}

/** @param {unknown} cause */
function networkError(cause) {
  const aborted = cause instanceof DOMException && cause.name === 'AbortError';
  return {
    ok: /** @type {const} */ (false),
    error: aborted
      ? { code: 'aborted', message: 'Cancelled' }
      : { code: 'network', message: 'The server could not be reached' },
  };
}

/** @param {string} path */
export async function get(path) {
  try {
    return await answer(await fetch(path, { headers: { accept: 'application/json' } }));
  } catch (cause) {
    return networkError(cause);
  }
}

/**
 * @param {string} path
 * @param {unknown} body
 */
export async function post(path, body) {
  try {
    const headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (csrfToken !== null) headers['x-csrf-token'] = csrfToken;
    return await answer(await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) }));
  } catch (cause) {
    return networkError(cause);
  }
}

/**
 * A bulk operation streamed as NDJSON: `onProgress` for each progress line, the result at the end.
 * Aborting `signal` stops the request, and the server stops the operation before its commit.
 *
 * @param {string} path
 * @param {unknown} body
 * @param {(progress: { operation: string, phase: string, done: number, total: number }) => void} onProgress
 * @param {AbortSignal} signal
 */
export async function postStreamed(path, body, onProgress, signal) {
  try {
    const headers = { 'content-type': 'application/json', accept: 'application/x-ndjson' };
    if (csrfToken !== null) headers['x-csrf-token'] = csrfToken;
    const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), signal });
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !type.includes('ndjson') || response.body === null) return await answer(response);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    /** @type {any} */
    let last = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += value;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        const message = JSON.parse(line);
        if (message.type === 'progress') onProgress(message);
        else last = message;
      }
    }
    if (buffered.trim() !== '') last = JSON.parse(buffered);
    if (last?.type === 'result') return { ok: true, value: { result: last.result } };
    if (last?.type === 'error') return { ok: false, error: last.error };
    return { ok: false, error: { code: 'network', message: 'The answer ended early' } };
  } catch (cause) {
    return networkError(cause);
  }
}

/** @param {unknown} query */
export function queryParam(query) {
  return encodeURIComponent(JSON.stringify(query));
}
