/**
 * Issue 16, notes and revert inputs as properties, over the testing kit's arbitraries
 * (`notesArbitraries`): every valid note lands as written and counted, every invalid one is refused
 * and changes nothing; every valid delay is taken by a request and by `setRevert`, every invalid one
 * refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { notesArbitraries } from '../../src/testing/index.js';
import { isolate, must, people, quarantine, scriptedExecutor, testCenter } from './fixtures.js';

const arbitraries = notesArbitraries(fc);

describe('notes and revert inputs (issue 16)', () => {
  it('any valid note is kept as written (last note, audit comment, count); any invalid one changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbitraries.noteText, { minLength: 1, maxLength: 4 }),
        arbitraries.invalidNoteText,
        async (texts, bad) => {
          const { center } = testCenter();
          const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
          for (const text of texts) await must(center.addNote({ principal: people.secAdmin, id: action.id, text }));
          const refused = await center.addNote({ principal: people.secAdmin, id: action.id, text: bad });
          expect(refused.ok ? null : refused.error.code).toBe('invalidInput');
          const after = await must(center.get({ principal: people.reader, id: action.id }));
          expect([after.noteCount, after.lastNote?.text]).toEqual([texts.length, texts[texts.length - 1]]);
          const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
          expect(trail.filter((e) => e.type === 'addNote').map((e) => e.comment)).toEqual(texts);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('any valid revertAfterMs is taken by a request and by setRevert; any invalid one is refused by both', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraries.revertAfterMs, arbitraries.invalidRevertAfterMs, async (good, bad) => {
        const { center } = testCenter({ executor: scriptedExecutor(async () => ({ status: 'succeeded' })) });
        const request = (revertAfterMs: number) => ({
          request: { ...isolate('LAPTOP-1', people.secAdmin), propose: true, revertAfterMs },
          principal: people.secAdmin,
        });
        const refused = await center.submit(request(bad));
        expect(refused.ok ? null : refused.error.code).toBe('invalidInput');
        const { action } = await must(center.submit(request(good)));
        expect(action.revertAfterMs).toBe(good);
        const badSet = await center.setRevert({ principal: people.secAdmin, id: action.id, revertAfterMs: bad });
        expect(badSet.ok ? null : badSet.error.code).toBe('invalidInput');
        const set = await must(center.setRevert({ principal: people.secAdmin, id: action.id, revertAfterMs: good }));
        expect(set.revertAfterMs).toBe(good);
      }),
      { numRuns: 50 },
    );
  });

  it('the revert inputs the kit draws for an action as it stands are accepted, and set what they say', async () => {
    const { center, clock } = testCenter({ executor: scriptedExecutor(async () => ({ status: 'succeeded' })) });
    const { action } = await must(
      center.submit({ request: isolate('LAPTOP-1', people.secAdmin), principal: people.secAdmin }),
    );
    await must(center.run());
    await fc.assert(
      fc.asyncProperty(arbitraries.revertInput('succeeded', clock.now()), async (input) => {
        const after = await must(center.setRevert({ principal: people.secAdmin, id: action.id, ...input }));
        expect(after.revertAt).toBe('revertAt' in input ? input.revertAt : Number.NaN);
      }),
      { numRuns: 30 },
    );
  });
});
