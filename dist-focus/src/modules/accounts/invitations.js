import { randomUUID } from 'node:crypto';
import { audit } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { randomToken, tokenHash, uuidFromHex } from '../../platform/crypto/tokens.js';
import { HavenError, forbidden, notFound } from '../../platform/http/errors.js';
import { mayAssignRole } from './permissions.js';
import { emailLookup } from './user-emails.js';
export const INVITATION_DAYS = 7;
const COLUMNS = `id, email, email_sealed, role, created_at, expires_at, accepted_at, revoked_at`;
/** Where an invitation's email is sealed: under its team's key, so deleting the team shreds it in every backup. */
export const invitationEmailWhere = (teamId, id) => ({ teamId, table: 'invitations', column: 'email', rowId: id });
/** The invitee's email: sealed, or in clear for a row of an earlier build not yet sealed. */
async function invitationEmail(tx, keyring, teamId, r) {
    if (!r.email_sealed)
        return r.email ?? '';
    return (await keyring.openForTeam(tx, invitationEmailWhere(teamId, r.id), Buffer.from(r.email_sealed))).toString('utf8');
}
async function toView(tx, keyring, teamId, r) {
    const status = r.accepted_at ? 'accepted' : r.revoked_at ? 'revoked' : r.expires_at.getTime() <= Date.now() ? 'expired' : 'pending';
    const email = await invitationEmail(tx, keyring, teamId, r);
    return { id: r.id, email, role: r.role, status, createdAt: r.created_at.toISOString(), expiresAt: r.expires_at.toISOString() };
}
/**
 * Invitation tokens are `hvi_<random>` followed by the team id in hex, single-use and expiring;
 * only their hash is stored. The token travels in a link's #fragment, which browsers never send
 * to a server, and is posted by the web app.
 */
const TOKEN_FORMAT = /^hvi_([A-Za-z0-9_-]{43})([0-9a-f]{32})$/;
export function teamOfInvitationToken(token) {
    const m = TOKEN_FORMAT.exec(token);
    if (!m)
        return null;
    return uuidFromHex(m[2]);
}
export async function createInvitation(tx, keyring, teamId, actor, input) {
    if (!mayAssignRole(actor.role, null, input.role))
        throw forbidden('Only an owner can invite an owner.');
    const existing = await tx.query(`SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.team_id = $1 AND u.email_lookup = $2`, [teamId, emailLookup(keyring.accounts, input.email)]);
    if (existing.rowCount > 0)
        throw new HavenError('already_member', 409, 'That person is already a member of this team.', 'email');
    const token = `hvi_${randomToken(32)}${teamId.replaceAll('-', '')}`;
    const id = randomUUID();
    const sealed = await keyring.sealForTeam(tx, invitationEmailWhere(teamId, id), Buffer.from(input.email, 'utf8'));
    const r = await tx.query(`INSERT INTO invitations (team_id, id, email_sealed, role, token_hash, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7)) RETURNING ${COLUMNS}`, [teamId, id, sealed, input.role, tokenHash(token), actor.userId, INVITATION_DAYS]);
    return { invitation: await toView(tx, keyring, teamId, r.rows[0]), token };
}
/**
 * May an invitation of `role` stand, its inviter now of `inviterRole` (null: no longer a member)?
 * The rule it was sent under: an invitation never grants more than its inviter could now.
 */
export function inviterMayGrant(inviterRole, role) {
    return inviterRole !== null && mayAssignRole(inviterRole, null, role);
}
/**
 * Revoke the pending invitations a member sent that they could no longer send: all of them when
 * they leave (`role` null), those above what their new role may grant when demoted. Audited, one
 * entry each. Acceptance checks the same rule (acceptInvitation), for invitations older than this.
 */
