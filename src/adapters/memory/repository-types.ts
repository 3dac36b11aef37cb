/**
 * The types of the in-memory repository: its options, seeds, query explanations and its interface.
 *
 * @module
 */
import type { ActionRecord, AuditEvent } from '../../catalog/records.js';
import type { ActionRepository, ConflictError, CorruptRecordError } from '../../center/ports.js';
import type { Result } from '../../result.js';
import type { ActionPage, InvestigationPage, ResolvedInvestigationQuery, ResolvedQuery } from '../../rules/query.js';
import type { MemoryQueryStats } from './query-plan.js';

/**
 * Options of {@link actioncenter!createMemoryRepository}. None is required.
 *
 * @example
 * ```ts
 * import { createMemoryRepository } from 'actioncenter';
 * import { type MemoryRepositoryOptions } from 'actioncenter/adapter-kit';
 * const options: MemoryRepositoryOptions = { initial: { actions: [], events: [] } };
 * const repo = createMemoryRepository(options);
 * ```
 */
export interface MemoryRepositoryOptions {
  /** Records to start with, loaded as by {@link MemoryRepository.load}. */
  readonly initial?: MemorySeed;
  /**
   * Entries per block of the index's sorted lists (default 512). Smaller blocks make single
   * writes cheaper and reads slightly slower; tests use tiny blocks to exercise splits and merges.
   */
  readonly blockSize?: number;
}

/**
 * Records to load in bulk: actions as they are (any version) and their audit events.
 *
 * @example
 * ```ts
 * import type { MemorySeed } from 'actioncenter/adapter-kit';
 * const empty: MemorySeed = { actions: [] };
 * ```
 */
export interface MemorySeed {
  /** Actions to start with. */
  readonly actions: readonly ActionRecord[];
  /** Their audit events. Default: none. */
  readonly events?: readonly AuditEvent[];
}

/**
 * What {@link MemoryRepository.explain} returns: the page the query returns, and how it was found.
 *
 * @example
 * ```ts
 * import type { MemoryQueryExplanation } from 'actioncenter/adapter-kit';
 * const scanned = (e: MemoryQueryExplanation) => e.stats.examined;
 * ```
 */
export interface MemoryQueryExplanation {
  /** The page the query returned. */
  readonly page: ActionPage;
  /** How it was found: the plan, buckets searched and records examined. */
  readonly stats: MemoryQueryStats;
}

/**
 * The in-memory {@link ActionRepository}, plus a bulk loader and a query explainer.
 *
 * Records are stored deep-frozen and returned as stored (the same frozen objects, not copies):
 * changing one throws in strict mode and has no effect otherwise. Arrays returned are fresh.
 *
 * @example
 * ```ts
 * import { createMemoryRepository, type MemoryRepository } from 'actioncenter';
 * const repo: MemoryRepository = createMemoryRepository();
 * const loaded = repo.load({ actions: [] });
 * loaded.ok; // true
 * ```
 */
export interface MemoryRepository extends ActionRepository {
  /**
   * Adds many actions (and their audit events) in one go, without per-record commit overhead:
   * for seeding tests and benchmarks, or restoring a snapshot. Versions are taken as they are (no
   * `expectedVersion`); everything else is checked as `commit` checks it (ids new and unique, open
   * keys free, events for known actions with free sequence numbers), and on any conflict nothing is
   * loaded. Synchronous.
   */
  load(seed: MemorySeed): Result<void, ConflictError | CorruptRecordError>;
  /** Runs a query like `query` and says how: plan, buckets searched, records examined. Synchronous. */
  explain(query: ResolvedQuery): MemoryQueryExplanation;
  /** The grouped view (actions by investigation), from the status and type index. */
  queryInvestigations(query: ResolvedInvestigationQuery): Promise<Result<InvestigationPage, never>>;
}
