export * from './ids.js';
export * from './text.js';
export * from './targets.js';
export * from './sources.js';
export * from './action-type.js';
export * from './json.js';
export * from './records.js';
export * from './catalog.js';
export * from './builtins.js';
export * from './parse.js';
export type {
  RequestFieldsOf,
  RequestInputOf,
  TypesOf,
  ActionTypeIdOf,
  CatalogRequestInput,
  BuiltInRequestInput,
} from './request-input.js';
