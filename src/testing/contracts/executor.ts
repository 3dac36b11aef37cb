/**
 * `executorContract`: what the engine relies on from an `ActionExecutor`, as a test suite of your
 * runner: `supports` is a pure answer, `execute` always resolves to a valid outcome in bounded time,
 * even with an aborted signal, and never changes the action it is given.
 *
 * @module
 */
import * as z from 'zod';
import {
  ACTION_SOURCES,
  builtInActionTypeMap,
  createCatalog,
  transition,
  type ActionExecutor,
  type ActionId,
  type ActionRecord,
  type ActionTypeDefinition,
  type ExecutionOutcome,
} from 'actioncenter';
import {
  ACTION_SOURCE_IDS,
  ActionFailureSchema,
  ExternalReferenceSchema,
  asId,
  createActionRecord,
} from 'actioncenter/adapter-kit';
import { BUILT_IN_PARAMETER_EXAMPLES } from '../built-in-parameters.js';
import { SAMPLE_TARGETS } from '../domain.js';
import {
  contractTimeout,
  registerCases,
  within,
  type ContractCase,
  type ContractExpect,
  type ContractTest,
} from './runner.js';

/**
 * The groups of {@link executorContract}, each switchable off with `skip`:
 * - `supports`: a boolean for every type id, the same every time, never a throw;
 * - `outcome`: `execute` resolves, in time, to a valid `ExecutionOutcome` for every supported type;
 * - `abort`: with a signal aborted before or during the call, `execute` still resolves promptly;
 * - `immutability`: the action handed in (deep-frozen) is left as it was;
 * - `concurrency`: many executions at once all resolve.
 *
 * @example
 * ```ts
 * import { EXECUTOR_CONTRACT_GROUPS } from 'actioncenter/testing';
 * EXECUTOR_CONTRACT_GROUPS.includes('abort'); // true
 * ```
 */
export const EXECUTOR_CONTRACT_GROUPS = Object.freeze([
  'supports',
  'outcome',
  'abort',
  'immutability',
  'concurrency',
] as const);

/**
 * One of {@link EXECUTOR_CONTRACT_GROUPS}.
 *
 * @example
 * ```ts
 * import type { ExecutorContractGroup } from 'actioncenter/testing';
 * const skip: ExecutorContractGroup[] = ['concurrency'];
 * ```
 */
export type ExecutorContractGroup = (typeof EXECUTOR_CONTRACT_GROUPS)[number];

/**
 * Options of {@link executorContract}.
 *
 * @example
 * ```ts
 * import { test, expect } from 'vitest';
 * import { builtInActionTypes, noopExecutor } from 'actioncenter';
 * import type { ExecutorContractOptions } from 'actioncenter/testing';
 * const options: ExecutorContractOptions = { test, expect, factory: () => noopExecutor, actionTypes: builtInActionTypes };
 * ```
 */
export interface ExecutorContractOptions<E extends ActionExecutor = ActionExecutor> {
  /** Your runner's `test` (vitest, jest, node:test or your own). */
  readonly test: ContractTest;
  /** Your runner's `expect`, or any function of that shape. */
  readonly expect: ContractExpect;
  /** A fresh executor; called once per test. */
  readonly factory: () => E | Promise<E>;
  /** Runs after each test with that test's executor (close connections, ...). */
  readonly teardown?: (executor: E) => void | Promise<void>;
  /** The action types to hand the executor (the unsupported ones are only asked about). */
  readonly actionTypes: readonly ActionTypeDefinition[];
  /**
   * Valid parameters for types that are not built in (built-in types have examples), by type id;
   * default `{}`.
   */
  readonly parameters?: { readonly [actionTypeId: string]: Record<string, unknown> };
  /** How long one execution may take. Default 2,000 ms. */
  readonly timeoutMs?: number;
  /** How long an execution may take once its signal is aborted. Default 1,000 ms. */
  readonly abortTimeoutMs?: number;
  /**
   * Milliseconds each test may take, passed to `test` as its third argument (vitest's and jest's
   * `test(name, fn, timeout)`); a whole number from 1 to 2147483647. Default: none passed, so the
   * runner's own default applies (5 s in vitest and jest). A test runs one execution per supported
   * type in turn, each allowed `timeoutMs`: with many slow types, give more than their sum.
   */
  readonly timeout?: number;
  /** Prefixes every test name. Default `'executor contract'`. */
  readonly name?: string;
  /** Groups not to register, by name. Default: none. */
  readonly skip?: readonly ExecutorContractGroup[];
}

const Details = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional();
/** What the engine accepts from `execute` (src/center/ports.ts, `ExecutionOutcome`). */
const ExecutionOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('succeeded'), details: Details }),
  z.object({ status: z.literal('failed'), failure: ActionFailureSchema }),
  z.object({ status: z.literal('partial'), failure: ActionFailureSchema, details: Details }),
  // Dispatched (issue 15): the outcome comes later through `center.report`, naming `reference`.
  z.object({ status: z.literal('accepted'), reference: ExternalReferenceSchema, details: Details }),
]);

