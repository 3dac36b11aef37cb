/**
 * The in-memory action repository: the engine's embedded default, and the store tests and
 * benchmarks run against.
 *
 * Commits are atomic because they never await: every check runs first against the current state,
 * then every change is applied, in one synchronous stretch that no other call can interleave with.
 *
 * @module
 */
import * as z from 'zod';
import type { ActionId } from '../../catalog/ids.js';
import type { ActionRecord, AuditEvent } from '../../catalog/records.js';
import { ConflictCollector, heldOpenKey } from '../../center/conflicts.js';
import type { ActionWrite, CommitBatch, ConflictError, CorruptRecordError } from '../../center/ports.js';
import { ActionCenterException, err, ok, safeParseInput, unreadableInput, type Result } from '../../result.js';
import { readDueQuery } from '../../center/due-query.js';
import { DueIndex } from './due-index.js';
import { readChangeQuery } from '../../center/change-feed.js';
import { ChangeLog } from './change-log.js';
import { frozenEvent, frozenRecord } from './frozen.js';
import type { MemoryRepository, MemoryRepositoryOptions, MemorySeed } from './repository-types.js';
import { StatusTypeIndex } from './status-type-index.js';
import { unreadableTimes } from './times.js';
import { runInvestigationQuery, runViewQuery } from './view-query.js';

const OptionsSchema = z.object({
  blockSize: z.number().int().min(4).max(65_536).optional(),
});

/** Reads the options once, inside a guard. */
function readOptions(options: MemoryRepositoryOptions | null | undefined): { blockSize: unknown; initial: unknown } {
  try {
    return { blockSize: options?.blockSize, initial: options?.initial };
  } catch (cause) {
    throw new ActionCenterException(unreadableInput('memory repository options', cause));
  }
}

/**
 * Creates an in-memory {@link ActionRepository}: the engine's default store, fast enough for the
 * Pending and History views over a million actions.
 *
 * - `commit` checks every write (versions, open keys, idempotency key, events) before it changes
 *   anything; a conflict names every offending action and stores nothing.
 * - Records are kept deep-frozen (a record handed in that is not deep-frozen is copied, never
 *   frozen in place) and returned as stored; arrays returned are fresh.
 * - `query` returns exactly what `referenceQuery` returns. Actions are indexed by (status, action
 *   type), each bucket ordered by (createdAt, id), so filters on status, type and time sorted by
 *   creation time cost binary searches and a merge; other queries scan only the matching buckets.
 * - `changes` reads an append-only log of every committed event (change-log.ts), kept for the
 *   store's lifetime like the audit trails it shares its events with.
 *
 * Throws {@link ActionCenterException} only for invalid options or a conflicting `initial` seed
 * (programming errors); every repository method returns a `Result`.
 *
 * @example
 * ```ts
 * import { createActionCenter, createMemoryRepository } from 'actioncenter';
 * const repository = createMemoryRepository();
 * const center = createActionCenter({ repository });
 * ```
 */
