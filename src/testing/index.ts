/**
 * actioncenter/testing: the tools the library tests itself with, for your own rules and adapters.
 *
 * - Arbitraries of every domain value ({@link actionCenterArbitraries}), built with your fast-check.
 * - Model-based commands ({@link actionCenterCommands}, {@link createModelRunSetup}) to run with
 *   `fc.asyncModelRun` against any engine configuration.
 * - Contract suites for repositories ({@link repositoryContract}) and executors
 *   ({@link executorContract}), with the test runner passed in.
 *
 * Nothing here imports a test library at run time. fast-check is an optional peer dependency
 * ({@link SUPPORTED_FAST_CHECK}): every function takes your `fc`. The contract suites take your
 * runner's `test` and `expect` (vitest, jest, node:test with a small `expect`), so no runner is a
 * dependency.
 *
 * @packageDocumentation
 * @module actioncenter/testing
 */
export type { FastCheck } from './fast-check.js';
export { SUPPORTED_FAST_CHECK } from './fast-check.js';
export {
  builtInParameterArbitraries,
  BUILT_IN_PARAMETER_EXAMPLES,
  type BuiltInParameterArbitraries,
} from './built-in-parameters.js';
export { arbitraryFromSchema, ParameterDerivationError, type SchemaArbitraryOptions } from './schema-arbitrary.js';
export { parametersArbitrary, type ParameterOverrides } from './parameters.js';
export { DEFAULT_DEVICE_GROUPS, SAMPLE_TARGETS } from './domain.js';
export { displayVariantArbitrary } from './target-identity-arbitraries.js';
export { notesArbitraries, type NotesArbitraries } from './notes-arbitraries.js';
export {
  buildActionHistory,
  type ActionHistory,
  type ActionHistoryStep,
  type HistoryStart,
  type HistoryStepInput,
} from './histories.js';
export { queryInputArbitrary, queryValuesOf, resolvedQueryArbitrary, type QueryValues } from './queries.js';
export { approvalRequirementRuleArbitrary, type ApprovalRequirementArbitraryOptions } from './approval-arbitraries.js';
export {
  actionTypeExpiriesArbitrary,
  expiryDurationArbitrary,
  policyExpiriesArbitrary,
  type ActionTypeExpiries,
  type PolicyExpiries,
} from './expiry-arbitraries.js';
export {
  actionCenterArbitraries,
  type ActionCenterArbitraries,
  type ActionCenterArbitrariesOptions,
} from './arbitraries.js';
export type { ContractAssertion, ContractExpect, ContractTest } from './contracts/runner.js';
export {
  repositoryContract,
  REPOSITORY_CONTRACT_GROUPS,
  type RepositoryContractGroup,
  type RepositoryContractOptions,
} from './contracts/repository.js';
export {
  executorContract,
  runningAction,
  EXECUTOR_CONTRACT_GROUPS,
  type ExecutorContractGroup,
  type ExecutorContractOptions,
} from './contracts/executor.js';
export { MODEL_PERSONAS, defaultModelPermissions, type ModelPermissions, type ModelPersona } from './model/personas.js';
export {
  ModelMismatchError,
  scriptedExecutor,
  type ActionCenterModel,
  type ActionCenterReal,
  type ModelAction,
  type ModelExecution,
  type ScriptedOutcome,
  type SubmitPlan,
} from './model/model.js';
export {
  ACTION_CENTER_COMMANDS,
  AdvanceClockCommand,
  BulkCommand,
  DecisionCommand,
  ExpireCommand,
  ListCommand,
  ReportCommand,
  RunCommand,
  SubmitCommand,
  TickCommand,
  UndoCommand,
  RetryCommand,
  AddNoteCommand,
  SetRevertCommand,
  type RevertChange,
  actionCenterCommands,
  checkInvariants,
  type ActionCenterCommand,
  type ActionCenterCommandName,
  type ActionCenterCommandsOptions,
  type ReportAim,
  type ReportPool,
} from './model/commands.js';
export { createModelRunSetup, type ModelEngineDeps, type ModelRunOptions } from './model/setup.js';
