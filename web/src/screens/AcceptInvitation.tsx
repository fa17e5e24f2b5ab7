import { type FormEvent, useState } from 'react';
import { accounts } from '../api/accounts';
import { Field } from '../components/Field';
import { ErrorNotice, fieldError } from '../components/Notices';
import { useAction } from '../hooks/useAction';
import { useTitle } from '../hooks/useTitle';
import { forgetInvitation, pendingInvitation, tokenFromText } from '../invitation-link';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { PASSWORD_MIN } from './SignUp';

/**
 * Accept an invitation: signed in, join with this account; signed out, create the invited
 * account with a password — or sign in to an existing account first, then join.
 */
export function AcceptInvitation() {
  useTitle('Accept an invitation');
  const { session, signedIn } = useSession();
  const [pasted, setPasted] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [existingPassword, setExistingPassword] = useState('');
  const token = pendingInvitation() ?? tokenFromText(pasted);

  const join = useAction(async (withPassword?: string) => {
    if (!token) return;
    signedIn(await accounts.acceptInvitation({ token, ...(withPassword ? { password: withPassword } : {}) }));
    forgetInvitation();
    navigate('/people', { replace: true });
  });
  const signInThenJoin = useAction(async () => {
    signedIn(await accounts.signIn({ email: email.trim(), password: existingPassword }));
    await join.run();
  });

  function submit(event: FormEvent, withPassword?: string) {
    event.preventDefault();
    void join.run(withPassword);
  }

  return (
    <>
      <h1>Accept an invitation</h1>
      {pendingInvitation() ? (
        <p>You have been invited to join a team on Haven.</p>
      ) : (
        <Field label="Invitation link" hint="Paste the link (or the token, hvi_…) you were sent." error={pasted && !token ? 'This is not an invitation link.' : undefined}>
          {(control) => <input {...control} name="invitation" autoComplete="off" value={pasted} onChange={(e) => setPasted(e.currentTarget.value)} />}
        </Field>
      )}

      {session ? (
        <form onSubmit={(e) => submit(e)}>
          <p>You will join as {session.user.email}.</p>
          <ErrorNotice error={join.error} />
          <button type="submit" className="primary" disabled={!token || join.busy}>
            {join.busy ? 'Joining…' : 'Join the team'}
          </button>
          <p>
            <Link to="/people">{session.activeTeamId ? 'Not now: back to your team' : 'Not now: back to Haven'}</Link>
          </p>
        </form>
      ) : (
        <>
          <form onSubmit={(e) => submit(e, password)}>
            <h2>New to Haven</h2>
            <p>Choose a password for the invited email address.</p>
            <Field label="Password" hint={`At least ${PASSWORD_MIN} characters.`} error={fieldError(join.error, 'password')}>
              {(control) => (
                <input
                  {...control}
                  type="password"
                  name="new-password"
                  autoComplete="new-password"
                  required
                  minLength={PASSWORD_MIN}
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                />
              )}
            </Field>
            <ErrorNotice error={join.error} unlessField={['password']} />
            <button type="submit" className="primary" disabled={!token || join.busy}>
              {join.busy ? 'Joining…' : 'Create account and join'}
            </button>
          </form>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void signInThenJoin.run();
            }}
          >
            <h2>Already on Haven</h2>
            <Field label="Email">
              {(control) => <input {...control} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />}
            </Field>
            <Field label="Your password">
              {(control) => (
                <input
                  {...control}
                  type="password"
                  name="password"
                  autoComplete="current-password"
                  required
                  value={existingPassword}
                  onChange={(e) => setExistingPassword(e.currentTarget.value)}
                />
              )}
            </Field>
            <ErrorNotice error={signInThenJoin.error} />
            <button type="submit" disabled={!token || signInThenJoin.busy}>
              Sign in and join
            </button>
          </form>
          <p>
            <Link to="/sign-in">Back to sign in</Link>
          </p>
        </>
      )}
    </>
  );
}
