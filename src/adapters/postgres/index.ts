/**
 * actioncenter/postgres: the `ActionRepository` (from `actioncenter`) on PostgreSQL, for Action centers shared by
 * many application instances. Works with `pg` (Pool or Client) and PGlite
 * (`@electric-sql/pglite`, PostgreSQL in process); both are optional peer dependencies, and neither
 * is imported here: any client with `query(text, params)` of the `pg` shape fits.
 *
 * @packageDocumentation
 * @module actioncenter/postgres
 */
export type { PGliteLike, PostgresClient, PostgresPoolLike, PostgresQueryable, PostgresQueryResult } from './client.js';
export {
  EXACT_TOTAL_LIMIT,
  createPostgresRepository,
  type PostgresRepository,
  type PostgresRepositoryOptions,
} from './repository.js';
export type { BeforeCommit } from './commit-hook.js';
export {
  followChanges,
  listenForChanges,
  type ChangeListener,
  type ChangeListenerOptions,
  type FollowChangesOptions,
} from './changes.js';
export { bulkLoad, type BulkLoadInput, type BulkLoadOptions, type BulkLoadReport } from './load.js';
export { SCHEMA_VERSION, migrate, schemaVersion, type MigrationReport, type PostgresSchemaOptions } from './schema.js';
export type { Statement } from './view-sql.js';
export { UNINDEXED_SORT_LIMIT } from './sort-bound.js';
