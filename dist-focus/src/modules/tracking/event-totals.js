/** How many events of each type the team holds, and the oldest — from clear columns only. */
export async function eventTotals(tx, teamId) {
    const r = await tx.query(`SELECT type, count(*)::int AS n, min(occurred_at) AS oldest FROM events WHERE team_id = $1 GROUP BY type ORDER BY type`, [teamId]);
    return r.rows.map((x) => ({ type: x.type, events: x.n, oldest: x.oldest?.toISOString() ?? null }));
}
//# sourceMappingURL=event-totals.js.map