import { decodeTimeCursor, encodeTimeCursor, scopedList } from '../../platform/http/time-cursor.js';
import { eventPayloadContext } from './ingest.js';
const str = (v) => (typeof v === 'string' ? v : null);
/** Decrypt events; an event whose key was shredded (erased person) is skipped. */
async function views(tx, keyring, teamId, rows) {
    const keys = await keyring.subjectKeysFor(tx, teamId, rows.map((r) => r.subject_id), { create: false });
    const out = [];
    for (const r of rows) {
        const key = keys.get(r.subject_id);
        if (!key)
            continue;
        // Everything stored is shown: the timeline and the access export read events only here.
        const payload = JSON.parse(keyring.openWith(key, eventPayloadContext(teamId, r.id), Buffer.from(r.payload_sealed)).toString('utf8'));
        const props = payload.properties ?? {};
        const page = payload.context?.page ?? {};
        out.push({
            id: r.id,
            type: r.type,
            // A track event's name is clear; a page's or screen's is sealed (clearNameOf). Events stored
            // before names were sealed have theirs in the clear column.
            name: r.name ?? str(payload.name),
            occurredAt: r.occurred_at.toISOString(),
            receivedAt: r.received_at.toISOString(),
            properties: props,
            traits: payload.traits ?? {},
            traitsOnce: payload.traitsOnce ?? {},
            context: payload.context ?? {},
            url: str(props.url) ?? str(page.url),
            referrer: str(props.referrer) ?? str(page.referrer),
            title: str(props.title) ?? str(page.title),
        });
    }
    return out;
}
/**
 * What a cursor of a person's activity belongs to: the person and the filters. A cursor taken
 * under other filters would page on silently wrong (events of a type it never showed, newer than
 * the cursor, left out), so it is refused.
 */
function activityList(personId, q) {
    return scopedList(`activity:${personId.toLowerCase()}`, [[...new Set(q.types ?? [])].sort(), q.from ?? null, q.to ?? null]);
}
/** A person's activity, newest first, keyset-paged by (time, id). */
export async function personActivity(tx, keyring, teamId, personId, q) {
    const list = activityList(personId, q);
    const after = q.cursor ? decodeTimeCursor(list, q.cursor) : null;
    const r = await tx.query(`SELECT id, subject_id, type, name, occurred_at, received_at, payload_sealed, '' AS sort_key
       FROM events
      WHERE team_id = $1 AND person_id = $2
        AND ($3::text[] IS NULL OR type = ANY($3::text[]))
        AND ($4::timestamptz IS NULL OR occurred_at >= $4)
        AND ($5::timestamptz IS NULL OR occurred_at < $5)
        AND ($6::bigint IS NULL OR (occurred_at, id) < (timestamptz 'epoch' + $6::bigint * interval '1 microsecond', $7::uuid))
      ORDER BY occurred_at DESC, id DESC LIMIT $8`, [teamId, personId, q.types ?? null, q.from ?? null, q.to ?? null, after?.at ?? null, after?.id ?? null, q.limit + 1]);
    const page = r.rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
        activity: await views(tx, keyring, teamId, page),
        nextCursor: r.rows.length > q.limit && last ? encodeTimeCursor(list, await microsecondsOf(tx, teamId, last), last.id) : null,
    };
}
/**
 * The exact time of one event in integer microseconds, for a cursor. Asked for the last row of a
 * page only: computing it (numeric arithmetic) on every row made a page of 1 000 five times slower.
 * The event may have been deleted since the page was read (a purge or retention in between): then
 * its time as read — cut to the millisecond by the driver — plus 999 µs, the latest it can be, so
 * the next page may repeat an event of that millisecond but never skips one.
 */
async function microsecondsOf(tx, teamId, event) {
    const r = await tx.query(`SELECT (extract(epoch FROM occurred_at) * 1000000)::bigint::text AS k FROM events WHERE team_id = $1 AND id = $2`, [
        teamId,
        event.id,
    ]);
    return r.rows[0]?.k ?? (BigInt(event.occurred_at.getTime()) * 1000n + 999n).toString();
}
/** Pages a person viewed: each URL with its view count and last view, most viewed first. */
export async function pagesViewed(tx, keyring, teamId, personId, scanLimit = 5_000) {
    const r = await tx.query(`SELECT id, subject_id, type, name, occurred_at, received_at, payload_sealed, '' AS sort_key
       FROM events WHERE team_id = $1 AND person_id = $2 AND type = 'page'
      ORDER BY occurred_at DESC, id DESC LIMIT $3`, [teamId, personId, scanLimit]);
    const byUrl = new Map();
    for (const v of await views(tx, keyring, teamId, r.rows)) {
        const url = v.url ?? '(unknown)';
        const seen = byUrl.get(url);
        if (seen)
            seen.views++;
        else
            byUrl.set(url, { url, title: v.title, views: 1, lastViewedAt: v.occurredAt });
    }
    return [...byUrl.values()].sort((a, b) => b.views - a.views || b.lastViewedAt.localeCompare(a.lastViewedAt));
}
/**
 * Per-day event counts for the team, by type, from clear columns only. Days are those of `timeZone`
 * (an IANA name; UTC by default). Without bounds: today and the 30 whole days before it, midnight
 * to midnight there — computed by the database, which knows the zone's daylight-saving changes.
 */
export async function dailyCounts(tx, teamId, window) {
    const r = await tx.query(`WITH upper_bound AS (
       SELECT coalesce($3::timestamptz, (date_trunc('day', now() AT TIME ZONE $4) + interval '1 day') AT TIME ZONE $4) AS "to"
     ), bounds AS (
       SELECT coalesce($2::timestamptz, (date_trunc('day', "to" AT TIME ZONE $4) - interval '31 days') AT TIME ZONE $4) AS "from", "to" FROM upper_bound
     )
     SELECT to_char(date_trunc('day', occurred_at AT TIME ZONE $4), 'YYYY-MM-DD') AS day, type, count(*) AS n
       FROM events, bounds WHERE team_id = $1 AND occurred_at >= bounds."from" AND occurred_at < bounds."to"
      GROUP BY 1, 2 ORDER BY 1, 2`, [teamId, window.from ?? null, window.to ?? null, window.timeZone]);
    const days = new Map();
    for (const row of r.rows) {
        const d = days.get(row.day) ?? {};
        d[row.type] = Number(row.n);
        days.set(row.day, d);
    }
    return [...days.entries()].map(([day, counts]) => ({ day, total: Object.values(counts).reduce((a, b) => a + b, 0), counts }));
}
//# sourceMappingURL=timeline.js.map