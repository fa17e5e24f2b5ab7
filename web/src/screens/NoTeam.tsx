import { type FormEvent, useState } from 'react';
import { accounts } from '../api/accounts';
import { Field } from '../components/Field';
import { ErrorNotice, fieldError } from '../components/Notices';
import { useAction } from '../hooks/useAction';
import { useTitle } from '../hooks/useTitle';
import { navigate } from '../router';
import { useSignedIn } from '../session';

/** Signed in but working in no team (left, or removed): open one of your other teams, start a team, or wait for an invitation. */
export function NoTeam() {
  useTitle('No team');
  const { session, signedIn } = useSignedIn();
  const [name, setName] = useState('');
  const create = useAction(async () => signedIn(await accounts.createTeam(name.trim())));
  const open = useAction(async (teamId: string) => {
    signedIn(await accounts.switchTeam(teamId));
    navigate('/people'); // ids in the current address belong to the team left behind
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    void create.run();
  }
  return (
    <>
      <h1>You are not working in a team</h1>
      {session.teams.length > 0 ? (
        <>
          <p>Open one of your teams, or start a new one.</p>
          <ul className="team-choices" aria-label="Your teams">
            {session.teams.map((t) => (
              <li key={t.id}>
                <button type="button" disabled={open.busy} onClick={() => void open.run(t.id)}>
                  Open {t.name} <span className="muted">({t.role})</span>
                </button>
              </li>
            ))}
          </ul>
          <ErrorNotice error={open.error} />
        </>
      ) : (
        <p>You are in no team any more. Open an invitation link, or start a team of your own.</p>
      )}
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
