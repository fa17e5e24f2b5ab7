/**
 * Deleting events in bounded batches: erasure purges and retention run as jobs that delete a few
 * thousand rows per transaction, so neither holds locks (or PGlite's single connection) for long.
 */
/** Delete up to `limit` events of one person; returns how many went (0 = none left). */
export async function deleteEventsOfPerson(tx, teamId, personId, limit) {
    const r = await tx.query(`DELETE FROM events WHERE team_id = $1 AND id IN (SELECT id FROM events WHERE team_id = $1 AND person_id = $2 LIMIT $3)`, [teamId, personId, limit]);
    return r.rowCount;
}
/** Delete up to `limit` events that happened before `cutoff`; returns how many went. */
export async function deleteEventsBefore(tx, teamId, cutoff, limit) {
    const r = await tx.query(`DELETE FROM events WHERE team_id = $1 AND id IN (SELECT id FROM events WHERE team_id = $1 AND occurred_at < $2 LIMIT $3)`, [teamId, cutoff, limit]);
    return r.rowCount;
}
/** How many events happened before `cutoff` (retention's dry run). */
export async function countEventsBefore(tx, teamId, cutoff) {
    const r = await tx.query(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND occurred_at < $2`, [teamId, cutoff]);
    return r.rows[0].n;
}
export async function countEventsOfPerson(tx, teamId, personId) {
    const r = await tx.query(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND person_id = $2`, [teamId, personId]);
    return r.rows[0].n;
}
/** Which of these people have an event at or after `since` (retention keeps them). */
export async function peopleActiveSince(tx, teamId, personIds, since) {
    if (personIds.length === 0)
        return new Set();
    const r = await tx.query(`SELECT DISTINCT person_id FROM events WHERE team_id = $1 AND person_id = ANY($2::uuid[]) AND occurred_at >= $3`, [teamId, personIds, since]);
    return new Set(r.rows.map((x) => x.person_id));
}
//# sourceMappingURL=delete-events.js.map