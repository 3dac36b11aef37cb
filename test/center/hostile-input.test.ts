/**
 * Regression tests of issue 11, item 6: "never throws" entry points threw on hostile objects (a
 * revoked Proxy, a throwing getter, a Proxy whose every trap throws, an object without a prototype).
 */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  builtInActionTypes,
  builtInCatalog,
  createActionCenter,
  createApprovalPolicy,
  createCatalog,
  createDefaultAccessPolicy,
  clearAutomationLevel,
  defineActionType,
  parseActionRequest,
  setAutomationLevel,
  ActionCenterException,
  type ActionCenterError,
  type Catalog,
  type IdGenerator,
  type Result,
} from '../../src/index.js';
import {
  authorize,
  DEFAULT_APPROVAL_POLICY,
  parseLifecycleEvent,
  resolveQuery,
  safeParseInput,
  selectColumns,
} from '../../src/adapter-kit.js';
import { ACTION_CENTER_ERROR_CODES_FOR_TESTS } from './error-codes.js';
import { must, people, quarantine, softDeleteCluster, T0, testCenter } from './fixtures.js';

function revoked(): object {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
}
function throwingGetter(key = 'id'): object {
  return Object.defineProperty({}, key, {
    enumerable: true,
    get: () => {
      throw new Error('getter boom');
    },
  });
}
function allTrapsThrow(): object {
  const boom = () => {
    throw new Error('trap boom');
  };
  return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
}

/** The hostile values every entry point is given, each at every position. */
const HOSTILE: readonly (readonly [string, () => unknown])[] = [
  ['a revoked Proxy', revoked],
  ['an object whose getter throws', () => throwingGetter()],
  [
    'an object with a throwing getter on every field',
    () => ({
      ...Object.fromEntries([]),
      get principal() {
        throw new Error('p');
      },
      get ids() {
        throw new Error('i');
      },
      get idGenerator() {
        throw new Error('g');
      },
      get request() {
        throw new Error('r');
      },
    }),
  ],
  ['a Proxy whose every trap throws', allTrapsThrow],
  ['an object without a prototype', () => Object.create(null)],
  ['an array holding a revoked Proxy', () => [revoked()]],
  ['null', () => null],
];

function expectTypedError(r: Result<unknown, { code: string; message: string }>): void {
  if (r.ok) return;
  expect(ACTION_CENTER_ERROR_CODES_FOR_TESTS).toContain(r.error.code);
  expect(r.error.message.length).toBeGreaterThan(0);
}

describe('issue 11 item 6: a revoked Proxy or a throwing getter made every center operation throw', () => {
  it.each(HOSTILE)(
    'every operation answers %s with a typed error, resolving, never throwing, changing nothing',
    async (_name, make) => {
      const { center } = testCenter();
      await must(center.submit({ request: quarantine('LAPTOP-1') }));
      const before = await must(center.list({ principal: people.globalAdmin, query: {} }));
      const inputs: [string, (h: unknown) => Promise<Result<unknown, ActionCenterError>>][] = [
        ['submit', (h) => center.submit(h as never)],
        ['submit request', (h) => center.submit({ request: h as never })],
        [
          'submit principal',
          (h) =>
            center.submit({
              request: {
                ...quarantine('LAPTOP-2'),
                source: 'manualDeviceAction',
                requestedBy: { type: 'principal', id: 'x' },
              },
              principal: h as never,
            }),
        ],
        ['approve', (h) => center.approve(h as never)],
        ['approve principal', (h) => center.approve({ principal: h as never, ids: ['act-1'] })],
        ['approve ids', (h) => center.approve({ principal: people.globalAdmin, ids: h as never })],
        ['reject', (h) => center.reject(h as never)],
        // A principal who may not cancel: a comment that happens to be valid (null) changes nothing either.
        ['cancel comment', (h) => center.cancel({ principal: people.nobody, ids: ['act-1'], comment: h as never })],
        ['undo', (h) => center.undo(h as never)],
        [
          'undo flag',
          (h) => center.undo({ principal: people.globalAdmin, ids: ['act-1'], applyToOtherInstances: h as never }),
        ],
        ['run', (h) => center.run(h as never)],
        ['run ids', (h) => center.run({ ids: h as never })],
        ['list', (h) => center.list(h as never)],
        ['list query', (h) => center.list({ principal: people.reader, query: h as never })],
        ['list principal', (h) => center.list({ principal: h as never })],
        ['get', (h) => center.get(h as never)],
        ['get id', (h) => center.get({ principal: people.reader, id: h as never })],
        ['auditTrail', (h) => center.auditTrail(h as never)],
        ['verifyAuditTrail', (h) => center.verifyAuditTrail(h as never)],
        ['exportCsv', (h) => center.exportCsv(h as never)],
        ['exportCsv columns', (h) => center.exportCsv({ principal: people.reader, columns: h as never })],
      ];
      for (const [label, call] of inputs) {
        let r: Result<unknown, ActionCenterError> | undefined;
        try {
          r = await call(make());
        } catch (cause) {
          expect.fail(`${label} threw or rejected: ${String(cause)}`);
        }
        expect(r, label).toBeDefined();
        if (r !== undefined) expectTypedError(r);
      }
      expect(await must(center.list({ principal: people.globalAdmin, query: {} }))).toEqual(before);
    },
  );

  it('unreadable input is invalidInput with an "unreadable" issue, not an internal error', async () => {
    const { center } = testCenter();
    const r = await center.approve(revoked() as never);
    expect(r.ok).toBe(false);
    if (!r.ok && r.error.code === 'invalidInput') expect(r.error.issues[0]?.code).toBe('unreadable');
    else expect.fail(JSON.stringify(r));
    const g = await center.get({ principal: throwingGetter('assignments') as never, id: 'act-1' });
    expect(!g.ok && g.error.code).toBe('invalidInput');
  });

  it('subscribe with a revoked Proxy or a non-function returns an unsubscribe and never throws', async () => {
    const { center } = testCenter();
    for (const make of HOSTILE.map(([, m]) => m)) {
      const stop = center.subscribe(make() as never);
      expect(typeof stop).toBe('function');
      stop();
    }
    expect((await center.submit({ request: softDeleteCluster() })).ok).toBe(true);
  });

  it('createActionCenter with unreadable options throws only its documented ActionCenterException', () => {
    for (const [name, make] of HOSTILE) {
      let thrown: unknown = null;
      try {
        createActionCenter(make() as never);
      } catch (cause) {
        thrown = cause;
      }
      // The third one's `idGenerator` getter is an option the center reads.
      const unreadable =
        name === 'a revoked Proxy' ||
        name === 'a Proxy whose every trap throws' ||
        name === 'an object with a throwing getter on every field';
      if (unreadable) expect(thrown, name).toBeInstanceOf(ActionCenterException);
      else expect(thrown, name).toBeNull();
    }
    expect(() => createActionCenter(null as never)).not.toThrow();
  });
});

