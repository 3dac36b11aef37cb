/**
 * The adapter's schema as versioned migrations (SQL text), and the backfills that fill new columns
 * of rows stored before them. {@link migrate} (schema.ts) applies them.
 *
 * @module
 */
import { dueAtOf } from 'actioncenter/adapter-kit';
import { type PostgresQueryable } from './client.js';
import { OPEN_STATUSES_SQL, type Names } from './names.js';
import { rekeyOpenActions } from './rekey.js';
import { columnText } from './text.js';

// JavaScript's StrWhiteSpaceChar (WhiteSpace and LineTerminator), as a regex bracket; U+FEFF appears
// in column text shifted to U+106FF (see text.ts).
const JS_WHITESPACE =
  '[\\u0009-\\u000D\\u0020\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\U000106FF]';

/** One schema version: its statements, then its backfill, in the migration's transaction. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: (n: Names) => readonly string[];
  /**
   * Fills what SQL alone cannot compute from stored records, after the statements, in the same
   * transaction; may answer notes for the migration report (`MigrationReport.notes`).
   */
  readonly backfill?: (db: PostgresQueryable, n: Names) => Promise<void | readonly string[]>;
}

/** Every schema version, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'actions, audit events, idempotency keys; indexes of the Pending and History views',
    statements: (n) => [
      // Typed columns hold what the views filter and sort on, as column text (text.ts) under
      // COLLATE "C"; `record` holds the rest of the action, which is what reads return.
      `CREATE TABLE ${n.actions} (
        id text COLLATE "C" PRIMARY KEY,
        version integer NOT NULL,
        action_type text COLLATE "C" NOT NULL,
        workload text COLLATE "C" NOT NULL,
        source text COLLATE "C" NOT NULL,
        status text COLLATE "C" NOT NULL,
        asset text COLLATE "C" NOT NULL,
        investigation_id text COLLATE "C",
        approval_id text COLLATE "C",
        decided_by text COLLATE "C",
        created_at bigint NOT NULL,
        decided_at bigint,
        completed_at bigint,
        updated_at bigint NOT NULL,
        open_key text COLLATE "C",
        -- The record without its openKey (the open_key column holds it, as column text). As JSONB,
        -- or, for the rare record holding text JSONB cannot (NUL, unpaired surrogates), as JSON text.
        record jsonb,
        record_text text,
        CONSTRAINT actioncenter_actions_record_check CHECK ((record IS NULL) <> (record_text IS NULL)),
        -- At most one open action per open key. An exclusion constraint on a hash index is a partial
        -- unique index without btree's ~2.7 kB key limit (open keys may be 2,000 characters), and it
        -- is checked at COMMIT, so a key can pass from a closing action to a new one in one commit.
        CONSTRAINT actioncenter_actions_open_key_excl EXCLUDE USING hash (open_key WITH =)
          WHERE (open_key IS NOT NULL AND status IN ${OPEN_STATUSES_SQL}) DEFERRABLE INITIALLY DEFERRED
      )`,
      // Pending view (status = 'pending', by creation time), the engine's sweeps (status, creation
      // time ascending), and both with an action type filter. PostgreSQL sorts equal times by id
      // with an incremental sort, in either direction.
      `CREATE INDEX actioncenter_actions_status_created ON ${n.actions} (status, created_at)`,
      `CREATE INDEX actioncenter_actions_status_type_created ON ${n.actions} (status, action_type, created_at)`,
      // History and "all" views by creation, decision or completion time.
      `CREATE INDEX actioncenter_actions_created ON ${n.actions} (created_at)`,
      `CREATE INDEX actioncenter_actions_decided ON ${n.actions} (decided_at)`,
      `CREATE INDEX actioncenter_actions_completed ON ${n.actions} (completed_at)`,
      // Filters. Assets can be URLs of 4,096 characters: a hash index has no key size limit.
      `CREATE INDEX actioncenter_actions_asset ON ${n.actions} USING hash (asset)`,
      `CREATE INDEX actioncenter_actions_investigation ON ${n.actions} (investigation_id) WHERE investigation_id IS NOT NULL`,
      `CREATE INDEX actioncenter_actions_approval ON ${n.actions} (approval_id) WHERE approval_id IS NOT NULL`,
      `CREATE INDEX actioncenter_actions_decided_by ON ${n.actions} (decided_by) WHERE decided_by IS NOT NULL`,
      `CREATE TABLE ${n.events} (
        action_id text COLLATE "C" NOT NULL REFERENCES ${n.actions} (id),
        sequence integer NOT NULL,
        id text COLLATE "C" NOT NULL,
        type text COLLATE "C" NOT NULL,
        at bigint NOT NULL,
        event jsonb,
        event_text text,
        CONSTRAINT actioncenter_audit_events_event_check CHECK ((event IS NULL) <> (event_text IS NULL)),
        CONSTRAINT actioncenter_audit_events_pkey PRIMARY KEY (action_id, sequence),
        CONSTRAINT actioncenter_audit_events_id_key UNIQUE (id)
      )`,
      `CREATE TABLE ${n.idempotency} (
        key text COLLATE "C" PRIMARY KEY,
        -- The action ids, as column text.
        action_ids jsonb NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now()
      )`,
      // JavaScript's Number(string), for one corner of the reference order: a cursor whose value is a
      // number, used on a text column (taken from a page sorted by a time column), compares each text
      // with Number(text) < value. Only such queries call it.
      `CREATE FUNCTION ${n.jsNumber}(t text) RETURNS double precision
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
      DECLARE
        s text := regexp_replace(t, '^${JS_WHITESPACE}+|${JS_WHITESPACE}+$', '', 'g');
        negative boolean := s LIKE '-%';
        digits text;
        base integer;
        acc numeric := 0;
        mantissa text;
        int_part text;
        frac_part text;
        magnitude numeric;
      BEGIN
        IF s = '' THEN
          RETURN 0;
        END IF;
        IF s ~ '^[+-]?Infinity$' THEN
          RETURN CASE WHEN negative THEN '-Infinity'::float8 ELSE 'Infinity'::float8 END;
        END IF;
        IF s ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' THEN
          BEGIN
            RETURN s::float8;
          EXCEPTION WHEN numeric_value_out_of_range THEN
            -- Out of double range: JavaScript rounds to Infinity (too large) or 0 (too small).
            mantissa := regexp_replace(s, '^[+-]|[eE].*$', '', 'g');
            int_part := ltrim(split_part(mantissa, '.', 1), '0');
            frac_part := split_part(mantissa, '.', 2);
            magnitude := coalesce(substring(s from '[eE]([+-]?[0-9]+)$')::numeric, 0)
              + CASE WHEN int_part <> '' THEN length(int_part) ELSE length(ltrim(frac_part, '0')) - length(frac_part) END;
            IF magnitude > 0 THEN
              RETURN CASE WHEN negative THEN '-Infinity'::float8 ELSE 'Infinity'::float8 END;
            END IF;
            RETURN CASE WHEN negative THEN '-0'::float8 ELSE 0 END;
          END;
        END IF;
        IF s ~ '^0[xX][0-9a-fA-F]+$' THEN
          base := 16;
        ELSIF s ~ '^0[oO][0-7]+$' THEN
          base := 8;
        ELSIF s ~ '^0[bB][01]+$' THEN
          base := 2;
        ELSE
          RETURN 'NaN'::float8;
        END IF;
        digits := ltrim(lower(substr(s, 3)), '0');
        -- More than 1,100 bits is beyond any double.
        IF length(digits) * log(2, base) > 1100 THEN
          RETURN 'Infinity'::float8;
        END IF;
        FOR i IN 1..length(digits) LOOP
          acc := acc * base + (position(substr(digits, i, 1) in '0123456789abcdef') - 1);
        END LOOP;
        BEGIN
          RETURN acc::float8;
        EXCEPTION WHEN numeric_value_out_of_range THEN
          RETURN 'Infinity'::float8;
        END;
      END
      $fn$`,
    ],
  },
  {
    version: 2,
    description: 'device_group column and index: reads scoped by device group (issue 12, item 1)',
    statements: (n) => [
      // The device group of the target's device (column text), null for targets on no device.
      `ALTER TABLE ${n.actions} ADD COLUMN device_group text COLLATE "C"`,
      `CREATE INDEX actioncenter_actions_device_group ON ${n.actions} (device_group)`,
    ],
    backfill: backfillDeviceGroups,
  },
  {
    version: 3,
    description:
      'incident and alert references, requester, comment and undo-of columns: their filters and sorts (issue 12, items 10, 13, 15)',
    statements: (n) => [
      `ALTER TABLE ${n.actions} ADD COLUMN incident_id text COLLATE "C", ADD COLUMN alert_id text COLLATE "C",
        ADD COLUMN requested_by text COLLATE "C", ADD COLUMN comment text COLLATE "C", ADD COLUMN undo_of text COLLATE "C"`,
      `CREATE INDEX actioncenter_actions_incident ON ${n.actions} (incident_id) WHERE incident_id IS NOT NULL`,
      `CREATE INDEX actioncenter_actions_alert ON ${n.actions} (alert_id) WHERE alert_id IS NOT NULL`,
      `CREATE INDEX actioncenter_actions_requested_by ON ${n.actions} (requested_by)`,
    ],
    backfill: backfillViewColumns,
  },
  {
    version: 4,
    description:
      'open keys unique by a partial unique index (checked per row) instead of a deferred hash exclusion; the (status, action_type, created_at) index dropped (issue 14)',
    statements: (n) => [
      // Every index gets an entry for every new row version (an approval changes indexed columns: no
      // HOT update), and the deferred exclusion rechecked every row at COMMIT: fewer, cheaper indexes.
      // The SHA-256 of the key, because a btree key is limited to ~2.7 kB and open keys may be 2,000
      // characters; IMMUTABLE because convert_to is stable only for the database's encoding, which
      // cannot change.
      `CREATE FUNCTION ${n.openKeyHash}(k text) RETURNS bytea
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$ SELECT pg_catalog.sha256(pg_catalog.convert_to(k, 'UTF8')) $fn$`,
      `ALTER TABLE ${n.actions} DROP CONSTRAINT actioncenter_actions_open_key_excl`,
      `CREATE UNIQUE INDEX actioncenter_actions_open_key ON ${n.actions} (${n.openKeyHash}(open_key))
        WHERE open_key IS NOT NULL AND status IN ${OPEN_STATUSES_SQL}`,
      // The Pending view with an action type filter reads (status, created_at) and filters the type:
      // a second index on the same leading columns only doubled the writes.
      `DROP INDEX ${n.schema === null ? '' : `"${n.schema}".`}actioncenter_actions_status_type_created`,
    ],
  },
  {
    version: 5,
    description:
      'due_at column (dueAtOf the record: pending expiry, running deadline) and its partial index: sweeps read what is due (issue 15)',
    statements: (n) => [
      `ALTER TABLE ${n.actions} ADD COLUMN due_at bigint`,
      // Partial: only actions with a due time (pending or running) are in it, so a sweep with nothing
      // due is one descent of a small index, whatever the table holds.
      `CREATE INDEX actioncenter_actions_due ON ${n.actions} (due_at, id) WHERE due_at IS NOT NULL`,
    ],
    backfill: backfillDueTimes,
  },
  {
    version: 6,
    description:
      'change feed: a position on every audit event (gap-free, in commit order) from a one-row counter, and its unique index (issue 15)',
    statements: (n) => [
      // One row: a commit that writes events takes its positions with UPDATE ... SET last = last + n,
      // which holds the row until COMMIT: commits that write events take positions in commit order
      // (a sequence would not: a transaction holding 10 may commit after one holding 11).
      `CREATE TABLE ${n.changeCounter} (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        last bigint NOT NULL
      )`,
      `ALTER TABLE ${n.events} ADD COLUMN position bigint`,
      // Events stored before: numbered in (at, action_id, sequence) order.
      `UPDATE ${n.events} e SET position = o.position
        FROM (SELECT action_id, sequence, row_number() OVER (ORDER BY at, action_id, sequence) AS position FROM ${n.events}) o
        WHERE e.action_id = o.action_id AND e.sequence = o.sequence`,
      `INSERT INTO ${n.changeCounter} (last) SELECT coalesce(max(position), 0) FROM ${n.events}`,
      `ALTER TABLE ${n.events} ALTER COLUMN position SET NOT NULL`,
      `CREATE UNIQUE INDEX actioncenter_audit_events_position ON ${n.events} (position)`,
    ],
  },
  {
    version: 7,
    description:
      'audit events are append-only: a trigger refuses UPDATE and DELETE of audit rows (tamper-evident trail, issue 16)',
    statements: (n) => [
      // The adapter only ever inserts audit rows (the backfills that updated them, versions 5 and 6,
      // run before this one). A row changed anyway (by an owner who disables the trigger) is caught by
      // verifyAuditTrail: its hash chain breaks there.
      `CREATE FUNCTION ${n.auditAppendOnly}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'actioncenter: audit events are append-only: % of an audit row refused (action %, sequence %)',
            TG_OP, OLD.action_id, OLD.sequence
            USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit events are never updated or deleted; verifyAuditTrail detects rows changed with the trigger disabled.';
        END
      $$`,
      `CREATE TRIGGER actioncenter_audit_events_append_only BEFORE UPDATE OR DELETE ON ${n.events}
        FOR EACH ROW EXECUTE FUNCTION ${n.auditAppendOnly}()`,
    ],
  },
  {
    version: 8,
    description:
      "open keys by conflict group and target identity: the open rows' open_key computed again with openKeyOf (issue 16)",
    statements: () => [],
    backfill: rekeyOpenActions,
  },
];

/**
 * Sets `due_at` on the pending and running rows stored before version 5, from their records (the
 * others have no due time: null), in id order and in batches, in JavaScript for the reasons of
 * {@link backfillDeviceGroups}. An unreadable record keeps null (reads report it anyway).
 */
