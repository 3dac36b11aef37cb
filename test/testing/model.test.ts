/**
 * Model-based tests of the engine: generated sequences of submits, decisions, undos, runs, expiries,
 * views and clock moves, each checked against a model much simpler than the engine, with the
 * invariants checked after every step. fast-check prints the seed and the shrunk command sequence on
 * failure; replay with `fc.assert(..., { seed, path })`.
 *
 * MODEL_RUNS sets the number of runs of the main property (default 200; CI may raise it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createActionCenter,
  createDefaultAccessPolicy,
  createMemoryRepository,
  defaultAccessPolicy,
  manualClock,
  sequentialIdGenerator,
  type AccessPolicy,
  type ActionCenter,
  type ActionRepository,
  type AuditEvent,
} from 'actioncenter';
import {
  ESCALATION_EVENT_TYPES,
  LIFECYCLE_EVENT_TYPES,
  REPORT_EVENT_TYPES,
  RETRY_EVENT_TYPES,
} from 'actioncenter/adapter-kit';
import {
  MODEL_PERSONAS,
  actionCenterCommands,
  createModelRunSetup,
  type ActionCenterCommandsOptions,
  type ModelEngineDeps,
  type ModelRunOptions,
} from 'actioncenter/testing';
import { BROKEN_REPOSITORIES, naiveRepository } from './naive-repository.js';

/** The repository with a due index that leaves running actions out: their deadlines never come. */
function dueWithoutRunning(base: ActionRepository): ActionRepository {
  const due: ActionRepository['due'] = async (query) => {
    const page = await base.due(query);
    return page.ok
      ? { ...page, value: { ...page.value, items: page.value.items.filter((a) => a.status !== 'running') } }
      : page;
  };
  return Object.create(base, { due: { value: due } }) as ActionRepository;
}

/** The repository that stores every record without its `retryAt`: a retried action is due at once. */
function forgetsRetryAt(base: ActionRepository): ActionRepository {
  const commit: ActionRepository['commit'] = (batch) =>
    base.commit({ ...batch, writes: batch.writes.map((w) => ({ ...w, action: { ...w.action, retryAt: null } })) });
  return Object.create(base, { commit: { value: commit } }) as ActionRepository;
}

const RUNS = Number(process.env.MODEL_RUNS ?? 200);

/** Runs the model-based property; resolves when every run agreed with the model. */
function modelRuns(options: ModelRunOptions, runs: number, commands: ActionCenterCommandsOptions = {}): Promise<void> {
  const setup = createModelRunSetup(options);
  return fc.assert(
    fc.asyncProperty(fc.commands(actionCenterCommands(fc, commands), { size: '+1' }), (cmds) =>
      fc.asyncModelRun(setup, cmds),
    ),
    { numRuns: runs },
  );
}

/** The report of a model run that must fail: fast-check's message (seed, counterexample) and the model's complaint (its cause). */
async function failureOf(run: Promise<void>): Promise<string> {
  try {
    await run;
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : '';
    return `${e instanceof Error ? e.message : String(e)}\n${cause}`;
  }
  throw new Error('the model runs were expected to find a difference, and found none');
}

const onRepository =
  (repository: () => ActionRepository, extra: { accessPolicy?: AccessPolicy } = {}) =>
  (deps: ModelEngineDeps): ActionCenter =>
    createActionCenter({ ...deps, repository: repository(), ...extra });

