import { useId, useState } from 'react';
import { type RequestsQuery, privacy } from '../../api/privacy';
import type { PrivacyRequest, PrivacyRequestKind } from '../../api/types';
import { EmptyState, ErrorNotice, Loading } from '../../components/Notices';
import { formatTime } from '../../format';
import { useActorNames } from '../../hooks/useActorNames';
import { usePagedList } from '../../hooks/usePagedList';
import { Link } from '../../router';
import { ReceiptFacts } from './ReceiptFacts';
import { KIND_LABELS, STATUS_LABELS } from './receipt';

const PAGE = 50;

function Requester({ by, names }: { by: PrivacyRequest['requestedBy']; names: ReadonlyMap<string, string> }) {
  const name = by.id ? names.get(by.id) : undefined;
  if (by.type === 'system') return <span>Haven (retention policy)</span>;
  return (
    <span>
      {by.type === 'api_key' ? 'API key ' : ''}
      {name ?? (by.id ? <code>{by.id}</code> : by.type)}
    </span>
  );
}

function RequestItem({ request: r, names, showPerson }: { request: PrivacyRequest; names: ReadonlyMap<string, string>; showPerson: boolean }) {
  return (
    <li className="request">
      <div className="request-head">
        <span className={`badge badge-request-${r.kind}`}>{KIND_LABELS[r.kind] ?? r.kind}</span>
        <span className={`badge status-${r.status}`}>{STATUS_LABELS[r.status] ?? r.status}</span>
        <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
      </div>
      <dl className="facts">
        {showPerson ? (
          <div className="fact-group">
            <dt>Person</dt>
            <dd>
              {/* Ids only. An erased person has no page any more: their id stays as the record. */}
              {r.personId === null ? (
                <span className="muted">not held by Haven (one identity)</span>
              ) : r.kind === 'erasure' ? (
                <code>{r.personId}</code>
              ) : (
                <Link to={`/people/${r.personId}`}>
                  person <code>{r.personId}</code>
                </Link>
              )}
            </dd>
          </div>
        ) : null}
        <div className="fact-group">
          <dt>Requested by</dt>
          <dd>
            <Requester by={r.requestedBy} names={names} />
          </dd>
        </div>
        {r.format ? (
          <div className="fact-group">
            <dt>Format</dt>
            <dd>{r.format === 'zip' ? 'ZIP of CSV files' : 'JSON'}</dd>
          </div>
        ) : null}
        {r.expiresAt && r.status === 'ready' ? (
          <div className="fact-group">
            <dt>Link expires</dt>
            <dd>{formatTime(r.expiresAt)}</dd>
          </div>
        ) : null}
        {r.completedAt ? (
          <div className="fact-group">
            <dt>Completed</dt>
            <dd>{formatTime(r.completedAt)}</dd>
          </div>
        ) : null}
        <ReceiptFacts request={r} names={names} />
      </dl>
    </li>
  );
}

/**
 * Exports, erasures and objections with their status and receipts, newest first; of one person
 * when `personId` is given. `version` reloads the list after a new request.
 */
export function PrivacyRequests({ personId, version = 0, heading = 'Requests' }: { personId?: string; version?: number; heading?: string }) {
  const headingId = useId();
  const [kind, setKind] = useState<PrivacyRequestKind | ''>('');
  const names = useActorNames();

  const list = usePagedList(async (cursor: string | null) => {
    const q: RequestsQuery = { limit: PAGE, ...(kind ? { kind } : {}), ...(personId ? { personId } : {}), ...(cursor ? { cursor } : {}) };
    const page = await privacy.requests(q);
    return { items: page.requests, next: page.nextCursor };
  }, [kind, personId, version]);
  const { items: requests, started } = list;

  const kindId = `${headingId}-kind`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-head">
        <h2 id={headingId}>{heading}</h2>
        <span className="field inline-field">
          <label htmlFor={kindId}>Show</label>
          <select id={kindId} value={kind} onChange={(e) => setKind(e.currentTarget.value as PrivacyRequestKind | '')}>
            <option value="">All requests</option>
            <option value="export">Exports</option>
            <option value="erasure">Erasures</option>
            <option value="objection">Objections</option>
          </select>
        </span>
      </div>
      <ErrorNotice error={list.error} />
      {list.busy && !started ? <Loading what="privacy requests" /> : null}
      {started && requests.length === 0 && !list.busy ? (
        <EmptyState title={kind ? `No ${KIND_LABELS[kind]!.toLowerCase()}s yet.` : 'No privacy requests yet.'}>
          <p>Exports, erasures and objections appear here with their status and receipt{personId ? '' : ', whoever made them (the web app, the API or the CLI)'}.</p>
        </EmptyState>
      ) : null}
      {requests.length > 0 ? (
        <ol className="requests" aria-label={heading}>
          {requests.map((r) => (
            <RequestItem key={r.id} request={r} names={names} showPerson={!personId} />
          ))}
        </ol>
      ) : null}
      {list.next ? (
        <button type="button" onClick={list.more} disabled={list.busy}>
          {list.busy ? 'Loading…' : 'Show older requests'}
        </button>
      ) : null}
    </section>
  );
}
