/**
 * `createModelRunSetup`: a fresh model and a fresh engine for each model-based run, with the engine
 * built by your factory from the clock, ids, executor and deadline timer the model needs to control.
 *
 * @module
 */
import {
  manualClock,
  sequentialIdGenerator,
  type ActionCenter,
  type ActionExecutor,
  type ApprovalPolicyConfig,
  type Clock,
  type DuplicatePolicy,
  type IdGenerator,
} from 'actioncenter';
import {
  emptyModel,
  nextTurnSleep,
  scriptedExecutor,
  type ActionCenterModel,
  type ActionCenterReal,
  type ScriptedOutcome,
} from './model.js';
import { defaultModelPermissions, type ModelPermissions } from './personas.js';

/**
 * What your engine factory must pass on to `createActionCenter`: spread it into the options (next to
 * your repository, for instance) and keep the built-in catalogue and the default approval policy.
 *
 * @example
 * ```ts
 * import { createActionCenter, createMemoryRepository } from 'actioncenter';
 * import type { ModelEngineDeps } from 'actioncenter/testing';
 * const engine = (deps: ModelEngineDeps) => createActionCenter({ ...deps, repository: createMemoryRepository() });
 * ```
 */
export interface ModelEngineDeps {
  /** A manual clock the commands move: pass it to `createActionCenter`. */
  readonly clock: Clock;
  /** Sequential ids the model predicts: pass them to `createActionCenter`. */
  readonly idGenerator: IdGenerator;
  /** Does what the commands scripted for each action. */
  readonly executor: ActionExecutor;
  /** Deadlines pass after one turn of the event loop: a hung execution times out at once. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The duplicate policy the model predicts: pass it to `createActionCenter`. */
  readonly duplicates: DuplicatePolicy;
  /**
   * Given only with {@link ModelRunOptions.timers} (issue 16): the approval policy whose deadline and
   * approved expiry the model predicts; pass it to `createActionCenter` (the spread does).
   */
  readonly approvalPolicy?: ApprovalPolicyConfig;
}

/**
 * Options of {@link createModelRunSetup}.
 *
 * @example
 * ```ts
 * import { createActionCenter } from 'actioncenter';
 * import type { ModelRunOptions } from 'actioncenter/testing';
 * const options: ModelRunOptions = { engine: (deps) => createActionCenter(deps), duplicates: 'join' };
 * ```
 */
export interface ModelRunOptions {
  /** Builds the engine under test from the dependencies the model controls. */
  readonly engine: (deps: ModelEngineDeps) => ActionCenter | Promise<ActionCenter>;
  /** The clock's start. Default 2026-11-23 09:00 UTC. */
  readonly start?: number;
  /** Passed to the engine and predicted by the model. Default `'refuse'`. */
  readonly duplicates?: DuplicatePolicy;
  /** Who may do what, when the engine uses another access policy. Default {@link defaultModelPermissions}. */
  readonly permissions?: ModelPermissions;
  /** Whether the engine denies a requester the approval of their own action (four eyes). Default `true`, as the default policy. */
  readonly fourEyes?: boolean;
  /**
   * Issue 16: an approval deadline for every pending action (`decideWithinMs`, escalating to
   * `escalateTo`) and an expiry of approved actions never started (`approvedExpiryMs`); the engine
   * gets them as its approval policy (`approvalPolicy` of the deps). Default: none, the default policy.
   */
  readonly timers?: {
    readonly decideWithinMs?: number;
    readonly escalateTo?: readonly string[];
    readonly approvedExpiryMs?: number;
  };
  /**
   * N-of-M approvals (issue 16): every pending action needs this many approvals (2..10; a
   * requirement rule matching every action, added to the engine's approval policy). Default 1.
   */
  readonly requiredApprovals?: number;
}

/**
 * The setup function `fc.asyncModelRun` calls before each run: a fresh {@link ActionCenterModel}
 * and a fresh engine from your factory (with a manual clock, sequential ids, the scripted executor
 * and an instant deadline timer).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { createActionCenter, createMemoryRepository } from 'actioncenter';
 * import { actionCenterCommands, createModelRunSetup } from 'actioncenter/testing';
 * const setup = createModelRunSetup({ engine: (deps) => createActionCenter({ ...deps, repository: createMemoryRepository() }) });
 * await fc.assert(fc.asyncProperty(fc.commands(actionCenterCommands(fc)), (cmds) => fc.asyncModelRun(setup, cmds)));
 * ```
 */
export function createModelRunSetup(
  options: ModelRunOptions,
): () => Promise<{ model: ActionCenterModel; real: ActionCenterReal }> {
  const start = options.start ?? Date.UTC(2026, 10, 23, 9, 0, 0);
  const duplicates = options.duplicates ?? 'refuse';
  const permissions = options.permissions ?? defaultModelPermissions;
  const timers = options.timers;
  const required = options.requiredApprovals;
  const policy = timers === undefined && required === undefined ? undefined : engineApprovalPolicy(timers, required);
  return async () => {
    const clock = manualClock(start);
    const script = new Map<string, ScriptedOutcome>();
    const center = await options.engine({
      clock,
      idGenerator: sequentialIdGenerator(),
      executor: scriptedExecutor(script),
      sleep: nextTurnSleep,
      duplicates,
      ...(policy === undefined ? {} : { approvalPolicy: policy }),
    });
    const empty = emptyModel(start, duplicates, permissions, options.fourEyes ?? true);
    const model = required === undefined ? empty : { ...empty, rules: { ...empty.rules, requiredApprovals: required } };
    return {
      model:
        timers === undefined
          ? model
          : {
              ...model,
              rules: {
                ...model.rules,
                decideWithinMs: timers.decideWithinMs ?? null,
                approvedExpiryMs: timers.approvedExpiryMs ?? null,
              },
            },
      real: { center, clock, script },
    };
  };
}

/** The engine's approval policy: the timers' rules, and one requiring `required` approvals of every action (issue 16). */
function engineApprovalPolicy(timers: ModelRunOptions['timers'], required: number | undefined): ApprovalPolicyConfig {
  const base = timers === undefined ? { requirements: [] } : timersPolicy(timers);
  return {
    ...base,
    requirements: [
      ...(base.requirements ?? []),
      ...(required === undefined ? [] : [{ match: {}, requiredApprovals: required }]),
    ],
  };
}

/** The approval policy of the model's timers: one rule matching every action (issue 16). */
function timersPolicy(timers: NonNullable<ModelRunOptions['timers']>): ApprovalPolicyConfig {
  const rule = {
    match: {},
    ...(timers.decideWithinMs === undefined ? {} : { decideWithinMs: timers.decideWithinMs }),
    ...(timers.escalateTo === undefined ? {} : { escalateTo: [...timers.escalateTo] }),
  };
  return {
    requirements: timers.decideWithinMs === undefined ? [] : [rule],
    ...(timers.approvedExpiryMs === undefined ? {} : { approvedExpiryMs: timers.approvedExpiryMs }),
  };
}
