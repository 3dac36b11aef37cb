/**
 * actioncenter/postgres: a PostgreSQL repository adapter (in progress).
 *
 * @packageDocumentation
 * @module actioncenter/postgres
 */
export {};
