import { randomUUID } from 'node:crypto';
import { OUTLIVES_TEAM, listTables, quoteIdent } from './catalogue.js';
import { TEAM_DELETED } from './changes.js';
import { isUuid } from './with-team.js';
/**
 * Deletion certificates: what was deleted of a team, when, and why — team id, time and counts,
 * nothing else. Global and owner-only; kept after the team is gone (that is its point), so it is
 * marked in the catalogue as outliving the team.
 */
export const teamDeletionSchema = {
    id: 'platform/0006_team_deletion_certificates',
    sql: `
    CREATE TABLE team_deletion_certificates (
      id uuid PRIMARY KEY,
      team_id uuid NOT NULL,
      deleted_at timestamptz NOT NULL DEFAULT now(),
      reason text NOT NULL,
      tables jsonb NOT NULL,
      total bigint NOT NULL CHECK (total >= 0)
    );
    CREATE INDEX team_deletion_certificates_team ON team_deletion_certificates (team_id, deleted_at);
    COMMENT ON TABLE team_deletion_certificates IS '${OUTLIVES_TEAM}: proof that a team was deleted (ids, time, counts)';
  `,
};
/** The transaction-local mark a team purge sets; the audit log's trigger allows DELETE under it (owner only). */
export const PURGE_TEAM_SETTING = 'haven.purge_team';
/** The keyring's tables: deleted first, in one transaction, so the team's data is unreadable at once. */
const KEY_TABLES = ['team_keys', 'subject_keys', 'team_index_keys'];
export class TeamDataRemainsError extends Error {
    teamId;
    tables;
    deleted;
    constructor(teamId, tables, 
    /** What this run did delete. */
    deleted) {
        super(`team ${teamId} still has rows in ${tables.join(', ')} after deletion`);
        this.teamId = teamId;
        this.tables = tables;
        this.deleted = deleted;
        this.name = 'TeamDataRemainsError';
    }
}
function teamReferences(tables) {
    const out = [];
    for (const table of tables) {
        if (table.outlivesTeam)
            continue;
        for (const c of table.columns) {
            if (c.type !== 'uuid')
                continue;
            if (c.name === 'team_id')
                out.push({ table, column: c.name, action: 'delete' });
            // e.g. sessions.active_team_id: the session lives on, pointing at no team.
            else if (c.name.endsWith('_team_id'))
                out.push({ table, column: c.name, action: c.nullable ? 'clear' : 'delete' });
        }
    }
    return out;
}
/** Owner-level work on one team: scoped (FORCE RLS applies to a non-superuser owner) and marked as a purge. */
async function scopeToPurge(tx, teamId) {
    await tx.query(`SELECT set_config('app.team_id', $1, true), set_config('${PURGE_TEAM_SETTING}', $1, true)`, [teamId]);
}
/**
 * Delete everything of a team (I3, account lifecycle): its keys first — one transaction, after
 * which nothing of the team decrypts, here or in any backup — then every row of every table the
 * catalogue shows with a `team_id` column (the `teams` row included), children before parents, in
 * batches of their own transactions so a million events never make one giant transaction; nullable
 * `…_team_id` references elsewhere (a session's active team) are cleared. Then the catalogue is
 * checked again: any table still holding a row of the team throws TeamDataRemainsError. Tables
 * marked as outliving the team (erasure ledger, certificates) are left alone.
 *
 * Idempotent: after a crash, run it again and it carries on. Append the team to the erasure ledger
 * before calling it, so restoring an older backup deletes the team again.
 */