/**
 * Registers the executor contract suite as tests of your runner. Each test gets `await factory()`;
 * actions of the given types are built as the engine hands them over (running, with a deadline, on a
 * sample target of the type's kind, undo counterparts linked to an original). `timeout` sets each
 * test's time limit; an invalid one registers a single failing test that names it.
 *
 * @example
 * ```ts
 * // With vitest or jest: `import { test, expect } from 'vitest'` and pass them as they are.
 * // Here with node:test, which needs a two-line `expect`:
 * import { test } from 'node:test';
 * import assert from 'node:assert/strict';
 * import { builtInActionTypes, noopExecutor } from 'actioncenter';
 * import { executorContract, type ContractExpect } from 'actioncenter/testing';
 * const expect: ContractExpect = (actual, message) => ({
 *   toBe: (expected) => assert.equal(actual, expected, message),
 *   toEqual: (expected) => assert.deepEqual(actual, expected, message),
 * });
 * executorContract({ test: (name, body) => test(name, body), expect, factory: () => noopExecutor, actionTypes: builtInActionTypes, name: 'no-op executor' });
 * ```
 */
export function executorContract<E extends ActionExecutor>(options: ExecutorContractOptions<E>): void {
  const expect = options.expect;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const abortTimeoutMs = options.abortTimeoutMs ?? 1_000;
  const types = options.actionTypes;

  const supported = (executor: ActionExecutor): ActionTypeDefinition[] => {
    const found = types.filter((t) => executor.supports(t.id));
    expect(
      found.length > 0,
      `the executor supports at least one of the ${types.length} action types given (otherwise nothing is checked)`,
    ).toBe(true);
    return found;
  };

  /** Runs one execution and checks it resolved, in time, to a valid outcome. */
  const executeChecked = async (
    executor: ActionExecutor,
    type: ActionTypeDefinition,
    signal: AbortSignal,
    limit: number,
    what: string,
  ): Promise<ExecutionOutcome | null> => {
    const action = runningAction(type, options.parameters?.[type.id]);
    let settled: { ok: true; value: unknown } | { ok: false; error: unknown };
    try {
      settled = await within(
        Promise.resolve()
          .then(() => executor.execute({ action, actionType: type, signal }))
          .then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          ),
        limit,
        `${what} (${type.id})`,
      );
    } catch (e) {
      expect(`did not settle within ${limit} ms`, `${what}: execute of "${type.id}" settles`).toBe('settled');
      throw e;
    }
    expect(
      settled.ok ? 'resolved' : `rejected: ${describe(settled.error)}`,
      `${what}: execute of "${type.id}" resolves (a throw is an executor bug: report failures as outcomes)`,
    ).toBe('resolved');
    if (!settled.ok) return null;
    const parsed = ExecutionOutcomeSchema.safeParse(settled.value);
    expect(
      parsed.success
        ? 'valid'
        : `invalid: ${JSON.stringify(settled.value)?.slice(0, 300)} (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`,
      `${what}: execute of "${type.id}" resolves to a valid ExecutionOutcome`,
    ).toBe('valid');
    return parsed.success ? (settled.value as ExecutionOutcome) : null;
  };

  const cases: ContractCase<ExecutorContractGroup, E>[] = [
    {
      group: 'supports',
      title: 'supports answers a boolean for every type id (and unknown ones), the same every time, without throwing',
      run: async (executor) => {
        const ids = [...types.map((t) => t.id), 'noSuchActionType', ''];
        const first = ids.map((id) => ({ id, answer: askSupports(executor, id) }));
        const again = [...ids]
          .reverse()
          .map((id) => ({ id, answer: askSupports(executor, id) }))
          .reverse();
        for (const [i, { id, answer }] of first.entries()) {
          expect(typeof answer, `supports(${JSON.stringify(id)}) answers a boolean (got ${String(answer)})`).toBe(
            'boolean',
          );
          expect(again[i]?.answer, `supports(${JSON.stringify(id)}) answers the same when asked again`).toBe(answer);
        }
        supported(executor);
      },
    },
    {
      group: 'outcome',
      title: `execute resolves to a valid outcome for every supported type`,
      run: async (executor) => {
        for (const type of supported(executor)) {
          await executeChecked(executor, type, new AbortController().signal, timeoutMs, 'a normal execution');
        }
      },
    },
    {
      group: 'abort',
      title: 'with a signal aborted before the call, execute resolves promptly to a valid outcome',
      run: async (executor) => {
        for (const type of supported(executor)) {
          const controller = new AbortController();
          controller.abort(new Error('cancelled before the executor started'));
          await executeChecked(
            executor,
            type,
            controller.signal,
            abortTimeoutMs,
            'an execution whose signal was already aborted',
          );
        }
      },
    },
    {
      group: 'abort',
      title: 'with a signal aborted while it runs, execute resolves promptly to a valid outcome',
      run: async (executor) => {
        for (const type of supported(executor)) {
          const controller = new AbortController();
          const pending = executeChecked(
            executor,
            type,
            controller.signal,
            abortTimeoutMs + 10,
            'an execution aborted while running',
          );
          // Awaited below; marked as handled so that an early failure is not reported as unhandled meanwhile.
          pending.catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 5));
          controller.abort(new Error('deadline passed'));
          await pending;
        }
      },
    },
    {
      group: 'immutability',
      title: 'execute leaves the action it is given as it was (it is handed in deep-frozen)',
      run: async (executor) => {
        for (const type of supported(executor)) {
          const action = runningAction(type, options.parameters?.[type.id]);
          const before = structuredClone(action);
          deepFreeze(action);
          let outcome: unknown;
          try {
            outcome = await within(
              Promise.resolve(executor.execute({ action, actionType: type, signal: new AbortController().signal })),
              timeoutMs,
              `execute(${type.id})`,
            );
          } catch (e) {
            outcome = `rejected: ${describe(e)}`;
          }
          expect(
            ExecutionOutcomeSchema.safeParse(outcome).success ? 'valid' : String(JSON.stringify(outcome)),
            `execute of a frozen "${type.id}" resolves to a valid outcome (writing to the action throws)`,
          ).toBe('valid');
          expect(action, `the "${type.id}" action is unchanged`).toEqual(before);
        }
      },
    },
    {
      group: 'concurrency',
      title: 'many executions at once, of every supported type, all resolve to valid outcomes',
      run: async (executor) => {
        const batch = supported(executor).flatMap((type) => [type, type, type]);
        await Promise.all(
          batch.map((type) =>
            executeChecked(executor, type, new AbortController().signal, timeoutMs, 'a concurrent execution'),
          ),
        );
      },
    },
  ];
  registerCases(
    {
      test: options.test,
      name: options.name ?? 'executor contract',
      suite: 'executorContract',
      skip: options.skip ?? [],
      factory: options.factory,
      teardown: options.teardown,
      timeout: contractTimeout(options),
    },
    cases,
  );
}

