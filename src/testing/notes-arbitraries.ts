/**
 * Arbitraries for issue 16's notes and time-limited actions: note texts (valid, and the ones
 * `addNote` must refuse), revert delays, and `setRevert` inputs for an action as it stands.
 *
 * @module
 */
import type { Arbitrary, FastCheck } from './fast-check.js';

const MINUTE = 60_000;
const MAX_REVERT_AFTER_MS = 366 * 24 * 3_600_000;

/**
 * The arbitraries of {@link notesArbitraries}.
 *
 * @example
 * ```ts
 * import type { NotesArbitraries } from 'actioncenter/testing';
 * const texts = (a: NotesArbitraries) => a.noteText;
 * ```
 */
export interface NotesArbitraries {
  /** A valid note: 1 to 2,000 characters, not blank, no control characters but tab and line breaks. */
  readonly noteText: Arbitrary<string>;
  /** Text `addNote` refuses as `invalidInput`: empty, blank, too long, or with a control character. */
  readonly invalidNoteText: Arbitrary<string>;
  /** A valid `revertAfterMs`: one minute to 366 days (whole milliseconds), mostly round durations. */
  readonly revertAfterMs: Arbitrary<number>;
  /** A `revertAfterMs` the request and `setRevert` refuse: under a minute, over 366 days, or not whole. */
  readonly invalidRevertAfterMs: Arbitrary<number>;
  /**
   * The revert part of a `setRevert` input for an action as it stands at `now`: on a succeeded action
   * a `revertAt` after `now` or null, on any other a `revertAfterMs` (valid) or null.
   */
  readonly revertInput: (
    status: string,
    now: number,
  ) => Arbitrary<{ readonly revertAt: number | null } | { readonly revertAfterMs: number | null }>;
}

/**
 * Arbitraries for notes and the revert of time-limited actions (issue 16), for your own property
 * tests of `addNote`, `setRevert` and `revertAfterMs` requests.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { notesArbitraries } from 'actioncenter/testing';
 * const { noteText, revertAfterMs } = notesArbitraries(fc);
 * fc.sample(noteText, 1)[0]?.trim().length; // > 0
 * ```
 */
export function notesArbitraries(fc: FastCheck): NotesArbitraries {
  // Printable text, line breaks and tabs included; never only white space.
  const printable = fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', '\t', '\n', 'é', '"', ',', '=', '😀') });
  const noteText = fc
    .tuple(fc.constantFrom('Called the owner', 'x', 'Isolation confirmed', '=cmd|"/c calc"'), printable)
    .map(([head, tail]) => `${head}${tail}`.slice(0, 2000))
    .filter((text) => text.trim().length > 0);
  const invalidNoteText = fc.oneof(
    fc.constantFrom('', ' ', '\n\t  '),
    fc.constant('n'.repeat(2001)),
    fc.constantFrom('\u0000', '\u0007', '\u001b[31m', '\u007f').map((c) => `note${c}`),
  );
  const revertAfterMs = fc.oneof(
    { arbitrary: fc.constantFrom(10 * MINUTE, 60 * MINUTE, 4 * 60 * MINUTE, 24 * 60 * MINUTE), weight: 3 },
    { arbitrary: fc.integer({ min: MINUTE, max: MAX_REVERT_AFTER_MS }), weight: 1 },
  );
  const invalidRevertAfterMs = fc.oneof(
    fc.integer({ min: -MINUTE, max: MINUTE - 1 }),
    fc.integer({ min: MAX_REVERT_AFTER_MS + 1, max: 2 * MAX_REVERT_AFTER_MS }),
    fc.constantFrom(MINUTE + 0.5, Number.NaN, Number.POSITIVE_INFINITY),
  );
  const revertInput: NotesArbitraries['revertInput'] = (status, now) =>
    status === 'succeeded'
      ? fc
          .option(fc.integer({ min: 1, max: MAX_REVERT_AFTER_MS }), { nil: null })
          .map((ms) => ({ revertAt: ms === null ? null : now + ms }))
      : fc.option(revertAfterMs, { nil: null }).map((ms) => ({ revertAfterMs: ms }));
  return { noteText, invalidNoteText, revertAfterMs, invalidRevertAfterMs, revertInput };
}