describe('issue 11 item 6: a component without its functions failed later, inside an operation', () => {
  it.each([
    ['idGenerator', { idGenerator: 42 }, ['idGenerator']],
    ['idGenerator.next', { idGenerator: {} }, ['idGenerator', 'next']],
    // Renamed in 0.2: a JavaScript caller still passing `ids` is told, not silently given random ids.
    ['ids (renamed idGenerator)', { ids: { next: () => 'act-1' } }, ['ids']],
    ['clock.now', { clock: { now: 1 } }, ['clock', 'now']],
    ['accessPolicy.authorize', { accessPolicy: { name: 'x' } }, ['accessPolicy', 'authorize']],
    ['repository.commit', { repository: { get: () => null } }, ['repository', 'getMany']],
    ['executor', { executor: null }, ['executor']],
    ['sleep', { sleep: 'soon' }, ['sleep']],
  ] as const)(
    'createActionCenter refuses a %s that is not there with invalidInput naming it',
    (_name, options, path) => {
      try {
        createActionCenter(options as never);
        expect.fail('accepted');
      } catch (cause) {
        expect(cause).toBeInstanceOf(ActionCenterException);
        if (cause instanceof ActionCenterException) {
          expect(cause.error.code).toBe('invalidInput');
          if (cause.error.code === 'invalidInput')
            expect(cause.error.issues.map((i: { path: readonly (string | number)[] }) => i.path)).toContainEqual(path);
        }
      }
    },
  );
});

