/**
 * `repositoryContract`: the guarantees of the `ActionRepository` port as a test suite. The suite
 * lives in `./repository/`, one file per group; this path stays for imports of it.
 *
 * @module
 */
export {
  repositoryContract,
  REPOSITORY_CONTRACT_GROUPS,
  type RepositoryContractGroup,
  type RepositoryContractOptions,
} from './repository/contract.js';
