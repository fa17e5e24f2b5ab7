import { useState } from 'react';
import { privacy } from '../../api/privacy';
import type { PrivacyRequest } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Done, EmptyState, ErrorNotice, Loading } from '../../components/Notices';
import { formatTime } from '../../format';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';

export const IDENTITY_LABELS: Record<string, string> = { email: 'Email', phone: 'Phone', external_id: 'User id', anonymous_id: 'Anonymous id' };
const REASONS: Record<string, string> = { objection: 'objected', unsubscribe: 'unsubscribed', erasure: 'erased with suppression' };

/**
 * Whether each identity is on the suppression list (its events refused at ingest, no marketing
 * email), and recording the person's objection, which puts them all on it. `version` changes
 * whenever the person is saved, so the list follows edited identities.
 */
export function Suppression({ personId, version, mayObject, onObjected }: { personId: string; version: string; mayObject: boolean; onObjected(request: PrivacyRequest): void }) {
  const state = useLoad(() => privacy.suppression(personId), [personId, version]);
  const [receipt, setReceipt] = useState<PrivacyRequest | null>(null);
  const object = useAction(async () => {
    const request = await privacy.object({ personId });
    setReceipt(request);
    state.reload();
    onObjected(request);
  });

  const identities = state.data?.identities ?? [];
  const allSuppressed = identities.length > 0 && identities.every((i) => i.suppressed);
  return (
    <section className="card" aria-labelledby="suppression-heading">
      <h2 id="suppression-heading">Objection and suppression</h2>
      <ErrorNotice error={state.error} />
      {state.loading && !state.data ? <Loading what="the suppression state" /> : null}
      {state.data && identities.length === 0 ? <EmptyState title="No identities to suppress." /> : null}
      {identities.length > 0 ? (
        <ul className="rows" aria-label="Suppression state of each identity">
          {identities.map((i) => (
            <li key={`${i.kind}:${i.value}`} className="row">
              <span className="row-main">
                <span className="row-title identity">{i.value}</span>
                <span className="row-meta">{IDENTITY_LABELS[i.kind] ?? i.kind}</span>
              </span>
              {i.suppressed ? (
                <span className="badge badge-suppressed">
                  suppressed: {REASONS[i.reason ?? ''] ?? i.reason}
                  {i.since ? `, ${formatTime(i.since)}` : ''}
                </span>
              ) : (
                <span className="badge">not suppressed</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="hint">
        A suppressed identity’s events are refused at ingest and it gets no marketing email. Only the person (with the unsubscribe link in every email) or an
        operator can lift it.
      </p>
      {receipt ? (
        <Done>
          Objection recorded: {String(receipt.receipt.identities ?? 0)} identities on the suppression list ({String(receipt.receipt.newlySuppressed ?? 0)} new).
        </Done>
      ) : null}
      <ErrorNotice error={object.error} />
      {mayObject && identities.length > 0 && !allSuppressed ? (
        <ConfirmButton
          label="Record an objection"
          confirmLabel="Record objection"
          question="The person objects to processing: put all their identities on the suppression list?"
          busy={object.busy}
          onConfirm={() => void object.run()}
        />
      ) : null}
    </section>
  );
}
