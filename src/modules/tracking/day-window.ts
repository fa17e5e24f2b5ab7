const DAY = 86_400_000;

const startOfUtcDay = (ms: number): number => Math.floor(ms / DAY) * DAY;

/**
 * A [from, to) window for daily figures: the query's bounds, else whole UTC days — the last 30 and
 * today (to the coming midnight, so today counts). A default `from` starts at a midnight too, so the
 * first day is counted whole.
 */
export function dayWindow(query: { from?: string | undefined; to?: string | undefined }, now = Date.now()): { from: string; to: string } {
  const to = query.to ?? new Date(startOfUtcDay(now) + DAY).toISOString();
  const from = query.from ?? new Date(startOfUtcDay(Date.parse(to) - 31 * DAY)).toISOString();
  return { from, to };
}

/**
 * An IANA time zone name (`Europe/Paris`, `UTC`) that this runtime knows. Offsets such as `+01:00`
 * are refused: PostgreSQL reads a bare offset with the POSIX sign, the opposite of ISO 8601.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
