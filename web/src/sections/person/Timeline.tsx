import { type FormEvent, useState } from 'react';
import { people } from '../../api/people';
import { type Activity, EVENT_TYPES, type EventType } from '../../api/types';
import { Field } from '../../components/Field';
import { EmptyState, ErrorNotice, Loading } from '../../components/Notices';
import { dayInputToIso, formatTime, formatValue } from '../../format';
import { usePagedList } from '../../hooks/usePagedList';

const PAGE = 50;
const TYPE_LABELS: Record<EventType, string> = { page: 'Page view', track: 'Event', identify: 'Identify', screen: 'Screen', group: 'Group', alias: 'Alias' };

interface Filters {
  types: EventType[];
  from: string;
  to: string;
}

/** What an event's details list: its properties (the page's own are shown apart), then the profile traits it set. */
function facts(a: Activity): [key: string, label: string, value: unknown][] {
  return [
    ...Object.entries(a.properties)
      .filter(([k]) => !['url', 'referrer', 'title'].includes(k))
      .map(([k, v]): [string, string, unknown] => [`p:${k}`, k, v]),
    ...Object.entries(a.traits).map(([k, v]): [string, string, unknown] => [`t:${k}`, `Profile ${k}`, v]),
    ...Object.entries(a.traitsOnce).map(([k, v]): [string, string, unknown] => [`o:${k}`, `Profile ${k} (if unset)`, v]),
  ];
}

function describe(a: Activity): string {
  if (a.type === 'page') return a.title || a.url || a.name || 'Page';
  if (a.type === 'identify') return 'Identified';
  return a.name ?? TYPE_LABELS[a.type];
}

/** The person's activity, newest first: filter by type and day range, then load older entries. */
export function Timeline({ personId }: { personId: string }) {
  const [draft, setDraft] = useState<Filters>({ types: [], from: '', to: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const list = usePagedList(async (cursor: string | null) => {
    const from = dayInputToIso(filters.from);
    const to = dayInputToIso(filters.to, true);
    const page = await people.activity(personId, {
      limit: PAGE,
      ...(filters.types.length ? { type: filters.types } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(cursor ? { cursor } : {}),
    });
    return { items: page.activity, next: page.nextCursor };
  }, [personId, filters]);
  const { items, started } = list;

  function toggle(type: EventType) {
    setDraft((d) => ({ ...d, types: d.types.includes(type) ? d.types.filter((t) => t !== type) : [...d.types, type] }));
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
  }

  return (
    <section className="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Activity</h2>
      <form className="filters" onSubmit={submit} aria-label="Filter activity">
        <fieldset className="checkboxes">
          <legend>Types</legend>
          {EVENT_TYPES.map((t) => (
            <label key={t}>
              <input type="checkbox" checked={draft.types.includes(t)} onChange={() => toggle(t)} /> {TYPE_LABELS[t]}
            </label>
          ))}
        </fieldset>
        <Field label="From">{(control) => <input {...control} type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />}</Field>
        <Field label="To">{(control) => <input {...control} type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />}</Field>
        <button type="submit">Apply filters</button>
      </form>
      <ErrorNotice error={list.error} />
      {list.busy && !started ? <Loading what="activity" /> : null}
      {started && items.length === 0 && !list.busy ? (
        <EmptyState title="No activity.">
          <p>{filters.types.length || filters.from || filters.to ? 'Nothing matches these filters.' : 'Page views and events appear here once the snippet or an SDK sends them.'}</p>
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <ol className="timeline">
          {items.map((a) => (
            <li key={a.id}>
              <span className={`badge badge-${a.type}`}>{TYPE_LABELS[a.type]}</span>
              <span className="timeline-what">{describe(a)}</span>
              <time dateTime={a.occurredAt}>{formatTime(a.occurredAt)}</time>
              {a.url || facts(a).length > 0 ? (
                <details>
                  <summary>Details</summary>
                  <dl className="facts">
                    {a.url ? (
                      <div className="fact-group">
                        <dt>URL</dt>
                        <dd className="identity">{a.url}</dd>
                      </div>
                    ) : null}
                    {a.referrer ? (
                      <div className="fact-group">
                        <dt>Referrer</dt>
                        <dd className="identity">{a.referrer}</dd>
                      </div>
                    ) : null}
                    {facts(a).map(([k, label, v]) => (
                      <div className="fact-group" key={k}>
                        <dt>{label}</dt>
                        <dd>{formatValue(v)}</dd>
                      </div>
                    ))}
                  </dl>
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      {list.next ? (
        <button type="button" onClick={list.more} disabled={list.busy}>
          {list.busy ? 'Loading…' : 'Show older activity'}
        </button>
      ) : null}
    </section>
  );
}
