/**
 * A job's work over many teams, one after another: a team that fails is logged (by id) and the
 * others still get theirs — one team's trouble must not hold every later team's duty back. Then
 * the job fails if any did, so it is retried; the work must be safe to run again.
 */
export async function eachTeamApart(logger, runs, say) {
    let failed = 0;
    for (const { teamId, run } of runs) {
        try {
            await run();
        }
        catch (error) {
            failed++;
            logger.error({ teamId, err: error }, say.logged);
        }
    }
    if (failed > 0)
        throw new Error(say.thrown(failed, runs.length));
}
//# sourceMappingURL=each-team-apart.js.map