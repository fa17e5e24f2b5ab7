import { type FormEvent, useState } from 'react';
import { accounts } from '../api/accounts';
import { Field } from '../components/Field';
import { ErrorNotice, fieldError } from '../components/Notices';
import { useAction } from '../hooks/useAction';
import { useTitle } from '../hooks/useTitle';
import { useSignedIn } from '../session';

/** Signed in but in no team (left, or removed): start a team, or wait for an invitation. */
export function NoTeam() {
  useTitle('No team');
  const { session, signedIn } = useSignedIn();
  const [name, setName] = useState('');
  const create = useAction(async () => signedIn(await accounts.createTeam(name.trim())));
  function submit(event: FormEvent) {
    event.preventDefault();
    void create.run();
  }
  return (
    <>
      <h1>You are not working in a team</h1>
      <p>{session.teams.length > 0 ? 'Choose one of your teams at the top of the page, or start a new one.' : 'You are in no team any more. Open an invitation link, or start a team of your own.'}</p>
      <form className="card inline-form" onSubmit={submit}>
        <Field label="Team name" error={fieldError(create.error, 'name')}>
          {(control) => <input {...control} required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={create.busy}>
          Start a team
        </button>
      </form>
      <ErrorNotice error={create.error} unlessField={['name']} />
    </>
  );
}