async function backfillDueTimes(db: PostgresQueryable, n: Names): Promise<void> {
  let after = '';
  for (;;) {
    const r = await db.query(
      `SELECT id, record, record_text FROM ${n.actions} WHERE status IN ('pending', 'running') AND id > $1 ORDER BY id LIMIT 1000`,
      [after],
    );
    if (r.rows.length === 0) return;
    const updates: { id: string; due_at: number }[] = [];
    for (const row of r.rows) {
      const due = storedDueAt(row['record'], row['record_text']);
      if (due !== null) updates.push({ id: String(row['id']), due_at: due });
      after = String(row['id']);
    }
    if (updates.length > 0) {
      await db.query(
        `UPDATE ${n.actions} a SET due_at = w.due_at FROM jsonb_to_recordset($1::jsonb) AS w(id text, due_at bigint) WHERE a.id = w.id`,
        [JSON.stringify(updates)],
      );
    }
  }
}

/** `dueAtOf` a stored record, or null (none, or unreadable). */
function storedDueAt(json: unknown, text: unknown): number | null {
  try {
    const record: unknown = json ?? (typeof text === 'string' ? JSON.parse(text) : null);
    const doc = (typeof record === 'string' ? JSON.parse(record) : record) as Record<string, unknown> | null;
    if (doc === null || typeof doc !== 'object') return null;
    const time = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);
    const status = doc['status'];
    if (status !== 'pending' && status !== 'running') return null;
    return dueAtOf({ status, expiresAt: time(doc['expiresAt']), deadlineAt: time(doc['deadlineAt']) });
  } catch {
    return null;
  }
}

