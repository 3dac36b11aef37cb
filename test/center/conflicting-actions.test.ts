/**
 * Conflicting actions on one target (issue 16): an action and its inverse (isolate / release from
 * isolation) are never open together on one device, whatever the duplicates policy; the duplicate
 * guard keys on the target's identity, so a renamed device does not slip through.
 */
import { describe, expect, it } from 'vitest';
import type { BuiltInRequestInput, DuplicatePolicy } from '../../src/index.js';
import { isolate, must, people, testCenter } from './fixtures.js';

const by = people.secAdmin;

function release(device: string, name = device): BuiltInRequestInput {
  return {
    actionType: 'releaseFromIsolation',
    target: { kind: 'device', deviceId: `dev-${device}`, deviceName: name, deviceGroup: 'Workstations' },
    parameters: {},
    source: 'manualDeviceAction',
    requestedBy: { type: 'principal', id: by.id },
  };
}

const renamed = (request: BuiltInRequestInput, deviceName: string): BuiltInRequestInput =>
  ({ ...request, target: { ...request.target, deviceName } }) as BuiltInRequestInput;

describe('conflicting actions on one target', () => {
  for (const duplicates of ['refuse', 'join', 'allow'] as DuplicatePolicy[]) {
    it(`a release while an isolate is open is conflictingAction naming the isolate, and changes nothing (duplicates: ${duplicates})`, async () => {
      const { center } = testCenter({ duplicates });
      const open = await must(center.submit({ principal: by, request: isolate('LAPTOP-1', by) }));
      const before = await must(center.list({ principal: people.reader }));
      const r = await center.submit({ principal: by, request: release('LAPTOP-1', 'LAPTOP-1-RENAMED') });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error).toMatchObject({
        code: 'conflictingAction',
        openActionId: open.action.id,
        openActionType: 'isolateDevice',
        targetIdentity: 'device:dev-LAPTOP-1',
      });
      expect(await must(center.list({ principal: people.reader }))).toEqual(before);
    });
  }

  it('a release on another device is not a conflict', async () => {
    const { center } = testCenter();
    await must(center.submit({ principal: by, request: isolate('LAPTOP-1', by) }));
    const r = await must(center.submit({ principal: by, request: release('LAPTOP-2') }));
    expect(r.disposition).not.toBe('joined');
    expect(r.action.actionType).toBe('releaseFromIsolation');
  });

  it('a renamed device does not slip through the duplicate guard', async () => {
    const { center } = testCenter();
    const first = await must(center.submit({ principal: by, request: isolate('LAPTOP-1', by) }));
    const r = await center.submit({ principal: by, request: renamed(isolate('LAPTOP-1', by), 'LAPTOP-1-NEW') });
    expect(r.ok ? r.value.disposition : r.error).toMatchObject({
      code: 'duplicateOpenAction',
      existingActionId: first.action.id,
    });
  });

  it('the same type joins under join: join applies to the same type only', async () => {
    const { center } = testCenter({ duplicates: 'join' });
    const first = await must(center.submit({ principal: by, request: isolate('LAPTOP-1', by) }));
    const again = await must(center.submit({ principal: by, request: isolate('LAPTOP-1', by) }));
    expect(again).toMatchObject({ disposition: 'joined', action: { id: first.action.id } });
  });

  it('isolate -> undo -> release: the counterpart of the other type is created, and holds the group', async () => {
    const { center } = testCenter();
    const isolated = await must(center.submit({ principal: by, request: isolate('LAPTOP-1', by) }));
    await must(center.run());
    expect((await must(center.get({ principal: by, id: isolated.action.id }))).status).toBe('succeeded');
    const undone = await must(center.undo({ principal: by, ids: [isolated.action.id] }));
    expect(undone.items.map((i) => i.ok)).toEqual([true]);
    const original = await must(center.get({ principal: by, id: isolated.action.id }));
    const counterpart = await must(center.get({ principal: by, id: original.undoActionId ?? '' }));
    expect(counterpart).toMatchObject({ actionType: 'releaseFromIsolation', status: 'approved' });
    // While the release is open, no isolate opens beside it.
    const r = await center.submit({ principal: by, request: isolate('LAPTOP-1', by) });
    expect(r.ok ? r.value : r.error).toMatchObject({ code: 'conflictingAction', openActionId: counterpart.id });
    await must(center.run());
    expect((await must(center.get({ principal: by, id: isolated.action.id }))).status).toBe('undone');
    // Released: the device may be isolated again.
    expect((await must(center.submit({ principal: by, request: isolate('LAPTOP-1', by) }))).action.status).toBe(
      'approved',
    );
  });

  it("Defender's story: isolate, isolate, release, release can no longer complete out of order and leave the device isolated", async () => {
    const { center } = testCenter({ duplicates: 'refuse' });
    const calls = [isolate('LAPTOP-1', by), isolate('LAPTOP-1', by), release('LAPTOP-1'), release('LAPTOP-1')];
    const answers = [];
    for (const request of calls) {
      const r = await center.submit({ principal: by, request });
      answers.push(r.ok ? r.value.disposition : r.error.code);
    }
    // Only the first isolate opens; the second is a duplicate, both releases conflict with it.
    expect(answers).toEqual(['takenNow', 'duplicateOpenAction', 'conflictingAction', 'conflictingAction']);
    await must(center.run());
    // The isolate completed: a release is now accepted, alone; the device ends released.
    const released = await must(center.submit({ principal: by, request: release('LAPTOP-1') }));
    const r = await center.submit({ principal: by, request: isolate('LAPTOP-1', by) });
    expect(r.ok ? r.value : r.error).toMatchObject({ code: 'conflictingAction', openActionId: released.action.id });
    await must(center.run());
    const all = await must(center.list({ principal: people.reader }));
    expect(all.items.map((a) => [a.actionType, a.status])).toEqual(
      expect.arrayContaining([
        ['isolateDevice', 'succeeded'],
        ['releaseFromIsolation', 'succeeded'],
      ]),
    );
    expect(all.items).toHaveLength(2);
  });
});
