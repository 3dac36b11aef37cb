/**
 * The executor and deadline timer of the model-based tests: what each action does is scripted by
 * the commands, and deadlines pass without waiting real time.
 *
 * @module
 */
import type { ActionExecutor } from 'actioncenter';

/**
 * What the scripted executor of the model-based tests does with an action: succeed, report a
 * failure, report a partial result, throw, hang until its deadline passes, answer `accepted`
 * (dispatched: the action runs on until a report or its deadline), or fail transiently at every
 * start (`transient`: retried by its type's policy, then failed when no attempt is left).
 *
 * @example
 * ```ts
 * import type { ScriptedOutcome } from 'actioncenter/testing';
 * const o: ScriptedOutcome = 'hang'; // ends timedOut
 * const later: ScriptedOutcome = 'accepted'; // stays running with reference ref-<id>
 * const again: ScriptedOutcome = 'transient'; // retried, then failed
 * ```
 */
export type ScriptedOutcome = 'succeeded' | 'failed' | 'partial' | 'throws' | 'hang' | 'accepted' | 'transient';

/** The remote reference the scripted executor answers `accepted` with for an action. */
export function referenceOf(actionId: string): string {
  return `ref-${actionId}`;
}

/** The details the scripted executor gives with `accepted` (as the remote system's first status). */
export const ACCEPTED_DETAILS = Object.freeze({ machineActionStatus: 'Pending' });

/** The failure the scripted executor answers `transient` with (`retryable: true`). */
export const TRANSIENT_FAILURE = Object.freeze({ code: 'throttled', message: 'The script says: try again later' });

/** The details the scripted executor gives with a partial result. */
export const PARTIAL_DETAILS = Object.freeze({ done: 1, of: 2 });

/**
 * The executor of the model-based tests: does what the script says for each action id (unscripted
 * actions succeed). `hang` waits for the abort the engine sends when the deadline passes;
 * `accepted` dispatches the work (reference `ref-<action id>`), to be reported later; `transient`
 * fails with `retryable: true` at every start.
 *
 * @example
 * ```ts
 * import { scriptedExecutor } from 'actioncenter/testing';
 * const script = new Map([['act-1', 'failed' as const], ['act-2', 'accepted' as const]]);
 * const executor = scriptedExecutor(script);
 * ```
 */
export function scriptedExecutor(script: ReadonlyMap<string, ScriptedOutcome>): ActionExecutor {
  return {
    supports: () => true,
    execute: async ({ action, signal }) => {
      const outcome = script.get(action.id) ?? 'succeeded';
      switch (outcome) {
        case 'succeeded':
          return { status: 'succeeded' };
        case 'failed':
          return { status: 'failed', failure: { code: 'scripted', message: 'The script says this action fails' } };
        case 'partial':
          return {
            status: 'partial',
            failure: { code: 'scripted', message: 'Half of it was done' },
            details: { ...PARTIAL_DETAILS },
          };
        case 'throws':
          throw new Error('The scripted executor throws');
        case 'hang':
          return new Promise((resolve) => {
            const stop = () =>
              resolve({ status: 'failed', failure: { code: 'aborted', message: 'Stopped by the engine' } });
            if (signal.aborted) stop();
            else signal.addEventListener('abort', stop, { once: true });
          });
        case 'accepted':
          return { status: 'accepted', reference: referenceOf(action.id), details: { ...ACCEPTED_DETAILS } };
        case 'transient':
          return { status: 'failed', failure: { ...TRANSIENT_FAILURE }, retryable: true };
        default: {
          const unknown: never = outcome;
          throw new Error(`Unknown outcome ${String(unknown)}`);
        }
      }
    },
  };
}

/**
 * The deadline timer of the model-based tests: it fires after the current turn of the event loop,
 * so an executor that answers at once always beats it and one that hangs always loses (and the
 * action times out) without waiting real time.
 */
export function nextTurnSleep(_ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const handle = setTimeout(resolve, 0);
    signal.addEventListener('abort', () => clearTimeout(handle), { once: true });
  });
}
