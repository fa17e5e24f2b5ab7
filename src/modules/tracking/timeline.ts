import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/engine.js';
import { decodeTimeCursor, encodeTimeCursor, scopedList } from '../../platform/http/time-cursor.js';
import type { EventType } from './event.js';
import { eventPayloadContext } from './ingest.js';

export interface ActivityView {
  id: string;
  type: EventType;
  name: string | null;
  occurredAt: string;
  receivedAt: string;
  /** The event's own properties, as sent. */
  properties: Record<string, unknown>;
  /** Profile traits it set (identify; PostHog `$set` on any event), and those it set only where missing. */
  traits: Record<string, unknown>;
  traitsOnce: Record<string, unknown>;
  /** What the sender said about where it happened: page, user agent, locale, campaign… (never the IP). */
  context: Record<string, unknown>;
  /** The page, from the properties or the context's page. */
  url: string | null;
  referrer: string | null;
  title: string | null;
}

interface EventRow {
  id: string;
  subject_id: string;
  type: EventType;
  name: string | null;
  occurred_at: Date;
  received_at: Date;
  payload_sealed: Buffer;
  sort_key: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** Decrypt events; an event whose key was shredded (erased person) is skipped. */
async function views(tx: Tx, keyring: Keyring, teamId: string, rows: EventRow[]): Promise<ActivityView[]> {
  const keys = await keyring.subjectKeysFor(tx, teamId, rows.map((r) => r.subject_id), { create: false });
  const out: ActivityView[] = [];
  for (const r of rows) {
    const key = keys.get(r.subject_id);
    if (!key) continue;
    // Everything stored is shown: the timeline and the access export read events only here.
    const payload = JSON.parse(keyring.openWith(key, eventPayloadContext(teamId, r.id), Buffer.from(r.payload_sealed)).toString('utf8')) as {
      name?: string;
      properties?: Record<string, unknown>;
      traits?: Record<string, unknown>;
      traitsOnce?: Record<string, unknown>;
      context?: Record<string, unknown> & { page?: Record<string, unknown> };
    };
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
      // Segment's names, the context's page, then PostHog's.
      url: str(props.url) ?? str(page.url) ?? str(props.$current_url),
      referrer: str(props.referrer) ?? str(page.referrer) ?? str(props.$referrer),
      title: str(props.title) ?? str(page.title) ?? str(props.$title),
    });
  }
  return out;
}

export interface ActivityQuery {
  types?: EventType[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * What a cursor of a person's activity belongs to: the person and the filters. A cursor taken
 * under other filters would page on silently wrong (events of a type it never showed, newer than
 * the cursor, left out), so it is refused.
 */
function activityList(personId: string, q: ActivityQuery): string {
  return scopedList(`activity:${personId.toLowerCase()}`, [[...new Set(q.types ?? [])].sort(), q.from ?? null, q.to ?? null]);
}

/** A person's activity, newest first, keyset-paged by (time, id). */
export async function personActivity(tx: Tx, keyring: Keyring, teamId: string, personId: string, q: ActivityQuery) {
  const list = activityList(personId, q);
  const after = q.cursor ? decodeTimeCursor(list, q.cursor) : null;
  const r = await tx.query<EventRow>(
    `SELECT id, subject_id, type, name, occurred_at, received_at, payload_sealed, '' AS sort_key
       FROM events
      WHERE team_id = $1 AND person_id = $2
        AND ($3::text[] IS NULL OR type = ANY($3::text[]))
        AND ($4::timestamptz IS NULL OR occurred_at >= $4)
        AND ($5::timestamptz IS NULL OR occurred_at < $5)
        AND ($6::bigint IS NULL OR (occurred_at, id) < (timestamptz 'epoch' + $6::bigint * interval '1 microsecond', $7::uuid))
      ORDER BY occurred_at DESC, id DESC LIMIT $8`,
    [teamId, personId, q.types ?? null, q.from ?? null, q.to ?? null, after?.at ?? null, after?.id ?? null, q.limit + 1],
  );
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
async function microsecondsOf(tx: Tx, teamId: string, event: Pick<EventRow, 'id' | 'occurred_at'>): Promise<string> {
  const r = await tx.query<{ k: string }>(`SELECT (extract(epoch FROM occurred_at) * 1000000)::bigint::text AS k FROM events WHERE team_id = $1 AND id = $2`, [
    teamId,
    event.id,
  ]);
  return r.rows[0]?.k ?? (BigInt(event.occurred_at.getTime()) * 1000n + 999n).toString();
}

/** Pages a person viewed: each URL with its view count and last view, most viewed first. */
export async function pagesViewed(tx: Tx, keyring: Keyring, teamId: string, personId: string, scanLimit = 5_000) {
  const r = await tx.query<EventRow>(
    `SELECT id, subject_id, type, name, occurred_at, received_at, payload_sealed, '' AS sort_key
       FROM events WHERE team_id = $1 AND person_id = $2 AND type = 'page'
      ORDER BY occurred_at DESC, id DESC LIMIT $3`,
    [teamId, personId, scanLimit],
  );
  // Views without an address (a back end's page call) count together, apart from every URL.
  const byUrl = new Map<string | null, { url: string | null; title: string | null; views: number; lastViewedAt: string }>();
  for (const v of await views(tx, keyring, teamId, r.rows)) {
    const url = v.url ?? null;
    const seen = byUrl.get(url);
    if (seen) seen.views++;
    else byUrl.set(url, { url, title: v.title, views: 1, lastViewedAt: v.occurredAt });
  }
  return [...byUrl.values()].sort((a, b) => b.views - a.views || b.lastViewedAt.localeCompare(a.lastViewedAt));
}

/**
 * Per-day event counts for the team, by type, from clear columns only. Days are those of `timeZone`
 * (an IANA name; UTC by default). Without bounds: today and the 30 whole days before it, midnight
 * to midnight there — computed by the database, which knows the zone's daylight-saving changes.
 */
export async function dailyCounts(tx: Tx, teamId: string, window: { from: string; to: string; timeZone: string }) {
  const r = await tx.query<{ day: string; type: EventType; n: number }>(
    `SELECT to_char(date_trunc('day', occurred_at AT TIME ZONE $4), 'YYYY-MM-DD') AS day, type, count(*) AS n
       FROM events WHERE team_id = $1 AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [teamId, window.from, window.to, window.timeZone],
  );
  const days = new Map<string, Record<string, number>>();
  for (const row of r.rows) {
    const d = days.get(row.day) ?? {};
    d[row.type] = Number(row.n);
    days.set(row.day, d);
  }
  return [...days.entries()].map(([day, counts]) => ({ day, total: Object.values(counts).reduce((a, b) => a + b, 0), counts }));
}
