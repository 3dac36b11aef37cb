/**
 * Issue 17: documents the zod schemas accept pass the shipped JSON Schemas under ajv 8, for every
 * name, on the testing kit's arbitraries (at their limits too) and every error code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_NAMES } from '../../src/json-schema/index.js';
import { ERROR_CODES } from '../../src/json-schema/errors.js';
import { arbitraryFromSchema } from '../../src/testing/index.js';
import { errorMemberOf, VALID_DOCUMENTS } from './documents.js';
import { ajvAccepts, asJson, zodAccepts } from './support.js';

describe('zod-valid => JSON-Schema-valid (issue 17)', () => {
  for (const name of JSON_SCHEMA_NAMES) {
    it(`${name}: every document the zod schema accepts passes the JSON Schema`, { timeout: 120_000 }, () => {
      fc.assert(
        fc.property(VALID_DOCUMENTS[name], (value) => {
          const document = asJson(value);
          expect(zodAccepts(name, document)).toBe(true);
          expect(ajvAccepts(name, document)).toBe(true);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('covers every error code of the library (ActionCenterError)', { timeout: 60_000 }, () => {
    for (const code of ERROR_CODES) {
      for (const value of fc.sample(arbitraryFromSchema(fc, errorMemberOf(code)), { numRuns: 5, seed: 17 })) {
        const document = asJson(value);
        expect({ code, zod: zodAccepts('ActionCenterError', document) }).toEqual({ code, zod: true });
        expect({ code, ajv: ajvAccepts('ActionCenterError', document) }).toEqual({ code, ajv: true });
      }
    }
  });
});
