import { withTeam } from '../../platform/db/with-team.js';
import { type DeletionCertificate, type TeamDeletionReport, TeamDataRemainsError, deleteTeamData, recordDeletionCertificate } from '../../platform/db/delete-team-data.js';
import { openErasureLedger } from '../../platform/erasure-ledger/index.js';
import type { HavenContext } from '../../platform/module.js';
import { claimDeletion } from './team-lifecycle.js';

export interface DeleteTeamJob {
  teamId: string;
  /** The cancellation this job belongs to: an undo, or a later cancellation, makes it a no-op. */
  dueAt: string;
}

/**
 * The end of a cancelled team, run as a job when its grace period is over: the team goes into the
 * erasure ledger first (so no older backup can bring it back), then its keys are shredded, every
 * row with its id is deleted and the catalogue is checked for leftovers; a deletion certificate
 * (team id, time, counts) is kept outside the team's data.
 */
export async function deleteCancelledTeam(ctx: HavenContext, job: DeleteTeamJob): Promise<DeletionCertificate | null> {
  // The claim and the ledger entry commit together (the file line first): a claimed deletion is
  // always one that restoring an older backup will replay.
  const claimed = await withTeam(ctx.engine, job.teamId, async (tx) => {
    if (!(await claimDeletion(tx, job.teamId, job.dueAt))) return false;
    await openErasureLedger(ctx.config).append({ kind: 'team', teamId: job.teamId, erasedAt: new Date().toISOString() }, tx);
    return true;
  });
  if (!claimed) {
    if (!(await deletionLeftUnfinished(ctx, job.teamId))) {
      ctx.logger.info({ teamId: job.teamId }, 'team deletion skipped: cancellation undone or superseded, or another run has it');
      return null;
    }
    ctx.logger.warn({ teamId: job.teamId }, 'team deletion resumed: an earlier run left rows behind');
  }
  const report = await deleteUntilNothingRemains(ctx, job.teamId);
  // A resumed run counts only what it deleted itself: the earlier run's counts died with it.
  const reason = claimed ? 'cancellation' : 'cancellation_resumed';
  const certificate = await recordDeletionCertificate(ctx.engine, { teamId: job.teamId, reason, ...report });
  ctx.logger.info({ teamId: job.teamId, rows: report.total, certificate: certificate.id }, 'team deleted');
  return certificate;
}

/**
 * A run that deleted the team's row but found rows of it left (written by a request or a job
 * that was under way as the deletion began): the ledger names the team, no certificate does.
 * Its retry carries on, though the team row the claim reads is gone — once the claim is older
 * than a job may run, as for a claim on the row, so a run still finishing is not joined.
 */
async function deletionLeftUnfinished(ctx: HavenContext, teamId: string): Promise<boolean> {
  return ctx.engine.ownerTransaction(async (tx) => {
    const r = await tx.query(
      `SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM teams WHERE team_id = $1)
         AND EXISTS (SELECT 1 FROM erasure_ledger WHERE kind = 'team' AND team_id = $1 AND recorded_at < now() - interval '1 hour')
         AND NOT EXISTS (SELECT 1 FROM team_deletion_certificates WHERE team_id = $1)`,
      [teamId],
    );
    return r.rowCount > 0;
  });
}

/** Delete, and again (a second later) while work that began before the deletion leaves rows behind. */
async function deleteUntilNothingRemains(ctx: HavenContext, teamId: string, passes = 3): Promise<TeamDeletionReport> {
  const tables: Record<string, number> = {};
  const add = (report: TeamDeletionReport | undefined) => {
    for (const [table, n] of Object.entries(report?.tables ?? {})) tables[table] = (tables[table] ?? 0) + n;
  };
  for (let pass = 1; ; pass++) {
    try {
      add(await deleteTeamData(ctx.engine, teamId));
      return { tables, total: Object.values(tables).reduce((a, b) => a + b, 0) };
    } catch (error) {
      if (!(error instanceof TeamDataRemainsError) || pass === passes) throw error;
      add(error.deleted);
      ctx.logger.warn({ teamId, tables: error.tables, pass }, 'rows of the team appeared during its deletion; deleting again');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

export const DELETE_DUE_TEAMS_JOB = 'accounts.delete-due-teams';

/**
 * The sweep behind the per-team job: every team whose deletion is due is deleted, whether or not
 * its job is still queued (a restore from backup brings teams back without the queue's jobs).
 */
export async function deleteDueTeams(ctx: HavenContext): Promise<number> {
  const due = await ctx.engine.ownerTransaction(async (tx) => {
    const r = await tx.query<{ team_id: string; deletion_due_at: Date }>(`SELECT team_id, deletion_due_at FROM teams WHERE deletion_due_at <= now()`);
    return r.rows;
  });
  for (const t of due) await deleteCancelledTeam(ctx, { teamId: t.team_id, dueAt: t.deletion_due_at.toISOString() });
  return due.length;
}
