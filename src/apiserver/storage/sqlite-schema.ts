import type Database from 'better-sqlite3';

/**
 * The on-disk layout of SqliteStore, kine-like: one row per revision.
 *
 * - kv.rev is the rowid, so every write appends to the end of the table's b-tree.
 * - prev_rev is the modRevision of the value a write replaced or deleted (NULL for a create). It
 *   gives watch events their prev value with one primary-key join, and makes compaction cheap:
 *   the rows a compaction removes are exactly the prev_rev targets and tombstones of the rows
 *   written since the previous compaction, so it never scans the whole table.
 * - A deletion row (deleted = 1) has a NULL value: the value it deleted is the row at prev_rev,
 *   which compaction keeps for as long as the deletion row exists.
 * - kv_key_rev serves lists at older revisions (latest row per key at or before a revision) and
 *   the key index load at open.
 * - meta holds what rows cannot: the compacted revision (whose rows may all be gone) and how far
 *   the (chunked, resumable) compaction has deleted. The current revision is not stored: it is
 *   max(MAX(rev), compacted), since compaction only removes the top row when it compacts
 *   everything up to it.
 */
export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  rev        INTEGER PRIMARY KEY,
  key        TEXT    NOT NULL,
  create_rev INTEGER NOT NULL,
  prev_rev   INTEGER,
  deleted    INTEGER NOT NULL DEFAULT 0,
  value      TEXT
);
CREATE INDEX IF NOT EXISTS kv_key_rev ON kv (key, rev);
CREATE TABLE IF NOT EXISTS meta (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (name, value) VALUES
  ('schema', ${SCHEMA_VERSION}), ('compacted', 0), ('compact_done', 0);
`;

export interface Meta {
  schema: number;
  compacted: number;
  /** Rows superseded at or before this revision are deleted; behind `compacted` while compacting. */
  compact_done: number;
}

export function initSchema(db: Database.Database): Meta {
  db.exec(SCHEMA);
  const rows = db.prepare('SELECT name, value FROM meta').all() as { name: string; value: number }[];
  const meta = Object.fromEntries(rows.map((r) => [r.name, r.value])) as unknown as Meta;
  if (meta.schema !== SCHEMA_VERSION) {
    throw new Error(`unsupported sqlite store schema version ${meta.schema} (want ${SCHEMA_VERSION})`);
  }
  return meta;
}

/** Row shapes in .raw() order. */
export type ListRow = [key: string, rev: number, createRev: number, deleted: number, value: string | null];
export type EventRow = [
  rev: number,
  key: string,
  createRev: number,
  deleted: number,
  value: string | null,
  prevRev: number | null,
  prevCreateRev: number | null,
  prevValue: string | null,
];

/** Every statement the store runs, prepared once. Variants without an upper key bound serve prefixes with no rangeEnd. */
export function prepareStatements(db: Database.Database) {
  const listAt = (bounded: boolean) =>
    db
      .prepare(
        `SELECT key, MAX(rev) AS rev, create_rev, deleted, value FROM kv
         WHERE key >= ? ${bounded ? 'AND key < ?' : ''} AND rev <= ?
         GROUP BY key HAVING deleted = 0 ORDER BY key LIMIT ?`,
      )
      .raw();
  // NOT INDEXED: walk revisions in order from afterRevision (watches resume from recent
  // revisions), never the key index plus a sort of the whole prefix, which the planner picks
  // without statistics and which is ruinous for a broad prefix.
  const events = (bounded: boolean) =>
    db
      .prepare(
        `SELECT e.rev, e.key, e.create_rev, e.deleted, e.value, p.rev, p.create_rev, p.value
         FROM kv e NOT INDEXED LEFT JOIN kv p ON p.rev = e.prev_rev
         WHERE e.rev > ? AND e.key >= ? ${bounded ? 'AND e.key < ?' : ''}
         ORDER BY e.rev LIMIT ?`,
      )
      .raw();
  return {
    insert: db.prepare('INSERT INTO kv (rev, key, create_rev, prev_rev, deleted, value) VALUES (?, ?, ?, ?, ?, ?)'),
    valueAt: db.prepare('SELECT value FROM kv WHERE rev = ?').pluck(),
    valuesAt: db.prepare('SELECT rev, value FROM kv WHERE rev IN (SELECT value FROM json_each(?))').raw(),
    maxRev: db.prepare('SELECT MAX(rev) FROM kv').pluck(),
    /** Latest row of every key, in key order (SQLite returns the bare columns of the MAX row). */
    latestPerKey: db.prepare('SELECT key, MAX(rev) AS rev, create_rev, deleted FROM kv GROUP BY key ORDER BY key').raw(),
    listAtBounded: listAt(true),
    listAtUnbounded: listAt(false),
    eventsBounded: events(true),
    eventsUnbounded: events(false),
    setMeta: db.prepare('UPDATE meta SET value = ? WHERE name = ?'),
    compactSuperseded: db.prepare(
      'DELETE FROM kv WHERE rev IN (SELECT prev_rev FROM kv WHERE rev > ? AND rev <= ? AND prev_rev IS NOT NULL)',
    ),
    compactTombstones: db.prepare('DELETE FROM kv WHERE rev > ? AND rev <= ? AND deleted = 1'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
