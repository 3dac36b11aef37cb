/**
 * actioncenter: the domain core of a security Action center.
 *
 * Layers, with arrows pointing one way: `catalog` (data) -> `rules` (pure) -> `center` (engine over
 * ports) -> adapters.
 *
 * @packageDocumentation
 * @module actioncenter
 */
export * from './result.js';
export * from './errors.js';
export * from './catalog/index.js';
export * from './rules/index.js';
export * from './center/index.js';
export * from './adapters/memory/index.js';
export { createActionCenter, safeCreateActionCenter } from './action-center.js';
export { openKeyOf } from './rules/open-key.js';
