import { HavenError, forbidden, notFound } from '../../platform/http/errors.js';
import { mayAssignRole } from './permissions.js';
import { userEmail } from './user-emails.js';
const toView = (keys, r) => ({
    userId: r.user_id,
    email: userEmail(keys, { id: r.user_id, email: r.email, email_sealed: r.email_sealed }),
    role: r.role,
    joinedAt: r.created_at.toISOString(),
});
export async function listMembers(tx, keys, teamId, filter = {}) {
    const r = await tx.query(`SELECT m.user_id, u.email, u.email_sealed, m.role, m.created_at
       FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.team_id = $1 AND ($2::text IS NULL OR m.role = $2)
      ORDER BY m.created_at, m.user_id`, [teamId, filter.role ?? null]);
    return r.rows.map((row) => toView(keys, row));
}
/**
 * Lock the team's row, then the member's: every change of a role or of the team's members that can
 * take an owner away (here, and deleting an account) locks the team row first, so they queue on it
 * instead of each holding one owner's row while waiting for the other's — a deadlock. FOR NO KEY
 * UPDATE leaves inserts that reference the team (invitations, keys, the audit log) free to go on.
 */
async function lockMember(tx, teamId, userId) {
    await tx.query(`SELECT 1 FROM teams WHERE team_id = $1 FOR NO KEY UPDATE`, [teamId]);
    const r = await tx.query(`SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2 FOR UPDATE`, [teamId, userId]);
    return r.rows[0]?.role ?? null;
}
/**
 * Owners are counted under a lock on the team's owner rows (taken after the team row, in user id
 * order), so two concurrent demotions cannot both pass the check and leave the team without an
 * owner.
 */
async function assertNotLastOwner(tx, teamId) {
    const owners = await tx.query(`SELECT user_id FROM memberships WHERE team_id = $1 AND role = 'owner' ORDER BY user_id FOR UPDATE`, [teamId]);
    if (owners.rowCount <= 1) {
        throw new HavenError('last_owner', 409, 'A team needs at least one owner; make someone else owner first.');
    }
}
export async function changeRole(tx, keys, teamId, actorRole, userId, role) {
    const current = await lockMember(tx, teamId, userId);
    if (!current)
        throw notFound('member');
    if (!mayAssignRole(actorRole, current, role))
        throw forbidden('Only an owner can grant or change the owner role.');
    if (current === 'owner' && role !== 'owner')
        await assertNotLastOwner(tx, teamId);
    await tx.query(`UPDATE memberships SET role = $3 WHERE team_id = $1 AND user_id = $2`, [teamId, userId, role]);
    const r = await tx.query(`SELECT m.user_id, u.email, u.email_sealed, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.team_id = $1 AND m.user_id = $2`, [teamId, userId]);
    return { member: toView(keys, r.rows[0]), from: current };
}
/**
 * Remove a member, or leave (when the actor removes themself, which every role may do). The last
 * owner can do neither. Their sessions pointing at this team lose it.
 */
export async function removeMember(tx, teamId, actor, userId) {
    const current = await lockMember(tx, teamId, userId);
    if (!current)
        throw notFound('member');
    const leaving = actor.userId === userId;
    if (!leaving && !mayAssignRole(actor.role, current, current === 'owner' ? 'owner' : 'viewer')) {
        throw forbidden(current === 'owner' ? 'Only an owner can remove an owner.' : undefined);
    }
    if (current === 'owner')
        await assertNotLastOwner(tx, teamId);
    await tx.query(`DELETE FROM memberships WHERE team_id = $1 AND user_id = $2`, [teamId, userId]);
    await tx.query(`UPDATE sessions SET active_team_id = NULL WHERE user_id = $1 AND active_team_id = $2`, [userId, teamId]);
}
//# sourceMappingURL=members.js.map