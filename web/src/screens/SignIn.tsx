import { type FormEvent, useState } from 'react';
import { accounts } from '../api/accounts';
import { Field } from '../components/Field';
import { ErrorNotice, fieldError } from '../components/Notices';
import { PublicFrame } from '../components/PublicFrame';
import { useAction } from '../hooks/useAction';
import { useTitle } from '../hooks/useTitle';
import { Link, navigate } from '../router';
import { useSession } from '../session';

/** Sign in. Shown at any address when signed out, so signing in again returns to that page. */
export function SignIn() {
  useTitle('Sign in');
  const { notice, signedIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useAction(async () => {
    signedIn(await accounts.signIn({ email: email.trim(), password }));
    if (['/', '/sign-in', '/sign-up'].includes(window.location.pathname)) navigate('/people', { replace: true });
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    void signIn.run();
  }

  return (
    <PublicFrame>
      <h1>Sign in</h1>
      {notice ? (
        <p className="notice notice-info" role="status">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate={false}>
        <Field label="Email" error={fieldError(signIn.error, 'email')}>
          {(control) => <input {...control} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <Field label="Password" error={fieldError(signIn.error, 'password')}>
          {(control) => (
            <input {...control} type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          )}
        </Field>
        <ErrorNotice error={signIn.error} unlessField={['email', 'password']} />
        <button type="submit" className="primary" disabled={signIn.busy}>
          {signIn.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New to Haven? <Link to="/sign-up">Create an account</Link>
      </p>
    </PublicFrame>
  );
}
