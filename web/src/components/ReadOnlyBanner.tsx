import { formatTime, timeUntil } from '../format';
import { useRerenderEvery } from '../hooks/useRerenderEvery';
import { Link } from '../router';
import { useSignedIn } from '../session';

/** Shown to every member while the team is cancelled: read-only, and when it will be deleted. */
export function ReadOnlyBanner() {
  const { deletionDueAt, can } = useSignedIn();
  useRerenderEvery(30_000);
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
