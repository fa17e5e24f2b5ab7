import { OUTLIVES_TEAM } from '../db/catalogue.js';
import { APP_ROLE, type Tx } from '../db/engine.js';
import type { Migration } from '../db/migrations.js';
import { type ErasureEntry, entryKey, normaliseEntry } from './entry.js';

/**
 * The ledger's copy inside the database, so every backup carries the erasures made before it.
 * Global (it outlives the teams it names), ids and times only. The app role may add entries —
 * an erasure writes its entry in its own transaction — but not read, change or delete them.
 */
export const erasureLedgerSchema: Migration = {
  id: 'platform/0007_erasure_ledger',
  sql: `
    CREATE TABLE erasure_ledger (
      entry_hash bytea PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('person', 'team')),
      team_id uuid NOT NULL,
      person_id uuid,
      subject_ids uuid[] NOT NULL DEFAULT '{}',
      erased_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'person') = (person_id IS NOT NULL))
    );
    GRANT INSERT ON erasure_ledger TO ${APP_ROLE};
    COMMENT ON TABLE erasure_ledger IS '${OUTLIVES_TEAM}: erasures to replay on restore (ids and times only)';
  `,
};

const BATCH = 1_000;

/** Add entries the table does not have yet (by content hash). */
export async function insertLedgerRows(tx: Tx, entries: readonly ErasureEntry[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < entries.length; i += BATCH) {
    const rows = entries.slice(i, i + BATCH).map((e) => ({
      entry_hash: entryKey(e).toString('hex'),
      kind: e.kind,
      team_id: e.teamId,
      person_id: e.kind === 'person' ? e.personId : null,
      subject_ids: e.kind === 'person' ? e.subjectIds : [],
      erased_at: e.erasedAt,
    }));
    // No conflict target: DO NOTHING needs only the INSERT privilege the app role has.
    const r = await tx.query(
      `INSERT INTO erasure_ledger (entry_hash, kind, team_id, person_id, subject_ids, erased_at)
       SELECT decode(x.entry_hash, 'hex'), x.kind, x.team_id, x.person_id, x.subject_ids, x.erased_at
         FROM json_to_recordset($1::json) AS x(entry_hash text, kind text, team_id uuid, person_id uuid, subject_ids uuid[], erased_at timestamptz)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
    added += r.rowCount;
  }
  return added;
}

/** Every entry of the table, oldest erasure first (owner transactions only). */
export async function readLedgerTable(tx: Tx): Promise<ErasureEntry[]> {
  const r = await tx.query<{ kind: string; team_id: string; person_id: string | null; subject_ids: string[]; erased_at: Date }>(
    `SELECT kind, team_id, person_id, subject_ids, erased_at FROM erasure_ledger ORDER BY erased_at, entry_hash`,
  );
  return r.rows.map((row) =>
    normaliseEntry({ kind: row.kind, teamId: row.team_id, personId: row.person_id, subjectIds: row.subject_ids, erasedAt: row.erased_at }),
  );
}