function askSupports(executor: ActionExecutor, id: string): unknown {
  try {
    return executor.supports(id);
  } catch (e) {
    return `a throw (${describe(e)})`;
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * An action of `type` as the engine hands it to an executor: approved, then started (running, with a
 * deadline), on the sample target of the type's kind ({@link SAMPLE_TARGETS}), with the given
 * parameters or the type's example ({@link BUILT_IN_PARAMETER_EXAMPLES}; `{}` for your own types).
 * Throws when the parameters do not fit the type's schema.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { runningAction } from 'actioncenter/testing';
 * const action = runningAction(builtInCatalog.require('isolateDevice'));
 * action.status; // 'running'
 * ```
 */
export function runningAction(type: ActionTypeDefinition, parameters?: Record<string, unknown>): ActionRecord {
  const example =
    parameters ??
    (Object.hasOwn(builtInActionTypeMap, type.id)
      ? (BUILT_IN_PARAMETER_EXAMPLES as Record<string, Record<string, unknown>>)[type.id]
      : undefined) ??
    {};
  const source = ACTION_SOURCE_IDS.find((s) => ACTION_SOURCES[s].workloads.includes(type.workload));
  if (source === undefined) throw new Error(`No action source takes ${type.workload} actions`);
  // A catalogue of the one type (without its undo counterpart, which building the request does not need).
  const single = createCatalog([{ ...type, undo: null }]);
  if (!single.ok) throw new Error(`executorContract: "${type.id}" is not a valid action type: ${single.error.message}`);
  const request = single.value.parseRequest({
    actionType: type.id,
    target: SAMPLE_TARGETS[type.targetKind],
    parameters: example,
    source,
    requestedBy: ACTION_SOURCES[source].automated
      ? { type: 'system', component: 'automatedInvestigation' }
      : { type: 'principal', id: 'alice@contoso.com' },
    investigationId: 'inv-contract',
    comment: 'contract suite',
  });
  if (!request.ok) {
    throw new Error(
      `executorContract: no valid parameters for "${type.id}" (${request.error.message}); pass parameters: { ${JSON.stringify(type.id)}: { ... } }`,
    );
  }
  const now = Date.UTC(2026, 0, 5, 9, 0, 0);
  const created = createActionRecord(request.value, {
    id: asId<ActionId>(`act-contract-${type.id}`),
    now,
    status: 'approved',
    actionType: type,
    approvalId: null,
    pendingExpiryMs: 7 * 24 * 60 * 60 * 1000,
    undoOf: type.undoes.length > 0 ? asId<ActionId>('act-contract-original') : null,
  });
  const started = transition(
    created.action,
    { type: 'start', by: { type: 'system', component: 'executor' }, at: now + 1000, comment: null },
    { actionType: type },
  );
  if (!started.ok) throw new Error(`executorContract: cannot start "${type.id}": ${started.error.message}`);
  return started.value.action;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
