import { randomUUID } from 'node:crypto';
import { scopeToTeam, withUser } from '../../platform/db/with-team.js';
import { notFound } from '../../platform/http/errors.js';
/** Create a team with `ownerId` as its owner, and its blind-index root, inside the caller's transaction. */
export async function createTeam(tx, keyring, name, ownerId) {
    const teamId = randomUUID();
    await scopeToTeam(tx, teamId);
    const r = await tx.query(`INSERT INTO teams (team_id, name) VALUES ($1, $2) RETURNING team_id, name, created_at`, [teamId, name]);
    await tx.query(`INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, 'owner')`, [teamId, ownerId]);
    await keyring.blindIndexes.ensureRoot(tx, teamId);
    const t = r.rows[0];
    return { id: t.team_id, name: t.name, createdAt: t.created_at.toISOString(), cancelledAt: null, deletionDueAt: null };
}
export async function getTeam(tx, teamId) {
    const r = await tx.query(`SELECT team_id, name, created_at, cancelled_at, deletion_due_at FROM teams WHERE team_id = $1`, [teamId]);
    const t = r.rows[0];
    if (!t)
        throw notFound('team');
    return {
        id: t.team_id,
        name: t.name,
        createdAt: t.created_at.toISOString(),
        cancelledAt: t.cancelled_at?.toISOString() ?? null,
        deletionDueAt: t.deletion_due_at?.toISOString() ?? null,
    };
}
export async function renameTeam(tx, teamId, name) {
    const r = await tx.query(`UPDATE teams SET name = $2 WHERE team_id = $1`, [teamId, name]);
    if (r.rowCount === 0)
        throw notFound('team');
    return getTeam(tx, teamId);
}
/** The teams a user belongs to, through the membership policy only. */
export async function teamsOfUser(engine, userId) {
    return withUser(engine, userId, async (tx) => {
        const r = await tx.query(`SELECT t.team_id, t.name, m.role, t.deletion_due_at
         FROM memberships m JOIN teams t ON t.team_id = m.team_id
        WHERE m.user_id = $1 ORDER BY t.created_at, t.team_id`, [userId]);
        return r.rows.map((t) => ({ id: t.team_id, name: t.name, role: t.role, deletionDueAt: t.deletion_due_at?.toISOString() ?? null }));
    });
}
/** Whether the team still exists (jobs queued before a team's deletion check this first). */
export async function teamExists(tx, teamId, options = {}) {
    // hold: the team's deletion waits for this transaction, and then finds what it wrote.
    return (await tx.query(`SELECT 1 FROM teams WHERE team_id = $1${options.hold ? ' FOR KEY SHARE' : ''}`, [teamId])).rowCount > 0;
}
//# sourceMappingURL=teams.js.map