/**
 * Sets `requested_by`, `comment` and `undo_of` on the rows stored before version 3, from their
 * records (as column text, in JavaScript for the reasons of {@link backfillDeviceGroups}). Records
 * stored before version 3 have no incident or alert reference: those columns stay null, as the
 * records read back. An unreadable record keeps nulls.
 */
async function backfillViewColumns(db: PostgresQueryable, n: Names): Promise<void> {
  let after = '';
  for (;;) {
    const r = await db.query(`SELECT id, record, record_text FROM ${n.actions} WHERE id > $1 ORDER BY id LIMIT 1000`, [
      after,
    ]);
    if (r.rows.length === 0) return;
    const updates: { id: string; requested_by: string | null; comment: string | null; undo_of: string | null }[] = [];
    for (const row of r.rows) {
      const columns = storedViewColumns(row['record'], row['record_text']);
      if (columns !== null) updates.push({ id: String(row['id']), ...columns });
      after = String(row['id']);
    }
    if (updates.length > 0) {
      await db.query(
        `UPDATE ${n.actions} a SET requested_by = w.requested_by, comment = w.comment, undo_of = w.undo_of
         FROM jsonb_to_recordset($1::jsonb) AS w(id text, requested_by text, comment text, undo_of text) WHERE a.id = w.id`,
        [JSON.stringify(updates)],
      );
    }
  }
}

