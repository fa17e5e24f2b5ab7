import { createHash } from 'node:crypto';
import { HavenError } from './errors.js';
/**
 * A list's name with the filters it was read under (`activity:<person>:<digest>`): a cursor taken
 * under other filters would page on silently wrong — items the first filters never showed, newer
 * than the cursor, left out — so it is refused. The filters travel as a digest: no value a client
 * filtered on is spelled out in a URL.
 */
export function scopedList(name, filters) {
    return `${name}:${createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 16)}`;
}
/**
 * Keyset cursors over (time, id). The time travels as integer microseconds since the epoch, so
 * it is exact and any integer a client sends is a valid time: a crafted cursor cannot fail a query.
 * SQL side: `(extract(epoch FROM t) * 1000000)::bigint::text` out, and
 * `timestamptz 'epoch' + $n::bigint * interval '1 microsecond'` back in.
 */
export function encodeTimeCursor(list, micros, id) {
    return Buffer.from(`${list}|${micros}|${id}`, 'utf8').toString('base64url');
}
/**
 * `list` names the list and its order (`people:created:desc`, `activity:<person>`): a cursor
 * from another list, or the same list in another order, would page silently wrong, so it is
 * refused like one the API never returned.
 */
export function decodeTimeCursor(list, cursor) {
    const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
    const [from, at, id] = parts;
    if (parts.length !== 3 || from !== list || !at || !id || !/^-?\d{1,16}$/.test(at) || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
        throw new HavenError('invalid_cursor', 400, 'The cursor is not one this list returned (another list, order or person).', 'query.cursor');
    }
    return { at, id };
}
//# sourceMappingURL=time-cursor.js.map