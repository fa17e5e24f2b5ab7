import { useEffect, useRef } from 'react';
import { formatTime, timeUntil } from '../format';
import { useRerenderEvery } from '../hooks/useRerenderEvery';
import { Link, usePath } from '../router';
import { useSignedIn } from '../session';

const RECHECK_MS = 60_000;

/**
 * While the team is cancelled, an owner may undo it from anywhere: read the session again each
 * minute and on every move to another screen, so the banner and the read-only controls go away.
 */
function useRecheckWhileCancelled(cancelled: boolean, refresh: () => Promise<void>) {
  const path = usePath();
  const lastPath = useRef(path);
  useEffect(() => {
    if (!cancelled) return;
    const timer = setInterval(() => void refresh().catch(() => {}), RECHECK_MS);
    return () => clearInterval(timer);
  }, [cancelled, refresh]);
  useEffect(() => {
    if (path === lastPath.current) return;
    lastPath.current = path;
    if (cancelled) refresh().catch(() => {});
  }, [cancelled, path, refresh]);
}

/** Shown to every member while the team is cancelled: read-only, and when it will be deleted. */
export function ReadOnlyBanner() {
  const { deletionDueAt, can, refresh } = useSignedIn();
  useRerenderEvery(30_000);
  useRecheckWhileCancelled(deletionDueAt !== null, refresh);
  if (!deletionDueAt) return null;
  return (
    <section className="banner" aria-labelledby="read-only-heading">
      <p>
        <strong id="read-only-heading">This team was cancelled and is read-only.</strong> It will be deleted for good on{' '}
        <time dateTime={deletionDueAt}>{formatTime(deletionDueAt)}</time> (in {timeUntil(deletionDueAt)}). You can still read
        {can('privacy.export') ? ' and export' : ''} its data; nothing can be changed.
      </p>
      {can('team.cancel') ? (
        <Link to="/settings/account" className="button-link">
          Undo the cancellation
        </Link>
      ) : (
        <p className="banner-note">Only an owner of the team can undo the cancellation.</p>
      )}
    </section>
  );
}
