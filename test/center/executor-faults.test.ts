/**
 * Regression tests of issue 11, items 2, 4 and 9: whatever an executor answers is validated and
 * bounded before it is used or stored (on memory and on PGlite, where an over-long failure once made
 * the row unreadable for ever), a garbage answer fails the action with `invalidExecutorResult`
 * (never a rejected `run()`, never an action left running), and an approved action whose type
 * left the catalogue fails with `unknownActionType` at the next run.
 */
import { describe, expect, it } from 'vitest';
import {
  builtInActionTypeMap,
  createCatalog,
  createMemoryRepository,
  randomIdGenerator,
  type ActionExecutor,
  type ActionRepository,
} from '../../src/index.js';
import { ActionRecordSchema, AuditEventSchema, ActionFailureSchema } from '../../src/adapter-kit.js';
import { freshRepository, usePGlite } from '../adapters/postgres-fixtures.js';
import { must, people, quarantine, testCenter } from './fixtures.js';

usePGlite();

const stores: [string, () => Promise<ActionRepository>][] = [
  ['memory', async () => createMemoryRepository()],
  ['PGlite', () => freshRepository()],
];

/** An executor that answers `answer()` for every action. */
function answering(answer: () => unknown): ActionExecutor {
  return { supports: () => true, execute: (() => answer()) as ActionExecutor['execute'] };
}

async function runOne(repository: ActionRepository, executor: ActionExecutor) {
  const ctx = testCenter({ repository, executor, sleep: () => new Promise(() => undefined) });
  const { action } = await must(ctx.center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
  const report = await ctx.center.run();
  // Read back through the store: on PostgreSQL an unreadable row would be corruptRecord here.
  const stored = await must(ctx.center.get({ principal: people.reader, id: action.id }));
  const trail = await must(ctx.center.auditTrail({ principal: people.reader, id: action.id }));
  for (const e of trail) expect(AuditEventSchema.safeParse(e).success).toBe(true);
  expect(ActionRecordSchema.safeParse(stored).success).toBe(true);
  return { ...ctx, report, stored, trail };
}

const throwingStatus = () => ({
  get status(): never {
    throw new Error('status getter throws');
  },
});
const throwingProxy = () =>
  new Proxy(
    {},
    {
      get: () => {
        throw new Error('proxy get trap throws');
      },
    },
  );
const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

describe.each(stores)('executor failure normalised before it is stored (%s)', (_, makeStore) => {
  it('executor failure with a 5,000-character message, a 300-character code and control characters is stored normalised and reads back', async () => {
    const code = `remote\u0000Failure${'X'.repeat(300)}`;
    const message = `bad\u0007 news \uD800 ${'m'.repeat(5000)}`;
    const { stored, trail } = await runOne(
      await makeStore(),
      answering(async () => ({ status: 'failed', failure: { code, message } })),
    );
    expect(stored.status).toBe('failed');
    expect(ActionFailureSchema.safeParse(stored.failure).success).toBe(true);
    expect(stored.failure?.code.length).toBeLessThanOrEqual(100);
    expect(stored.failure?.code.startsWith('remoteFailureXXX')).toBe(true);
    expect(stored.failure?.message.length).toBeLessThanOrEqual(2000);
    expect(stored.failure?.message).not.toMatch(/[\u0000-\u0008\u007F]/u);
    expect(stored.failure?.message).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    const fail = trail.at(-1);
    expect(fail).toMatchObject({ type: 'fail', to: 'failed', details: { failure: stored.failure } });
    // The original is kept within limits, for the audit.
    const original = fail?.details['failureOriginal'] as Record<string, unknown>;
    expect(typeof original['originalCode']).toBe('string');
    expect((original['originalCode'] as string).length).toBeLessThanOrEqual(500);
    expect(original['originalMessageLength']).toBeGreaterThan(2000);
  }, 60_000);

  it('executor failure with a non-string code is coerced, and the original type noted', async () => {
    const { stored, trail } = await runOne(
      await makeStore(),
      answering(async () => ({ status: 'failed', failure: { code: 42, message: 7 } })),
    );
    expect(stored.failure).toEqual({ code: '42', message: 'number 7' });
    expect(trail.at(-1)?.details['failureOriginal']).toMatchObject({
      originalCodeType: 'number',
      originalMessageType: 'number',
    });
  }, 60_000);

  it('executor failure with an empty code gets a code the schema accepts', async () => {
    const { stored } = await runOne(
      await makeStore(),
      answering(async () => ({ status: 'failed', failure: { code: ' \u0001 ', message: 'x' } })),
    );
    expect(stored.failure?.code).toBe('unspecifiedFailure');
  }, 60_000);

  it('a thrown Error with a huge message is stored normalised', async () => {
    const { stored } = await runOne(
      await makeStore(),
      answering(() => {
        throw new Error('E'.repeat(10_000));
      }),
    );
    expect(stored.failure?.code).toBe('executorError');
    expect(stored.failure?.message.length).toBeLessThanOrEqual(2000);
  }, 60_000);

  it('executor details are bounded and JSON-plain in the audit event', async () => {
    const details: Record<string, unknown> = {
      nested: { a: 1 },
      fn: () => 1,
      big: 'b'.repeat(10_000),
      nan: Number.NaN,
      ok: true,
    };
    for (let i = 0; i < 100; i += 1) details[`k${i}`] = i;
    Object.defineProperty(details, '__proto__', { value: 'polluted', enumerable: true });
    const { stored, trail } = await runOne(
      await makeStore(),
      answering(async () => ({ status: 'succeeded', details })),
    );
    expect(stored.status).toBe('succeeded');
    const kept = trail.at(-1)?.details['executorDetails'] as Record<string, unknown>;
    expect(Object.keys(kept).length).toBeLessThanOrEqual(33);
    expect(kept['nested']).toBeUndefined();
    expect(kept['fn']).toBeUndefined();
    expect(Object.hasOwn(kept, '__proto__')).toBe(false);
    expect((kept['big'] as string).length).toBeLessThanOrEqual(500);
    expect(kept['nan']).toBe('NaN');
    expect(kept['droppedDetails']).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(kept))).toEqual(kept);
  }, 60_000);

  it('a partial result keeps its details, bounded', async () => {
    const { stored, trail } = await runOne(
      await makeStore(),
      answering(async () => ({
        status: 'partial',
        failure: { code: 'partial', message: '2 of 3' },
        details: { done: 2, of: 3 },
      })),
    );
    expect(stored.failure).toEqual({ code: 'partial', message: 'Partial: 2 of 3' });
    expect(trail.at(-1)?.details['executorDetails']).toEqual({ done: 2, of: 3 });
  }, 60_000);
});