/** The version 3 columns of a stored record (column text), or null when it cannot be read. */
function storedViewColumns(
  json: unknown,
  text: unknown,
): { requested_by: string | null; comment: string | null; undo_of: string | null } | null {
  try {
    const record: unknown = json ?? (typeof text === 'string' ? JSON.parse(text) : null);
    const doc = (typeof record === 'string' ? JSON.parse(record) : record) as Record<string, unknown> | null;
    if (doc === null || typeof doc !== 'object') return null;
    const str = (v: unknown) => (typeof v === 'string' ? columnText(v) : null);
    const by = doc['requestedBy'] as { type?: unknown; id?: unknown; component?: unknown } | null | undefined;
    const key =
      by?.type === 'principal' && typeof by.id === 'string'
        ? by.id
        : by?.type === 'system' && typeof by.component === 'string'
          ? `system:${by.component}`
          : null;
    const comment = typeof doc['decisionComment'] === 'string' ? doc['decisionComment'] : doc['requestComment'];
    return { requested_by: str(key), comment: str(comment), undo_of: str(doc['undoOf']) };
  } catch {
    return null;
  }
}

/**
 * Sets `device_group` on the rows stored before version 2, from their records, in id order and in
 * batches. In JavaScript rather than SQL: the value must be column text (text.ts), and records kept
 * as JSON text may hold what PostgreSQL's JSON operators refuse. An unreadable record keeps null
 * (reads report it as `corruptRecord` anyway).
 */
