import { makeCheckpoint } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { eachTeamApart } from '../../platform/jobs/index.js';
/**
 * The hourly checkpoint of every team's audit chain (platform/audit/checkpoints.ts): a team whose
 * chain grew gets one, after the new entries are checked. A chain that no longer holds gets none,
 * and is reported (by team id and entry number only) for an operator to run `haven audit verify`.
 * A team whose checkpoint fails outright does not keep the later teams from theirs.
 */
export async function checkpointTeams(ctx) {
    const teams = await ctx.engine.ownerTransaction(async (tx) => (await tx.query(`SELECT team_id FROM teams ORDER BY team_id`)).rows);
    let made = 0;
    let broken = 0;
    await eachTeamApart(ctx.logger, teams.map(({ team_id: teamId }) => ({
        teamId,
        run: async () => {
            const outcome = await withTeam(ctx.engine, teamId, (tx) => makeCheckpoint(tx, ctx.keyring, teamId));
            if (outcome.made)
                made++;
            else if (outcome.reason === 'broken') {
                broken++;
                ctx.logger.error({ teamId, entry: outcome.seq, reason: outcome.detail }, 'audit chain does not verify: no checkpoint made');
            }
        },
    })), { logged: 'audit checkpoint failed for a team; the other teams go on', thrown: (failed, total) => `audit checkpoint failed for ${failed} of ${total} teams (see the log)` });
    return { made, broken };
}
//# sourceMappingURL=checkpoint-teams.js.map