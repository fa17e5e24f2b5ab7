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
