import { type FormEvent, useState } from 'react';
import { privacy } from '../../api/privacy';
import { LAWFUL_BASES, type LawfulBasis } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field } from '../../components/Field';
import { Done, EmptyState, ErrorNotice, Loading, fieldError } from '../../components/Notices';
import { formatTime } from '../../format';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';

export const LAWFUL_BASIS_LABELS: Record<LawfulBasis, string> = {
  consent: 'Consent',
  contract: 'Contract',
  legal_obligation: 'Legal obligation',
  vital_interests: 'Vital interests',
  public_task: 'Public task',
  legitimate_interests: 'Legitimate interests',
};

/** Consents (and other lawful bases) by purpose, withdrawn ones kept on record; record or withdraw one. */
export function Consents({ personId, editable }: { personId: string; editable: boolean }) {
  const consents = useLoad(() => privacy.consents(personId), [personId]);
  const [purpose, setPurpose] = useState('');
  const [basis, setBasis] = useState<LawfulBasis>('consent');
  const [source, setSource] = useState('');
  const [recorded, setRecorded] = useState(false);
  const record = useAction(async () => {
    const consent = await privacy.recordConsent(personId, { purpose: purpose.trim(), lawfulBasis: basis, source: source.trim() });
    consents.setData((current) => ({ consents: [consent, ...(current?.consents ?? [])] }));
    setPurpose('');
    setSource('');
    setRecorded(true);
  });
  const withdraw = useAction(async (consentId: string) => {
    setRecorded(false);
    await privacy.withdrawConsent(personId, consentId);
    consents.reload();
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setRecorded(false);
    void record.run();
  }

  const list = consents.data?.consents ?? [];
  return (
    <section className="card" aria-labelledby="consents-heading">
      <h2 id="consents-heading">Consents</h2>
      <ErrorNotice error={consents.error ?? withdraw.error} />
      {consents.loading && !consents.data ? <Loading what="consents" /> : null}
      {consents.data && list.length === 0 ? (
        <EmptyState title="No consent recorded.">
          <p>Record what this person agreed to (or another lawful basis), for which purpose and where.</p>
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <ul className="rows" aria-label="Consents">
          {list.map((c) => (
            <li key={c.id} className="row">
              <span className="row-main">
                <span className="row-title">
                  {c.purpose} <span className="muted">· {LAWFUL_BASIS_LABELS[c.lawfulBasis] ?? c.lawfulBasis}</span>
                </span>
                <span className="row-meta">
                  {c.source} · given {formatTime(c.givenAt)}
                  {c.withdrawnAt ? ` · withdrawn ${formatTime(c.withdrawnAt)}` : ''}
                </span>
              </span>
              {c.withdrawnAt ? (
                <span className="badge">withdrawn</span>
              ) : editable ? (
                <ConfirmButton
                  label="Withdraw"
                  confirmLabel="Withdraw consent"
                  question={`Withdraw the consent for “${c.purpose}”? The record stays, with the time of withdrawal.`}
                  busy={withdraw.busy}
                  onConfirm={() => void withdraw.run(c.id)}
                />
              ) : (
                <span className="badge badge-active">active</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {/* Kept, disabled, when the team turns read-only with something typed: the text stays, with the reason. */}
      {editable || purpose || source ? (
        <form onSubmit={submit} aria-label="Record a consent" className="record-consent">
          <h3>Record a consent</h3>
          <fieldset className="plain" disabled={!editable}>
            <Field label="Purpose" hint="A short name your team uses, e.g. newsletter or analytics." error={fieldError(record.error, 'purpose')}>
              {(control) => (
                <input {...control} required maxLength={64} autoComplete="off" spellCheck={false} value={purpose} onChange={(e) => setPurpose(e.currentTarget.value)} />
              )}
            </Field>
            <Field label="Lawful basis" error={fieldError(record.error, 'lawfulBasis')}>
              {(control) => (
                <select {...control} value={basis} onChange={(e) => setBasis(e.currentTarget.value as LawfulBasis)}>
                  {LAWFUL_BASES.map((b) => (
                    <option key={b} value={b}>
                      {LAWFUL_BASIS_LABELS[b]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Source" hint="Where and how it was given, e.g. “sign-up form, newsletter checkbox”." error={fieldError(record.error, 'source')}>
              {(control) => <input {...control} required maxLength={500} autoComplete="off" value={source} onChange={(e) => setSource(e.currentTarget.value)} />}
            </Field>
            {recorded ? <Done>Consent recorded.</Done> : null}
            <button type="submit" disabled={record.busy || !purpose.trim() || !source.trim()}>
              Record consent
            </button>
          </fieldset>
        </form>
      ) : null}
      <ErrorNotice error={record.error} unlessField={['purpose', 'lawfulBasis', 'source']} />
    </section>
  );
}