export async function backfillDeviceGroups(db: PostgresQueryable, n: Names): Promise<void> {
  let after = '';
  for (;;) {
    const r = await db.query(`SELECT id, record, record_text FROM ${n.actions} WHERE id > $1 ORDER BY id LIMIT 1000`, [
      after,
    ]);
    if (r.rows.length === 0) return;
    const updates: { id: string; device_group: string }[] = [];
    for (const row of r.rows) {
      const group = storedDeviceGroup(row['record'], row['record_text']);
      if (group !== null) updates.push({ id: String(row['id']), device_group: columnText(group) });
      after = String(row['id']);
    }
    if (updates.length > 0) {
      await db.query(
        `UPDATE ${n.actions} a SET device_group = w.device_group FROM jsonb_to_recordset($1::jsonb) AS w(id text, device_group text) WHERE a.id = w.id`,
        [JSON.stringify(updates)],
      );
    }
  }
}

/** The device group of a stored record's target, or null (no device, or unreadable). */
function storedDeviceGroup(json: unknown, text: unknown): string | null {
  try {
    const record: unknown = json ?? (typeof text === 'string' ? JSON.parse(text) : null);
    const doc = typeof record === 'string' ? (JSON.parse(record) as unknown) : record;
    const target = (doc as { target?: { deviceId?: unknown; deviceGroup?: unknown } } | null)?.target;
    return target !== undefined &&
      target !== null &&
      typeof target.deviceId === 'string' &&
      typeof target.deviceGroup === 'string'
      ? target.deviceGroup
      : null;
  } catch {
    return null;
  }
}