export async function deleteTeamData(engine, teamId, onProgress, options = {}) {
    if (!isUuid(teamId))
        throw new TypeError('deleteTeamData needs a team id');
    const run = (fn) => engine.ownerTransaction(async (tx) => {
        await scopeToPurge(tx, teamId);
        return fn(tx);
    });
    return purgeTeam(run, teamId, options.batchSize ?? 5_000, onProgress);
}
/** The same deletion inside one open owner transaction (restore replays the ledger atomically). */
export async function deleteTeamDataIn(tx, teamId) {
    if (!isUuid(teamId))
        throw new TypeError('deleteTeamDataIn needs a team id');
    const run = async (fn) => {
        await scopeToPurge(tx, teamId);
        return fn(tx);
    };
    return purgeTeam(run, teamId, 50_000);
}
async function purgeTeam(run, teamId, batchSize, onProgress) {
    const { refs, counts, total } = await run(async (tx) => {
        const refs = teamReferences(await listTables(tx));
        const counts = new Map();
        for (const r of refs)
            counts.set(r, await countReferences(tx, r, teamId));
        return { refs, counts, total: [...counts.values()].reduce((a, b) => a + b, 0) };
    });
    const tables = {};
    for (const r of refs)
        tables[r.table.name] ??= 0;
    let done = 0;
    onProgress?.(0, total);
    const keyRefs = refs.filter((r) => KEY_TABLES.includes(r.table.name));
    await run(async (tx) => {
        for (const r of keyRefs) {
            const n = (await tx.query(`DELETE FROM ${quoteIdent(r.table.name)} WHERE team_id = $1`, [teamId])).rowCount;
            tables[r.table.name] += n;
            done += n;
        }
        // Every process forgets the team's keys and what it remembers of the team when this commits.
        await tx.announce({ topic: TEAM_DELETED, teamId });
    });
    onProgress?.(done, total);
    // Children first: a parent's rows go after every row that references them, so each deletion is
    // counted in its own table rather than vanishing in a cascade.
    const rest = refs.filter((r) => !keyRefs.includes(r)).reverse();
    for (const r of rest) {
        const table = quoteIdent(r.table.name);
        const column = quoteIdent(r.column);
        const counted = (n) => {
            tables[r.table.name] += n;
            done += n;
            onProgress?.(done, total);
        };
        // Many rows: most may go in one pass over the table's pages; the ctid batches below then
        // finish whatever is left (rows added meanwhile past the pages swept). At two batches or
        // fewer sweepPages' rule can never choose the sweep, so its size query is not even made.
        if (r.action === 'delete' && counts.get(r) > 2 * batchSize)
            await sweepPages(run, table, column, teamId, counts.get(r), batchSize, counted);
        for (;;) {
            // ctid batches; `AND column = $1` keeps a partitioned table's repeated ctids to this team.
            const n = await run(async (tx) => r.action === 'clear'
                ? (await tx.query(`UPDATE ${table} SET ${column} = NULL WHERE ${column} = $1 AND ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${column} = $1 LIMIT $2))`, [teamId, batchSize])).rowCount
                : (await tx.query(`DELETE FROM ${table} WHERE ${column} = $1 AND ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${column} = $1 LIMIT $2))`, [teamId, batchSize])).rowCount);
            counted(n);
            if (n < batchSize)
                break;
        }
    }
    const left = await run(async (tx) => {
        const remaining = [];
        for (const r of teamReferences(await listTables(tx))) {
            if ((await countReferences(tx, r, teamId, 1)) > 0)
                remaining.push(`${r.table.name}.${r.column}`);
        }
        return remaining;
    });
    const report = { tables, total: Object.values(tables).reduce((a, b) => a + b, 0) };
    if (left.length > 0)
        throw new TeamDataRemainsError(teamId, left, report);
    return report;
}
/**
 * Delete a team's rows from a table in ranges of its pages, front to back, each range about one
 * batch of the team's rows, when that costs less than the batches would. Batches that each look
 * for "the next rows of the team" start again from the team's first row: when the planner reaches
 * them through the team's index, every batch walks past all the rows deleted before it, so a big
 * team took time quadratic in its size (a million events: 22–57 s on PostgreSQL, 27 s on PGlite;
 * now ~2–3 s on both). A range of pages is read by a TID range scan, which the batch is made to
 * use. (Batches in primary-key order are linear too, but random event ids made each row a random
 * read: 43–53 s.)
 */
async function sweepPages(run, table, column, teamId, rows, batchSize, counted) {
    const size = await run(async (tx) => tx.query(`SELECT pg_relation_size($1::regclass) / current_setting('block_size')::int AS pages, reltuples::float8 AS estimate FROM pg_class WHERE oid = $1::regclass`, [table]));
    const pages = Number(size.rows[0].pages);
    // Batches walking past the deleted rows visit ~rows² / (2 × batch) of them; the sweep reads the
    // whole table once. A team that is a small share of a big table keeps the batches (unknown
    // size, before any ANALYZE: the team is taken for the whole table).
    const tableRows = Math.max(size.rows[0].estimate, rows);
    if ((rows * rows) / (2 * batchSize) <= tableRows)
        return;
    const step = Math.max(1, Math.floor((pages * batchSize) / rows));
    for (let from = 0; from < pages; from += step) {
        const n = await run(async (tx) => {
            // Planner settings for this statement only: the transaction may go on (restore's replay).
            const before = await tx.query(`SELECT current_setting('enable_indexscan') AS i, current_setting('enable_bitmapscan') AS b, set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`);
            const deleted = (await tx.query(`DELETE FROM ${table} WHERE ${column} = $1 AND ctid >= $2::tid AND ctid < $3::tid`, [teamId, `(${from},0)`, `(${from + step},0)`])).rowCount;
            const { i, b } = before.rows[0];
            await tx.query(`SELECT set_config('enable_indexscan', $1, true), set_config('enable_bitmapscan', $2, true)`, [i, b]);
            return deleted;
        });
        counted(n);
    }
}
async function countReferences(tx, r, teamId, limit) {
    const from = `${quoteIdent(r.table.name)} WHERE ${quoteIdent(r.column)} = $1`;
    const sql = limit ? `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${from} LIMIT ${limit}) x` : `SELECT count(*)::int AS n FROM ${from}`;
    return Number((await tx.query(sql, [teamId])).rows[0].n);
}
/**
 * Keep a certificate of a completed team deletion, outside the team's data: team id, time,
 * per-table counts and a reason (`cancellation`, `ledger_replay`, …) — no personal data.
 */
export async function recordDeletionCertificate(engine, certificate) {
    return engine.ownerTransaction((tx) => recordDeletionCertificateIn(tx, certificate));
}
export async function recordDeletionCertificateIn(tx, c) {
    if (!isUuid(c.teamId))
        throw new TypeError('a deletion certificate needs a team id');
    const id = randomUUID();
    const r = await tx.query(`INSERT INTO team_deletion_certificates (id, team_id, reason, tables, total) VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING deleted_at`, [id, c.teamId, c.reason, JSON.stringify(c.tables), c.total]);
    return { id, teamId: c.teamId, deletedAt: r.rows[0].deleted_at.toISOString(), reason: c.reason, tables: c.tables, total: c.total };
}
/** Certificates kept for a team, oldest first (operator use). */
export async function deletionCertificates(engine, teamId) {
    const r = await engine.ownerTransaction((tx) => tx.query(`SELECT id, team_id, deleted_at, reason, tables, total FROM team_deletion_certificates WHERE team_id = $1 ORDER BY deleted_at, id`, [teamId]));
    return r.rows.map((x) => ({ id: x.id, teamId: x.team_id, deletedAt: x.deleted_at.toISOString(), reason: x.reason, tables: x.tables, total: Number(x.total) }));
}
//# sourceMappingURL=delete-team-data.js.map