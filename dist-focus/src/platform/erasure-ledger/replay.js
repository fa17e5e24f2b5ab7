import { deleteTeamData, deleteTeamDataIn, recordDeletionCertificateIn } from '../db/delete-team-data.js';
import { withTeam } from '../db/with-team.js';
/**
 * Apply again everything the ledger lists, in its order, as after restoring a backup taken before
 * those entries. A person: every listed subject key is shredded (Keyring.shredSubject) and the
 * rows of the person and of every subject id deleted — a subject id is the id of a profile merged
 * into the person, which the backup may hold as a person of its own; a team: deleteTeamData, with a
 * certificate when anything was left; a user: their account rows deleted; a suppression:
 * its row put back; a lift: its row removed — in order, so the last entry about an identity decides.
 * Suppression entries of a team the ledger deletes (before or after them) are moot. Idempotent: an
 * entry already in effect changes nothing.
 */
export async function replayErasureLedger(ctx, entries, onProgress) {
    const report = { entries: entries.length, people: 0, subjectKeys: 0, users: 0, teams: 0, teamRows: 0, suppressions: 0, suppressionsLifted: 0, suppressionsMoot: 0 };
    const deletedTeams = new Set(entries.filter((e) => e.kind === 'team').map((e) => e.teamId));
    /** Run `fn` as the owner, scoped to the team: in the restore's transaction, or a new one. */
    const inTeam = async (teamId, fn) => {
        if (ctx.tx) {
            await ctx.tx.query(`SELECT set_config('app.team_id', $1, true)`, [teamId]);
            return fn(ctx.tx);
        }
        return ctx.engine.ownerTransaction(async (tx) => {
            await tx.query(`SELECT set_config('app.team_id', $1, true)`, [teamId]);
            return fn(tx);
        });
    };
    onProgress?.(0, entries.length);
    let done = 0;
    for (const entry of entries) {
        switch (entry.kind) {
            case 'person': {
                const erase = async (tx) => {
                    const subjects = [...new Set([entry.personId, ...entry.subjectIds])];
                    for (const subject of subjects) {
                        if (await ctx.keyring.shredSubject(tx, entry.teamId, subject))
                            report.subjectKeys++;
                    }
                    // Profiles merged into the person after the backup are still people of their own in it.
                    report.people += await ctx.erasePersonRows(tx, entry.teamId, subjects);
                };
                if (ctx.tx) {
                    await ctx.tx.query(`SELECT set_config('app.team_id', $1, true)`, [entry.teamId]);
                    await erase(ctx.tx);
                }
                else {
                    await withTeam(ctx.engine, entry.teamId, erase);
                }
                break;
            }
            case 'team': {
                const deleted = ctx.tx ? await deleteTeamDataIn(ctx.tx, entry.teamId) : await deleteTeamData(ctx.engine, entry.teamId);
                if (deleted.total > 0) {
                    report.teams++;
                    report.teamRows += deleted.total;
                    const certify = (tx) => recordDeletionCertificateIn(tx, { teamId: entry.teamId, reason: 'ledger_replay', ...deleted });
                    if (ctx.tx)
                        await certify(ctx.tx);
                    else
                        await ctx.engine.ownerTransaction(certify);
                }
                break;
            }
            case 'user': {
                const erase = (tx) => ctx.eraseUserRows(tx, ctx.keyring, entry.userId);
                if (await (ctx.tx ? erase(ctx.tx) : ctx.engine.ownerTransaction(erase)))
                    report.users++;
                break;
            }
            case 'suppression':
                if (deletedTeams.has(entry.teamId))
                    report.suppressionsMoot++;
                else
                    await inTeam(entry.teamId, async (tx) => {
                        if (await ctx.restoreSuppression(tx, entry))
                            report.suppressions++;
                    });
                break;
            case 'suppression_lifted':
                if (deletedTeams.has(entry.teamId))
                    report.suppressionsMoot++;
                else
                    await inTeam(entry.teamId, async (tx) => {
                        if (await ctx.removeSuppression(tx, entry))
                            report.suppressionsLifted++;
                    });
                break;
        }
        onProgress?.(++done, entries.length);
    }
    return report;
}
//# sourceMappingURL=replay.js.map