import { type FormEvent, useState } from 'react';
import { type IdentityInput, privacy } from '../../api/privacy';
import type { DataSubject, PrivacyRequest } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field } from '../../components/Field';
import { Done, EmptyState, ErrorNotice, fieldError } from '../../components/Notices';
import { formatDate } from '../../format';
import { useAction } from '../../hooks/useAction';
import { Link } from '../../router';
import { useSignedIn } from '../../session';

const KINDS = {
  email: { label: 'Email', input: 'Email address', type: 'email', hint: 'The exact address.' },
  phone: { label: 'Phone', input: 'Phone number', type: 'tel', hint: 'International format, e.g. +44 20 7946 0958.' },
  externalId: { label: 'User id', input: 'User id', type: 'text', hint: 'Your own id for them (what identify sends).' },
  anonymousId: { label: 'Anonymous id', input: 'Anonymous id', type: 'text', hint: 'A visitor id from the snippet or an SDK.' },
} as const;
type Kind = keyof typeof KINDS;

function identity(kind: Kind, value: string): IdentityInput {
  return { [kind]: value } as IdentityInput;
}

/**
 * The first step of any data-subject request: who is it? By one identity, through the blind
 * indexes. The identity lives in this form's state only — a POST body, never an address.
 */
export function FindSubject({ onObjected }: { onObjected(request: PrivacyRequest): void }) {
  const { canChange } = useSignedIn();
  const [kind, setKind] = useState<Kind>('email');
  const [value, setValue] = useState('');
  const [searched, setSearched] = useState<{ kind: Kind; value: string } | null>(null);
  const [found, setFound] = useState<DataSubject[] | null>(null);
  const [objection, setObjection] = useState<PrivacyRequest | null>(null);
  const find = useAction(async (k: Kind, v: string) => {
    setFound(null);
    setObjection(null);
    const answer = await privacy.findSubject(identity(k, v));
    setSearched({ kind: k, value: v });
    setFound(answer.people);
  });
  const object = useAction(async () => {
    if (!searched) return;
    const request = await privacy.object(identity(searched.kind, searched.value));
    setObjection(request);
    onObjected(request);
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (value.trim()) void find.run(kind, value.trim());
  }
  const k = KINDS[kind];
  return (
    <section className="card" aria-labelledby="find-subject-heading">
      <h2 id="find-subject-heading">Find a data subject</h2>
      <p>Someone asks what you hold about them, or to be erased: find them by the identity they give. Then export, erase or record their objection from their page.</p>
      <form className="toolbar" role="search" aria-label="Find a data subject" onSubmit={submit}>
        <Field label="Find by">
          {(control) => (
            <select
              {...control}
              value={kind}
              onChange={(e) => {
                setKind(e.currentTarget.value as Kind);
                find.clear();
              }}
            >
              {(Object.keys(KINDS) as Kind[]).map((key) => (
                <option key={key} value={key}>
                  {KINDS[key].label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={k.input} hint={k.hint} error={fieldError(find.error, kind)}>
          {(control) => <input {...control} type={k.type} autoComplete="off" spellCheck={false} required value={value} onChange={(e) => setValue(e.currentTarget.value)} />}
        </Field>
        <div className="toolbar-buttons">
          <button type="submit" disabled={find.busy}>
            {find.busy ? 'Finding…' : 'Find'}
          </button>
        </div>
      </form>
      <ErrorNotice error={find.error} unlessField={[kind]} />
      {found && found.length === 0 ? (
        <EmptyState title="Nobody in this team has this identity.">
          <p>Haven holds nothing under it. If they object to processing, you can still put this identity on the suppression list, so nothing about it is collected.</p>
          {canChange('privacy.object') && !objection ? (
            <ConfirmButton
              label="Record an objection for this identity"
              confirmLabel="Record objection"
              question="Put this identity on the suppression list?"
              busy={object.busy}
              onConfirm={() => void object.run()}
            />
          ) : null}
          <ErrorNotice error={object.error} />
          {objection ? <Done>Objection recorded: this identity is on the suppression list.</Done> : null}
        </EmptyState>
      ) : null}
      {found && found.length > 0 ? (
        <ul className="people-list" aria-label="People found">
          {found.map((p) => (
            <li key={p.id}>
              <Link to={`/people/${p.id}`} className="person-row">
                <span className="person-name">{p.name ?? p.emails[0] ?? p.externalIds[0] ?? 'Anonymous visitor'}</span>
                <span className="person-meta">{[...p.emails, ...p.phones, ...p.externalIds].join(' · ')}</span>
                <span className="person-date">Added {formatDate(p.createdAt)}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
