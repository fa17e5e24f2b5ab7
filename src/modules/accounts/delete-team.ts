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
