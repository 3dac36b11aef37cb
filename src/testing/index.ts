/**
 * actioncenter/testing: tools to property-check remediation rules and adapters.
 *
 * @packageDocumentation
 * @module actioncenter/testing
 */
import type { ActionRecord } from 'actioncenter';

/**
 * Placeholder while the testing tools are written.
 *
 * @example
 * ```ts
 * import type { TestingPlaceholder } from 'actioncenter/testing';
 * ```
 */
export type TestingPlaceholder = ActionRecord;
