/**
 * `verifyAuditTrail`: reads an action and its audit trail and checks the trail's hash chain
 * against the record's audit head (src/rules/audit-chain.ts). Same permission and scope as `get`.
 *
 * @module
 */
import type { AuditEvent } from '../../catalog/records.js';
import { ok, type Result } from '../../result.js';
import { verifyParsedTrail, type AuditTrailVerification } from '../../rules/audit-chain.js';
import { safely, type EngineContext } from './context.js';
import type { GetError } from './results.js';
import { get } from './views.js';

// A commit between the record's read and the trail's makes them disagree: read again (a few times).
const ATTEMPTS = 3;

/** The `verifyAuditTrail` operation. */
export async function verifyAuditTrail(
  ctx: EngineContext,
  input: { readonly principal?: unknown; readonly id?: unknown },
): Promise<Result<AuditTrailVerification, GetError>> {
  let verification: AuditTrailVerification | null = null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const action = await get(ctx, input);
    if (!action.ok) return action;
    const id = action.value.id;
    const trail = await safely<readonly AuditEvent[]>(() => ctx.repository.auditTrail(id));
    if (!trail.ok) return trail;
    verification = verifyParsedTrail(trail.value, action.value);
    if (verification.intact) return ok(verification);
    // Broken against the record read before the trail: unless the record moved since, that is the answer.
    const again = await safely(() => ctx.repository.get(id));
    if (!again.ok) return again;
    if (again.value === null || again.value.version === action.value.version) break;
  }
  return ok(verification as AuditTrailVerification);
}