export async function revokeInvitationsBeyondInviter(tx, teamId, inviter, why) {
    const pending = await tx.query(`SELECT id, role FROM invitations WHERE team_id = $1 AND invited_by = $2 AND accepted_at IS NULL AND revoked_at IS NULL FOR UPDATE`, [teamId, inviter.userId]);
    const beyond = pending.rows.filter((inv) => !inviterMayGrant(inviter.role, inv.role)).map((inv) => inv.id);
    if (beyond.length === 0)
        return 0;
    await tx.query(`UPDATE invitations SET revoked_at = now() WHERE team_id = $1 AND id = ANY($2::uuid[])`, [teamId, beyond]);
    await audit.recordMany(tx, teamId, beyond.map((id) => ({ teamId, actor: why.actor, action: 'invitation.revoked', target: { type: 'invitation', id }, requestId: why.requestId, details: { reason: why.reason } })));
    return beyond.length;
}
export async function listInvitations(tx, keyring, teamId) {
    const r = await tx.query(`SELECT ${COLUMNS} FROM invitations WHERE team_id = $1 ORDER BY created_at DESC, id`, [teamId]);
    const out = [];
    for (const row of r.rows)
        out.push(await toView(tx, keyring, teamId, row));
    return out;
}
export async function revokeInvitation(tx, keyring, teamId, id) {
    const r = await tx.query(`UPDATE invitations SET revoked_at = coalesce(revoked_at, now())
      WHERE team_id = $1 AND id = $2 AND accepted_at IS NULL RETURNING ${COLUMNS}`, [teamId, id]);
    if (!r.rows[0])
        throw notFound('invitation');
    return toView(tx, keyring, teamId, r.rows[0]);
}
const invalid = () => new HavenError('invitation_invalid', 404, 'This invitation link is not valid, was used, revoked or has expired.');
const OPEN = `team_id = $1 AND token_hash = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()`;
/**
 * Refuse a token that opens no invitation, before the caller does costly work for it (hashing a
 * new account's password): an unknown link costs a look-up, not an argon2 hash. acceptInvitation
 * checks again, under the row's lock.
 */
export async function assertInvitationOpen(engine, token) {
    const teamId = teamOfInvitationToken(token);
    if (!teamId)
        throw invalid();
    const r = await withTeam(engine, teamId, (tx) => tx.query(`SELECT 1 FROM invitations WHERE ${OPEN}`, [teamId, tokenHash(token)]));
    if (r.rowCount === 0)
        throw invalid();
}
/**
 * Consume an invitation inside `withTeam` for its team: marks it used (single-use, under a row
 * lock) and returns what it grants. `join` adds the membership in the same transaction.
 */
export async function acceptInvitation(engine, keyring, token, requestId, join) {
    const teamId = teamOfInvitationToken(token);
    if (!teamId)
        throw invalid();
    return withTeam(engine, teamId, async (tx) => {
        const r = await tx.query(`SELECT id, email, email_sealed, role, invited_by FROM invitations WHERE ${OPEN} FOR UPDATE`, [teamId, tokenHash(token)]);
        const inv = r.rows[0];
        if (!inv)
            throw invalid();
        // Its inviter must still be able to send it: one who left or was demoted since grants nothing.
        const inviter = await tx.query(`SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2 FOR SHARE`, [teamId, inv.invited_by]);
        if (!inviterMayGrant(inviter.rows[0]?.role ?? null, inv.role))
            throw invalid();
        const { userId, result } = await join(tx, { teamId, email: await invitationEmail(tx, keyring, teamId, inv), role: inv.role });
        const member = await tx.query(`SELECT 1 FROM memberships WHERE team_id = $1 AND user_id = $2`, [teamId, userId]);
        if (member.rowCount > 0)
            throw new HavenError('already_member', 409, 'You are already a member of this team.');
        await tx.query(`INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, $3)`, [teamId, userId, inv.role]);
        await tx.query(`UPDATE invitations SET accepted_at = now(), accepted_by = $3 WHERE team_id = $1 AND id = $2`, [teamId, inv.id, userId]);
        await audit.record(tx, {
            teamId,
            actor: { type: 'user', id: userId },
            action: 'invitation.accepted',
            target: { type: 'invitation', id: inv.id },
            requestId,
            details: { role: inv.role, userId },
        });
        return result;
    });
}
//# sourceMappingURL=invitations.js.map