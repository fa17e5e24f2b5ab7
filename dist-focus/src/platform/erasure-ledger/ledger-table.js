import { OUTLIVES_TEAM } from '../db/catalogue.js';
import { APP_ROLE } from '../db/engine.js';
import { entryKey, entryTime, normaliseEntry } from './entry.js';
/**
 * The ledger's copy inside the database, so every backup carries the erasures made before it.
 * Global (it outlives the teams it names), ids and times only. The app role may add entries —
 * an erasure writes its entry in its own transaction — but not read, change or delete them.
 */
export const erasureLedgerSchema = {
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
/**
 * Suppressions added and lifted join the ledger, so restoring an older backup keeps an objection
 * or unsubscribe made since (and does not bring back one lifted since). The identity is the
 * suppression list's own HMAC, never the value; `erased_at` is the time of any entry.
 */
export const erasureLedgerSuppressionsSchema = {
    id: 'platform/0008_erasure_ledger_suppressions',
    sql: `
    ALTER TABLE erasure_ledger
      ADD COLUMN identity_kind text CHECK (identity_kind IN ('email', 'phone', 'external_id', 'anonymous_id')),
      ADD COLUMN identity_hash bytea CHECK (octet_length(identity_hash) = 32),
      ADD COLUMN reason text CHECK (reason IN ('unsubscribe', 'objection', 'erasure')),
      ADD COLUMN source text CHECK (source IN ('link', 'team', 'operator'));
    ALTER TABLE erasure_ledger DROP CONSTRAINT erasure_ledger_kind_check;
    ALTER TABLE erasure_ledger
      ADD CONSTRAINT erasure_ledger_kind_check CHECK (kind IN ('person', 'team', 'suppression', 'suppression_lifted')),
      ADD CONSTRAINT erasure_ledger_suppression_identity_check CHECK ((kind IN ('suppression', 'suppression_lifted')) = (identity_kind IS NOT NULL AND identity_hash IS NOT NULL)),
      ADD CONSTRAINT erasure_ledger_suppression_reason_check CHECK ((kind = 'suppression') = (reason IS NOT NULL AND source IS NOT NULL));
    COMMENT ON TABLE erasure_ledger IS '${OUTLIVES_TEAM}: erasures, suppressions and lifts to replay on restore (ids, identity HMACs and times only)';
    COMMENT ON COLUMN erasure_ledger.erased_at IS 'when the entry happened: the erasure, or the suppression or its lift';
  `,
};
/** Account deletions join the ledger, so restoring an older backup does not bring a deleted user back. */
export const erasureLedgerUsersSchema = {
    id: 'platform/0009_erasure_ledger_users',
    sql: `
    ALTER TABLE erasure_ledger ALTER COLUMN team_id DROP NOT NULL, ADD COLUMN user_id uuid;
    ALTER TABLE erasure_ledger DROP CONSTRAINT erasure_ledger_kind_check;
    ALTER TABLE erasure_ledger
      ADD CONSTRAINT erasure_ledger_kind_check CHECK (kind IN ('person', 'team', 'user', 'suppression', 'suppression_lifted')),
      ADD CONSTRAINT erasure_ledger_user_check CHECK ((kind = 'user') = (user_id IS NOT NULL) AND (kind = 'user') = (team_id IS NULL));
    COMMENT ON TABLE erasure_ledger IS '${OUTLIVES_TEAM}: erasures of people, teams and accounts, suppressions and lifts to replay on restore (ids, identity HMACs and times only)';
  `,
};
/**
 * The app role adds entries only for the scope it acts in: its own team's (a person, a
 * suppression, the team), or its own account's. An entry naming another team would be replayed
 * on the next restore — deleting that team, or lifting its suppressions. The owner (restore,
 * replay) is not bound: row-level security is enabled, not forced.
 */
export const erasureLedgerScopedSchema = {
    id: 'platform/0012_erasure_ledger_scoped',
    sql: `
    ALTER TABLE erasure_ledger ENABLE ROW LEVEL SECURITY;
    CREATE POLICY app_adds_own_entries ON erasure_ledger FOR INSERT TO ${APP_ROLE}
      WITH CHECK (CASE WHEN kind = 'user' THEN user_id = haven_user_id() ELSE team_id = haven_team_id() END);
  `,
};
const BATCH = 1_000;
/** Add entries the table does not have yet (by content hash). */
export async function insertLedgerRows(tx, entries) {
    let added = 0;
    for (let i = 0; i < entries.length; i += BATCH) {
        const rows = entries.slice(i, i + BATCH).map((entry) => {
            const e = normaliseEntry(entry);
            const suppression = e.kind === 'suppression' || e.kind === 'suppression_lifted' ? e : null;
            return {
                entry_hash: entryKey(e).toString('hex'),
                kind: e.kind,
                team_id: e.kind === 'user' ? null : e.teamId,
                user_id: e.kind === 'user' ? e.userId : null,
                person_id: e.kind === 'person' ? e.personId : null,
                subject_ids: e.kind === 'person' ? e.subjectIds : [],
                identity_kind: suppression?.identityKind ?? null,
                identity_hash: suppression?.identity ?? null,
                reason: e.kind === 'suppression' ? e.reason : null,
                source: e.kind === 'suppression' ? e.source : null,
                erased_at: entryTime(e),
            };
        });
        // No conflict target: DO NOTHING needs only the INSERT privilege the app role has.
        const r = await tx.query(`INSERT INTO erasure_ledger (entry_hash, kind, team_id, user_id, person_id, subject_ids, identity_kind, identity_hash, reason, source, erased_at)
       SELECT decode(x.entry_hash, 'hex'), x.kind, x.team_id, x.user_id, x.person_id, x.subject_ids, x.identity_kind, decode(x.identity_hash, 'hex'), x.reason, x.source, x.erased_at
         FROM json_to_recordset($1::json)
           AS x(entry_hash text, kind text, team_id uuid, user_id uuid, person_id uuid, subject_ids uuid[], identity_kind text, identity_hash text, reason text, source text, erased_at timestamptz)
       ON CONFLICT DO NOTHING`, [JSON.stringify(rows)]);
        added += r.rowCount;
    }
    return added;
}
/**
 * Every entry of the table, oldest first — the order replay applies them in, so the last entry
 * about a suppression decides whether it stands (owner transactions only). At an equal time a
 * lift sorts before a suppression: a lift is always stamped after the suppression it removes, so
 * a tie can only be a lift followed by a new suppression.
 */
export async function readLedgerTable(tx) {
    const r = await tx.query(`SELECT kind, team_id, user_id, person_id, subject_ids, identity_kind, identity_hash, reason, source, erased_at
       FROM erasure_ledger ORDER BY erased_at, kind = 'suppression_lifted' DESC, entry_hash`);
    return r.rows.map((row) => normaliseEntry({
        kind: row.kind,
        teamId: row.team_id,
        userId: row.user_id,
        personId: row.person_id,
        subjectIds: row.subject_ids,
        identityKind: row.identity_kind,
        identity: row.identity_hash ? Buffer.from(row.identity_hash).toString('hex') : null,
        reason: row.reason,
        source: row.source,
        erasedAt: row.erased_at,
        at: row.erased_at,
    }));
}
//# sourceMappingURL=ledger-table.js.map