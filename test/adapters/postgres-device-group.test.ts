/**
 * Issue 12, item 1 on PGlite: the `device_group` column the read scope filters on. It is written with
 * every action, checked against the record on reads, and filled by migration 2's backfill for rows
 * stored before it (device groups as column text, records kept as JSON text included).
 */
import { describe, expect, it } from 'vitest';
import { unwrap, type ActionId, type ActionRecord } from 'actioncenter';
import { asId, resolveQuery } from 'actioncenter/adapter-kit';
import { createPostgresRepository, migrate } from 'actioncenter/postgres';
import { backfillDeviceGroups, namesOf } from '../../src/adapters/postgres/schema.js';
import { columnText } from '../../src/adapters/postgres/text.js';
import { action, batch, create, freshSchema, sharedPGlite, usePGlite } from './postgres-fixtures.js';
import { deviceTarget } from '../support/records.js';

usePGlite();

const SLOW = { timeout: 120_000 };

function records(): ActionRecord[] {
  return [
    action('on-g1', { target: deviceTarget({ deviceName: 'HOST-1', deviceGroup: 'G1' }) }),
    // Above U+FFFF: column text differs from the string (text.ts), so the backfill must encode it.
    action('on-office', { target: deviceTarget({ deviceName: 'HOST-2', deviceGroup: 'Büro \u{1F3E2}' }) }),
    // A NUL in the device name and a lone surrogate in the group: the record is kept as JSON text, not JSONB.
    action('json-text', { target: deviceTarget({ deviceName: 'HOST-\u0000-3', deviceGroup: 'G2\uD800' }) }),
    action('no-device', { workload: 'email', target: { kind: 'url', url: 'https://bad.example/' } }),
  ];
}

async function seeded() {
  const db = sharedPGlite();
  const schema = freshSchema('ac_devgroup');
  unwrap(await migrate(db, { schema }));
  const repo = createPostgresRepository({ client: db, schema });
  const stored = records();
  unwrap(await repo.commit(batch(stored.map(create))));
  const n = unwrap(namesOf(schema));
  const column = async () =>
    Object.fromEntries(
      (
        await db.query<{ id: string; device_group: string | null }>(
          `SELECT id, device_group FROM ${n.actions} ORDER BY id`,
        )
      ).rows.map((r) => [r.id, r.device_group]),
    );
  return { db, repo, n, stored, column };
}

const expected = {
  'no-device': null,
  'json-text': columnText('G2\uD800'),
  'on-g1': 'G1',
  'on-office': columnText('Büro \u{1F3E2}'),
};

describe('the device_group column (PostgreSQL)', () => {
  it('is written with each action: the device group as column text, null on no device', SLOW, async () => {
    const { db, n, column } = await seeded();
    expect(await column()).toEqual(expected);
    const kept = await db.query<{ id: string }>(`SELECT id FROM ${n.actions} WHERE record_text IS NOT NULL`);
    expect(kept.rows.map((r) => r.id)).toEqual(['json-text']);
  });

  it(
    "migration 2's backfill fills rows stored before it, JSON-text records included, and they read back whole",
    SLOW,
    async () => {
      const { db, repo, n, stored, column } = await seeded();
      await db.query(`UPDATE ${n.actions} SET device_group = NULL`);
      // Before the backfill a device action's null column disagrees with its record: reported, not served.
      const before = await repo.get(asId<ActionId>('on-g1'));
      expect(before.ok ? 'ok' : before.error.code).toBe('corruptRecord');
      await backfillDeviceGroups(db, n);
      expect(await column()).toEqual(expected);
      for (const a of stored) expect(unwrap(await repo.get(a.id))).toEqual(a);
      const q = unwrap(resolveQuery({ sort: { column: 'id', direction: 'asc' } }, 0));
      const page = unwrap(
        await repo.query({
          ...q,
          filter: { ...q.filter, scope: { deviceGroups: ['Büro \u{1F3E2}', 'G2\uD800'], includeUngrouped: false } },
        }),
      );
      expect([page.items.map((a) => a.id), page.total]).toEqual([['json-text', 'on-office'], 2]);
    },
  );
});
