/**
 * Parse functions over the built-in catalogue (or one you pass).
 *
 * @module
 */
import type { ActionTypeDefinition } from './action-type.js';
import type { RequestFieldsOf, RequestInputOf } from './request-input.js';
import { builtInCatalog } from './builtins.js';
import type { Catalog, RequestError } from './catalog.js';
import type { ActionRequest } from './records.js';
import { err, unreadableInput, type Result } from '../result.js';

/**
 * Validates an action request against a catalogue (the built-in one by default): shape, action
 * type, target kind, source and parameters. Returns a typed error naming the path and the problem;
 * never throws.
 *
 * @example
 * ```ts
 * import { parseActionRequest } from 'actioncenter';
 * const r = parseActionRequest({
 *   actionType: 'isolateDevice',
 *   target: { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
 *   parameters: { isolationType: 'selective' },
 *   source: 'manualDeviceAction',
 *   requestedBy: { type: 'principal', id: 'alice@contoso.com' },
 * });
 * if (r.ok) console.log(r.value.parameters); // { isolationType: 'selective' }
 * ```
 */
export function parseActionRequest(
  input: unknown,
  catalog: Catalog = builtInCatalog,
): Result<ActionRequest, RequestError> {
  try {
    return catalog.parseRequest(input);
  } catch (cause) {
    // Only a catalogue not built by createCatalog can throw here (the built one never does).
    return err(unreadableInput('catalog', cause));
  }
}

/**
 * Builds a request for a type with compile-time checks: the target must be of the type's kind and the
 * parameters must fit its schema (left out when the type needs none). The result is typed as the
 * type's own request ({@link RequestInputOf}) and still goes through validation when submitted.
 *
 * @example
 * ```ts
 * import { requestFor, builtInActionTypeMap } from 'actioncenter';
 * const req = requestFor(builtInActionTypeMap.isolateDevice, {
 *   target: { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
 *   parameters: { isolationType: 'full' },
 *   source: 'manualDeviceAction',
 *   requestedBy: { type: 'principal', id: 'alice@contoso.com' },
 * });
 * ```
 */
export function requestFor<T extends ActionTypeDefinition>(
  type: T,
  request: NoInfer<RequestFieldsOf<T>>,
): RequestInputOf<T> {
  // The spread cannot be checked against a type that distributes over T; the fields come typed from `request`.
  return { ...request, actionType: type.id } as unknown as RequestInputOf<T>;
}
