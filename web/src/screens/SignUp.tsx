import { type FormEvent, useState } from 'react';
import { accounts } from '../api/accounts';
import { Field } from '../components/Field';
import { ErrorNotice, fieldError } from '../components/Notices';
import { PublicFrame } from '../components/PublicFrame';
import { useAction } from '../hooks/useAction';
import { useTitle } from '../hooks/useTitle';
import { Link, navigate } from '../router';
import { useSession } from '../session';

export const PASSWORD_MIN = 10;

/** Create an account and its first team; you become its owner. */
export function SignUp() {
  useTitle('Create an account');
  const { signedIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [teamName, setTeamName] = useState('');
  const signUp = useAction(async () => {
    signedIn(await accounts.signUp({ email: email.trim(), password, teamName: teamName.trim() }));
    navigate('/people', { replace: true });
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    void signUp.run();
  }

  return (
    <PublicFrame>
      <h1>Create an account</h1>
      <p>You will be the owner of a new team; invite the others from its settings.</p>
      <form onSubmit={submit}>
        <Field label="Email" error={fieldError(signUp.error, 'email')}>
          {(control) => <input {...control} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <Field label="Password" hint={`At least ${PASSWORD_MIN} characters. A few unrelated words make a strong one.`} error={fieldError(signUp.error, 'password')}>
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
        <Field label="Team name" hint="Your company or group; you can rename it later." error={fieldError(signUp.error, 'teamName')}>
          {(control) => <input {...control} name="team" autoComplete="organization" required maxLength={100} value={teamName} onChange={(e) => setTeamName(e.currentTarget.value)} />}
        </Field>
        <ErrorNotice error={signUp.error} unlessField={['email', 'password', 'teamName']} />
        <button type="submit" className="primary" disabled={signUp.busy}>
          {signUp.busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </PublicFrame>
  );
}
