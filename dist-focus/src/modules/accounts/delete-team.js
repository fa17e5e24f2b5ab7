import { withTeam } from '../../platform/db/with-team.js';
import { TeamDataRemainsError, deleteTeamData, recordDeletionCertificate } from '../../platform/db/delete-team-data.js';
import { openErasureLedger } from '../../platform/erasure-ledger/index.js';
import { eachTeamApart } from '../../platform/jobs/index.js';
import { claimDeletion } from './team-lifecycle.js';
/**
 * The end of a cancelled team, run as a job when its grace period is over: the team goes into the
 * erasure ledger first (so no older backup can bring it back), then its keys are shredded, every
 * row with its id is deleted and the catalogue is checked for leftovers; a deletion certificate
 * (team id, time, counts) is kept outside the team's data.
 */
export async function deleteCancelledTeam(ctx, job) {
    // The claim and the ledger entry commit together (the file line first): a claimed deletion is
    // always one that restoring an older backup will replay.
    const claimed = await withTeam(ctx.engine, job.teamId, async (tx) => {
        if (!(await claimDeletion(tx, job.teamId, job.dueAt)))
            return false;
        await openErasureLedger(ctx.config).append({ kind: 'team', teamId: job.teamId, erasedAt: new Date().toISOString() }, tx);
        return true;
    });
    if (!claimed) {
        if ((await unfinishedDeletions(ctx, job.teamId)).length === 0) {
            // A run may still be finishing (claimed within the hour): the sweep takes over after that.
            ctx.logger.info({ teamId: job.teamId }, 'team deletion skipped: cancellation undone or superseded, or another run has it');
            return null;
        }
        ctx.logger.warn({ teamId: job.teamId }, 'team deletion resumed: an earlier run left rows behind');
    }
    return finishDeletion(ctx, job.teamId, claimed ? 'cancellation' : 'cancellation_resumed');
}
async function finishDeletion(ctx, teamId, reason) {
    const report = await deleteUntilNothingRemains(ctx, teamId);
    // A resumed run counts only what it deleted itself: the earlier run's counts died with it.
    const certificate = await recordDeletionCertificate(ctx.engine, { teamId, reason, ...report });
    ctx.logger.info({ teamId, rows: report.total, certificate: certificate.id }, 'team deleted');
    return certificate;
}
/**
 * Deletions a run began and did not finish: it deleted the team's row but found rows of it left
 * (written by a request or a job under way as the deletion began), so the ledger names the team
 * and no certificate does. They are carried on — by the job's retry, or by the sweep once the
 * job's retries are spent — though the team row the claim reads is gone: once the ledger entry is
 * older than a job may run, as for a claim on the row, so a run still finishing is not joined.
 * `teamId`: that team only.
 */
async function unfinishedDeletions(ctx, teamId) {
    return ctx.engine.ownerTransaction(async (tx) => {
        const r = await tx.query(`SELECT DISTINCT l.team_id FROM erasure_ledger l
        WHERE l.kind = 'team' AND ($1::uuid IS NULL OR l.team_id = $1) AND l.recorded_at < now() - interval '1 hour'
          AND NOT EXISTS (SELECT 1 FROM teams t WHERE t.team_id = l.team_id)
          AND NOT EXISTS (SELECT 1 FROM team_deletion_certificates c WHERE c.team_id = l.team_id)`, [teamId ?? null]);
        return r.rows.map((row) => row.team_id);
    });
}
/** Delete, and again (a second later) while work that began before the deletion leaves rows behind. */
async function deleteUntilNothingRemains(ctx, teamId, passes = 3) {
    const tables = {};
    const add = (report) => {
        for (const [table, n] of Object.entries(report?.tables ?? {}))
            tables[table] = (tables[table] ?? 0) + n;
    };
    for (let pass = 1;; pass++) {
        try {
            add(await deleteTeamData(ctx.engine, teamId));
            return { tables, total: Object.values(tables).reduce((a, b) => a + b, 0) };
        }
        catch (error) {
            if (!(error instanceof TeamDataRemainsError) || pass === passes)
                throw error;
            add(error.deleted);
            ctx.logger.warn({ teamId, tables: error.tables, pass }, 'rows of the team appeared during its deletion; deleting again');
            await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
    }
}
export const DELETE_DUE_TEAMS_JOB = 'accounts.delete-due-teams';
/**
 * The sweep behind the per-team job: every team whose deletion is due is deleted, whether or not
 * its job is still queued (a restore from backup brings teams back without the queue's jobs), and
 * every deletion left unfinished is carried on. A team that fails is logged and the others still
 * go; the sweep then fails, and runs again at its next turn.
 */
export async function deleteDueTeams(ctx) {
    const due = await ctx.engine.ownerTransaction(async (tx) => {
        const r = await tx.query(`SELECT team_id, deletion_due_at FROM teams WHERE deletion_due_at <= now() ORDER BY team_id`);
        return r.rows;
    });
    const unfinished = await unfinishedDeletions(ctx);
    const runs = [
        ...due.map((t) => ({ teamId: t.team_id, run: () => deleteCancelledTeam(ctx, { teamId: t.team_id, dueAt: t.deletion_due_at.toISOString() }) })),
        ...unfinished.map((teamId) => ({
            teamId,
            run: () => {
                ctx.logger.warn({ teamId }, 'team deletion resumed by the sweep: an earlier run left rows behind');
                return finishDeletion(ctx, teamId, 'cancellation_resumed');
            },
        })),
    ];
    await eachTeamApart(ctx.logger, runs, {
        logged: 'a team deletion failed; the sweep goes on with the others',
        thrown: (failed, total) => `${failed} of ${total} team deletions failed (see the log)`,
    });
    return runs.length;
}
//# sourceMappingURL=delete-team.js.map