import { type FormEvent, useState } from 'react';
import { accounts } from '../api/accounts';
import { Field } from '../components/Field';
import { ErrorNotice, fieldError } from '../components/Notices';
import { useAction } from '../hooks/useAction';
import { useTitle } from '../hooks/useTitle';
import { navigate } from '../router';
import { useSignedIn } from '../session';

/**
 * Your own Haven account (not a team's): delete it. The password is asked again, and the
 * deletion confirmed, because nothing brings the account back.
 */
export function Account() {
  useTitle('Your account');
  const { session, signedOut } = useSignedIn();
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const remove = useAction(async () => {
    const { teamsLeft } = await accounts.deleteAccount(password);
    signedOut(`Your account has been deleted${teamsLeft > 0 ? `, and you have left ${teamsLeft === 1 ? 'your team' : `your ${teamsLeft} teams`}` : ''}.`);
    navigate('/sign-in');
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!confirming) setConfirming(true);
    else void remove.run().then(() => setConfirming(false));
  }
  return (
    <>
      <h1>Your account</h1>
      <section className="card danger-zone" aria-labelledby="delete-account-heading">
        <h2 id="delete-account-heading">Delete your account</h2>
        <p>
          Deleting <strong>{session.user.email}</strong> removes you from {session.teams.length === 1 ? 'your team' : `all ${session.teams.length} of your teams`}, signs
          you out on every device and deletes your email and password for good; restoring an older backup deletes them again. The teams keep what they hold —
          people, notes you wrote, their audit logs — under your member id, which then names no one.
        </p>
        <p>If you are the only owner of a team, make another member owner or cancel the team first.</p>
        <form onSubmit={submit}>
          <Field label="Your password" error={fieldError(remove.error, 'password')}>
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => {
                  setPassword(e.currentTarget.value);
                  setConfirming(false);
                }}
              />
            )}
          </Field>
          <ErrorNotice error={remove.error} unlessField={['password']} />
          {confirming ? (
            <span className="confirm" role="group" aria-label="Delete your account for good?">
              <span className="confirm-question">Delete your account for good?</span>
              <button type="submit" className="danger" autoFocus disabled={remove.busy}>
                {remove.busy ? 'Deleting…' : 'Delete my account'}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="submit" className="danger">
              Delete your account…
            </button>
          )}
        </form>
      </section>
    </>
  );
}
