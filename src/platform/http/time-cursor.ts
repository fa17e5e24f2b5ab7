import { HavenError } from './errors.js';

/**
 * Keyset cursors over (time, id). The time travels as integer microseconds since the epoch, so
 * it is exact and any integer a client sends is a valid time: a crafted cursor cannot fail a query.
 * SQL side: `(extract(epoch FROM t) * 1000000)::bigint::text` out, and
 * `timestamptz 'epoch' + $n::bigint * interval '1 microsecond'` back in.
 */
export function encodeTimeCursor(micros: string, id: string): string {
  return Buffer.from(`${micros}|${id}`, 'utf8').toString('base64url');
}

export function decodeTimeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || !/^-?\d{1,16}$/.test(at) || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new HavenError('invalid_cursor', 400, 'The cursor is not one this API returned.', 'query.cursor');
  }
  return { at, id };
}
