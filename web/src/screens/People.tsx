import { type FormEvent, useState } from 'react';
import { type PeopleQuery, people } from '../api/people';
import { Field } from '../components/Field';
import { EmptyState, ErrorNotice, Loading } from '../components/Notices';
import { useLoad } from '../hooks/useLoad';
import { useTitle } from '../hooks/useTitle';
import { formatDate } from '../format';
import { Link, useHistoryState } from '../router';
import { AddPerson } from '../sections/people/AddPerson';
import { useSignedIn } from '../session';
import { personLabel } from '../person-label';

const PAGE_SIZE = 25;
const SORTS = {
  'created-desc': { sort: 'created', order: 'desc', label: 'Newest first' },
  'created-asc': { sort: 'created', order: 'asc', label: 'Oldest first' },
  'updated-desc': { sort: 'updated', order: 'desc', label: 'Recently updated' },
  'updated-asc': { sort: 'updated', order: 'asc', label: 'Least recently updated' },
} as const;
type SortKey = keyof typeof SORTS;

interface Search {
  by: 'name' | 'email';
  text: string;
}

/** Where the list was left: kept in the history entry (never the address), so Back returns to it. */
interface ListView {
  sortKey: SortKey;
  /** Cursors of the pages up to the current one, for "Previous". */
  cursors: (string | null)[];
  search: Search | null;
}
const FIRST_VIEW: ListView = { sortKey: 'created-desc', cursors: [null], search: null };

/**
 * People of the team: keyset pages in the chosen order, or a search by exact email or name
 * prefix. Search terms live in this screen's state and its history entry — never in the address bar.
 */
export function People() {
  useTitle('People');
  const { can, canChange, session } = useSignedIn();
  // Per team: another team's cursor or search means nothing here.
  const [view, setView] = useHistoryState<ListView>(`people:${session.activeTeamId}`, FIRST_VIEW);
  const { sortKey, cursors, search } = view;
  const [draft, setDraft] = useState<Search>(search ?? { by: 'name', text: '' });

  const cursor = cursors.at(-1);
  const { sort, order } = SORTS[sortKey];
  const page = useLoad(async () => {
    if (search) {
      const by = search.by === 'email' ? { email: search.text } : { name: search.text };
      // Name search pages like the list (an email matches one person at most).
      return people.search({ ...by, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    }
    const q: PeopleQuery = { sort, order, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
    return people.list(q);
  }, [sort, order, cursor, search]);

  function submitSearch(event: FormEvent) {
    event.preventDefault();
    const text = draft.text.trim();
    setView({ ...view, search: text ? { by: draft.by, text } : null, cursors: [null] });
  }

  function clearSearch() {
    setDraft({ ...draft, text: '' });
    // The search's page cursors mean nothing in the list: back to its first page.
    setView({ ...view, search: null, cursors: [null] });
  }
  const setCursors = (next: (string | null)[]) => setView({ ...view, cursors: next });

  const list = page.data?.people ?? [];
  return (
    <>
      <div className="screen-head">
        <h1>People</h1>
        {can('people.write') ? <AddPerson editable={canChange('people.write')} /> : null}
      </div>

      <div className="people-controls">
        <form className="toolbar" role="search" aria-label="Find people" onSubmit={submitSearch}>
          <Field label="Find by">
            {(control) => (
              <select {...control} value={draft.by} onChange={(e) => setDraft({ ...draft, by: e.currentTarget.value as Search['by'] })}>
                <option value="name">Name</option>
                <option value="email">Email</option>
              </select>
            )}
          </Field>
          <Field label={draft.by === 'email' ? 'Email address' : 'Name'} hint={draft.by === 'email' ? 'The exact address.' : 'The beginning of each word, e.g. “ada lov”.'}>
            {(control) => (
              <input
                {...control}
                type={draft.by === 'email' ? 'email' : 'search'}
                autoComplete="off"
                value={draft.text}
                onChange={(e) => setDraft({ ...draft, text: e.currentTarget.value })}
              />
            )}
          </Field>
          <div className="toolbar-buttons">
            <button type="submit">Search</button>
            {search ? (
              <button type="button" onClick={clearSearch}>
                Clear search
              </button>
            ) : null}
          </div>
        </form>
        {search ? null : (
          <Field label="Order">
            {(control) => (
              <select
                {...control}
                value={sortKey}
                onChange={(e) => setView({ ...view, sortKey: e.currentTarget.value as SortKey, cursors: [null] })}
              >
                {Object.entries(SORTS).map(([key, s]) => (
                  <option key={key} value={key}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>

      <ErrorNotice error={page.error} />
      {page.loading ? <Loading what="people" /> : null}
      {!page.loading && !page.error && list.length === 0 ? (
        search ? (
          <EmptyState title="Nobody matches this search.">
            <p>{search.by === 'email' ? 'Email search finds exact addresses only.' : 'Name search matches the beginning of each word, e.g. “ada lov”.'}</p>
          </EmptyState>
        ) : (
          <EmptyState title="No people yet.">
            <p>People appear here when you add them, or when visitors of your website are tracked:</p>
            <ul>
              <li>{canChange('people.write') ? 'Add a person with the “Add a person” button above.' : 'A member of your team can add people.'}</li>
              <li>
                {can('apiKeys.manage') ? (
                  <>
                    Install the tracking snippet on your website: <Link to="/settings/tracking">get the snippet</Link>.
                  </>
                ) : (
                  'An admin of your team can install the tracking snippet on your website.'
                )}
              </li>
            </ul>
          </EmptyState>
        )
      ) : null}

      {list.length > 0 && !page.loading && !page.error ? (
        <ul className="people-list" aria-label="People">
          {list.map((p) => (
            <li key={p.id}>
              <Link to={`/people/${p.id}`} className="person-row">
                <span className="person-name">{personLabel(p)}</span>
                <span className="person-meta">{[p.emails[0] && p.emails[0] !== personLabel(p) ? p.emails[0] : null, p.company].filter(Boolean).join(' · ')}</span>
                <span className="person-date">
                  {sort === 'updated' ? 'Updated' : 'Added'} {formatDate(sort === 'updated' ? p.updatedAt : p.createdAt)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}

      {cursors.length > 1 || page.data?.nextCursor ? (
        <nav className="pager" aria-label="Pages of people">
          <button type="button" disabled={cursors.length < 2 || page.loading} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous
          </button>
          <span>Page {cursors.length}</span>
          <button type="button" disabled={!page.data?.nextCursor || page.loading} onClick={() => setCursors([...cursors, page.data!.nextCursor!])}>
            Next
          </button>
        </nav>
      ) : null}
    </>
  );
}
