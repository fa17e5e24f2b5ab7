import { HavenError, forbidden } from '../../platform/http/errors.js';
import { roleAllows, roleOfKeyScope } from './permissions.js';
/**
 * Who is acting, as they stand now. A request is authenticated when it arrives; a demotion, a
 * removal or a key's revocation may commit while it waits. Changes to a team's members,
 * invitations and keys therefore lock the team's row (as every such change does, so they queue),
 * read the caller's membership — or key — FOR SHARE, and check the action against that: someone
 * demoted or removed a moment ago cannot still promote, invite or make a key with what they lost.
 */
export async function lockActor(tx, teamId, access, action) {
    await tx.query(`SELECT 1 FROM teams WHERE team_id = $1 FOR NO KEY UPDATE`, [teamId]);
    if (access.userId) {
        const r = await tx.query(`SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2 FOR SHARE`, [teamId, access.userId]);
        const role = r.rows[0]?.role;
        if (!role)
            throw forbidden('You are no longer a member of this team.');
        if (!roleAllows(role, action))
            throw forbidden();
        return { role, memberId: access.userId };
    }
    const r = await tx.query(`SELECT scope, created_by FROM api_keys WHERE team_id = $1 AND id = $2 AND kind = 'secret' AND revoked_at IS NULL FOR SHARE`, [teamId, access.keyId]);
    const key = r.rows[0];
    if (!key)
        throw new HavenError('invalid_api_key', 401, 'The API key is not valid or was revoked.');
    const role = roleOfKeyScope(key.scope);
    if (!roleAllows(role, action))
        throw new HavenError('insufficient_scope', 403, 'This API key is not scoped for this.');
    return { role, memberId: key.created_by };
}
//# sourceMappingURL=acting-member.js.map