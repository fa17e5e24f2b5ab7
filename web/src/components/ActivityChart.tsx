export interface DayCount {
  /** The local day, YYYY-MM-DD. */
  day: string;
  count: number;
}

function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Counts per local day for the last `days` days (today included), zero-filled. */
export function countByDay(times: readonly string[], days: number, today = new Date()): DayCount[] {
  const counts = new Map<string, number>();
  for (const t of times) {
    const day = localDay(new Date(t));
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const out: DayCount[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() - i);
    const day = localDay(d);
    out.push({ day, count: counts.get(day) ?? 0 });
  }
  return out;
}

const WIDTH = 600;
const HEIGHT = 120;
const AXIS = 18;

/** Bars of activity per day, drawn as SVG (no chart library); each bar names its day and count. */
export function ActivityChart({ data, label }: { data: readonly DayCount[]; label: string }) {
  const max = Math.max(1, ...data.map((d) => d.count));
  const total = data.reduce((sum, d) => sum + d.count, 0);
  const slot = WIDTH / Math.max(1, data.length);
  const busiest = data.reduce<DayCount | null>((best, d) => (d.count > (best?.count ?? 0) ? d : best), null);
  const summary = `${label}: ${total} ${total === 1 ? 'event' : 'events'}${busiest ? `, most on ${busiest.day} (${busiest.count})` : ''}.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`} role="img" aria-label={summary}>
        <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="chart-axis" />
        {data.map((d, i) => {
          const h = (d.count / max) * (HEIGHT - 8);
          return (
            <rect key={d.day} x={i * slot + 1} y={HEIGHT - h} width={Math.max(1, slot - 2)} height={h} className="chart-bar">
              <title>{`${d.day}: ${d.count}`}</title>
            </rect>
          );
        })}
        {data.length > 0 ? (
          <>
            <text x="0" y={HEIGHT + AXIS - 4} className="chart-label">
              {data[0]!.day}
            </text>
            <text x={WIDTH} y={HEIGHT + AXIS - 4} className="chart-label" textAnchor="end">
              {data.at(-1)!.day}
            </text>
          </>
        ) : null}
      </svg>
      <figcaption>
        {summary} Highest bar: {max}.
      </figcaption>
    </figure>
  );
}