describe.each(stores)('garbage executor answer becomes invalidExecutorResult (%s)', (_, makeStore) => {
  it.each<[string, () => unknown]>([
    ['null', async () => null],
    ['undefined', async () => undefined],
    ['{status: failed} without a failure', async () => ({ status: 'failed' })],
    ['a failure of null', async () => ({ status: 'failed', failure: null })],
    ['an unknown status', async () => ({ status: 'done' })],
    ['a failure whose code is an object', async () => ({ status: 'failed', failure: { code: {}, message: 'x' } })],
    ['a status getter that throws (returned as is)', () => throwingStatus()],
    ['a Proxy that throws (returned as is)', () => throwingProxy()],
    ['a revoked Proxy (returned as is)', () => revoked()],
    ['a rejection with a string', () => Promise.reject('just a string')],
    ['a rejection with undefined', () => Promise.reject(undefined)],
    [
      'a thrown non-Error',
      () => {
        throw { nope: true };
      },
    ],
    [
      'an Error whose message getter throws',
      () => {
        const e = new Error('x');
        Object.defineProperty(e, 'message', {
          get: () => {
            throw new Error('no message for you');
          },
        });
        throw e;
      },
    ],
  ])(
    'garbage executor answer: %s ends failed with invalidExecutorResult; run() resolves',
    async (_, answer) => {
      const { report, stored, trail } = await runOne(await makeStore(), answering(answer));
      expect(report.ok).toBe(true);
      expect(report.ok && report.value).toMatchObject({ started: 1, failed: 1 });
      expect(stored.status).toBe('failed');
      expect(stored.failure?.code).toBe('invalidExecutorResult');
      expect(trail.map((e) => e.type)).toEqual(['created', 'start', 'fail']);
    },
    60_000,
  );

  it.each<[string, () => unknown]>([
    ['a Proxy that throws, from an async executor', async () => throwingProxy()],
    ['a revoked Proxy, from an async executor', async () => revoked()],
    ['a status getter that throws, from an async executor', async () => throwingStatus()],
  ])(
    'garbage executor answer: %s ends failed; run() resolves',
    async (_, answer) => {
      // Awaiting a Proxy reads its `then`: when that throws, the promise machinery turns it into a
      // rejection with an Error (executorError); otherwise the answer is read as invalid.
      const { report, stored } = await runOne(await makeStore(), answering(answer));
      expect(report.ok).toBe(true);
      expect(stored.status).toBe('failed');
      expect(['invalidExecutorResult', 'executorError']).toContain(stored.failure?.code);
    },
    60_000,
  );

  it('an executor that never settles ends timedOut at the deadline, and run() resolves', async () => {
    const ctx = testCenter({
      repository: await makeStore(),
      executor: answering(() => new Promise(() => undefined)),
      sleep: async () => undefined,
    });
    const { action } = await must(ctx.center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    expect(await must(ctx.center.run())).toMatchObject({ started: 1, timedOut: 1 });
    expect((await must(ctx.center.get({ principal: people.reader, id: action.id }))).status).toBe('timedOut');
  }, 60_000);

  it.each<[string, ActionExecutor['supports']]>([
    ['answers a truthy string', (() => 'yes') as unknown as ActionExecutor['supports']],
    [
      'throws',
      () => {
        throw new Error('supports throws');
      },
    ],
  ])(
    'an executor whose supports() %s does not run the action: unsupportedActionType',
    async (_, supports) => {
      const { stored } = await runOne(await makeStore(), { supports, execute: async () => ({ status: 'succeeded' }) });
      expect(stored.failure?.code).toBe('unsupportedActionType');
    },
    60_000,
  );
});

describe.each(stores)('approved action of an unknown type (%s)', (_, makeStore) => {
  it('approved action whose type left the catalogue fails with unknownActionType at the next run, audited', async () => {
    const repository = await makeStore();
    const first = testCenter({ repository });
    const { action } = await must(first.center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    expect(action.status).toBe('approved');
    // The center restarts with a smaller custom catalogue that no longer holds quarantineFile.
    const smaller = createCatalog([builtInActionTypeMap.runAntivirusScan]);
    if (!smaller.ok) throw new Error(smaller.error.message);
    let executed = 0;
    // Random ids: the restarted center's sequential ids would reuse the first one's audit event ids.
    const second = testCenter({
      repository,
      catalog: smaller.value,
      idGenerator: randomIdGenerator,
      executor: answering(async () => {
        executed += 1;
        return { status: 'succeeded' };
      }),
    });
    second.clock.advance(60_000);
    const report = await must(second.center.run());
    expect(report).toMatchObject({ started: 0, failed: 1 });
    expect(executed).toBe(0);
    const stored = await must(second.center.get({ principal: people.reader, id: action.id }));
    expect(stored).toMatchObject({
      status: 'failed',
      startedAt: null,
      openKey: null,
      failure: { code: 'unknownActionType' },
    });
    expect(stored.failure?.message).toContain('quarantineFile');
    const trail = await must(second.center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.map((e) => `${e.type}:${e.from ?? '-'}->${e.to}`)).toEqual([
      'created:-->approved',
      'fail:approved->failed',
    ]);
    expect(trail.at(-1)).toMatchObject({
      actor: { type: 'system', component: 'executor' },
      details: { failure: { code: 'unknownActionType' } },
    });
    // The next run does not touch it again.
    expect(await must(second.center.run())).toMatchObject({ failed: 0 });
  }, 60_000);
});
