import { withTeam } from '../../platform/db/with-team.js';
import { type DeletionCertificate, deleteTeamData, recordDeletionCertificate } from '../../platform/db/delete-team-data.js';
import { openErasureLedger } from '../../platform/erasure-ledger/index.js';
import type { HavenContext } from '../../platform/module.js';
import { deletionIsDue } from './team-lifecycle.js';

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
  const due = await withTeam(ctx.engine, job.teamId, (tx) => deletionIsDue(tx, job.teamId, job.dueAt));
  if (!due) {
    ctx.logger.info({ teamId: job.teamId }, 'team deletion skipped: cancellation undone or superseded');
    return null;
  }
  await openErasureLedger(ctx.config).append({ kind: 'team', teamId: job.teamId, erasedAt: new Date().toISOString() });
  const report = await deleteTeamData(ctx.engine, job.teamId);
  const certificate = await recordDeletionCertificate(ctx.engine, { teamId: job.teamId, reason: 'cancellation', ...report });
  ctx.logger.info({ teamId: job.teamId, rows: report.total, certificate: certificate.id }, 'team deleted');
  return certificate;
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
