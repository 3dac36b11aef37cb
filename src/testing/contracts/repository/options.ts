/**
 * The options and group names of `repositoryContract`, apart from the suite itself, so that the
 * group modules can name them without importing the module that imports them.
 *
 * @module
 */
import type { ActionId, ActionRepository } from 'actioncenter';
import type { FastCheck } from '../../fast-check.js';
import type { ContractExpect, ContractTest } from '../runner.js';

/**
 * The groups of `repositoryContract`, each switchable off with `skip`:
 * - `commit`: writes are read back as written; a commit is all or nothing;
 * - `conflicts`: stale versions, existing ids and racing writers are refused as conflicts;
 * - `openKeys`: two open actions never share an open key; closing releases it;
 * - `idempotency`: an idempotency key is claimed once;
 * - `query`: every query returns what `referenceQuery` returns over what was stored;
 * - `audit`: audit trails hold an action's events in sequence order;
 * - `isolation`: nothing a caller does with what it gave or got back changes stored state;
 * - `corruptRows`: readable records are never reported unreadable; with the `corrupt` option, an
 *   unreadable stored action is left out of its page and named in `skipped`, and paging goes past it;
 * - `scope`: a query's device-group scope (`filter.scope`, the reader's read scope) leaves out every
 *   action outside it, from pages and totals, alone and with the other filters (with `fc`, also over
 *   generated stores and scopes).
 * - `views`: incident, alert and requester references are stored and filtered on (seed 001), and
 *   every shown column sorts by the labels the query carries (seed 002), as `referenceQuery` does;
 * - `investigations`: `queryInvestigations` (the grouped view, seed 003) returns what
 *   `referenceInvestigations` returns (with `fc`, also over generated stores and queries). Skip it
 *   for a store without that optional method: the engine then groups `query` pages itself.
 * - `changes`: the change feed holds every committed audit event once, in commit order (each
 *   action's events in sequence order, a commit's positions consecutive), nothing of a refused
 *   commit, and pages resume from any position; a malformed query is `invalidInput` (with `fc`,
 *   also over generated commits, some refused, read in pages of generated sizes).
 * - `due`: `due` answers the stored actions due at or before a time (`dueAtOf`: pending by expiry,
 *   running by deadline) in (due time, id) order, paged, as `referenceDue` does, through commits that
 *   move actions in and out of due states (with `fc`, also over generated histories); a malformed
 *   query is `invalidInput`.
 * - `auditChain`: chained audit trails read back verify (`verifyAuditTrail`): every event field,
 *   nested details whatever their key order, `hash`, `previousHash` and the record's `auditHead` kept.
 *
 * @example
 * ```ts
 * import { REPOSITORY_CONTRACT_GROUPS } from 'actioncenter/testing';
 * REPOSITORY_CONTRACT_GROUPS.includes('query'); // true
 * ```
 */
export const REPOSITORY_CONTRACT_GROUPS = Object.freeze([
  'commit',
  'conflicts',
  'openKeys',
  'idempotency',
  'query',
  'audit',
  'isolation',
  'corruptRows',
  'scope',
  'views',
  'investigations',
  'changes',
  'due',
  'auditChain',
] as const);

/**
 * One of {@link REPOSITORY_CONTRACT_GROUPS}.
 *
 * @example
 * ```ts
 * import type { RepositoryContractGroup } from 'actioncenter/testing';
 * const skip: RepositoryContractGroup[] = ['isolation'];
 * ```
 */
export type RepositoryContractGroup = (typeof REPOSITORY_CONTRACT_GROUPS)[number];

/**
 * Options of `repositoryContract`.
 *
 * @example
 * ```ts
 * import { test, expect } from 'vitest';
 * import { createMemoryRepository } from 'actioncenter';
 * import type { RepositoryContractOptions } from 'actioncenter/testing';
 * const options: RepositoryContractOptions = { test, expect, factory: () => createMemoryRepository(), skip: ['isolation'] };
 * ```
 */
export interface RepositoryContractOptions<R extends ActionRepository = ActionRepository> {
  /** Registers a test (vitest's or jest's `test`, node:test's `test`, ...). */
  readonly test: ContractTest;
  /** Your runner's `expect`, or any function of that shape. */
  readonly expect: ContractExpect;
  /** A fresh, empty repository; called once per test (and once per property run). */
  readonly factory: () => R | Promise<R>;
  /** Called after each test (and property run) with the repository the factory gave. */
  readonly teardown?: (repository: R) => void | Promise<void>;
  /** Prefixes every test name. Default `'repository contract'`. */
  readonly name?: string;
  /** Groups not to run. */
  readonly skip?: readonly RepositoryContractGroup[];
  /** Your fast-check: when given, the `query` group also checks generated stores and queries. */
  readonly fc?: FastCheck;
  /** Runs of each property check (with `fc`). Default 25. */
  readonly numRuns?: number;
  /**
   * Milliseconds each test may take, passed to `test` as its third argument (vitest's and jest's
   * `test(name, fn, timeout)`); a whole number from 1 to 2147483647. Default: none passed, so the
   * runner's own default applies (5 s in vitest and jest). Set it for slow stores (a database that
   * starts up, a loaded CI machine) and for the property check, whose time grows with `numRuns`.
   */
  readonly timeout?: number;
  /**
   * Makes the stored action `id` unreadable, as a hand edit or a buggy older version would (e.g. an
   * SQL UPDATE of its record). When given, the `corruptRows` group checks that such an action is left
   * out of its query page and named in `ActionPage.skipped`, that paging goes past it, and that `get`
   * answers `corruptRecord` for it. Stores that cannot hold unreadable records leave it out.
   */
  readonly corrupt?: (repository: R, id: ActionId) => Promise<void>;
}
