import type { Tx } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';
import { queryTimeText } from '../../platform/http/query-time.js';

/** Days a window of daily figures may span at most: each request counts every event in it. */
export const MAX_WINDOW_DAYS = 400;

/**
 * The [from, to) window of daily figures in `timeZone`'s days: the query's bounds (to the
 * microsecond, see queryTime), else whole days — `to` the coming midnight (so today counts),
 * `from` the midnight 31 days before `to`'s day. Worked out by the database, whose time zone data
 * the counting reads by. Refused (`out_of_range`): a window that ends before it starts — a
 * defaulted `to` included — or spans more than MAX_WINDOW_DAYS.
 */
export async function resolveDayWindow(
  tx: Tx,
  query: { from?: string | undefined; to?: string | undefined },
  timeZone: string,
): Promise<{ from: string; to: string }> {
  const r = await tx.query<{ from: string; to: string; ordered: boolean; within: boolean }>(
    `WITH upper_bound AS (
       SELECT coalesce($1::timestamptz, (date_trunc('day', now() AT TIME ZONE $3) + interval '1 day') AT TIME ZONE $3) AS "to"
     ), bounds AS (
       SELECT coalesce($2::timestamptz, (date_trunc('day', "to" AT TIME ZONE $3) - interval '31 days') AT TIME ZONE $3) AS "from", "to" FROM upper_bound
     )
     SELECT "from"::text AS "from", "to"::text AS "to", "to" > "from" AS ordered, "to" - "from" <= make_interval(days => $4) AS within FROM bounds`,
    [queryTimeText(query.to) ?? null, queryTimeText(query.from) ?? null, timeZone, MAX_WINDOW_DAYS],
  );
  const window = r.rows[0]!;
  if (!window.ordered) {
    throw query.to === undefined
      ? new HavenError('out_of_range', 400, '`from` must be before `to`, by default the coming midnight.', 'query.from')
      : new HavenError('out_of_range', 400, '`to` must be after `from`.', 'query.to');
  }
  if (!window.within) throw new HavenError('out_of_range', 400, `A window spans at most ${MAX_WINDOW_DAYS} days.`, 'query.from');
  return { from: window.from, to: window.to };
}

/**
 * An IANA time zone name (`Europe/Paris`, `UTC`) that this runtime knows. Offsets such as `+01:00`
 * are refused: PostgreSQL reads a bare offset with the POSIX sign, the opposite of ISO 8601.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  // A name without a region (`BST`, `IST`, `EST`) is an abbreviation the two sides read apart:
  // ICU takes BST as Dhaka's zone, PostgreSQL as British Summer Time. Only `UTC` stands alone.
  if (name !== 'UTC' && !name.includes('/')) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
