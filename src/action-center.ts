/**
 * The composition root: `createActionCenter` wires the engine (center layer) with the library's
 * defaults, the in-memory repository among them (adapters layer). It sits above both, so that the
 * engine never imports an adapter.
 *
 * @module
 */
import type { builtInCatalog } from './catalog/builtins.js';
import type { Catalog } from './catalog/catalog.js';
import type { InternalError, InvalidInputError } from './errors.js';
import { ActionCenterException, describeThrown, err, type Result } from './result.js';
import type { ActionCenter } from './center/engine/api.js';
import { buildActionCenter } from './center/engine/create.js';
import type { ActionCenterOptions } from './center/engine/options.js';
import { createMemoryRepository } from './adapters/memory/index.js';

/**
 * Creates an Action center, or says why the options cannot make one: the `Result` form of
 * {@link createActionCenter}, for options that come from outside (configuration files, a plugin's
 * components). Never throws, whatever the options hold.
 *
 * @example
 * ```ts
 * import { safeCreateActionCenter } from 'actioncenter';
 * const made = safeCreateActionCenter({ maxSelection: -1 });
 * if (!made.ok) console.log(made.error.code); // 'invalidInput'
 * const center = safeCreateActionCenter();
 * console.log(center.ok); // true
 * ```
 */
export function safeCreateActionCenter<C extends Catalog = typeof builtInCatalog>(
  options: ActionCenterOptions<C> = {},
): Result<ActionCenter<C>, InvalidInputError | InternalError> {
  try {
    return buildActionCenter<C>(options, () => createMemoryRepository());
  } catch (cause) {
    return err({
      code: 'internalError',
      message: `The Action center could not be created: ${describeThrown(cause)}`,
      operation: 'createActionCenter',
      component: 'unexpected',
    });
  }
}

/**
 * Creates an Action center: submit, decide, undo, run, list, audit, export. Throws
 * {@link ActionCenterException} (with an `invalidInput` error) only for invalid options — a
 * programming error; every operation returns a `Result`. For options from outside,
 * {@link safeCreateActionCenter} answers with a `Result` instead. Requests are typed by the
 * catalogue given (default: the built-in one).
 *
 * @example
 * ```ts
 * import { createActionCenter } from 'actioncenter';
 * const center = createActionCenter();
 * const r = await center.submit({ request: {
 *   actionType: 'quarantineFile',
 *   target: { kind: 'file', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations', path: 'C:\\Users\\a\\evil.exe', sha1: 'a'.repeat(40) },
 *   source: 'automatedDeviceAction', verdict: 'suspicious',
 *   requestedBy: { type: 'system', component: 'automatedInvestigation' },
 * } });
 * if (r.ok) console.log(r.value.disposition); // 'pending'
 * ```
 */
export function createActionCenter<C extends Catalog = typeof builtInCatalog>(
  options: ActionCenterOptions<C> = {},
): ActionCenter<C> {
  const made = safeCreateActionCenter(options);
  if (!made.ok) throw new ActionCenterException(made.error);
  return made.value;
}
