/**
 * Valid documents of every shipped JSON Schema, from the testing kit's arbitraries (records,
 * requests, audit events, queries, targets, principals) and, for the shapes the library types only
 * in TypeScript (pages, errors), derived from this subpath's zod schemas, one error code at a time.
 */
import fc from 'fast-check';
import { INVESTIGATION_SORT_COLUMNS } from '../../src/adapter-kit.js';
import { ERROR_CODES, ActionCenterErrorSchema } from '../../src/json-schema/errors.js';
import type { JsonSchemaName } from '../../src/json-schema/index.js';
import { actionCenterArbitraries, arbitraryFromSchema } from '../../src/testing/index.js';

const kit = actionCenterArbitraries(fc, { maxEvents: 6 });
const atLimits = actionCenterArbitraries(fc, { maxEvents: 3, atLimits: true });

/** The member of the error union for one code. */
export function errorMemberOf(code: string) {
  const member = ActionCenterErrorSchema.options.find((option) => option.shape.code.value === code);
  if (member === undefined) throw new Error(`no member for ${code}`);
  return member;
}

/** Error values of every code of the library's error code list. */
export const errorArbitrary = fc.oneof(...ERROR_CODES.map((code) => arbitraryFromSchema(fc, errorMemberOf(code))));

const investigationQuery = fc.record(
  {
    filter: kit.queryInput.map((q) => q.filter ?? {}),
    sort: fc.record({
      column: fc.constantFrom(...INVESTIGATION_SORT_COLUMNS),
      direction: fc.constantFrom('asc', 'desc'),
    }),
    page: fc.record(
      { size: fc.integer({ min: 1, max: 1000 }), index: fc.integer({ min: 0, max: 1_000_000 }) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const corruptRow = fc.record({
  code: fc.constant('corruptRecord' as const),
  message: fc.string(),
  actionId: fc.string({ minLength: 1 }),
  issues: fc.array(
    fc.record({
      path: fc.array(fc.oneof(fc.string(), fc.integer({ min: 0, max: 100 })), { maxLength: 3 }),
      code: fc.string(),
      message: fc.string(),
    }),
    { maxLength: 2 },
  ),
});

const actionPage = fc.record(
  {
    items: fc.array(fc.oneof(kit.actionRecord, atLimits.actionRecord), { maxLength: 3 }),
    total: fc.nat(),
    totalIs: fc.constantFrom('exact', 'atLeast'),
    nextCursor: fc.option(fc.string({ minLength: 1 }), { nil: null }),
    skipped: fc.array(corruptRow, { maxLength: 2 }),
  },
  { requiredKeys: ['items', 'total', 'totalIs', 'nextCursor'] },
);

/** Documents the zod schema of each name accepts. */
export const VALID_DOCUMENTS: { readonly [N in JsonSchemaName]: fc.Arbitrary<unknown> } = {
  ActionRequest: fc.oneof(kit.requestInput, kit.request, atLimits.requestInput),
  ActionRecord: fc.oneof(kit.actionRecord, atLimits.actionRecord),
  AuditEvent: kit.auditEvent,
  Target: fc.oneof(kit.target, atLimits.target),
  ActionQuery: kit.queryInput,
  InvestigationQuery: investigationQuery,
  ActionCenterError: errorArbitrary,
  Principal: kit.principal,
  ActionPage: actionPage,
};
