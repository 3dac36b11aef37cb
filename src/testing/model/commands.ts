/**
 * The model-based commands: one class per operation of the Action center (submit, approve, reject,
 * cancel, undo, run, expire, list, advance the clock, report dispatched work). Each predicts from the model, runs the engine,
 * checks that they agree, moves the model on, and then checks the invariants that hold after every
 * step. `actionCenterCommands(fc)` gives their arbitraries for `fc.commands`. They live in
 * `./commands/`, one file per command; this path stays for imports of them.
 *
 * @module
 */
export {
  ACTION_CENTER_COMMANDS,
  actionCenterCommands,
  type ActionCenterCommandName,
  type ActionCenterCommandsOptions,
} from './commands/arbitraries.js';
export { AdvanceClockCommand } from './commands/advance-clock.js';
export { BulkCommand } from './commands/bulk.js';
export { DecisionCommand } from './commands/decision.js';
export { ExpireCommand } from './commands/expire.js';
export { checkInvariants } from './commands/invariants.js';
export { ListCommand } from './commands/list.js';
export { ReportCommand, type ReportAim, type ReportPool } from './commands/report.js';
export { RunCommand } from './commands/run.js';
export type { ActionCenterCommand } from './commands/shared.js';
export { SubmitCommand } from './commands/submit.js';
export { TickCommand } from './commands/tick.js';
export { UndoCommand } from './commands/undo.js';
export { RetryCommand } from './commands/retry.js';
export { AddNoteCommand, SetRevertCommand, type RevertChange } from './commands/notes.js';
