/**
 * Query times (InputTime) as PostgreSQL holds times: whole microseconds. A finer time (Go's
 * RFC3339Nano sends nanoseconds) is rounded up, not to the nearest as PostgreSQL would: stored times
 * are whole microseconds, so "at or after t" (an inclusive `from`) and "before t" (an exclusive
 * `to`) then select exactly the events they would with t itself.
 */

const PARTS = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

export interface QueryTime {
  /** Microseconds since the epoch. */
  readonly micros: bigint;
  /** The same instant in UTC, RFC 3339 with six fractional digits: what PostgreSQL is given. */
  readonly text: string;
}

/** A time InputTime let through, to the microsecond (rounded up). */
export function queryTime(input: string): QueryTime {
  const m = PARTS.exec(input);
  if (!m) throw new Error('not an InputTime'); // the route's schema let only InputTime through
  const [, date, clock, fraction = '', zone] = m;
  const seconds = BigInt(Date.parse(`${date}T${clock}${zone!.toUpperCase()}`)) / 1000n;
  const nanos = BigInt(fraction.padEnd(9, '0'));
  const micros = seconds * 1_000_000n + (nanos + 999n) / 1000n;
  // Seconds rounded down, so a time before 1970 keeps a fraction of 0–999999 µs after them.
  const fractionMicros = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  const wholeSeconds = (micros - fractionMicros) / 1_000_000n;
  // Rounding up 9999-12-31T23:59:59.9999995Z or later reaches year 10000, which JavaScript writes
  // `+010000-…` and PostgreSQL reads as `10000-…`.
  const iso = new Date(Number(wholeSeconds) * 1000).toISOString().replace(/^\+0*/, '').slice(0, -5);
  return { micros, text: `${iso}.${String(fractionMicros).padStart(6, '0')}Z` };
}

/** An optional query time, to the microsecond. */
export const optionalQueryTime = (input: string | undefined): QueryTime | undefined => (input === undefined ? undefined : queryTime(input));

/** An optional query time's text, to the microsecond. */
export const queryTimeText = (input: string | undefined): string | undefined => optionalQueryTime(input)?.text;
