// The one table from error codes to HTTP statuses (examples/web/server/errors.ts): it names every
// error code the library declares (read from its sources, so a new code fails here until it is
// given a status), client errors are 4xx, and docs/web.md shows the same table.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HTTP_ERROR_CODES, HTTP_STATUS_OF, statusOf } from '../../examples/web/server/errors.js';

const ROOT = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Every `readonly code: '...'` the library declares: the discriminants of its error values. */
function libraryErrorCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/readonly code: '([A-Za-z]+)'/g))
      codes.add(match[1] as string);
  }
  return codes;
}

describe('HTTP_STATUS_OF', () => {
  it('has a status for every error code the library declares', () => {
    const codes = libraryErrorCodes();
    expect(codes.size).toBeGreaterThan(30); // the scan found the declarations
    expect(codes).toContain('accessDenied');
    const missing = [...codes].filter((code) => !Object.hasOwn(HTTP_STATUS_OF, code));
    expect(missing).toEqual([]);
  });

  it('has a status for every code of the HTTP layer, and nothing else', () => {
    const library = libraryErrorCodes();
    for (const code of HTTP_ERROR_CODES) expect(HTTP_STATUS_OF).toHaveProperty(code);
    const stray = Object.keys(HTTP_STATUS_OF).filter(
      (code) => !library.has(code) && !(HTTP_ERROR_CODES as readonly string[]).includes(code),
    );
    expect(stray).toEqual([]);
  });

  it('maps the contract: 401, 403, 400, 413, 415, 404, 409, 422', () => {
    expect(HTTP_STATUS_OF).toMatchObject({
      unauthenticated: 401,
      csrfRejected: 403,
      accessDenied: 403,
      invalidInput: 400,
      malformedBody: 400,
      bodyTooLarge: 413,
      unsupportedMediaType: 415,
      notFound: 404,
      routeNotFound: 404,
      conflict: 409,
      selectionRefused: 422,
    });
  });

  it('answers 4xx for what a client sent and 5xx only for the server side', () => {
    const server = new Set([
      'internal',
      'internalError',
      'duplicateActionType',
      'unknownUndoCounterpart',
      'undoCounterpartWorkloadMismatch',
      'clockInvalid',
      'corruptRecord',
      'repositoryUnavailable',
      'queueUnavailable',
    ]);
    for (const [code, status] of Object.entries(HTTP_STATUS_OF)) {
      if (server.has(code)) expect([500, 503], code).toContain(status);
      else expect(status >= 400 && status < 500, code).toBe(true);
    }
  });

  it('an unknown code (a newer library) is a 500, not a guess', () => {
    expect(statusOf('somethingNew')).toBe(500);
    expect(statusOf('toString')).toBe(500); // own keys only
  });

  it('docs/web.md shows the same table', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'web.md'), 'utf8');
    const rows = [...doc.matchAll(/^\|\s*`([A-Za-z]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(HTTP_STATUS_OF);
    expect(rows).toHaveLength(Object.keys(HTTP_STATUS_OF).length);
  });
});