describe('issue 11 item 6: parse, authorize, policy and query entry points threw on hostile objects', () => {
  const entryPoints: [string, (h: unknown) => Result<unknown, { code: string; message: string }>][] = [
    ['parseActionRequest', (h) => parseActionRequest(h)],
    ['parseActionRequest with a hostile catalogue', (h) => parseActionRequest(quarantine('PC'), h as Catalog)],
    ['catalog.parseRequest', (h) => builtInCatalog.parseRequest(h)],
    ['catalog.parseParameters', (h) => builtInCatalog.parseParameters('isolateDevice', h)],
    ['catalog.parseParameters with a hostile id', (h) => builtInCatalog.parseParameters(h as string, {})],
    ['catalog.get', (h) => builtInCatalog.get(h as string)],
    ['createCatalog', (h) => createCatalog(h as never)],
    ['createCatalog with a hostile type', (h) => createCatalog([...builtInActionTypes, h] as never)],
    ['createApprovalPolicy', (h) => createApprovalPolicy(h)],
    ['setAutomationLevel group', (h) => setAutomationLevel(DEFAULT_APPROVAL_POLICY, h, 'full')],
    ['setAutomationLevel policy', (h) => setAutomationLevel(h as never, 'Servers', 'full')],
    ['authorize principal', (h) => authorize(h, 'view', { kind: 'none' })],
    ['authorize operation', (h) => authorize(people.reader, h, { kind: 'none' })],
    ['authorize subject', (h) => authorize(people.globalAdmin, 'approve', h as never)],
    ['authorize policy', (h) => authorize(people.globalAdmin, 'approve', { kind: 'none' }, h as never)],
    ['resolveQuery', (h) => resolveQuery(h, T0)],
    ['resolveQuery filter', (h) => resolveQuery({ filter: h as never }, T0)],
    ['selectColumns', (h) => selectColumns(h)],
    ['parseLifecycleEvent', (h) => parseLifecycleEvent(h)],
    ['safeParseInput', (h) => safeParseInput(z.object({ a: z.string() }), h, 'thing')],
  ];
  it.each(HOSTILE)('each answers %s with a Result, never a throw', (_name, make) => {
    for (const [label, call] of entryPoints) {
      let r: Result<unknown, { code: string; message: string }> | undefined;
      try {
        r = call(make());
      } catch (cause) {
        expect.fail(`${label} threw: ${String(cause)}`);
      }
      expect(r, label).toBeDefined();
      if (r !== undefined) expectTypedError(r);
    }
  });

  it('catalog.get(Object.create(null)) and createCatalog(null) answer typed errors', () => {
    const got = builtInCatalog.get(Object.create(null) as string);
    expect(!got.ok && got.error.code).toBe('unknownActionType');
    const created = createCatalog(null as never);
    expect(!created.ok && created.error.code).toBe('invalidInput');
  });

  it('createCatalog reads a definition through a Proxy once and still builds the catalogue', () => {
    const tag = defineActionType({
      id: 'tagDevice',
      displayName: 'Tag device',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.object({}),
    });
    const r = createCatalog([...builtInActionTypes, new Proxy(tag, {})]);
    expect(r.ok).toBe(true);
  });

  it('clearAutomationLevel and createDefaultAccessPolicy never throw on unreadable arguments', () => {
    expect(clearAutomationLevel(revoked() as never, 'Servers')).toMatchObject({
      ok: false,
      error: { code: 'invalidInput' },
    });
    expect(clearAutomationLevel(DEFAULT_APPROVAL_POLICY, revoked())).toMatchObject({
      ok: false,
      error: { code: 'invalidInput' },
    });
    // Unreadable options: the stricter (four-eyes) policy.
    expect(createDefaultAccessPolicy(revoked() as never).name).toBe('default+fourEyes');
    expect(createDefaultAccessPolicy(null as never).name).toBe('default+fourEyes');
  });
});

describe('issue 11 item 7: an id generator returning garbage is a typed error that changes nothing', () => {
  const garbage: [string, unknown][] = [
    ['a number', 42],
    ['an empty string', ''],
    ['undefined', undefined],
    ['an object', { id: 'x' }],
    ['a string over the id limit', 'x'.repeat(10_000)],
  ];
  it.each(garbage)(
    'an id generator returning %s: submit answers internalError naming it, and nothing is stored',
    async (_name, value) => {
      const ids: IdGenerator = { next: () => value as string };
      const { center, repository } = testCenter({ idGenerator: ids });
      const r = await center.submit({ request: quarantine('LAPTOP-1') });
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.error).toMatchObject({ code: 'internalError', operation: 'submit', component: 'idGenerator' });
      const page = await repository.query((resolveQuery({}, T0) as { ok: true; value: never }).value);
      expect(page.ok && page.value.items).toEqual([]);
    },
  );

  it('an id generator that throws: internalError, nothing stored; decisions too', async () => {
    let broken = false;
    let n = 0;
    const ids: IdGenerator = {
      next: (kind) => {
        if (broken) throw new Error('entropy exhausted');
        n += 1;
        return `${kind}-${n}`;
      },
    };
    const { center } = testCenter({ idGenerator: ids });
    const submitted = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    broken = true;
    const before = await must(center.auditTrail({ principal: people.globalAdmin, id: submitted.action.id }));
    const r = await center.approve({ principal: people.globalAdmin, ids: [submitted.action.id] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: 'internalError', operation: 'approve', component: 'idGenerator' });
      expect(r.error.message).toContain('entropy exhausted');
    }
    expect(await must(center.auditTrail({ principal: people.globalAdmin, id: submitted.action.id }))).toEqual(before);
    expect((await must(center.get({ principal: people.globalAdmin, id: submitted.action.id }))).status).toBe('pending');
  });
});
