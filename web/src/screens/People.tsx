import { type FormEvent, useState } from 'react';
import { type PeopleQuery, people } from '../api/people';
import { Field } from '../components/Field';
import { EmptyState, ErrorNotice, Loading } from '../components/Notices';
import { useLoad } from '../hooks/useLoad';
import { useTitle } from '../hooks/useTitle';
import { formatDate } from '../format';
import { Link } from '../router';
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

/**
 * People of the team: keyset pages in the chosen order, or a search by exact email or name
 * prefix. Search terms live in this component's state only — never in the address bar.
 */
export function People() {
  useTitle('People');
  const { can, canChange } = useSignedIn();
  const [sortKey, setSortKey] = useState<SortKey>('created-desc');
  // Cursors of the pages before the current one, for "Previous".
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [draft, setDraft] = useState<Search>({ by: 'name', text: '' });
  const [search, setSearch] = useState<Search | null>(null);

  const cursor = cursors.at(-1);
  const { sort, order } = SORTS[sortKey];
  const page = useLoad(() => {
    const q: PeopleQuery = { sort, order, limit: PAGE_SIZE };
    if (search) {
      const by = search.by === 'email' ? { email: search.text } : { name: search.text };
      return people.search({ ...by, limit: q.limit }).then((r) => ({ people: r.people, nextCursor: null as string | null }));
    }
    return people.list({ ...q, ...(cursor ? { cursor } : {}) });
  }, [sort, order, cursor, search]);

  function submitSearch(event: FormEvent) {
    event.preventDefault();
    const text = draft.text.trim();
    setSearch(text ? { by: draft.by, text } : null);
    setCursors([undefined]);
  }

  function clearSearch() {
    setDraft({ ...draft, text: '' });
    setSearch(null);
  }

  const list = page.data?.people ?? [];
  return (
    <>
      <div className="screen-head">
        <h1>People</h1>
        {canChange('people.write') ? <AddPerson /> : null}
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
                onChange={(e) => {
                  setSortKey(e.currentTarget.value as SortKey);
                  setCursors([undefined]);
                }}
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

      {list.length > 0 && !page.loading ? (
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

      {!search && (cursors.length > 1 || page.data?.nextCursor) ? (
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
