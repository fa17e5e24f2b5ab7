import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { accounts } from './api/accounts';
import { ApiError, onSessionEnded, onTeamChanged, setCsrfToken } from './api/client';
import type { Action, Role, Session } from './api/types';
import { forgetWriteKey } from './new-write-key';

interface SessionState {
  /** undefined while the first GET /session is on its way; null when signed out. */
  session: Session | null | undefined;
  /** A message for the sign-in page: why the person is there (session ended, signed out). */
  notice: string | null;
  activeTeam: { id: string; name: string; role: Role; deletionDueAt: string | null } | null;
  /** What the server says this member may do in the active team; it still checks every request. */
  can(action: Action): boolean;
  /** When the active team was cancelled: read-only until an owner undoes it, deleted at this time. */
  deletionDueAt: string | null;
  /** can(action), and the team takes that change now: a cancelled team takes none but the few below. */
  canChange(action: Action): boolean;
  /** After sign-in, sign-up, accepting an invitation or switching teams. */
  signedIn(session: Session): void;
  signedOut(notice: string | null): void;
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** What a cancelled team still allows besides reading (the server's rule): exports, finding a data subject, the owner's undo. */
const ALLOWED_WHILE_CANCELLED: ReadonlySet<Action> = new Set(['privacy.read', 'privacy.export', 'team.cancel']);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);

  const signedIn = useCallback((next: Session) => {
    setCsrfToken(next.csrfToken);
    setNotice(null);
    setSession(next);
  }, []);

  const signedOut = useCallback((message: string | null) => {
    forgetWriteKey();
    setCsrfToken(null);
    setNotice(message);
    setSession(null);
  }, []);

  const refresh = useCallback(async () => {
    try {
      signedIn(await accounts.session());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) signedOut(null);
      else throw error;
    }
  }, [signedIn, signedOut]);

  useEffect(() => {
    refresh().catch(() => signedOut('Haven could not be reached. Reload the page to try again.'));
  }, [refresh, signedOut]);

  // Any 401 while signed in: the session ended (idle timeout, lifetime, signed out elsewhere).
  const current = useRef(session);
  current.current = session;
  useEffect(() => {
    onSessionEnded(() => {
      if (!current.current) return;
      // The app shows the sign-in page at the same address, so signing in again returns here.
      signedOut('Your session has ended. Please sign in again.');
    });
    return () => onSessionEnded(null);
  }, [signedOut]);

  // The team may be cancelled (or restored), or this member removed or given another role, by
  // someone else at any time: an answer that shows it, or coming back to the tab, reads the session
  // again so the banner, the controls and the team switcher follow.
  useEffect(() => {
    const again = () => {
      if (current.current) refresh().catch(() => {});
    };
    const visible = () => {
      if (document.visibilityState === 'visible') again();
    };
    onTeamChanged(again);
    document.addEventListener('visibilitychange', visible);
    return () => {
      onTeamChanged(null);
      document.removeEventListener('visibilitychange', visible);
    };
  }, [refresh]);

  const value = useMemo<SessionState>(() => {
    const activeTeam = session?.teams.find((t) => t.id === session.activeTeamId) ?? null;
    const permissions = new Set(session?.permissions ?? []);
    const deletionDueAt = activeTeam?.deletionDueAt ?? null;
    const can = (action: Action) => permissions.has(action);
    const canChange = (action: Action) => can(action) && (deletionDueAt === null || ALLOWED_WHILE_CANCELLED.has(action));
    return { session, notice, activeTeam, can, deletionDueAt, canChange, signedIn, signedOut, refresh };
  }, [session, notice, signedIn, signedOut, refresh]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The session of a signed-in screen (the app only renders those with a session). */
export function useSignedIn(): SessionState & { session: Session } {
  const state = useSession();
  if (!state.session) throw new Error('useSignedIn without a session');
  return state as SessionState & { session: Session };
}
