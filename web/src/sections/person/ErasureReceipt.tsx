import { useEffect, useRef, useState } from 'react';
import { privacy } from '../../api/privacy';
import type { PrivacyRequest } from '../../api/types';
import { Done, ErrorNotice } from '../../components/Notices';
import { formatTime } from '../../format';
import { useAction } from '../../hooks/useAction';
import { Link } from '../../router';
import { useSignedIn } from '../../session';
import { ReceiptFacts } from '../privacy/ReceiptFacts';
import { STATUS_LABELS } from '../privacy/receipt';

/** What is left of a person just erased: the receipt (ids, counts, times), its status on demand. */
export function ErasureReceipt({ erasure }: { erasure: PrivacyRequest }) {
  const { can } = useSignedIn();
  const [r, setRequest] = useState(erasure);
  // The form that was focused is gone: the result takes the focus, as a new page would.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const check = useAction(async () => setRequest(await privacy.request(erasure.id)));
  return (
    <section className="card" aria-labelledby="erased-heading">
      <h1 id="erased-heading" ref={heading} tabIndex={-1}>
        Person erased
      </h1>
      <Done>
        Their keys were destroyed {r.receipt.shreddedAt ? `at ${formatTime(String(r.receipt.shreddedAt))}` : 'at once'}: nothing of theirs can be read again.
        {r.status === 'completed' ? ' Their rows have been purged.' : ' Their remaining rows are being purged.'}
      </Done>
      <dl className="facts">
        <div className="fact-group">
          <dt>Status</dt>
          <dd>{STATUS_LABELS[r.status] ?? r.status}</dd>
        </div>
        <div className="fact-group">
          <dt>Person id</dt>
          <dd>
            <code>{r.personId}</code>
          </dd>
        </div>
        <ReceiptFacts request={r} />
      </dl>
      <ErrorNotice error={check.error} />
      <div className="buttons">
        {can('privacy.read') && r.status !== 'completed' ? (
          <button type="button" onClick={() => void check.run()} disabled={check.busy}>
            Check the status again
          </button>
        ) : null}
        <Link to="/people" className="button-link">
          Back to People
        </Link>
        {can('privacy.read') ? (
          <Link to="/privacy" className="button-link">
            Privacy centre
          </Link>
        ) : null}
      </div>
    </section>
  );
}
