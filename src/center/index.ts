export * from './ports.js';
export * from './conflicts.js';
export * from './errors.js';
export * from './defaults.js';
export * from './columns.js';
export * from './csv.js';
export * from './engine.js';
