import type { Tx } from '../../platform/db/engine.js';
import { decodeTimeCursor, encodeTimeCursor, scopedList } from '../../platform/http/time-cursor.js';
import { PERSON_COLUMNS, type PersonRow, type PersonView, personViews } from './person-view.js';
import type { PeopleContext } from './sealed-fields.js';

/** A page of people, newest first (or oldest), keyset-paged by (time, id). */
export async function listPeople(
  ctx: PeopleContext,
  tx: Tx,
  teamId: string,
  q: { sort: 'created' | 'updated'; order: 'asc' | 'desc'; limit: number; cursor?: string | undefined },
): Promise<{ people: PersonView[]; nextCursor: string | null }> {
  const column = q.sort === 'updated' ? 'updated_at' : 'created_at';
  const cmp = q.order === 'asc' ? '>' : '<';
  // The cursor belongs to this team's list in this order: another's would page from a stranger's position.
  const list = scopedList(`people:${q.sort}:${q.order}`, [teamId]);
  const after = q.cursor ? decodeTimeCursor(list, q.cursor) : null;
  // The cursor holds the sort time as integer microseconds since the epoch: exact, and any
  // integer is a valid time, so a crafted cursor cannot make the query fail.
  const r = await tx.query<PersonRow & { sort_key: string }>(
    `SELECT ${PERSON_COLUMNS}, (extract(epoch FROM ${column}) * 1000000)::bigint::text AS sort_key FROM people
      WHERE team_id = $1 AND erased_at IS NULL
        AND ($2::bigint IS NULL OR (${column}, id) ${cmp} (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))
      ORDER BY ${column} ${q.order}, id ${q.order} LIMIT $4`,
    [teamId, after?.at ?? null, after?.id ?? null, q.limit + 1],
  );
  const page = r.rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    people: await personViews(ctx, tx, teamId, page),
    nextCursor: r.rows.length > q.limit && last ? encodeTimeCursor(list, last.sort_key, last.id) : null,
  };
}

/** People whose profile has not changed since `cutoff`, oldest first (retention candidates). */
export async function unchangedSince(tx: Tx, teamId: string, cutoff: Date): Promise<string[]> {
  const r = await tx.query<{ id: string }>(`SELECT id FROM people WHERE team_id = $1 AND erased_at IS NULL AND updated_at < $2 ORDER BY updated_at, id`, [
    teamId,
    cutoff,
  ]);
  return r.rows.map((x) => x.id);
}
