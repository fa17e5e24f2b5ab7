import type { JSX } from 'react';
import type { Action } from '../api/types';
import { useTitle } from '../hooks/useTitle';
import { Link } from '../router';
import { ApiKeys } from '../sections/settings/ApiKeys';
import { CancelTeam } from '../sections/settings/CancelTeam';
import { Invitations } from '../sections/settings/Invitations';
import { Members } from '../sections/settings/Members';
import { PrivacyPolicy } from '../sections/settings/PrivacyPolicy';
import { RejectedData } from '../sections/settings/RejectedData';
import { RestrictedData } from '../sections/settings/RestrictedData';
import { TeamDetails } from '../sections/settings/TeamDetails';
import { TrackingSnippet } from '../sections/settings/TrackingSnippet';
import { useSignedIn } from '../session';

/** Settings tabs, each shown only to roles whose permissions let them use it. */
const TABS = [
  { path: 'team', label: 'Team', needs: 'team.read', Section: TeamDetails },
  { path: 'members', label: 'Members', needs: 'members.read', Section: Members },
  { path: 'invitations', label: 'Invitations', needs: 'invitations.manage', Section: Invitations },
  { path: 'api-keys', label: 'API keys', needs: 'apiKeys.manage', Section: ApiKeys },
  { path: 'tracking', label: 'Tracking snippet', needs: 'apiKeys.manage', Section: TrackingSnippet },
  { path: 'restricted-data', label: 'Restricted data', needs: 'tracking.manage', Section: RestrictedData },
  { path: 'rejected-data', label: 'Rejected data', needs: 'people.read', Section: RejectedData },
  { path: 'privacy', label: 'Privacy and retention', needs: 'privacy.read', Section: PrivacyPolicy },
  { path: 'account', label: 'Account', needs: 'team.read', Section: CancelTeam },
] as const satisfies readonly { path: string; label: string; needs: Action; Section: () => JSX.Element }[];

export function TeamSettings({ tab }: { tab: string | undefined }) {
  const { can } = useSignedIn();
  const tabs = TABS.filter((t) => can(t.needs));
  const current = tabs.find((t) => t.path === tab) ?? tabs[0];
  useTitle(current ? `Team settings: ${current.label}` : 'Team settings');
  return (
    <>
      <h1>Team settings</h1>
      <nav className="tabs" aria-label="Team settings">
        {tabs.map((t) => (
          <Link key={t.path} to={`/settings/${t.path}`} aria-current={t === current ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      {tab && current?.path !== tab ? <p className="notice notice-info">That part of the settings is not available to your role.</p> : null}
      {current ? <current.Section /> : null}
    </>
  );
}
