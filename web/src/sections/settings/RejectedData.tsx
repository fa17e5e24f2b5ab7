import { tracking } from '../../api/tracking';
import type { RestrictedDataCount } from '../../api/types';
import { EmptyState, ErrorNotice, Loading } from '../../components/Notices';
import { useLoad } from '../../hooks/useLoad';

function totalsByReason(counts: readonly RestrictedDataCount[]): { reason: string; rejected: number; redacted: number }[] {
  const by = new Map<string, { reason: string; rejected: number; redacted: number }>();
  for (const c of counts) {
    const row = by.get(c.reason) ?? { reason: c.reason, rejected: 0, redacted: 0 };
    row[c.outcome] += c.events;
    by.set(c.reason, row);
  }
  return [...by.values()].sort((a, b) => b.rejected + b.redacted - (a.rejected + a.redacted));
}

/** Card numbers are always refused; `detectors_invalid` while the detectors need saving again; else `detector:<id>`. */
function reasonLabel(reason: string): string {
  if (reason === 'payment_card') return 'Payment card numbers';
  if (reason === 'detectors_invalid') return 'Detectors that need saving again';
  return `Detector: ${reason.replace(/^detector:/, '')}`;
}

/** Events the restricted-data guard refused or redacted, by reason and UTC day (never the values). */
export function RejectedData() {
  const counts = useLoad(() => tracking.restrictedDataCounts(), []);
  const rows = counts.data?.counts ?? [];
  return (
    <section className="card" aria-labelledby="rejected-heading">
      <h2 id="rejected-heading">Rejected data, last 30 days</h2>
      <p>Ingest refuses payment card numbers and whatever your team’s detectors match, before anything is stored. Haven counts these events; it never keeps the values.</p>
      <ErrorNotice error={counts.error} />
      {counts.loading ? <Loading what="counts" /> : null}
      {counts.data && rows.length === 0 ? <EmptyState title="Nothing refused or redacted in the last 30 days." /> : null}
      {rows.length > 0 ? (
        <>
          <h3>By reason</h3>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Reason</th>
                  <th scope="col" className="number">
                    Rejected
                  </th>
                  <th scope="col" className="number">
                    Redacted
                  </th>
                </tr>
              </thead>
              <tbody>
                {totalsByReason(rows).map((r) => (
                  <tr key={r.reason}>
                    <td>{reasonLabel(r.reason)}</td>
                    <td className="number">{r.rejected}</td>
                    <td className="number">{r.redacted}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>By day (UTC)</h3>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Outcome</th>
                  <th scope="col" className="number">
                    Events
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...rows].reverse().map((c) => (
                  <tr key={`${c.day}-${c.reason}-${c.outcome}`}>
                    <td>{c.day}</td>
                    <td>{reasonLabel(c.reason)}</td>
                    <td>{c.outcome}</td>
                    <td className="number">{c.events}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
