import { people } from '../../api/people';
import type { Activity } from '../../api/types';
import { ActivityChart, countByDay } from '../../components/ActivityChart';
import { ErrorNotice, Loading } from '../../components/Notices';
import { daysAgo } from '../../format';
import { useLoad } from '../../hooks/useLoad';

const DAYS = 30;
const MAX_PAGES = 5;

/** Activity per day over the last 30 days, from the timeline itself (at most 1000 entries read). */
async function lastDays(personId: string): Promise<{ times: string[]; complete: boolean }> {
  const times: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page: { activity: Activity[]; nextCursor: string | null } = await people.activity(personId, { from: daysAgo(DAYS - 1), limit: 200, ...(cursor ? { cursor } : {}) });
    times.push(...page.activity.map((a) => a.occurredAt));
    cursor = page.nextCursor;
    if (!cursor) return { times, complete: true };
  }
  return { times, complete: false };
}

export function ActivityOverview({ personId }: { personId: string }) {
  const recent = useLoad(() => lastDays(personId), [personId]);
  return (
    <section className="card" aria-labelledby="overview-heading">
      <h2 id="overview-heading">Last {DAYS} days</h2>
      <ErrorNotice error={recent.error} />
      {recent.loading ? <Loading what="the activity chart" /> : null}
      {recent.data ? (
        <>
          <ActivityChart data={countByDay(recent.data.times, DAYS)} label={`Activity over the last ${DAYS} days`} />
          {recent.data.complete ? null : <p className="hint">Busy person: the chart shows their latest {recent.data.times.length} events.</p>}
        </>
      ) : null}
    </section>
  );
}
