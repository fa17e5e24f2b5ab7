import type { Tx } from '../../platform/db/engine.js';

/** How many events of each type the team holds, and the oldest — from clear columns only. */
export async function eventTotals(tx: Tx, teamId: string): Promise<{ type: string; events: number; oldest: string | null }[]> {
  const r = await tx.query<{ type: string; n: number; oldest: Date | null }>(
    `SELECT type, count(*)::int AS n, min(occurred_at) AS oldest FROM events WHERE team_id = $1 GROUP BY type ORDER BY type`,
    [teamId],
  );
  return r.rows.map((x) => ({ type: x.type, events: x.n, oldest: x.oldest?.toISOString() ?? null }));
}
