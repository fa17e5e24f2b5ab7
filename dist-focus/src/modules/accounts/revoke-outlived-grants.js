import { withTeam } from '../../platform/db/with-team.js';
import { exceedsMaker } from './api-keys.js';
import { inviterMayGrant } from './invitations.js';
import { revokeGrantsBeyondMember } from './member-grants.js';
/**
 * Revoke, at start, what members made that now holds more than they do — secret keys, and
 * invitations still open: made by someone who left the team, was removed or deleted their account,
 * or was given a lower role, before Haven revoked such grants as it happened (or by a change made
 * outside Haven). The same rule and the same audited revocation as then (`revokeGrantsBeyondMember`),
 * with the reason `maker_not_member` for someone no longer in the team (which of the three is not
 * known) and `role_changed` otherwise. Keys made with a key count as made by the member behind that
 * key (recordMakersOfKeysMadeByKeys first). Team by team, like the other start-up passes: a database
 * role that cannot see every team revokes what it sees. Nothing to do costs three queries.
 */
export async function revokeOutlivedGrants(ctx) {
    await recordMakersOfKeysMadeByKeys(ctx);
    const grants = await ctx.engine.ownerTransaction(async (tx) => (await tx.query(`SELECT 'key' AS kind, k.team_id, k.created_by AS user_id, k.scope AS granted, m.role
             FROM api_keys k LEFT JOIN memberships m ON m.team_id = k.team_id AND m.user_id = k.created_by
            WHERE k.kind = 'secret' AND k.revoked_at IS NULL AND k.created_by IS NOT NULL
           UNION ALL
           SELECT 'invitation', i.team_id, i.invited_by, i.role, m.role
             FROM invitations i LEFT JOIN memberships m ON m.team_id = i.team_id AND m.user_id = i.invited_by
            WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()`)).rows);
    const members = new Map();
    for (const grant of grants) {
        const beyond = grant.kind === 'key' ? exceedsMaker(grant.granted, grant.role) : !inviterMayGrant(grant.role, grant.granted);
        if (beyond)
            members.set(`${grant.team_id}|${grant.user_id}`, { teamId: grant.team_id, userId: grant.user_id, role: grant.role });
    }
    const revoked = { keys: 0, invitations: 0 };
    for (const { teamId, userId, role } of members.values()) {
        const now = await withTeam(ctx.engine, teamId, (tx) => revokeGrantsBeyondMember(tx, teamId, { userId, role }, { actor: { type: 'system', id: null }, requestId: undefined, reason: role === null ? 'maker_not_member' : 'role_changed' }));
        revoked.keys += now.keys;
        revoked.invitations += now.invitations;
    }
    if (revoked.keys + revoked.invitations > 0)
        ctx.logger.info(revoked, 'revoked secret keys and invitations that outlived their maker’s place in the team');
    return revoked;
}
/**
 * A key made with a key now records the member behind that key as its maker (lockActor). Keys made
 * so before have none, and would outlive that member. The audit log says which key made each
 * (`api_key.created`, its actor the key): follow that back, through keys made by keys, to a key a
 * member made, and record that member. A key whose chain ends nowhere (its entry missing) stays
 * as it is. Returns the keys given a maker.
 */
export async function recordMakersOfKeysMadeByKeys(ctx) {
    const keys = await ctx.engine.ownerTransaction(async (tx) => (await tx.query(`SELECT k.team_id, k.id, k.created_by, a.actor_id AS made_with
             FROM api_keys k
             LEFT JOIN audit_log a ON a.team_id = k.team_id AND a.target_id = k.id::text AND a.action = 'api_key.created' AND a.actor_type = 'api_key'
            WHERE k.kind = 'secret' AND k.team_id IN (SELECT team_id FROM api_keys WHERE kind = 'secret' AND created_by IS NULL AND revoked_at IS NULL)`)).rows);
    const byId = new Map(keys.map((k) => [k.id, k]));
    const makerOf = (id, seen = new Set()) => {
        const key = byId.get(id);
        if (!key || seen.has(id))
            return null;
        seen.add(id);
        return key.created_by ?? (key.made_with ? makerOf(key.made_with, seen) : null);
    };
    let recorded = 0;
    for (const key of keys) {
        const maker = key.created_by === null ? makerOf(key.id) : null;
        if (!maker)
            continue;
        const r = await withTeam(ctx.engine, key.team_id, (tx) => tx.query(`UPDATE api_keys SET created_by = $3 WHERE team_id = $1 AND id = $2 AND created_by IS NULL`, [key.team_id, key.id, maker]));
        recorded += r.rowCount;
    }
    if (recorded > 0)
        ctx.logger.info({ keys: recorded }, 'recorded the member behind keys made with a key');
    return recorded;
}
//# sourceMappingURL=revoke-outlived-grants.js.map