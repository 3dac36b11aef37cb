/**
 * Request input types derived from a catalogue: the action type id is one of the catalogue's ids, the
 * target is of that type's kind and the parameters fit that type's schema, so typos are compile errors.
 * Run-time validation is unchanged (`parseActionRequest` and `submit` still check everything).
 *
 * @module
 */
import type { z } from 'zod';
import type { ActionTypeDefinition } from './action-type.js';
import type { builtInCatalog } from './builtins.js';
import type { Catalog } from './catalog.js';
import type { ActionRequestInput } from './records.js';
import type { TargetInputOf, TargetKind } from './targets.js';

/** The request fields that do not depend on the action type, as {@link ActionRequestInput} has them. */
type CommonRequestInput = Omit<ActionRequestInput, 'actionType' | 'target' | 'parameters'>;

// Optional exactly when `{}` is a valid input: types without required parameters may leave them out.
type ParametersField<P> = {} extends P ? { readonly parameters?: P } : { readonly parameters: P };

// The shapes before flattening; the exported types spell the mapped type out (no alias around it),
// so that hovers and error messages show the fields rather than an intersection of aliases.
type FieldsShape<P extends z.ZodType, K extends TargetKind> = CommonRequestInput & {
  readonly target: TargetInputOf<K>;
} & ParametersField<z.input<P>>;
type RequestShape<Id extends string, P extends z.ZodType, K extends TargetKind> = {
  readonly actionType: Id;
} & FieldsShape<P, K>;

/**
 * The fields of a request for action type `T` other than `actionType`: what {@link actioncenter!requestFor} takes.
 *
 * @example
 * ```ts
 * import type { builtInActionTypeMap } from 'actioncenter';
 * import type { RequestFieldsOf } from 'actioncenter/adapter-kit';
 * const fields: RequestFieldsOf<(typeof builtInActionTypeMap)['blockUrl']> = {
 *   target: { kind: 'url', url: 'https://evil.example/' },
 *   parameters: { url: 'https://evil.example/' },
 *   source: 'automatedEmailAction',
 *   requestedBy: { type: 'system', component: 'automatedInvestigation' },
 * };
 * ```
 */
export type RequestFieldsOf<T extends ActionTypeDefinition> =
  T extends ActionTypeDefinition<string, infer P, infer K>
    ? { [F in keyof FieldsShape<P, K>]: FieldsShape<P, K>[F] }
    : never;

/**
 * A request input typed by action type: for a union of definitions, the union of one request shape
 * per type (`actionType` its id, `target` its kind, `parameters` its schema's input, optional when
 * the type needs none). For the wide `ActionTypeDefinition` it is as loose as {@link ActionRequestInput}.
 *
 * @example
 * ```ts
 * import type { RequestInputOf, builtInActionTypeMap } from 'actioncenter';
 * const r: RequestInputOf<(typeof builtInActionTypeMap)['isolateDevice']> = {
 *   actionType: 'isolateDevice',
 *   target: { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
 *   parameters: { isolationType: 'full' },
 *   source: 'manualDeviceAction',
 *   requestedBy: { type: 'principal', id: 'alice@contoso.com' },
 * };
 * ```
 */
export type RequestInputOf<T extends ActionTypeDefinition> =
  T extends ActionTypeDefinition<infer Id, infer P, infer K>
    ? { [F in keyof RequestShape<Id, P, K>]: RequestShape<Id, P, K>[F] }
    : never;

/**
 * The action types of a catalogue, as a union of their definitions.
 *
 * @example
 * ```ts
 * import type { builtInCatalog } from 'actioncenter';
 * import type { TypesOf } from 'actioncenter/adapter-kit';
 * type Isolate = Extract<TypesOf<typeof builtInCatalog>, { id: 'isolateDevice' }>;
 * ```
 */
export type TypesOf<C extends Catalog> = C['types'][number];

/**
 * The action type ids of a catalogue, as a union of string literals (custom catalogues carry theirs).
 *
 * @example
 * ```ts
 * import type { builtInCatalog } from 'actioncenter';
 * import type { ActionTypeIdOf } from 'actioncenter/adapter-kit';
 * const id: ActionTypeIdOf<typeof builtInCatalog> = 'quarantineFile';
 * ```
 */
export type ActionTypeIdOf<C extends Catalog> = TypesOf<C>['id'];

/**
 * The typed request input for a catalogue: use it where requests are written in code, so that an
 * unknown action type, a target of the wrong kind or parameters that do not fit are compile errors.
 * {@link ActionRequestInput} stays the wide type, for code that handles any catalogue.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { createCatalog, builtInActionTypes, defineActionType, unwrap, type CatalogRequestInput } from 'actioncenter';
 * const wipe = defineActionType({
 *   id: 'wipeDevice', displayName: 'Wipe device', workload: 'endpoint', targetKind: 'device',
 *   parameters: z.object({ keepEnrollment: z.boolean().default(false) }),
 * });
 * const catalog = unwrap(createCatalog([...builtInActionTypes, wipe]));
 * const r: CatalogRequestInput<typeof catalog> = {
 *   actionType: 'wipeDevice',
 *   target: { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
 *   source: 'manualDeviceAction',
 *   requestedBy: { type: 'principal', id: 'alice@contoso.com' },
 * };
 * ```
 */
export type CatalogRequestInput<C extends Catalog> = RequestInputOf<TypesOf<C>>;

/**
 * The typed request input for the built-in catalogue.
 *
 * @example
 * ```ts
 * import type { BuiltInRequestInput } from 'actioncenter';
 * const r: BuiltInRequestInput = {
 *   actionType: 'blockUrl',
 *   target: { kind: 'url', url: 'https://evil.example/' },
 *   parameters: { url: 'https://evil.example/' },
 *   source: 'automatedEmailAction',
 *   requestedBy: { type: 'system', component: 'automatedInvestigation' },
 * };
 * ```
 */
export type BuiltInRequestInput = CatalogRequestInput<typeof builtInCatalog>;
