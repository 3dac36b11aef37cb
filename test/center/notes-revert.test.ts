/**
 * Issue 16: notes on actions (`addNote`) and time-limited actions that revert themselves
 * (`revertAfterMs`, the `autoRevert` sweep, `setRevert`), with Wazuh's statements as named examples.
 */
import { describe, expect, it } from 'vitest';
import { createApprovalPolicy, unwrap, type ActionRecord, type AuditEvent } from '../../src/index.js';
import { DAY, T0, idsOf, isolate, must, people, quarantine, scriptedExecutor, testCenter } from './fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A center whose executor succeeds, and one isolation by the Security Administrator, run to success. */
async function isolated(revertAfterMs: number | null | undefined, options: Parameters<typeof testCenter>[0] = {}) {
  const ctx = testCenter({ executor: scriptedExecutor(async () => ({ status: 'succeeded' })), ...options });
  const request = {
    ...isolate('LAPTOP-1', people.secAdmin),
    ...(revertAfterMs === undefined ? {} : { revertAfterMs }),
  };
  const submitted = await must(ctx.center.submit({ request, principal: people.secAdmin }));
  await must(ctx.center.run());
  const action = await must(ctx.center.get({ principal: people.reader, id: submitted.action.id }));
  return { ...ctx, action };
}

async function trail(center: ReturnType<typeof testCenter>['center'], id: string): Promise<readonly AuditEvent[]> {
  return must(center.auditTrail({ principal: people.reader, id }));
}

const reverts = (events: readonly AuditEvent[]) =>
  events.filter((e) => e.type === 'requestUndo' && e.actor.type === 'system' && e.actor.component === 'autoRevert');

