/**
 * Test helpers: the simplest repository that keeps the port's promises (maps, a scan through
 * `referenceQuery`, copies in and out), and repositories that each break one promise, to show that
 * the contract suite and the model-based commands notice.
 */
import {
  createMemoryRepository,
  err,
  ok,
  type ActionId,
  type ActionPage,
  type ActionRecord,
  type ActionRepository,
  type AuditEvent,
} from 'actioncenter';
import {
  inFeedOrder,
  readChangeQuery,
  readDueQuery,
  referenceDue,
  referenceInvestigations,
  referenceQuery,
  type CommitBatch,
  type ConflictError,
} from 'actioncenter/adapter-kit';

const OPEN = new Set(['pending', 'approved', 'running']);

export interface NaiveRepositoryOptions {
  /** Copy records and lists handed out (default true). */
  readonly copyOnRead?: boolean;
  /** Copy what `commit` is given before keeping it (default true). */
  readonly copyOnWrite?: boolean;
  /** Refuse writes from a version that is not the stored one (default true). */
  readonly checkVersions?: boolean;
  /** All writes of a commit or none (default true); else each write on its own, stopping at the first refused. */
  readonly atomic?: boolean;
}

/** A repository in forty lines: correct, slow, and written from the port's documentation alone. */
export function naiveRepository(options: NaiveRepositoryOptions = {}): ActionRepository {
  const actions = new Map<string, ActionRecord>();
  const trails = new Map<string, AuditEvent[]>();
  const claimed = new Map<string, ActionId[]>();
  // The change feed: every committed event; its position is its index + 1.
  const feed: AuditEvent[] = [];
  const out = <T>(value: T): T => (options.copyOnRead === false ? value : structuredClone(value));
  const kept = <T>(value: T): T => (options.copyOnWrite === false ? value : structuredClone(value));
  const conflict = (reason: ConflictError['reason'], ids: readonly string[]) =>
    err<ConflictError>({ code: 'conflict', message: `${reason}: ${ids.join(', ')}`, reason, actionIds: [...ids] });

  const repository: ActionRepository = {
    async get(id) {
      return ok(out(actions.get(id) ?? null));
    },
    async getMany(ids) {
      return ok(out(ids.flatMap((id) => actions.get(id) ?? [])));
    },
    async query(query) {
      return ok(out(referenceQuery([...actions.values()], query)));
    },
    async queryInvestigations(query) {
      return ok(out(referenceInvestigations([...actions.values()], query)));
    },
    async findOpen(openKey) {
      return ok(out([...actions.values()].find((a) => a.openKey === openKey && OPEN.has(a.status)) ?? null));
    },
    async findByIdempotencyKey(key) {
      return ok(out(claimed.get(key) ?? null));
    },
    async auditTrail(id) {
      return ok(out(trails.get(id) ?? []));
    },
    async changes(query) {
      const q = readChangeQuery(query);
      if (!q.ok) return q;
      const { after, limit } = q.value;
      const entries = feed.slice(after, after + limit).map((event, i) => ({ position: after + i + 1, event }));
      return ok(out({ entries, next: entries.at(-1)?.position ?? (after === 0 ? null : after) }));
    },
    async due(query) {
      const q = readDueQuery(query);
      return q.ok ? ok(out(referenceDue([...actions.values()], q.value))) : q;
    },
    async commit(batch: CommitBatch) {
      if (options.atomic === false && batch.writes.length > 1) {
        const single = naiveRepositoryCommit;
        for (const [i, write] of batch.writes.entries()) {
          const r = await single({
            writes: [write],
            events: batch.events.filter((e) => e.actionId === write.action.id),
            idempotencyKey: i === 0 ? batch.idempotencyKey : null,
          });
          if (!r.ok) return r;
        }
        return ok(undefined);
      }
      const ids = batch.writes.map((w) => w.action.id);
      if (batch.idempotencyKey !== null && claimed.has(batch.idempotencyKey.key))
        return conflict('idempotencyKeyTaken', ids.length > 0 ? ids : batch.idempotencyKey.actionIds);
      const after = new Map(actions);
      for (const { action, expectedVersion } of batch.writes) {
        const stored = actions.get(action.id);
        if (options.checkVersions === false) {
          after.set(action.id, action);
          continue;
        }
        if (expectedVersion === null && (stored !== undefined || ids.indexOf(action.id) !== ids.lastIndexOf(action.id)))
          return conflict('alreadyExists', [action.id]);
        if (expectedVersion !== null && stored?.version !== expectedVersion)
          return conflict('staleVersion', [action.id]);
        after.set(action.id, action);
      }
      for (const { action } of batch.writes) {
        const holder = [...after.values()].find(
          (a) =>
            a.id !== action.id &&
            a.openKey !== null &&
            a.openKey === action.openKey &&
            OPEN.has(a.status) &&
            OPEN.has(action.status),
        );
        if (holder !== undefined) return conflict('openKeyTaken', [action.id]);
      }
      for (const { action } of batch.writes) actions.set(action.id, kept(action));
      for (const event of batch.events)
        trails.set(
          event.actionId,
          [...(trails.get(event.actionId) ?? []), kept(event)].sort((a, b) => a.sequence - b.sequence),
        );
      for (const event of inFeedOrder(batch.events)) feed.push(kept(event));
      if (batch.idempotencyKey !== null) claimed.set(batch.idempotencyKey.key, [...batch.idempotencyKey.actionIds]);
      return ok(undefined);
    },
  };
  const naiveRepositoryCommit = (batch: CommitBatch) => repository.commit(batch);
  return repository;
}

