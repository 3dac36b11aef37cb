export * from './principals.js';
export * from './lifecycle.js';
export * from './access.js';
export * from './approval.js';
export * from './undo.js';
export * from './selection.js';
export * from './query.js';
export { isTimeZone } from './calendar.js';
