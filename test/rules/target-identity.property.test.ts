/**
 * Target identity (issue 16): the duplicate guard and the conflict groups key on what is acted on,
 * not on the whole target object, so a renamed device does not slip through.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInCatalog, type Target } from '../../src/index.js';
import { openKeyOf, TargetSchema, targetIdentityOf } from '../../src/adapter-kit.js';
import { actionCenterArbitraries, displayVariantArbitrary } from '../../src/testing/index.js';

const arbitraries = actionCenterArbitraries(fc);

/** A target with one identity field changed (to a value it did not have), or null when it cannot be. */
function identityChanged(target: Target, fresh: string): Target | null {
  const t = target as Record<string, unknown>;
  const change = (field: string): Target | null =>
    t[field] === fresh ? null : (TargetSchema.parse({ ...target, [field]: fresh }) as Target);
  switch (target.kind) {
    case 'device':
      return change('deviceId');
    case 'file':
      return target.sha256 === null && target.sha1 === null ? change('path') : change('deviceId');
    case 'process':
      return change('processName');
    case 'registryKey':
      return change('keyPath');
    case 'service':
      return change('serviceName');
    case 'driver':
      return change('driverName');
    case 'scheduledTask':
      return change('taskName');
    case 'emailMessage':
      return change('networkMessageId');
    case 'emailCluster':
      return change('query');
    case 'url':
      return t['url'] === `https://x.example/${encodeURIComponent(fresh)}`
        ? null
        : ({ kind: 'url', url: `https://x.example/${encodeURIComponent(fresh)}` } as Target);
    case 'mailbox':
      return null;
    case 'user':
      return change('userId');
    case 'indicator':
      return change('value');
  }
}

describe('targetIdentityOf', () => {
  it('two targets differing only in display fields have the same identity and the same open key', () => {
    fc.assert(
      fc.property(
        arbitraries.target.chain((t) => fc.tuple(fc.constant(t), displayVariantArbitrary(fc, t))),
        ([target, variant]) => {
          expect(targetIdentityOf(variant)).toBe(targetIdentityOf(target));
          expect(openKeyOf('isolateDevice', variant)).toBe(openKeyOf('isolateDevice', target));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('targets differing in an identity field have different identities and open keys', () => {
    fc.assert(
      fc.property(arbitraries.target, fc.string({ minLength: 1, maxLength: 20 }), (target, fresh) => {
        const other = identityChanged(target, fresh);
        fc.pre(other !== null);
        expect(targetIdentityOf(other as Target)).not.toBe(targetIdentityOf(target));
        expect(openKeyOf('quarantineFile', other as Target)).not.toBe(openKeyOf('quarantineFile', target));
      }),
      { numRuns: 300 },
    );
  });

  it('a renamed device is the same device: device:<deviceId>', () => {
    const device = TargetSchema.parse({ kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'G' });
    const renamed = TargetSchema.parse({ ...device, deviceName: 'LAPTOP-1-NEW', deviceGroup: 'Servers' });
    expect(targetIdentityOf(device)).toBe('device:d1');
    expect(targetIdentityOf(renamed)).toBe('device:d1');
  });

  it('a file is named by its SHA-256, else its SHA-1, else its path, on its device', () => {
    const base = { kind: 'file', deviceId: 'd1', deviceName: 'PC', deviceGroup: 'G', path: 'C:\\a.exe' } as const;
    const byPath = TargetSchema.parse(base);
    const bySha1 = TargetSchema.parse({ ...base, sha1: 'A'.repeat(40) });
    const bySha256 = TargetSchema.parse({ ...base, sha1: 'a'.repeat(40), sha256: 'b'.repeat(64) });
    expect(targetIdentityOf(byPath)).toBe('file:["d1","path","C:\\\\a.exe"]');
    expect(targetIdentityOf(bySha1)).toBe(`file:["d1","sha1","${'a'.repeat(40)}"]`);
    expect(targetIdentityOf(bySha256)).toBe(`file:["d1","sha256","${'b'.repeat(64)}"]`);
    // The same hash at another path on the device is the same file; on another device it is not.
    expect(targetIdentityOf(TargetSchema.parse({ ...base, path: 'D:\\b.exe', sha1: 'a'.repeat(40) }))).toBe(
      targetIdentityOf(bySha1),
    );
    expect(targetIdentityOf(TargetSchema.parse({ ...base, deviceId: 'd2', sha1: 'a'.repeat(40) }))).not.toBe(
      targetIdentityOf(bySha1),
    );
  });

  it('a message is its network message id in its mailbox; the subject does not count', () => {
    const m = { kind: 'emailMessage', mailbox: 'a@contoso.com', networkMessageId: '<m1>', subject: 'Hi' } as const;
    expect(targetIdentityOf(TargetSchema.parse(m))).toBe(
      targetIdentityOf(TargetSchema.parse({ ...m, subject: 'Other' })),
    );
    expect(targetIdentityOf(TargetSchema.parse(m))).not.toBe(
      targetIdentityOf(TargetSchema.parse({ ...m, mailbox: 'b@contoso.com' })),
    );
  });
});

describe('openKeyOf with conflict groups', () => {
  const device = TargetSchema.parse({ kind: 'device', deviceId: 'd1', deviceName: 'PC', deviceGroup: 'G' });
  const key = (id: string, target: Target = device) => openKeyOf(builtInCatalog.require(id), target);

  it('isolate and release from isolation share the key of their group; restrict and release code execution theirs', () => {
    expect(key('isolateDevice')).toBe(key('releaseFromIsolation'));
    expect(key('restrictCodeExecution')).toBe(key('releaseCodeExecution'));
    expect(key('isolateDevice')).not.toBe(key('restrictCodeExecution'));
    expect(key('isolateDevice')).toBe('group:isolation\u0000device:d1');
  });

  it("Defender's one-at-a-time types are keyed per type per device", () => {
    const types = ['runAntivirusScan', 'collectInvestigationPackage', 'restrictCodeExecution', 'isolateDevice'];
    expect(new Set(types.map((t) => key(t))).size).toBe(types.length);
    const other = TargetSchema.parse({ ...device, deviceId: 'd2' });
    expect(key('runAntivirusScan')).not.toBe(key('runAntivirusScan', other));
  });

  it('a key over 1,000 characters is the group and the SHA-256 of the identity, bounded', () => {
    const long = TargetSchema.parse({ kind: 'emailCluster', query: 'q'.repeat(4000) });
    const k = openKeyOf('softDeleteEmailClusters', long);
    expect(k).toMatch(/^softDeleteEmailClusters\u0000sha256:[0-9a-f]{64}$/);
    expect(openKeyOf('softDeleteEmailClusters', TargetSchema.parse({ ...long, messageCount: 3 }))).toBe(k);
  });
});
