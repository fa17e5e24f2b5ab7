const DAY = 86_400_000;

/** A [from, to) window of whole days for daily figures: the query's, else the last 30 days (to tomorrow, so today counts). */
export function dayWindow(query: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const to = query.to ?? new Date(Date.now() + DAY).toISOString();
  const from = query.from ?? new Date(Date.parse(to) - 31 * DAY).toISOString();
  return { from, to };
}
