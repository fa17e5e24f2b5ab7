import { decodeTimeCursor, encodeTimeCursor } from '../../platform/http/time-cursor.js';
import { PERSON_COLUMNS, personViews } from './person-view.js';
/** A page of people, newest first (or oldest), keyset-paged by (time, id). */
export async function listPeople(ctx, tx, teamId, q) {
    const column = q.sort === 'updated' ? 'updated_at' : 'created_at';
    const cmp = q.order === 'asc' ? '>' : '<';
    const list = `people:${q.sort}:${q.order}`;
    const after = q.cursor ? decodeTimeCursor(list, q.cursor) : null;
    // The cursor holds the sort time as integer microseconds since the epoch: exact, and any
    // integer is a valid time, so a crafted cursor cannot make the query fail.
    const r = await tx.query(`SELECT ${PERSON_COLUMNS}, (extract(epoch FROM ${column}) * 1000000)::bigint::text AS sort_key FROM people
      WHERE team_id = $1 AND erased_at IS NULL
        AND ($2::bigint IS NULL OR (${column}, id) ${cmp} (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))
      ORDER BY ${column} ${q.order}, id ${q.order} LIMIT $4`, [teamId, after?.at ?? null, after?.id ?? null, q.limit + 1]);
    const page = r.rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
        people: await personViews(ctx, tx, teamId, page),
        nextCursor: r.rows.length > q.limit && last ? encodeTimeCursor(list, last.sort_key, last.id) : null,
    };
}
/** People whose profile has not changed since `cutoff`, oldest first (retention candidates). */
export async function unchangedSince(tx, teamId, cutoff) {
    const r = await tx.query(`SELECT id FROM people WHERE team_id = $1 AND erased_at IS NULL AND updated_at < $2 ORDER BY updated_at, id`, [
        teamId,
        cutoff,
    ]);
    return r.rows.map((x) => x.id);
}
//# sourceMappingURL=list-people.js.map