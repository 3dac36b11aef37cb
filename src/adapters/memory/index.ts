/**
 * The in-memory repository: the engine's embedded default.
 *
 * @module
 */
export { createMemoryRepository } from './repository.js';
export type {
  MemoryQueryExplanation,
  MemoryRepository,
  MemoryRepositoryOptions,
  MemorySeed,
} from './repository-types.js';
export type { MemoryQueryStats } from './query-plan.js';
