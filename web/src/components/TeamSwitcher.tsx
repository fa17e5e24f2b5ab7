import { useId } from 'react';
import { accounts } from '../api/accounts';
import { useAction } from '../hooks/useAction';
import { navigate } from '../router';
import { useSignedIn } from '../session';
import { ErrorNotice } from './Notices';

/** The active team; a chooser when the user belongs to several, or is working in none of theirs (after leaving one, or being removed). */
export function TeamSwitcher() {
  const { session, activeTeam, signedIn } = useSignedIn();
  const id = useId();
  const switchTeam = useAction(async (teamId: string) => {
    signedIn(await accounts.switchTeam(teamId));
    navigate('/people'); // ids on the current page belong to the other team
  });

  const choosing = session.teams.length >= 2 || (!activeTeam && session.teams.length > 0);
  if (!choosing) {
    return <span className="team-name">{activeTeam?.name ?? 'No team'}</span>;
  }
  return (
    <span className="team-switcher">
      <label htmlFor={id}>Team</label>
      <select id={id} value={session.activeTeamId ?? ''} disabled={switchTeam.busy} onChange={(e) => void switchTeam.run(e.currentTarget.value)}>
        {session.activeTeamId ? null : <option value="">Choose a team</option>}
        {session.teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} ({t.role})
          </option>
        ))}
      </select>
      <ErrorNotice error={switchTeam.error} />
    </span>
  );
}
