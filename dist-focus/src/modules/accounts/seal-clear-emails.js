import { rewriteTables } from '../../platform/db/rewrite-tables.js';
import { withTeam } from '../../platform/db/with-team.js';
import { invitationEmailWhere } from './invitations.js';
import { emailLookup, sealUserEmail } from './user-emails.js';
/**
 * Seal, at start, the members' and invitees' emails that builds before accounts/0003 stored in
 * clear: users' under the account keys (with their sign-in look-up), invitations' under their
 * team's key. Then the two tables are rewritten (VACUUM FULL), so their files keep no old copy.
 * Users are global; invitations are seen team by team, like giveTeamsIndexRoots: a database role
 * that cannot see every team seals what it sees. Nothing to do costs two small queries.
 */
export async function sealClearEmails(ctx) {
    const { engine, keyring } = ctx;
    const users = await engine.ownerTransaction(async (tx) => {
        const clear = await tx.query(`SELECT id, email FROM users WHERE email IS NOT NULL FOR UPDATE`);
        for (const u of clear.rows) {
            await tx.query(`UPDATE users SET email = NULL, email_sealed = $2, email_lookup = $3 WHERE id = $1`, [
                u.id,
                sealUserEmail(keyring.accounts, u.id, u.email),
                emailLookup(keyring.accounts, u.email),
            ]);
        }
        return clear.rows.length;
    });
    const teams = await engine.ownerTransaction(async (tx) => (await tx.query(`SELECT DISTINCT team_id FROM invitations WHERE email IS NOT NULL`)).rows);
    let invitations = 0;
    for (const { team_id: teamId } of teams) {
        invitations += await withTeam(engine, teamId, async (tx) => {
            const clear = await tx.query(`SELECT id, email FROM invitations WHERE team_id = $1 AND email IS NOT NULL FOR UPDATE`, [teamId]);
            for (const inv of clear.rows) {
                const sealed = await keyring.sealForTeam(tx, invitationEmailWhere(teamId, inv.id), Buffer.from(inv.email, 'utf8'));
                await tx.query(`UPDATE invitations SET email = NULL, email_sealed = $3 WHERE team_id = $1 AND id = $2`, [teamId, inv.id, sealed]);
            }
            return clear.rows.length;
        });
    }
    // An UPDATE leaves the old row version, email and all, in the table's pages until overwritten.
    await rewriteTables(engine, [...(users > 0 ? ['users'] : []), ...(invitations > 0 ? ['invitations'] : [])], ctx.logger);
    if (users + invitations > 0)
        ctx.logger.info({ users, invitations }, 'sealed emails stored in clear by an earlier build');
    return { users, invitations };
}
//# sourceMappingURL=seal-clear-emails.js.map