import { type FormEvent, useState } from 'react';
import { accounts } from '../../api/accounts';
import type { Role } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field } from '../../components/Field';
import { EmptyState, ErrorNotice, Loading, fieldError } from '../../components/Notices';
import { SecretOnce } from '../../components/SecretOnce';
import { formatDate } from '../../format';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { invitationLink } from '../../invitation-link';
import { assignableRoles } from '../../roles';
import { useSignedIn } from '../../session';

/** Invite by email; the link is shown once (its token is stored hashed). Revoke pending ones. */
export function Invitations() {
  const { activeTeam, canChange } = useSignedIn();
  const manage = canChange('invitations.manage');
  const invitations = useLoad(() => accounts.invitations(), []);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [link, setLink] = useState<string | null>(null);
  const invite = useAction(async () => {
    const made = await accounts.invite({ email: email.trim(), role });
    invitations.setData((current) => ({ invitations: [made.invitation, ...(current?.invitations ?? [])] }));
    setLink(invitationLink(made.token));
    setEmail('');
  });
  const revoke = useAction(async (id: string) => {
    const revoked = await accounts.revokeInvitation(id);
    invitations.setData((current) => ({ invitations: (current?.invitations ?? []).map((i) => (i.id === id ? revoked : i)) }));
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    void invite.run();
  }

  return (
    <>
      {/* Kept, disabled, when the team turns read-only with an email typed or a link shown: nothing vanishes unexplained. */}
      {manage || email || link ? (
        <section className="card" aria-labelledby="invite-heading">
          <h2 id="invite-heading">Invite someone</h2>
          <form onSubmit={submit} className="inline-form">
            <Field label="Email" error={fieldError(invite.error, 'email')}>
              {(control) => <input {...control} type="email" required autoComplete="off" disabled={!manage} value={email} onChange={(e) => setEmail(e.currentTarget.value)} />}
            </Field>
            <Field label="Role" error={fieldError(invite.error, 'role')}>
              {(control) => (
                <select {...control} disabled={!manage} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
                  {assignableRoles(activeTeam?.role, null).map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="submit" className="primary" disabled={invite.busy || !manage}>
              Create invitation
            </button>
          </form>
          <ErrorNotice error={invite.error} unlessField={['email', 'role']} />
          {link ? (
            <SecretOnce
              label="Invitation link"
              value={link}
              note="Send this link to the person you invited. It is shown only now, works once and expires in 7 days. The token sits after # so it never reaches a server log."
              onDone={() => setLink(null)}
            />
          ) : null}
        </section>
      ) : null}

      <section className="card" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">Invitations</h2>
        <ErrorNotice error={invitations.error ?? revoke.error} />
        {invitations.loading ? <Loading what="invitations" /> : null}
        {invitations.data && invitations.data.invitations.length === 0 ? <EmptyState title="No invitations yet." /> : null}
        {invitations.data && invitations.data.invitations.length > 0 ? (
          <ul className="rows">
            {invitations.data.invitations.map((i) => (
              <li key={i.id} className="row">
                <span className="row-main">
                  <span className="row-title">{i.email}</span>
                  <span className="row-meta">
                    {i.role} · sent {formatDate(i.createdAt)} · {i.status === 'pending' ? `expires ${formatDate(i.expiresAt)}` : i.status}
                  </span>
                </span>
                {i.status === 'pending' && manage ? (
                  <ConfirmButton label="Revoke" confirmLabel="Revoke invitation" question={`Revoke the invitation for ${i.email}?`} busy={revoke.busy} onConfirm={() => void revoke.run(i.id)} />
                ) : (
                  <span className="badge">{i.status}</span>
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </>
  );
}