export function createMemoryRepository(options: MemoryRepositoryOptions = {}): MemoryRepository {
  // Read inside a guard: options that cannot be read are invalid options, never a stray TypeError.
  const given = readOptions(options);
  const parsed = safeParseInput(OptionsSchema, { blockSize: given.blockSize }, 'memory repository options');
  if (!parsed.ok) throw new ActionCenterException(parsed.error);

  const records = new Map<string, ActionRecord>();
  const index = new StatusTypeIndex(parsed.value.blockSize === undefined ? {} : { blockSize: parsed.value.blockSize });
  const dueIndex = new DueIndex(parsed.value.blockSize === undefined ? {} : { blockSize: parsed.value.blockSize });
  /** openKey → id of the open action holding it. */
  const openKeys = new Map<string, string>();
  /** idempotency key → the action ids of the commit that claimed it. */
  const idempotencyKeys = new Map<string, readonly ActionId[]>();
  // Most actions have one or two events: a lone event is stored bare, saving an array per action.
  const trails = new Map<string, AuditEvent | AuditEvent[]>();
  // The change feed: every committed event, in commit order (change-log.ts).
  const changeLog = new ChangeLog();

  function trailOf(actionId: string): readonly AuditEvent[] {
    const stored = trails.get(actionId);
    return stored === undefined ? [] : Array.isArray(stored) ? stored : [stored];
  }

  function hasSequence(actionId: string, sequence: number): boolean {
    return trailHas(trails.get(actionId), sequence);
  }

  /** Whether a stored trail (a lone event or a list) holds an event with this sequence number. */
  function trailHas(stored: AuditEvent | AuditEvent[] | undefined, sequence: number): boolean {
    // Checked once per event of every commit: no array is made for a lone event.
    if (stored === undefined) return false;
    if (!Array.isArray(stored)) return stored.sequence === sequence;
    for (let i = 0; i < stored.length; i++) if ((stored[i] as AuditEvent).sequence === sequence) return true;
    return false;
  }

  /** Appends an event to its action's trail; `stored` is the trail as read before, when it was. */
  function appendEvent(event: AuditEvent, stored = trails.get(event.actionId)): void {
    if (stored === undefined) {
      trails.set(event.actionId, event);
      return;
    }
    if (!Array.isArray(stored)) {
      trails.set(event.actionId, stored.sequence < event.sequence ? [stored, event] : [event, stored]);
      return;
    }
    // Usually the newest event; otherwise it goes to its place in sequence order.
    let i = stored.length;
    while (i > 0 && (stored[i - 1] as AuditEvent).sequence > event.sequence) i -= 1;
    if (i === stored.length) stored.push(event);
    else stored.splice(i, 0, event);
  }

  /**
   * Checks events against the store and the actions `known` to the batch: each names an action
   * that exists, and takes a sequence number no other event of that action holds.
   */
  function checkEvents(
    events: readonly AuditEvent[],
    known: (actionId: string) => boolean,
    conflicts: ConflictCollector,
  ): void {
    const seenIds = new Set<string>();
    // The sequence of each action's first event in the batch; an action's later events (rare: an
    // undo request with its counterpart's creation is two actions) are keyed by action and sequence.
    const firstSequence = new Map<string, number>();
    let later: Set<string> | null = null;
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as AuditEvent;
      const actionId = event.actionId;
      if (!known(actionId)) {
        conflicts.add('staleVersion', actionId, `audit event ${event.id} is for ${actionId}, which is not stored`);
        continue;
      }
      if (seenIds.has(event.id)) conflicts.add('alreadyExists', actionId, `audit event ${event.id} appears twice`);
      seenIds.add(event.id);
      const first = firstSequence.get(actionId);
      let repeated = false;
      if (first === undefined) firstSequence.set(actionId, event.sequence);
      else {
        const key = `${actionId}\u0000${event.sequence}`;
        later ??= new Set<string>();
        repeated = first === event.sequence || later.has(key);
        later.add(key);
      }
      if (repeated || hasSequence(actionId, event.sequence)) {
        conflicts.add('staleVersion', actionId, `audit event ${event.sequence} of ${actionId} is already written`);
      }
    }
  }

  /**
   * {@link checkEvents} for a batch whose event i is the only event of write i. Answers each
   * event's trail as read, for the append (one lookup per event, not two).
   */
  function checkAlignedEvents(
    events: readonly AuditEvent[],
    conflicts: ConflictCollector,
  ): (AuditEvent | AuditEvent[] | undefined)[] {
    const seenIds = new Set<string>();
    const read = new Array<AuditEvent | AuditEvent[] | undefined>(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as AuditEvent;
      if (seenIds.has(event.id))
        conflicts.add('alreadyExists', event.actionId, `audit event ${event.id} appears twice`);
      seenIds.add(event.id);
      const stored = trails.get(event.actionId);
      read[i] = stored;
      if (trailHas(stored, event.sequence))
        conflicts.add(
          'staleVersion',
          event.actionId,
          `audit event ${event.sequence} of ${event.actionId} is already written`,
        );
    }
    return read;
  }

  function commitNow(batch: CommitBatch): Result<void, ConflictError | CorruptRecordError> {
    const badTime = unreadableTimes(batch);
    if (badTime !== null) return err(badTime);
    const conflicts = new ConflictCollector();
    // ---- check everything against the current state; change nothing ----
    if (batch.idempotencyKey !== null && idempotencyKeys.has(batch.idempotencyKey.key)) {
      const named = batch.writes.length > 0 ? batch.writes.map((w) => w.action.id) : batch.idempotencyKey.actionIds;
      for (const id of named)
        conflicts.add('idempotencyKeyTaken', id, `idempotency key "${batch.idempotencyKey.key}" is already claimed`);
    }
    const written = new Set<string>();
    // The stored version of each write (undefined for a new action), looked up once: maps of a
    // million entries cost a cache miss per lookup, and a bulk operation writes thousands.
    const previous: (ActionRecord | undefined)[] = [];
    const writes = batch.writes;
    for (let i = 0; i < writes.length; i++) {
      const { action, expectedVersion } = writes[i] as ActionWrite;
      const stored = records.get(action.id);
      previous.push(stored);
      if (written.has(action.id)) {
        conflicts.add(
          expectedVersion === null ? 'alreadyExists' : 'staleVersion',
          action.id,
          `${action.id} is written twice in one commit`,
        );
      } else if (expectedVersion === null) {
        if (stored !== undefined) conflicts.add('alreadyExists', action.id, `${action.id} already exists`);
      } else if (stored === undefined) {
        conflicts.add('staleVersion', action.id, `${action.id} is not stored (expected version ${expectedVersion})`);
      } else if (stored.version !== expectedVersion) {
        conflicts.add(
          'staleVersion',
          action.id,
          `${action.id} is at version ${stored.version}, not ${expectedVersion}`,
        );
      } else if (action.version !== expectedVersion + 1) {
        conflicts.add(
          'staleVersion',
          action.id,
          `${action.id} must be written as version ${expectedVersion + 1}, not ${action.version}`,
        );
      }
      written.add(action.id);
    }
    // Open keys as they will be after the batch: a stored holder keeps its key unless the batch
    // rewrites it. An action that keeps the key it holds (approving does) cannot collide with
    // another stored one (stored open keys are distinct), only with a new claim in the batch: so
    // only new claims go in the map, and keepers are checked against it afterwards, if any.
    const claimed = new Map<string, number>();
    let keepers: number[] | null = null;
    for (let i = 0; i < writes.length; i++) {
      const action = (writes[i] as ActionWrite).action;
      const key = heldOpenKey(action);
      if (key === null) continue;
      const stored = previous[i];
      if (stored !== undefined && heldOpenKey(stored) === key) {
        (keepers ??= []).push(i);
        continue;
      }
      const inBatch = claimed.get(key);
      const other = inBatch === undefined ? undefined : (writes[inBatch] as ActionWrite).action.id;
      const holder = openKeys.get(key);
      if (other !== undefined && other !== action.id) {
        conflicts.add('openKeyTaken', action.id, `${action.id} and ${other} would both hold open key "${key}"`);
      } else if (holder !== undefined && holder !== action.id && !written.has(holder)) {
        conflicts.add('openKeyTaken', action.id, `open key "${key}" is held by ${holder}`);
      } else {
        claimed.set(key, i);
      }
    }
    if (keepers !== null && claimed.size > 0) {
      for (const i of keepers) {
        const keeper = (writes[i] as ActionWrite).action;
        const j = claimed.get(keeper.openKey as string);
        if (j === undefined) continue;
        const claimer = (writes[j] as ActionWrite).action;
        if (claimer.id === keeper.id) continue;
        // The later of the two in the batch is the one refused, as a pass in batch order would.
        const [refused, first] = i < j ? [claimer, keeper] : [keeper, claimer];
        conflicts.add(
          'openKeyTaken',
          refused.id,
          `${refused.id} and ${first.id} would both hold open key "${keeper.openKey as string}"`,
        );
      }
    }
    // The usual batch (a bulk decision): event i is the one event of write i. Then every event's
    // action is written here, once, so no two events of the batch can share an action's sequence.
    const events0 = batch.events;
    let aligned = events0.length === writes.length;
    for (let i = 0; aligned && i < events0.length; i++)
      aligned = (events0[i] as AuditEvent).actionId === (writes[i] as ActionWrite).action.id;
    const trailsRead = aligned ? checkAlignedEvents(events0, conflicts) : null;
    if (!aligned) checkEvents(events0, (id) => written.has(id) || records.has(id), conflicts);
    if (!conflicts.empty) return err(conflicts.toError('Commit'));

    // Copies are made before anything changes, so a failure here (data that cannot be copied) leaves the store as it was.
    const actions = new Array<ActionRecord>(writes.length);
    for (let i = 0; i < writes.length; i++) actions[i] = frozenRecord((writes[i] as ActionWrite).action, previous[i]);
    const events = batch.events.map(frozenEvent);

    // ---- apply: nothing below can conflict ----
    // The actions that claim a key they did not hold; an action keeping its key (approving keeps
    // it) leaves the open-key map as it is.
    let claims: ActionRecord[] | null = null;
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i] as ActionRecord;
      const stored = previous[i];
      records.set(action.id, action);
      dueIndex.move(stored, action);
      const key = heldOpenKey(action);
      if (stored === undefined) {
        index.add(action);
        if (key !== null) (claims ??= []).push(action);
      } else {
        index.move(stored, action);
        const released = heldOpenKey(stored);
        if (released === key) continue;
        if (released !== null) openKeys.delete(released);
        if (key !== null) (claims ??= []).push(action);
      }
    }
    // Claims after all releases, so that a key passed from one action to another in the batch survives.
    if (claims !== null) for (const action of claims) openKeys.set(action.openKey as string, action.id);
    // Aligned: each event is its action's only one in the batch, so the trail read is still current.
    if (trailsRead !== null)
      for (let i = 0; i < events.length; i++) appendEvent(events[i] as AuditEvent, trailsRead[i]);
    else for (let i = 0; i < events.length; i++) appendEvent(events[i] as AuditEvent);
    changeLog.append(events);
    if (batch.idempotencyKey !== null)
      idempotencyKeys.set(batch.idempotencyKey.key, Object.freeze([...batch.idempotencyKey.actionIds]));
    return ok(undefined);
  }

  function load(seed: MemorySeed): Result<void, ConflictError | CorruptRecordError> {
    const badTime = unreadableTimes({
      writes: seed.actions.map((action) => ({ action, expectedVersion: null })),
      events: seed.events ?? [],
      idempotencyKey: null,
    });
    if (badTime !== null) return err(badTime);
    const conflicts = new ConflictCollector();
    // Written straight into the store (a second set of a million ids would cost time and memory) and
    // taken out again on a conflict: load is synchronous, so no reader ever sees the attempt.
    const added: ActionRecord[] = [];
    const claimed = new Map<string, string>();
    const events = seed.events ?? [];
    let storedEvents: AuditEvent[] = [];
    const rollBack = () => {
      for (const stored of added) records.delete(stored.id);
    };
    try {
      for (const action of seed.actions) {
        if (records.has(action.id)) {
          conflicts.add('alreadyExists', action.id, `${action.id} already exists`);
          continue;
        }
        const stored = frozenRecord(action);
        records.set(stored.id, stored);
        added.push(stored);
        const key = heldOpenKey(stored);
        if (key === null) continue;
        const holder = claimed.get(key) ?? openKeys.get(key);
        if (holder !== undefined) conflicts.add('openKeyTaken', action.id, `open key "${key}" is held by ${holder}`);
        else claimed.set(key, action.id);
      }
      checkEvents(events, (id) => records.has(id), conflicts);
      storedEvents = conflicts.empty ? events.map(frozenEvent) : [];
    } catch (cause) {
      rollBack();
      throw cause;
    }
    if (!conflicts.empty) {
      rollBack();
      return err(conflicts.toError('Load'));
    }
    index.addAll(added);
    dueIndex.addAll(added);
    for (const [key, id] of claimed) openKeys.set(key, id);
    for (const event of storedEvents) appendEvent(event);
    changeLog.append(storedEvents);
    return ok(undefined);
  }

  if (given.initial !== undefined) {
    let loaded: Result<void, ConflictError | CorruptRecordError>;
    try {
      loaded = load(given.initial as MemorySeed);
    } catch (cause) {
      throw new ActionCenterException(unreadableInput('memory repository options', cause, ['initial']));
    }
    if (!loaded.ok) throw new ActionCenterException(loaded.error);
  }

  return {
    async get(id) {
      return ok(records.get(id) ?? null);
    },
    async getMany(ids) {
      const found: ActionRecord[] = [];
      for (const id of ids) {
        const record = records.get(id);
        if (record !== undefined) found.push(record);
      }
      return ok(found);
    },
    async query(query) {
      return ok(runViewQuery(index, records, query).page);
    },
    async queryInvestigations(query) {
      return ok(runInvestigationQuery(index, records, query));
    },
    async findOpen(openKey) {
      const id = openKeys.get(openKey);
      return ok(id === undefined ? null : (records.get(id) ?? null));
    },
    async findByIdempotencyKey(key) {
      const ids = idempotencyKeys.get(key);
      return ok(ids === undefined ? null : [...ids]);
    },
    async auditTrail(id) {
      return ok([...trailOf(id)]);
    },
    async changes(query) {
      const q = readChangeQuery(query);
      return q.ok ? ok(changeLog.page(q.value.after, q.value.limit)) : q;
    },
    // No await inside: the checks and the changes run in one synchronous stretch.
    async commit(batch) {
      return commitNow(batch);
    },
    async due(query) {
      const read = readDueQuery(query);
      return read.ok ? ok(dueIndex.page(read.value, records)) : read;
    },
    load,
    explain(query) {
      return runViewQuery(index, records, query);
    },
  };
}