/** The ways a repository can break its promises, each as a change to a correct one. */
export const BROKEN_REPOSITORIES = {
  /** Hands out the records it keeps: a caller can change stored state. */
  sharesReads: () => naiveRepository({ copyOnRead: false }),
  /** Keeps the objects commit was given: a caller that changes them later changes stored state. */
  keepsInputs: () => naiveRepository({ copyOnWrite: false }),
  /** Writes whatever it is given, whatever version was expected. */
  ignoresVersions: () => naiveRepository({ checkVersions: false }),
  /** Commits each write on its own: a refused write does not undo the ones before it. */
  notAtomic: () => naiveRepository({ atomic: false }),
  /** Never finds or enforces open keys. */
  ignoresOpenKeys: () => {
    const inner = createMemoryRepository();
    return {
      ...inner,
      findOpen: async () => ok(null),
      commit: (batch: CommitBatch) =>
        inner.commit({ ...batch, writes: batch.writes.map((w) => ({ ...w, action: { ...w.action, openKey: null } })) }),
    } satisfies ActionRepository;
  },
  /** Forgets idempotency keys. */
  forgetsIdempotencyKeys: () => {
    const inner = createMemoryRepository();
    return {
      ...inner,
      findByIdempotencyKey: async () => ok(null),
      commit: (batch: CommitBatch) => inner.commit({ ...batch, idempotencyKey: null }),
    } satisfies ActionRepository;
  },
  /** Ignores the investigation filter. */
  dropsAFilter: () => {
    const inner = createMemoryRepository();
    return {
      ...inner,
      query: (q) => inner.query({ ...q, filter: { ...q.filter, investigationIds: null } }),
    } satisfies ActionRepository;
  },
  /** Labels its totals a lower bound, one above the true count: a lower bound may not exceed it (issue 14). */
  overstatesALowerBound: () => {
    const inner = createMemoryRepository();
    return {
      ...inner,
      query: async (q) => {
        const r = await inner.query(q);
        return r.ok ? ok({ ...r.value, total: r.value.total + 1, totalIs: 'atLeast' as const }) : r;
      },
    } satisfies ActionRepository;
  },
  /** Leaves out `totalIs`: a reader cannot tell an exact total from a capped one (issue 14). */
  leavesTotalsUnlabelled: () => {
    const inner = createMemoryRepository();
    return {
      ...inner,
      query: async (q) => {
        const r = await inner.query(q);
        if (!r.ok) return r;
        const { totalIs: _, ...unlabelled } = r.value;
        return ok(unlabelled as ActionPage);
      },
    } satisfies ActionRepository;
  },
  /** Leaves out of `due` the actions due exactly at the query's time (`<` where `<=` is meant). */
  missesDueAtItsTime: () => {
    const inner = createMemoryRepository();
    return {
      ...inner,
      due: (query) => inner.due({ ...query, before: query.before - 1 }),
    } satisfies ActionRepository;
  },
  /** Answers `due` by the due times actions had when created: a commit that moves one is not seen. */
  keepsStaleDueTimes: () => {
    const created = new Map<string, ActionRecord>();
    const inner = createMemoryRepository();
    return {
      ...inner,
      commit: (batch: CommitBatch) => {
        for (const w of batch.writes) if (w.expectedVersion === null) created.set(w.action.id, w.action);
        return inner.commit(batch);
      },
      due: async (query) => {
        const q = readDueQuery(query);
        return q.ok ? ok(referenceDue([...created.values()], q.value)) : q;
      },
    } satisfies ActionRepository;
  },
  /** Returns audit trails newest first. */
  reversesTrails: () => {
    const inner = createMemoryRepository();
    return {
      ...inner,
      auditTrail: async (id: ActionId) => {
        const r = await inner.auditTrail(id);
        return r.ok ? ok([...r.value].reverse()) : r;
      },
    } satisfies ActionRepository;
  },
  /** Stores audit details without their null members (a "compact" encoding): chained hashes no longer verify. */
  dropsNullDetails: () => {
    const inner = createMemoryRepository();
    const compact = (details: Readonly<Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(details).filter(([, v]) => v !== null));
    return {
      ...inner,
      commit: (batch: CommitBatch) =>
        inner.commit({ ...batch, events: batch.events.map((e) => ({ ...e, details: compact(e.details) })) }),
    } satisfies ActionRepository;
  },
  /** Stores records without their audit head: the deletion of a trail's last event could not be told. */
  forgetsAuditHead: () => {
    const inner = createMemoryRepository();
    return {
      ...inner,
      commit: (batch: CommitBatch) =>
        inner.commit({
          ...batch,
          writes: batch.writes.map((w) => ({ ...w, action: { ...w.action, auditHead: null } })),
        }),
    } satisfies ActionRepository;
  },
  /** Pages its change feed one position short: the last entry of every page comes again on the next. */
  repeatsAChange: () => {
    const inner = createMemoryRepository();
    return {
      ...inner,
      changes: async (query) => {
        const r = await inner.changes(query);
        if (!r.ok || r.value.entries.length < 2) return r;
        return ok({ ...r.value, next: (r.value.next ?? 1) - 1 });
      },
    } satisfies ActionRepository;
  },
  /** Hands out each page of its change feed newest first. */
  reversesFeedPages: () => {
    const inner = createMemoryRepository();
    return {
      ...inner,
      changes: async (query) => {
        const r = await inner.changes(query);
        return r.ok ? ok({ ...r.value, entries: [...r.value.entries].reverse() }) : r;
      },
    } satisfies ActionRepository;
  },
  /** Loses the audit events of updates (keeps only `created`). */
  dropsUpdateEvents: () => {
    const inner = createMemoryRepository();
    return {
      ...inner,
      commit: (batch: CommitBatch) =>
        inner.commit({ ...batch, events: batch.events.filter((e) => e.type === 'created') }),
    } satisfies ActionRepository;
  },
} as const;