describe('addNote', () => {
  it('appends a note without changing the status: audited with the text as comment, counted, kept as the last note', async () => {
    const { center, action } = await isolated(undefined);
    const first = await must(center.addNote({ principal: people.secAdmin, id: action.id, text: 'Called the owner' }));
    expect(first).toMatchObject({ status: 'succeeded', noteCount: 1, version: action.version + 1 });
    expect(first.lastNote).toEqual({
      text: 'Called the owner',
      by: { type: 'principal', id: people.secAdmin.id },
      at: T0,
    });
    const second = await must(
      center.addNote({ principal: people.globalAdmin, id: action.id, text: 'Device back online' }),
    );
    expect(second).toMatchObject({ noteCount: 2, lastNote: { text: 'Device back online' } });
    const notes = (await trail(center, action.id)).filter((e) => e.type === 'addNote');
    expect(notes.map((e) => [e.comment, e.from, e.to])).toEqual([
      ['Called the owner', 'succeeded', 'succeeded'],
      ['Device back online', 'succeeded', 'succeeded'],
    ]);
  });

  it('notes any state, final ones included (a rejected action)', async () => {
    const { center } = testCenter();
    const pending = await must(center.submit({ request: quarantine('LAPTOP-2') }));
    await must(center.reject({ principal: people.secAdmin, ids: [pending.action.id], comment: 'benign' }));
    const noted = await must(center.addNote({ principal: people.secAdmin, id: pending.action.id, text: 'Checked' }));
    expect(noted).toMatchObject({ status: 'rejected', noteCount: 1 });
  });

  it('readers may not add notes; an action outside the read scope is notFound; blank text is invalidInput', async () => {
    const { center } = testCenter();
    const pending = await must(center.submit({ request: quarantine('SRV-1', { group: 'Databases' }) }));
    const id = pending.action.id;
    const reader = await center.addNote({ principal: people.reader, id, text: 'hi' });
    expect(reader.ok ? null : reader.error).toMatchObject({ code: 'accessDenied' });
    const outside = await center.addNote({ principal: people.serversOnly, id, text: 'hi' });
    expect(outside.ok ? null : outside.error).toMatchObject({ code: 'notFound', actionId: id });
    const missing = await center.addNote({ principal: people.secAdmin, id: 'nope', text: 'hi' });
    expect(missing.ok ? null : missing.error.code).toBe('notFound');
    for (const text of ['', '   \n', 'x'.repeat(2001), 'bell\u0007']) {
      const r = await center.addNote({ principal: people.secAdmin, id, text });
      expect(r.ok ? null : r.error).toMatchObject({ code: 'invalidInput' });
      expect(r.ok ? [] : r.error.code === 'invalidInput' ? r.error.issues.map((i) => i.path) : []).toContainEqual([
        'text',
      ]);
    }
    expect((await must(center.get({ principal: people.reader, id }))).noteCount).toBe(0);
  });

  it('the CSV export has the notes columns: "Notes" (the count) and "Last note" (its text)', async () => {
    const { center } = testCenter();
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-4') }));
    await must(center.addNote({ principal: people.secAdmin, id: action.id, text: 'first' }));
    await must(center.addNote({ principal: people.secAdmin, id: action.id, text: 'second, "quoted"' }));
    const csv = await must(center.exportCsv({ principal: people.reader, columns: ['id', 'notes', 'lastNote'] }));
    let text = '';
    for await (const chunk of csv) text += chunk;
    expect(text.trim().split(/\r?\n/)).toEqual(['Action ID,Notes,Last note', `${action.id},2,"second, ""quoted"""`]);
  });

  it('two notes added at once on one action both land (the loser re-reads once)', async () => {
    const { center } = testCenter();
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-3') }));
    const [a, b] = await Promise.all([
      center.addNote({ principal: people.secAdmin, id: action.id, text: 'one' }),
      center.addNote({ principal: people.globalAdmin, id: action.id, text: 'two' }),
    ]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    const after = await must(center.get({ principal: people.reader, id: action.id }));
    expect(after.noteCount).toBe(2);
    const texts = (await trail(center, action.id)).filter((e) => e.type === 'addNote').map((e) => e.comment);
    expect(texts.sort()).toEqual(['one', 'two']);
  });
});

describe('time-limited actions (revertAfterMs)', () => {
  it('Wazuh: "block an IP for 10 minutes": the undo is requested by autoRevert exactly when due, once', async () => {
    const { center, clock, action } = await isolated(10 * MINUTE);
    expect(action).toMatchObject({ status: 'succeeded', revertAfterMs: 10 * MINUTE, revertAt: T0 + 10 * MINUTE });
    clock.advance(10 * MINUTE - 1);
    expect((await must(center.run())).reverted).toBe(0);
    expect((await must(center.get({ principal: people.reader, id: action.id }))).status).toBe('succeeded');
    clock.advance(1);
    // The run's report counts the revert it requested, and the counterpart it ran in the same tick.
    expect(await must(center.run())).toMatchObject({ reverted: 1, started: 1, succeeded: 1 });
    const after = await must(center.get({ principal: people.reader, id: action.id }));
    // The counterpart was created approved and run by the same tick: the device is released.
    expect(after).toMatchObject({ status: 'undone', revertAt: null });
    const events = await trail(center, action.id);
    expect(reverts(events)).toHaveLength(1);
    expect(reverts(events)[0]?.details).toMatchObject({ revertAt: T0 + 10 * MINUTE });
    const counterpart = await must(center.get({ principal: people.reader, id: after.undoActionId ?? '' }));
    expect(counterpart).toMatchObject({ actionType: 'releaseFromIsolation', undoOf: action.id, status: 'succeeded' });
    expect(counterpart.requestedBy).toEqual({ type: 'system', component: 'autoRevert' });
    clock.advance(DAY);
    expect((await must(center.run())).reverted).toBe(0);
    expect(reverts(await trail(center, action.id))).toHaveLength(1);
  });

  it('Wazuh: "early manual revert": a manual undo before the time cancels the scheduled revert', async () => {
    const { center, clock, action } = await isolated(HOUR);
    await must(center.undo({ principal: people.secAdmin, ids: [action.id], comment: 'contained' }));
    expect((await must(center.get({ principal: people.reader, id: action.id }))).revertAt).toBeNull();
    await must(center.run());
    clock.advance(2 * HOUR);
    await must(center.run());
    const events = await trail(center, action.id);
    expect(reverts(events)).toHaveLength(0);
    expect(events.filter((e) => e.type === 'requestUndo')).toHaveLength(1);
  });

  it('Wazuh: "reverts lost on restart": a new center over the same store reverts on time', async () => {
    const first = await isolated(HOUR);
    // The process that scheduled it is gone: a new center (its own ids, same store and clock) ticks.
    const second = testCenter({
      repository: first.repository,
      clock: first.clock,
      idGenerator: idsOf('restarted'),
      executor: scriptedExecutor(async () => ({ status: 'succeeded' })),
    });
    first.clock.advance(HOUR);
    await must(second.center.run());
    expect(reverts(await trail(second.center, first.action.id))).toHaveLength(1);
  });

  it('only types with an undo counterpart (and sources that undo) take revertAfterMs; its bounds are checked', async () => {
    const { center } = testCenter();
    const scan = await center.submit({
      request: {
        actionType: 'runAntivirusScan',
        target: { kind: 'device', deviceId: 'dev-1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
        parameters: { scanType: 'quick' },
        source: 'manualDeviceAction',
        requestedBy: { type: 'principal', id: people.secAdmin.id },
        revertAfterMs: HOUR,
      },
      principal: people.secAdmin,
    });
    expect(scan.ok ? null : scan.error).toMatchObject({
      code: 'invalidInput',
      issues: [{ path: ['request', 'revertAfterMs'] }],
    });
    for (const revertAfterMs of [0, 59_999, 367 * DAY, 1.5 * HOUR + 0.5]) {
      const r = await center.submit({
        request: { ...isolate('LAPTOP-9', people.secAdmin), revertAfterMs },
        principal: people.secAdmin,
      });
      expect(r.ok ? null : r.error.code).toBe('invalidInput');
    }
  });

  it('setRevert extends, clears and sets the revert, audited, with the status unchanged', async () => {
    const { center, clock, action } = await isolated(HOUR);
    const extended = await must(
      center.setRevert({ principal: people.secAdmin, id: action.id, revertAt: T0 + 4 * HOUR }),
    );
    expect(extended).toMatchObject({ status: 'succeeded', revertAt: T0 + 4 * HOUR });
    const audit = (await trail(center, action.id)).find((e) => e.type === 'setRevert');
    expect(audit).toMatchObject({
      from: 'succeeded',
      to: 'succeeded',
      details: { field: 'revertAt', from: T0 + HOUR, to: T0 + 4 * HOUR },
    });
    clock.advance(2 * HOUR);
    await must(center.run());
    expect(reverts(await trail(center, action.id))).toHaveLength(0);
    await must(
      center.setRevert({ principal: people.secAdmin, id: action.id, revertAt: null, comment: 'keep isolated' }),
    );
    clock.advance(DAY);
    await must(center.run());
    expect(reverts(await trail(center, action.id))).toHaveLength(0);
    await must(center.setRevert({ principal: people.secAdmin, id: action.id, revertAt: clock.now() + MINUTE }));
    clock.advance(MINUTE);
    await must(center.run());
    expect(reverts(await trail(center, action.id))).toHaveLength(1);
  });

  it('setRevert refuses a past time, the wrong field, a final state, a reader, and both or neither field', async () => {
    const { center, action } = await isolated(HOUR);
    const past = await center.setRevert({ principal: people.secAdmin, id: action.id, revertAt: T0 });
    expect(past.ok ? null : past.error).toMatchObject({ code: 'invalidInput', issues: [{ path: ['revertAt'] }] });
    const wrongField = await center.setRevert({ principal: people.secAdmin, id: action.id, revertAfterMs: HOUR });
    expect(wrongField.ok ? null : wrongField.error).toMatchObject({ issues: [{ path: ['revertAfterMs'] }] });
    const reader = await center.setRevert({ principal: people.reader, id: action.id, revertAt: null });
    expect(reader.ok ? null : reader.error.code).toBe('accessDenied');
    const both = await center.setRevert({
      principal: people.secAdmin,
      id: action.id,
      revertAt: null,
      revertAfterMs: null,
    });
    expect(both.ok ? null : both.error.code).toBe('invalidInput');
    const neither = await center.setRevert({ principal: people.secAdmin, id: action.id });
    expect(neither.ok ? null : neither.error.code).toBe('invalidInput');
    await must(center.undo({ principal: people.secAdmin, ids: [action.id] }));
    await must(center.run());
    const undone = await center.setRevert({ principal: people.secAdmin, id: action.id, revertAt: null });
    expect(undone.ok ? null : undone.error).toMatchObject({ code: 'invalidTransition', state: 'undone' });
  });

  it('a policy that requires a justification for setRevert refuses it without a comment, changing nothing', async () => {
    const approvalPolicy = unwrap(
      createApprovalPolicy({
        requirements: [{ match: { actionTypes: ['isolateDevice'] }, justification: ['setRevert'] }],
      }),
    );
    const { center, action } = await isolated(HOUR, { approvalPolicy });
    const bare = await center.setRevert({ principal: people.secAdmin, id: action.id, revertAt: null });
    expect(bare.ok ? null : bare.error).toMatchObject({
      code: 'justificationRequired',
      operation: 'setRevert',
      actionIds: [action.id],
    });
    expect(await must(center.get({ principal: people.reader, id: action.id }))).toEqual(action);
    const justified = await must(
      center.setRevert({ principal: people.secAdmin, id: action.id, revertAt: null, comment: 'Owner asked' }),
    );
    expect(justified.revertAt).toBeNull();
  });

  it('a revert that could never happen is refused: an undoable type from a source whose actions are not undone here', async () => {
    const { center } = testCenter();
    const request = {
      actionType: 'containUser',
      target: { kind: 'user', userId: 'u-1', userPrincipalName: 'alex@contoso.com' },
      parameters: {},
      source: 'advancedHuntingAction',
      requestedBy: { type: 'principal', id: people.globalAdmin.id },
      propose: true,
    } as const;
    const timed = await center.submit({ request: { ...request, revertAfterMs: HOUR }, principal: people.globalAdmin });
    expect(timed.ok ? null : timed.error).toMatchObject({ issues: [{ path: ['request', 'revertAfterMs'] }] });
    const { action } = await must(center.submit({ request, principal: people.globalAdmin }));
    const set = await center.setRevert({ principal: people.globalAdmin, id: action.id, revertAfterMs: HOUR });
    expect(set.ok ? null : set.error).toMatchObject({ code: 'invalidInput', issues: [{ path: ['revertAfterMs'] }] });
    // Clearing is always accepted (nothing to refuse).
    expect(
      (await must(center.setRevert({ principal: people.globalAdmin, id: action.id, revertAfterMs: null }))).status,
    ).toBe('pending');
  });

  it('setRevert on an open action sets or clears revertAfterMs, which its success then uses', async () => {
    const ctx = testCenter({ executor: scriptedExecutor(async () => ({ status: 'succeeded' })) });
    const { action } = await must(
      ctx.center.submit({
        request: { ...isolate('LAPTOP-5', people.secAdmin), propose: true },
        principal: people.secAdmin,
      }),
    );
    expect(action.status).toBe('pending');
    const set: ActionRecord = await must(
      ctx.center.setRevert({ principal: people.secAdmin, id: action.id, revertAfterMs: 2 * HOUR }),
    );
    expect(set).toMatchObject({ status: 'pending', revertAfterMs: 2 * HOUR, revertAt: null });
    const wrong = await ctx.center.setRevert({ principal: people.secAdmin, id: action.id, revertAt: T0 + DAY });
    expect(wrong.ok ? null : wrong.error).toMatchObject({ code: 'invalidInput', issues: [{ path: ['revertAt'] }] });
    await must(ctx.center.approve({ principal: people.globalAdmin, ids: [action.id] }));
    ctx.clock.advance(MINUTE);
    await must(ctx.center.run());
    const done = await must(ctx.center.get({ principal: people.reader, id: action.id }));
    expect(done).toMatchObject({ status: 'succeeded', revertAt: T0 + MINUTE + 2 * HOUR });
  });
});
