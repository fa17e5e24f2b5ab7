import { INDEX_BITS, foldName } from '../../platform/crypto/blind-index.js';
import type { Tx } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';
import { decodeTimeCursor, encodeTimeCursor, scopedList } from '../../platform/http/time-cursor.js';
import { type IdentityKind, normaliseIdentity } from './identities.js';
import { findIdentity } from './person-identities.js';
import { PERSON_COLUMNS, type PersonRow, type PersonView, personViews } from './person-view.js';
import { type PeopleContext, openText } from './sealed-fields.js';

/** Exact lookup by one identity. */
export async function findPeopleBy(ctx: PeopleContext, tx: Tx, teamId: string, kind: IdentityKind, raw: string, field: string): Promise<PersonView[]> {
  const value = normaliseIdentity(kind, raw, field);
  const holder = await findIdentity(ctx, tx, teamId, kind, value);
  if (!holder) return [];
  const ids = [holder];
  const r = await tx.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM people WHERE team_id = $1 AND id = ANY($2::uuid[]) ORDER BY created_at DESC, id DESC`, [
    teamId,
    ids,
  ]);
  return personViews(ctx, tx, teamId, r.rows);
}

/**
 * Name search by word prefixes ("ada lov"): prefix-token blind indexes give candidates, newest
 * first; each candidate's name is decrypted and kept if every query word (whole, however short or
 * long) starts one of its words. Keyset-paged by (creation time, id) like the list: a page ends at
 * its last match, and `nextCursor` is null once no candidate is left after it.
 */
export async function searchByName(
  ctx: PeopleContext,
  tx: Tx,
  teamId: string,
  query: string,
  limit: number,
  cursor?: string,
): Promise<{ people: PersonView[]; nextCursor: string | null }> {
  // Every word must match in full; the index only narrows the candidates (tokens are 2–12 letters).
  const words = foldName(query).split(' ').filter((w) => w.length > 0);
  const indexed = words.filter((w) => w.length >= 2).map((w) => w.slice(0, 12));
  if (indexed.length === 0) throw new HavenError('query_too_short', 400, 'Search by at least two letters of a name.', 'query.name');
  // Two words may share a truncated token: match on the distinct tokens.
  const distinct = new Map<string, Buffer>();
  for (const w of indexed) {
    const token = await ctx.keyring.blindIndexes.index(tx, teamId, 'people.name', w, INDEX_BITS.nameToken);
    distinct.set(token.toString('hex'), token);
  }
  const tokens = [...distinct.values()];
  // One match past the page tells whether there is a next page.
  const matches: (PersonRow & { sort_key: string })[] = [];
  // The cursor belongs to this search: every word searched for, one letter long too, as the team's
  // keyed digests (never the name) — a search that differs by a short word matches other people.
  const scope: string[] = [];
  for (const w of words) scope.push((await ctx.keyring.blindIndexes.index(tx, teamId, 'people.name', w, INDEX_BITS.nameToken)).toString('hex'));
  const list = scopedList('people:name-search', [...new Set(scope)].sort());
  let after = cursor ? decodeTimeCursor(list, cursor) : null;
  const batch = 200;
  for (;;) {
    const r = await tx.query<PersonRow & { sort_key: string }>(
      `SELECT ${PERSON_COLUMNS}, (extract(epoch FROM p.created_at) * 1000000)::bigint::text AS sort_key FROM people p
        WHERE p.team_id = $1 AND p.id IN (
          SELECT person_id FROM person_name_tokens WHERE team_id = $1 AND token = ANY($2::bytea[])
           GROUP BY person_id HAVING count(*) = $3)
          AND ($4::bigint IS NULL OR (p.created_at, p.id) < (timestamptz 'epoch' + $4::bigint * interval '1 microsecond', $5::uuid))
        ORDER BY p.created_at DESC, p.id DESC LIMIT $6`,
      [teamId, tokens, tokens.length, after?.at ?? null, after?.id ?? null, batch],
    );
    for (const row of r.rows) {
      const name = await openText(ctx, tx, teamId, row.id, 'people', 'name_sealed', row.id, row.name_sealed);
      const folded = name ? foldName(name).split(' ') : [];
      if (words.every((w) => folded.some((f) => f.startsWith(w)))) matches.push(row);
      if (matches.length > limit) break;
    }
    const last = r.rows.at(-1);
    if (matches.length > limit || r.rows.length < batch || !last) break;
    after = { at: last.sort_key, id: last.id };
  }
  const page = matches.slice(0, limit);
  const end = page.at(-1);
  return { people: await personViews(ctx, tx, teamId, page), nextCursor: matches.length > limit && end ? encodeTimeCursor(list, end.sort_key, end.id) : null };
}
