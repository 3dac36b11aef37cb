/**
 * The in-memory repository: the engine's embedded default.
 *
 * @module
 */
export {
  createMemoryRepository,
  type MemoryQueryExplanation,
  type MemoryRepository,
  type MemoryRepositoryOptions,
  type MemorySeed,
} from './repository.js';
export type { MemoryQueryStats } from './view-query.js';
