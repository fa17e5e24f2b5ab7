import { HavenError } from '../../platform/http/errors.js';
const DAY = 86_400_000;
const startOfUtcDay = (ms) => Math.floor(ms / DAY) * DAY;
/**
 * A [from, to) window for daily figures: the query's bounds, else whole UTC days — the last 30 and
 * today (to the coming midnight, so today counts). A default `from` starts at a midnight too, so the
 * first day is counted whole.
 */
export function dayWindow(query, now = Date.now()) {
    checkDayWindow(query, now);
    const to = query.to ?? new Date(startOfUtcDay(now) + DAY).toISOString();
    const from = query.from ?? new Date(startOfUtcDay(Date.parse(to) - 31 * DAY)).toISOString();
    return { from, to };
}
/** Days a window of daily figures may span at most: each request counts every event in it. */
export const MAX_WINDOW_DAYS = 400;
/**
 * Refuse bounds that end before they start (they could only count nothing), or a window that
 * spans more than MAX_WINDOW_DAYS — `to` defaulting to the coming midnight (a day-zone ahead at most).
 */
export function checkDayWindow(query, now = Date.now()) {
    if (query.from === undefined)
        return;
    const from = Date.parse(query.from);
    const to = query.to !== undefined ? Date.parse(query.to) : now + 2 * DAY;
    if (query.to !== undefined && to <= from)
        throw new HavenError('out_of_range', 400, '`to` must be after `from`.', 'query.to');
    if (to - from > MAX_WINDOW_DAYS * DAY)
        throw new HavenError('out_of_range', 400, `A window spans at most ${MAX_WINDOW_DAYS} days.`, 'query.from');
}
/**
 * An IANA time zone name (`Europe/Paris`, `UTC`) that this runtime knows. Offsets such as `+01:00`
 * are refused: PostgreSQL reads a bare offset with the POSIX sign, the opposite of ISO 8601.
 */
export function isTimeZone(name) {
    if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name))
        return false;
    // A name without a region (`BST`, `IST`, `EST`) is an abbreviation the two sides read apart:
    // ICU takes BST as Dhaka's zone, PostgreSQL as British Summer Time. Only `UTC` stands alone.
    if (name !== 'UTC' && !name.includes('/'))
        return false;
    try {
        new Intl.DateTimeFormat('en', { timeZone: name });
        return true;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=day-window.js.map