import { audit } from '../../platform/audit/index.js';
import { scopeToTeam, scopeToUser } from '../../platform/db/with-team.js';
/** Who acted, as the audit log names them: a user or an API key, by id. */
export function actorOf(access) {
    return access.userId ? { type: 'user', id: access.userId } : { type: 'api_key', id: access.keyId };
}
/**
 * Account events (sign-in, sign-out) concern every team the user belongs to: each team's log gets
 * the entry, in the caller's transaction. Teams are taken in id order, as every other writer to
 * several teams' logs does, so two of them never wait on each other's audit locks in a cycle.
 */
export async function auditForUserTeams(tx, userId, event, 
/** A team this says is done already (a redelivered job's entry) is skipped; asked in the team's scope. */
alreadyRecorded) {
    await scopeToUser(tx, userId);
    const teams = await tx.query(`SELECT team_id FROM memberships WHERE user_id = $1 ORDER BY team_id`, [userId]);
    for (const { team_id } of teams.rows) {
        await scopeToTeam(tx, team_id);
        if (await alreadyRecorded?.(tx, team_id))
            continue;
        await audit.record(tx, { ...event, teamId: team_id });
    }
}
//# sourceMappingURL=audit-actor.js.map