import { people } from '../../api/people';
import { EmptyState, ErrorNotice, Loading } from '../../components/Notices';
import { formatTime } from '../../format';
import { useLoad } from '../../hooks/useLoad';

/** Each page the person viewed, with its number of views and the last view. */
export function PagesViewed({ personId }: { personId: string }) {
  const pages = useLoad(() => people.pages(personId), [personId]);
  return (
    <section className="card" aria-labelledby="pages-heading">
      <h2 id="pages-heading">Pages viewed</h2>
      <ErrorNotice error={pages.error} />
      {pages.loading ? <Loading what="pages viewed" /> : null}
      {pages.data && pages.data.pages.length === 0 ? <EmptyState title="No page views yet." /> : null}
      {pages.data && pages.data.pages.length > 0 ? (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Page</th>
                <th scope="col" className="number">
                  Views
                </th>
                <th scope="col">Last viewed</th>
              </tr>
            </thead>
            <tbody>
              {pages.data.pages.map((p) => (
                <tr key={p.url ?? ''}>
                  <td>
                    <span className="page-title">{p.title || p.url || 'No address'}</span>
                    {p.title && p.url ? <span className="page-url">{p.url}</span> : null}
                  </td>
                  <td className="number">{p.views}</td>
                  <td>{formatTime(p.lastViewedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
