import { type FormEvent, useState } from 'react';
import { accounts } from '../../api/accounts';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field } from '../../components/Field';
import { Done, ErrorNotice, Loading, fieldError } from '../../components/Notices';
import { formatDate } from '../../format';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useReturnFocus } from '../../hooks/useReturnFocus';
import { navigate } from '../../router';
import { useSignedIn } from '../../session';

/** The team's name (rename), another team of your own, and leaving this one. */
export function TeamDetails() {
  const { session, activeTeam, canChange, deletionDueAt, signedIn, refresh } = useSignedIn();
  const team = useLoad(() => accounts.team(), []);
  const [name, setName] = useState<string | null>(null);
  const renameOpener = useReturnFocus(name !== null);
  const [newTeam, setNewTeam] = useState('');
  const rename = useAction(async () => {
    team.setData(await accounts.renameTeam((name ?? '').trim()));
    await refresh(); // the team switcher shows the new name
    setName(null);
  });
  const create = useAction(async () => {
    signedIn(await accounts.createTeam(newTeam.trim()));
    navigate('/people');
  });
  const leave = useAction(async () => {
    await accounts.removeMember(session.user.id);
    await refresh();
    navigate('/people');
  });

  function submitRename(event: FormEvent) {
    event.preventDefault();
    void rename.run();
  }
  function submitCreate(event: FormEvent) {
    event.preventDefault();
    void create.run();
  }

  return (
    <>
      <section className="card" aria-labelledby="team-heading">
        <h2 id="team-heading">This team</h2>
        <ErrorNotice error={team.error} />
        {team.loading ? <Loading what="the team" /> : null}
        {team.data && name === null ? (
          <>
            <dl className="facts">
              <dt>Name</dt>
              <dd>{team.data.name}</dd>
              <dt>Created</dt>
              <dd>{formatDate(team.data.createdAt)}</dd>
              <dt>Your role</dt>
              <dd>{activeTeam?.role}</dd>
            </dl>
            {canChange('team.update') ? (
              <button ref={renameOpener} type="button" onClick={() => setName(team.data!.name)}>
                Rename the team
              </button>
            ) : null}
          </>
        ) : null}
        {name !== null ? (
          <form onSubmit={submitRename} aria-label="Rename the team">
            <Field label="Team name" error={fieldError(rename.error, 'name')}>
              {(control) => <input {...control} autoFocus required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} />}
            </Field>
            <ErrorNotice error={rename.error} unlessField={['name']} />
            <div className="buttons">
              <button type="submit" className="primary" disabled={rename.busy}>
                Save
              </button>
              <button type="button" onClick={() => setName(null)}>
                Cancel
              </button>
            </div>
          </form>
        ) : null}
      </section>

      <section className="card" aria-labelledby="new-team-heading">
        <h2 id="new-team-heading">Start another team</h2>
        <p>A separate team with its own people, keys and members; you will be its owner. Switch between teams at the top of the page.</p>
        <form onSubmit={submitCreate} className="inline-form">
          <Field label="New team name" error={fieldError(create.error, 'name')}>
            {(control) => <input {...control} required maxLength={100} value={newTeam} onChange={(e) => setNewTeam(e.currentTarget.value)} />}
          </Field>
          <button type="submit" disabled={create.busy || !newTeam.trim()}>
            Create team
          </button>
        </form>
        <ErrorNotice error={create.error} unlessField={['name']} />
      </section>

      <section className="card" aria-labelledby="leave-heading">
        <h2 id="leave-heading">Leave this team</h2>
        <p>You lose access to its people at once; an admin can invite you again. The last owner cannot leave.</p>
        {deletionDueAt ? (
          <p className="muted">Nobody joins or leaves a cancelled team: it is read-only until an owner undoes the cancellation.</p>
        ) : (
          <ConfirmButton label="Leave the team" confirmLabel="Leave" question={`Leave ${activeTeam?.name ?? 'this team'}?`} busy={leave.busy} onConfirm={() => void leave.run()} />
        )}
        <ErrorNotice error={leave.error} />
        {leave.busy ? <Done>Leaving…</Done> : null}
      </section>
    </>
  );
}
