import { useEffect, useRef } from 'react';
import { Layout } from './components/Layout';
import { Loading } from './components/Notices';
import { PublicFrame } from './components/PublicFrame';
import { INVITATION_PATH } from './invitation-link';
import { match, navigate, usePath } from './router';
import { AcceptInvitation } from './screens/AcceptInvitation';
import { Account } from './screens/Account';
import { Audit } from './screens/Audit';
import { NoTeam } from './screens/NoTeam';
import { NotFound } from './screens/NotFound';
import { People } from './screens/People';
import { Person } from './screens/Person';
import { PrivacyCentre } from './screens/PrivacyCentre';
import { SignIn } from './screens/SignIn';
import { SignUp } from './screens/SignUp';
import { TeamSettings } from './screens/TeamSettings';
import { useSession } from './session';

const PUBLIC_PATHS = ['/', '/sign-in', '/sign-up'];

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** The signed-in screens, by path. A new top-level path is also listed in src/platform/http/web-app.ts (APP_SECTIONS), so a reload finds the app there. */
function Screen({ path }: { path: string }) {
  const { can } = useSession();
  if (path === '/people') return <People />;
  const person = match('/people/:id', path);
  if (person) return <Person key={person.id} id={person.id!} />; // another person starts from nothing
  if (path === '/settings') return <TeamSettings tab={undefined} />;
  const settings = match('/settings/:tab', path);
  if (settings) return <TeamSettings tab={settings.tab} />;
  const privacy = path === '/privacy' ? {} : match('/privacy/:tab', path);
  if (privacy) return can('privacy.read') ? <PrivacyCentre tab={privacy.tab} /> : <NotFound message="The privacy centre is for owners and admins." />;
  if (path === '/audit') return can('audit.read') ? <Audit /> : <NotFound message="The audit log is for owners and admins." />;
  return <NotFound />;
}

/** Moves focus to the new screen after in-app navigation, as a page load would. */
function useFocusOnNavigation(path: string) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }, [path]);
}

export function App() {
  const { session, activeTeam } = useSession();
  const path = usePath();
  useFocusOnNavigation(path);

  if (session === undefined) return <Loading what="Haven" />;
  if (path === INVITATION_PATH) {
    // One frame signed in or out, so signing in on this page keeps the same screen: its pasted
    // token, and the error if joining then fails.
    return (
      <PublicFrame>
        <AcceptInvitation />
      </PublicFrame>
    );
  }
  if (!session) return path === '/sign-up' ? <SignUp /> : <SignIn />;
  if (PUBLIC_PATHS.includes(path)) return <Redirect to="/people" />;
  return (
    // A new team is a new set of data: every screen starts again from nothing. Your account is yours in any team, or none.
    <Layout key={session.activeTeamId ?? 'none'}>{path === '/account' ? <Account /> : activeTeam ? <Screen path={path} /> : <NoTeam />}</Layout>
  );
}
