/**
 * Issue 11, item 6, for the adapters' entry points: options that cannot be read (a revoked Proxy, a
 * getter that throws) or are not options at all made createMemoryRepository, createPostgresRepository,
 * migrate and schemaVersion throw a TypeError or reject. Now the constructors throw only their
 * documented ActionCenterException, and migrate and schemaVersion resolve to a typed error.
 */
import { describe, expect, it } from 'vitest';
import { ActionCenterException, createMemoryRepository } from 'actioncenter';
import { createPostgresRepository, migrate, schemaVersion } from 'actioncenter/postgres';

function revoked(): object {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
}
const throwingSchema = () =>
  Object.defineProperty({}, 'schema', {
    enumerable: true,
    get: () => {
      throw new Error('getter boom');
    },
  });
const throwingBlockSize = () =>
  Object.defineProperty({}, 'blockSize', {
    enumerable: true,
    get: () => {
      throw new Error('getter boom');
    },
  });
const fakeClient = { query: async () => ({ rows: [] }) };

function throwsOnlyFailure(make: () => unknown): void {
  try {
    make();
    expect.fail('accepted');
  } catch (cause) {
    expect(cause).toBeInstanceOf(ActionCenterException);
    if (cause instanceof ActionCenterException) expect(cause.error.code).toBe('invalidInput');
  }
}

describe('issue 11 item 6: adapter entry points threw on unreadable options', () => {
  it('createMemoryRepository throws only ActionCenterException for options it cannot read', () => {
    throwsOnlyFailure(() => createMemoryRepository(revoked() as never));
    throwsOnlyFailure(() => createMemoryRepository(throwingBlockSize() as never));
    throwsOnlyFailure(() => createMemoryRepository({ blockSize: 'big' } as never));
    expect(() => createMemoryRepository(null as never)).not.toThrow();
    throwsOnlyFailure(() => createMemoryRepository({ initial: revoked() } as never));
  });

  it('createPostgresRepository throws only ActionCenterException for options it cannot read', () => {
    throwsOnlyFailure(() => createPostgresRepository(revoked() as never));
    throwsOnlyFailure(() => createPostgresRepository({ client: revoked() } as never));
    throwsOnlyFailure(() => createPostgresRepository(null as never));
    expect(() => createPostgresRepository({ client: fakeClient })).not.toThrow();
  });

  it.each([
    ['a revoked Proxy', revoked],
    ['a throwing schema getter', throwingSchema],
    ['a non-string schema', () => ({ schema: 42 })],
    ['a schema that is an object', () => ({ schema: { toString: () => 'public' } })],
  ])('migrate and schemaVersion resolve to repositoryUnavailable for options that are %s', async (_name, make) => {
    for (const call of [() => migrate(fakeClient, make() as never), () => schemaVersion(fakeClient, make() as never)]) {
      const r = await call().catch((cause: unknown) => expect.fail(`rejected: ${String(cause)}`));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('repositoryUnavailable');
    }
  });
});