describe('the engine agrees with the model', () => {
  it(`on the in-memory repository (${RUNS} runs), reaching every lifecycle event`, async () => {
    const seen = new Set<string>();
    const engine = (deps: ModelEngineDeps) => {
      const center = createActionCenter({ ...deps, repository: createMemoryRepository() });
      center.subscribe((change) => change.events.forEach((e) => seen.add(e.type)));
      return center;
    };
    await modelRuns({ engine }, RUNS);
    // The runs are not vacuous: every event of the lifecycle happened somewhere, the report events
    // (accept, progress, reportDiscarded) and `retry` (the script's transient failures) included.
    // `escalate` needs an approval deadline, which the default policy has none of: model-timers.test.ts reaches it.
    // `addApproval` needs actions requiring several approvals: model-approvals.test.ts reaches it.
    const reachable = LIFECYCLE_EVENT_TYPES.filter(
      (e) => !(ESCALATION_EVENT_TYPES as readonly string[]).includes(e) && e !== 'addApproval',
    );
    expect([...seen].sort()).toEqual(['created', ...reachable].sort());
    expect(REPORT_EVENT_TYPES.every((e) => seen.has(e))).toBe(true);
    expect(RETRY_EVENT_TYPES.every((e) => seen.has(e))).toBe(true);
  }, 90_000);

  it('reports meet dispatched work in every state (issue 15): running, overdue, timed out, cancelled, finished', async () => {
    const wanted = [
      'cancel from running',
      'progress from running',
      'reportDiscarded from cancelled',
      'reportDiscarded from failed',
      'reportDiscarded from succeeded',
      'reportDiscarded from timedOut',
      'succeed from running (late)',
      'succeed from timedOut (late)',
      'timeOut from running (reported)',
    ];
    const seen = new Set<string>();
    const engine = (deps: ModelEngineDeps) => {
      const center = createActionCenter({ ...deps, repository: createMemoryRepository() });
      center.subscribe((change) => change.events.forEach((e) => seen.add(kindOf(e))));
      return center;
    };
    // Some paths are rare (a cancellable type dispatched, then cancelled, then reported on): batches
    // of runs, each a full check, until every path was met, at most twelve.
    for (let batch = 0; batch < 12 && !wanted.every((k) => seen.has(k)); batch++)
      await modelRuns({ engine }, Math.max(50, Math.ceil(RUNS / 4)), {
        only: ['submit', 'cancel', 'run', 'report', 'advanceClock'],
      });
    expect(wanted.filter((k) => !seen.has(k))).toEqual([]);
  }, 120_000);

  it('transient failures are retried by the type policy (issue 15): 30 s, then 60 s later, and the third attempt fails', async () => {
    const wanted = [
      'retry after attempt 1 (30 s)',
      'retry after attempt 2 (60 s)',
      'start of attempt 2',
      'start of attempt 3',
      'fail after attempt 3 (transient, final)',
    ];
    const seen = new Set<string>();
    const engine = (deps: ModelEngineDeps) => {
      const center = createActionCenter({ ...deps, repository: createMemoryRepository() });
      center.subscribe((change) =>
        change.events.forEach((e) => {
          const record = change.actions.find((a) => a.id === e.actionId);
          if (e.type === 'retry' && typeof e.details['retryAt'] === 'number')
            seen.add(`retry after attempt ${String(e.details['attempt'])} (${(e.details['retryAt'] - e.at) / 1000} s)`);
          if (e.type === 'start' && e.details['attempt'] !== undefined)
            seen.add(`start of attempt ${String(e.details['attempt'])}`);
          const failure = e.details['failure'] as { code?: unknown } | undefined;
          if (e.type === 'fail' && failure?.code === 'throttled')
            seen.add(`fail after attempt ${String(record?.attempt)} (transient, final)`);
        }),
      );
      return center;
    };
    // The model checks each step (no start before retryAt, the run counts, attempt and retryAt on the
    // records); batches of runs, each a full check, until every step was met, at most twelve.
    for (let batch = 0; batch < 12 && !wanted.every((k) => seen.has(k)); batch++)
      await modelRuns({ engine }, Math.max(50, Math.ceil(RUNS / 4)), {
        only: ['submit', 'approve', 'cancel', 'run', 'advanceClock'],
      });
    expect([...seen].sort()).toEqual([...wanted].sort());
  }, 120_000);

  it('when duplicates are joined', async () => {
    await modelRuns({ engine: onRepository(() => createMemoryRepository()), duplicates: 'join' }, Math.ceil(RUNS / 4));
  }, 30_000);

  it('when duplicates are allowed', async () => {
    await modelRuns({ engine: onRepository(() => createMemoryRepository()), duplicates: 'allow' }, Math.ceil(RUNS / 4));
  }, 30_000);

  it('on a naive repository of our own (what a user does with theirs)', async () => {
    await modelRuns({ engine: onRepository(() => naiveRepository()) }, Math.ceil(RUNS / 4));
  }, 30_000);
});

