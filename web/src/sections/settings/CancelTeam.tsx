import { useEffect, useRef, useState } from 'react';
import { accounts } from '../../api/accounts';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Done, ErrorNotice, Loading } from '../../components/Notices';
import { formatTime, timeUntil } from '../../format';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useRerenderEvery } from '../../hooks/useRerenderEvery';
import { focusHeadingIn } from '../../hooks/useReturnFocus';
import { Link } from '../../router';
import { useSignedIn } from '../../session';

/**
 * The team's account: an owner cancels it (read-only at once for everyone, every row deleted
 * after the grace period) and can undo that until the deletion time. Everyone sees the state.
 */
export function CancelTeam() {
  const { can, refresh, deletionDueAt } = useSignedIn();
  // Read again when the session learns of a change made elsewhere (another owner, another tab).
  const team = useLoad(() => accounts.team(), [deletionDueAt]);
  useRerenderEvery(30_000);
  const owner = can('team.cancel');
  const [undone, setUndone] = useState(false);
  // The session carries the state too (the banner, the controls): read it again after each change,
  // and show the new state here only then, so this card never contradicts the banner.
  const cancel = useAction(async () => {
    await accounts.cancelTeam();
    const next = await accounts.team();
    await refresh();
    setUndone(false);
    team.setData(next);
  });
  const undo = useAction(async () => {
    await accounts.undoCancellation();
    const next = await accounts.team();
    await refresh();
    setUndone(true);
    team.setData(next);
  });

  // The button that cancelled or undid is gone with the old card: its new heading takes the focus.
  const card = useRef<HTMLElement>(null);
  const shown = team.data === undefined ? undefined : team.data.deletionDueAt;
  const shownBefore = useRef(shown);
  useEffect(() => {
    const before = shownBefore.current;
    shownBefore.current = shown;
    if (before === undefined || before === shown) return;
    if (!document.activeElement || document.activeElement === document.body) focusHeadingIn(card.current);
  }, [shown]);

  if (team.loading && !team.data) return <Loading what="the team" />;
  if (!team.data) return <ErrorNotice error={team.error} />;
  const t = team.data;

  if (t.deletionDueAt) {
    return (
      <section ref={card} className="card danger-zone" aria-labelledby="cancelled-heading">
        <h2 id="cancelled-heading">The team is cancelled</h2>
        <dl className="facts">
          <dt>Cancelled</dt>
          <dd>{t.cancelledAt ? formatTime(t.cancelledAt) : '—'}</dd>
          <dt>Deleted on</dt>
          <dd>
            <time dateTime={t.deletionDueAt}>{formatTime(t.deletionDueAt)}</time> (in {timeUntil(t.deletionDueAt)})
          </dd>
        </dl>
        <p>
          Until then the team is read-only for every member: its data can be read and exported (<Link to="/privacy">privacy centre</Link>, or each person’s
          page), nothing can be changed and no events are collected. At that time every row of the team is deleted and the deletion verified.
        </p>
        <ErrorNotice error={undo.error} />
        {owner ? (
          <button type="button" className="primary" onClick={() => void undo.run()} disabled={undo.busy}>
            {undo.busy ? 'Undoing…' : 'Undo the cancellation'}
          </button>
        ) : (
          <p className="muted">Only an owner can undo the cancellation.</p>
        )}
      </section>
    );
  }

  return (
    <section ref={card} className="card" aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">Cancel the team</h2>
      {undone ? <Done>Cancellation undone: the team is writable again and nothing will be deleted.</Done> : null}
      <p>
        Cancelling makes <strong>{t.name}</strong> read-only for every member at once: data can still be read and exported, nothing can be changed, and events
        sent to it are refused. After the grace period (24 hours unless your operator set another) every row of the team — people, events, notes, consents,
        keys, members — is deleted for good and the deletion verified. Until then an owner can undo it.
      </p>
      <ErrorNotice error={cancel.error} />
      {owner ? (
        <ConfirmButton
          label="Cancel the team"
          confirmLabel="Cancel and delete its data"
          question={`Cancel ${t.name}? It becomes read-only now and is deleted after the grace period.`}
          busy={cancel.busy}
          onConfirm={() => void cancel.run()}
        />
      ) : (
        <p className="muted">Only an owner can cancel the team.</p>
      )}
    </section>
  );
}
