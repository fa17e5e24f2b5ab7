const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * The only way to reach tenant data: one transaction, as the restricted role, with the team scope
 * set for this transaction only (`SET LOCAL ROLE` and `set_config('app.team_id', …, true)`, sent
 * as one statement). Row-level security compares every row's team_id with it, so a
 * query here cannot read or write another team's rows, and a query outside sees none.
 */
export async function withTeam(engine, teamId, fn) {
    if (!UUID.test(teamId))
        throw new TypeError('withTeam needs a team id');
    return engine.transaction(fn, { 'app.team_id': teamId });
}
/**
 * A user's own cross-team rows (the teams they belong to). Only the policies written for it
 * (memberships, teams listed by membership) match; every other tenant table stays empty.
 */
export async function withUser(engine, userId, fn) {
    if (!UUID.test(userId))
        throw new TypeError('withUser needs a user id');
    return engine.transaction(fn, { 'app.user_id': userId });
}
/**
 * Scope an already-open transaction to a team, for the few flows that write global rows and the
 * team's first rows atomically (sign-up, accepting an invitation as a new user).
 */
export async function scopeToTeam(tx, teamId) {
    if (!UUID.test(teamId))
        throw new TypeError('scopeToTeam needs a team id');
    await tx.query(`SELECT set_config('app.team_id', $1, true)`, [teamId]);
}
export async function scopeToUser(tx, userId) {
    if (!UUID.test(userId))
        throw new TypeError('scopeToUser needs a user id');
    await tx.query(`SELECT set_config('app.user_id', $1, true)`, [userId]);
}
export function isUuid(value) {
    return UUID.test(value);
}
//# sourceMappingURL=with-team.js.map