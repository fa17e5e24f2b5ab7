import type { ReactNode } from 'react';
import { accounts } from '../api/accounts';
import { useAction } from '../hooks/useAction';
import { Link, navigate, usePath } from '../router';
import { useSignedIn } from '../session';
import { ErrorNotice } from './Notices';
import { ReadOnlyBanner } from './ReadOnlyBanner';
import { TeamSwitcher } from './TeamSwitcher';

function NavLink({ to, children }: { to: string; children: ReactNode }) {
  const path = usePath();
  const current = path === to || path.startsWith(`${to}/`);
  return (
    <Link to={to} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** The frame of every signed-in screen: navigation by permission, and the read-only banner of a cancelled team. */
export function Layout({ children }: { children: ReactNode }) {
  const { session, can, signedOut } = useSignedIn();
  const signOut = useAction(async () => {
    await accounts.signOut();
    signedOut('You have signed out.');
    navigate('/sign-in');
  });
  const signOutEverywhere = useAction(async () => {
    const { endedSessions } = await accounts.signOutEverywhere();
    signedOut(`You have signed out everywhere: ${endedSessions} ${endedSessions === 1 ? 'session' : 'sessions'} ended.`);
    navigate('/sign-in');
  });

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/people" className="brand">
          Haven
        </Link>
        <nav aria-label="Main" className="main-nav">
          {can('people.read') ? <NavLink to="/people">People</NavLink> : null}
          <NavLink to="/settings">Team settings</NavLink>
          {can('privacy.read') ? <NavLink to="/privacy">Privacy centre</NavLink> : null}
          {can('audit.read') ? <NavLink to="/audit">Audit log</NavLink> : null}
        </nav>
        <div className="topbar-end">
          <TeamSwitcher />
          <details className="account-menu">
            <summary>
              <span className="visually-hidden">Account: </span>
              {session.user.email}
            </summary>
            <div className="menu">
              <button type="button" onClick={() => void signOut.run()} disabled={signOut.busy}>
                Sign out
              </button>
              <button type="button" onClick={() => void signOutEverywhere.run()} disabled={signOutEverywhere.busy}>
                Sign out everywhere
              </button>
              <p className="hint">Ends every session of your account, on every device.</p>
              {/* The menu closes as the account screen opens. */}
              <Link to="/account" onClick={(event) => event.currentTarget.closest('details')?.removeAttribute('open')}>
                Your account
              </Link>
            </div>
          </details>
        </div>
      </header>
      <ReadOnlyBanner />
      <ErrorNotice error={signOut.error ?? signOutEverywhere.error} />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