/** What a change event shows of the report paths: the step, and for the report-driven ones where it came from. */
function kindOf(event: AuditEvent): string {
  const reported = event.type === 'timeOut' && event.details['reported'] !== undefined;
  const late = event.type === 'succeed' && event.details['late'] === true;
  switch (event.type) {
    case 'cancel':
    case 'progress':
    case 'reportDiscarded':
    case 'undoSucceeded':
      return event.from === 'running' || event.type !== 'cancel' ? `${event.type} from ${event.from}` : event.type;
    case 'succeed':
      return late ? `succeed from ${event.from} (late)` : event.type;
    case 'timeOut':
      return reported ? 'timeOut from running (reported)' : event.type;
    default:
      return event.type;
  }
}

describe('the model notices a broken engine, and fast-check prints the seed', () => {
  it('a repository that never finds open actions: duplicates slip through', async () => {
    const report = await failureOf(
      modelRuns({ engine: onRepository(BROKEN_REPOSITORIES.ignoresOpenKeys) }, 200, { only: ['submit', 'list'] }),
    );
    expect(report).toMatch(/seed: -?\d+/);
    expect(report).toMatch(/duplicateOpenAction/);
  }, 30_000);

  it('a repository that loses audit events: the trail no longer matches the version', async () => {
    const report = await failureOf(
      modelRuns({ engine: onRepository(BROKEN_REPOSITORIES.dropsUpdateEvents) }, 200, {
        only: ['submit', 'approve', 'run'],
      }),
    );
    expect(report).toMatch(/Counterexample: \[submit\(/);
    expect(report).toMatch(/audit trail length of act-\d+ equals its version/);
  }, 30_000);

  it('an access policy that lets readers decide: the model says a reader is always denied', async () => {
    const lenient: AccessPolicy = {
      name: 'lenient',
      authorize: (principal, operation, subject) =>
        principal.id === MODEL_PERSONAS.securityReader.id && (operation === 'approve' || operation === 'reject')
          ? { allowed: true, rule: 'lenient', operation, principalId: principal.id }
          : defaultAccessPolicy.authorize(principal, operation, subject),
    };
    const report = await failureOf(
      modelRuns({ engine: onRepository(() => createMemoryRepository(), { accessPolicy: lenient }) }, 300, {
        only: ['submit', 'approve', 'reject'],
      }),
    );
    expect(report).toMatch(/(approve|reject)\(by securityReader/);
    expect(report).toMatch(/the model expected "denied"/);
  }, 30_000);

  it('an engine with four eyes on, against a model that does not expect it', async () => {
    // Four eyes is the engine's default (issue 12, item 7b): the model is told it is off.
    const report = await failureOf(
      modelRuns(
        {
          engine: onRepository(() => createMemoryRepository(), {
            accessPolicy: createDefaultAccessPolicy({ fourEyes: true }),
          }),
          fourEyes: false,
        },
        300,
        { only: ['submit', 'approve'] },
      ),
    );
    expect(report).toMatch(/the engine gave "denied"/);
  }, 30_000);

  it('a repository whose due index never answers running actions: dispatched work is not timed out by run', async () => {
    const report = await failureOf(
      modelRuns({ engine: onRepository(() => dueWithoutRunning(createMemoryRepository())) }, 300, {
        only: ['submit', 'run', 'advanceClock'],
      }),
    );
    expect(report).toMatch(/run\(\): report/);
    expect(report).toMatch(/the model expected \{[^}]*"timedOut":[1-9]/);
  }, 30_000);

  it('a repository that forgets retryAt (issue 15): the retried action is due at once, not after its backoff', async () => {
    const report = await failureOf(
      modelRuns({ engine: onRepository(() => forgetsRetryAt(createMemoryRepository())) }, 300, {
        only: ['submit', 'approve', 'run'],
      }),
    );
    expect(report).toMatch(/then transient\)/);
    expect(report).toMatch(/attempt and retryAt of act-\d+|run\(\): report/);
  }, 30_000);

  it('an engine whose report records a partial result as a plain failure: the failure recorded disagrees', async () => {
    const engine = (deps: ModelEngineDeps): ActionCenter => {
      const center = createActionCenter({ ...deps, repository: createMemoryRepository() });
      const report: ActionCenter['report'] = (input) =>
        center.report(
          input.outcome.status === 'partial' ? { ...input, outcome: { ...input.outcome, status: 'failed' } } : input,
        );
      return Object.create(center, { report: { value: report } }) as ActionCenter;
    };
    const report = await failureOf(modelRuns({ engine }, 300, { only: ['submit', 'run', 'report'] }));
    expect(report).toMatch(/report\(partial/);
    expect(report).toMatch(/the failure recorded|audit events added|the model expected "duplicate"/);
  }, 30_000);

  it('an engine that ignores the clock it is given: creation times disagree', async () => {
    const engine = (deps: ModelEngineDeps) =>
      createActionCenter({
        idGenerator: deps.idGenerator,
        executor: deps.executor,
        sleep: deps.sleep,
        repository: createMemoryRepository(),
      });
    const report = await failureOf(modelRuns({ engine }, 50, { only: ['submit'] }));
    expect(report).toMatch(/disposition and record/);
  }, 30_000);
});

describe('seed 001 and undo eligibility: why the model-based submits never make live response actions that can be undone', () => {
  // Seed 001, "Undo completed actions": the undo table lists the action sources "Automated investigation,
  // Microsoft Defender Antivirus, Manual response actions". A device isolated through live response is
  // not among them. The model follows the seed; the engine follows it for a selection of several actions
  // but not for one action alone, so the generated submits stay away from that case until it is fixed.
  async function isolatedThroughLiveResponse(devices: readonly string[]) {
    const center = createActionCenter({
      clock: manualClock(Date.UTC(2026, 10, 23)),
      idGenerator: sequentialIdGenerator(),
    });
    const admin = MODEL_PERSONAS.securityAdministrator;
    const ids: string[] = [];
    for (const device of devices) {
      const submitted = await center.submit({
        principal: admin,
        request: {
          actionType: 'isolateDevice',
          target: { kind: 'device', deviceId: `dev-${device}`, deviceName: device, deviceGroup: 'Workstations' },
          parameters: { isolationType: 'full' },
          // Through the API (live response group): seed 000's source policy takes isolation there.
          source: 'liveResponseAction',
          requestedBy: { type: 'principal', id: admin.id },
        },
      });
      if (!submitted.ok) throw new Error(submitted.error.message);
      ids.push(submitted.value.action.id);
    }
    const ran = await center.run();
    if (!ran.ok || ran.value.succeeded !== devices.length) throw new Error('setup: the isolations did not succeed');
    return { center, admin, ids };
  }

  it('seed 001: several live response actions selected together are refused for undo (source not eligible), each with its reason', async () => {
    const { center, admin, ids } = await isolatedThroughLiveResponse(['LAPTOP-1', 'LAPTOP-2']);
    const r = await center.undo({ principal: admin, ids });
    // Issue 12, item 9: only mixed types refuse a selection whole; each item is refused on its own.
    expect(r.ok && r.value.items.map((i) => (i.outcome === 'invalidState' ? i.error.code : i.outcome))).toEqual([
      'undoIneligible',
      'undoIneligible',
    ]);
  });

  // Known engine bug, reported: center.undo with ONE id does not check undo eligibility (source), so
  // the same action that is refused in a selection is undone alone. Remove `.fails` once fixed.
  it('seed 001: one live response action alone is refused for undo too (source not eligible)', async () => {
    const { center, admin, ids } = await isolatedThroughLiveResponse(['LAPTOP-1']);
    const r = await center.undo({ principal: admin, ids });
    const outcome = r.ok ? r.value.items[0]?.outcome : r.error.code;
    expect(outcome).not.toBe('succeeded');
    const stored = await center.get({ principal: admin, id: ids[0] ?? '' });
    expect(stored.ok && stored.value.status).toBe('succeeded');
  });
});
