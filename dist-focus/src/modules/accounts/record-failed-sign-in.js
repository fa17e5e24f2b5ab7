import { auditForUserTeams } from './audit-actor.js';
export const FAILED_SIGN_IN_JOB = 'accounts.record-failed-sign-in';
/**
 * A wrong password is audited by a job, not by the request: the request then does the same work
 * whether or not the email has an account (queue one job), so neither its timing nor its writes
 * tell a guesser which emails are signed up. The job writes `auth.sign_in_failed` to each team of
 * the account, if there is one; its time is the job's, so the attempt's own is in the details.
 */
export async function recordFailedSignIn(ctx, job) {
    const { userId } = job;
    if (!userId)
        return;
    await ctx.engine.transaction((tx) => auditForUserTeams(tx, userId, {
        actor: { type: 'user', id: userId },
        action: 'auth.sign_in_failed',
        target: { type: 'sign_in_attempt', id: job.attempt },
        requestId: job.requestId ?? undefined,
        details: { attemptedAt: job.attemptedAt },
    }, 
    // Delivery is at least once: a team that already has this attempt's entry is not given another.
    async (tx, teamId) => (await tx.query(`SELECT 1 FROM audit_log WHERE team_id = $1 AND target_id = $2 AND action = 'auth.sign_in_failed'`, [teamId, job.attempt])).rowCount > 0));
}
//# sourceMappingURL=record-failed-sign-in.js.map