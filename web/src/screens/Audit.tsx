import { type FormEvent, useState } from 'react';
import { type AuditQuery, audit } from '../api/audit';
import type { AuditEntry } from '../api/types';
import { Field } from '../components/Field';
import { EmptyState, ErrorNotice, Loading, fieldError } from '../components/Notices';
import { dayInputToIso, formatTime, formatValue } from '../format';
import { useActorNames } from '../hooks/useActorNames';
import { useLoad } from '../hooks/useLoad';
import { usePagedList } from '../hooks/usePagedList';
import { useTitle } from '../hooks/useTitle';
import { privacy } from '../api/privacy';
import { Link, useHistoryState } from '../router';
import { useSignedIn } from '../session';

const PAGE = 100;

interface Filters {
  action: string;
  actorId: string;
  targetId: string;
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { action: '', actorId: '', targetId: '', from: '', to: '' };

/** Actions after which the person's page is gone. */
const ERASED = new Set(['person.erased', 'person.purged']);

function Target({ target, erased }: { target: AuditEntry['target']; erased: ReadonlySet<string> }) {
  if (!target) return <span className="muted">—</span>;
  // Ids only: a person's entry links to their page (which the server still checks) while they exist.
  if (target.type === 'person' && erased.has(target.id)) {
    return (
      <span>
        person <code>{target.id}</code> <span className="muted">(erased)</span>
      </span>
    );
  }
  if (target.type === 'person') return <Link to={`/people/${target.id}`}>person {target.id}</Link>;
  return (
    <span>
      {target.type} <code>{target.id}</code>
    </span>
  );
}

function Actor({ actor, names }: { actor: AuditEntry['actor']; names: Map<string, string> }) {
  const name = actor.id ? names.get(actor.id) : undefined;
  return (
    <span>
      {actor.type === 'api_key' ? 'API key' : actor.type} {name ? <strong>{name}</strong> : null} {actor.id ? <code className="muted">{actor.id}</code> : null}
    </span>
  );
}

/** The chain's verification result. */
function ChainStatus() {
  const check = useLoad(() => audit.verify(), []);
  if (check.loading) return <Loading what="the chain check" />;
  if (!check.data) return <ErrorNotice error={check.error} />;
  const { valid, entries, firstBreak, head, checkpoint } = check.data;
  return (
    <div className={valid ? 'notice notice-done chain' : 'notice notice-error chain'} role="status">
      {valid ? (
        <>
          <p>
            <strong>Chain verified:</strong> all {entries} entries are intact — none was altered, reordered or removed from the middle.
          </p>
          <p className="muted">
            {checkpoint
              ? `Checkpointed through entry ${checkpoint.seq} (${formatTime(checkpoint.madeAt)}) under a key the database does not hold: entries up to it cannot have been rewritten.`
              : 'No checkpoint yet: Haven makes one every hour, under a key the database does not hold.'}
          </p>
          {head ? (
            <p className="muted">
              Head <code>{head}</code>: note it somewhere outside Haven. Passed back later as an anchor, it shows a chain cut at the end or rewritten since (see docs/api.md).
            </p>
          ) : null}
        </>
      ) : (
        <p>
          <strong>Chain broken</strong> at entry {firstBreak?.seq}: {firstBreak?.reason}. Entries from there on cannot be trusted; see docs/operations.md.
        </p>
      )}
      <button type="button" onClick={check.reload}>
        Check again
      </button>
    </div>
  );
}

/** The team's audit log, newest first: filter by action, actor, target and day range. */
export function Audit() {
  useTitle('Audit log');
  const { can, session } = useSignedIn();
  // Kept in the history entry (never the address): Back from a person returns to the same filters.
  const [filters, setFilters] = useHistoryState<Filters>(`audit:${session.activeTeamId}`, NO_FILTERS);
  const [draft, setDraft] = useState<Filters>(filters);
  const names = useActorNames();
  // People erased since: their entries stay, but their page does not (the entries shown may not include the erasure).
  const erasures = useLoad(() => (can('privacy.read') ? privacy.requests({ kind: 'erasure', limit: 200 }) : Promise.resolve({ requests: [], nextCursor: null })), []);

  const list = usePagedList(async (older: number | null) => {
    const from = dayInputToIso(filters.from);
    const to = dayInputToIso(filters.to, true);
    const q: AuditQuery = {
      limit: PAGE,
      ...(filters.action.trim() ? { action: filters.action.trim() } : {}),
      ...(filters.actorId.trim() ? { actorId: filters.actorId.trim() } : {}),
      ...(filters.targetId.trim() ? { targetId: filters.targetId.trim() } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(older ? { before: older } : {}),
    };
    const page = await audit.list(q);
    return { items: page.entries, next: page.nextBefore };
  }, [filters]);
  const { items: entries, started } = list;
  const erased = new Set([
    ...(erasures.data?.requests ?? []).flatMap((r) => (r.personId ? [r.personId] : [])),
    ...entries.flatMap((e) => (ERASED.has(e.action) && e.target ? [e.target.id] : [])),
  ]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
  }
  const set = (key: keyof Filters) => (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [key]: e.currentTarget.value });
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <h1>Audit log</h1>
      <ChainStatus />
      <form className="filters card" onSubmit={submit} aria-label="Filter the audit log">
        <Field label="Action" error={fieldError(list.error, 'query.action')}>
          {(control) => <input {...control} placeholder="e.g. person or member.role_changed" value={draft.action} onChange={set('action')} spellCheck={false} />}
        </Field>
        <Field label="Actor id" error={fieldError(list.error, 'query.actorId')}>{(control) => <input {...control} value={draft.actorId} onChange={set('actorId')} spellCheck={false} />}</Field>
        <Field label="Target id" error={fieldError(list.error, 'query.targetId')}>{(control) => <input {...control} value={draft.targetId} onChange={set('targetId')} spellCheck={false} />}</Field>
        <Field label="From">{(control) => <input {...control} type="date" value={draft.from} onChange={set('from')} />}</Field>
        <Field label="To">{(control) => <input {...control} type="date" value={draft.to} onChange={set('to')} />}</Field>
        <div className="buttons">
          <button type="submit">Apply filters</button>
          {filtered ? (
            <button
              type="button"
              onClick={() => {
                setDraft(NO_FILTERS);
                setFilters(NO_FILTERS);
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
        <p className="hint filters-note">An action matches exactly, or as a prefix: “member” finds every member.* entry. Ids are those shown in the entries.</p>
      </form>
      <ErrorNotice error={list.error} unlessField={['query.action', 'query.actorId', 'query.targetId']} />
      {list.busy && !started ? <Loading what="the audit log" /> : null}
      {started && entries.length === 0 && !list.busy ? <EmptyState title={filtered ? 'No entries match these filters.' : 'No entries yet.'} /> : null}
      {entries.length > 0 ? (
        <ol className="audit-list" aria-label="Audit entries">
          {entries.map((e) => (
            <li key={e.id} className="audit-entry">
              <div className="audit-head">
                <code className="audit-action">{e.action}</code>
                <time dateTime={e.at}>{formatTime(e.at)}</time>
                <span className="muted">#{e.seq}</span>
              </div>
              <dl className="facts">
                <div className="fact-group">
                  <dt>By</dt>
                  <dd>
                    <Actor actor={e.actor} names={names} />
                  </dd>
                </div>
                <div className="fact-group">
                  <dt>On</dt>
                  <dd>
                    <Target target={e.target} erased={erased} />
                  </dd>
                </div>
                {Object.entries(e.details).map(([k, v]) => (
                  <div className="fact-group" key={k}>
                    <dt>{k}</dt>
                    <dd>{formatValue(v)}</dd>
                  </div>
                ))}
                {e.requestId ? (
                  <div className="fact-group">
                    <dt>Request</dt>
                    <dd>
                      <code>{e.requestId}</code>
                    </dd>
                  </div>
                ) : null}
              </dl>
            </li>
          ))}
        </ol>
      ) : null}
      {list.next ? (
        <button type="button" onClick={list.more} disabled={list.busy}>
          {list.busy ? 'Loading…' : 'Show older entries'}
        </button>
      ) : null}
    </>
  );
}
