import { withTeam } from '../../platform/db/with-team.js';
/**
 * Give every team that lacks one its blind-index root, at start. Teams created by earlier builds
 * got it only when they first indexed an identity; until then a backup of the team held no key its
 * ledgered suppression hashes could be matched with. New teams get it with the team (createTeam).
 * Needs a database role that sees every team; one that does not sees none, and nothing changes.
 */
export async function giveTeamsIndexRoots(ctx) {
    const rootless = await ctx.engine.ownerTransaction(async (tx) => {
        const teams = await tx.query(`SELECT team_id FROM teams`);
        return ctx.keyring.blindIndexes.rootless(tx, teams.rows.map((t) => t.team_id));
    });
    for (const teamId of rootless)
        await withTeam(ctx.engine, teamId, (tx) => ctx.keyring.blindIndexes.ensureRoot(tx, teamId));
    if (rootless.length > 0)
        ctx.logger.info({ teams: rootless.length }, 'gave teams their blind-index roots');
    return rootless.length;
}
//# sourceMappingURL=give-teams-index-roots.js.map