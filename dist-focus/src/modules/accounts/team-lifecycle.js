import { RememberedUntilChanged } from '../../platform/db/changes.js';
import { withTeam } from '../../platform/db/with-team.js';
import { HavenError } from '../../platform/http/errors.js';
export const DELETE_TEAM_JOB = 'accounts.delete-team';
/** Writes a cancelled team still takes: finding a data subject (a POST that reads), exports (portability before deletion) and the owner's undo. */
const WRITES_WHILE_CANCELLED = new Set(['privacy.read', 'privacy.export', 'team.cancel']);
/**
 * What a cancelled (read-only) team may still do: every read (GET/HEAD, whatever permission guards
 * it), and the few writes above. Going by the method, not the action's name, because some reads
 * are guarded by a manage permission (API keys, invitations) and some writes by a read permission
 * (leaving the team).
 */
export function allowedWhileCancelled(method, action) {
    return method === 'GET' || method === 'HEAD' || WRITES_WHILE_CANCELLED.has(action);
}
export function teamReadOnly(deletionDueAt) {
    return new HavenError('team_read_only', 423, `This team was cancelled and is read-only; it will be deleted at ${deletionDueAt.toISOString()} unless an owner undoes the cancellation before then.`);
}
/** Announced when a team is cancelled or its cancellation undone: every node reads its state again. */
const TEAM_STATE = 'team.state';
// Every request checks the team's state; a per-engine cache keeps that off the hot path. A
// cancellation or an undo is announced, and every node forgets the team's entry when it commits.
const STATE_TTL_MS = 60_000;
const stateCaches = new WeakMap();
function statesOf(engine) {
    let cache = stateCaches.get(engine);
    if (!cache) {
        cache = new RememberedUntilChanged(engine.changes, { ttlMs: STATE_TTL_MS, max: 10_000, affectedBy: (_state, teamId, change) => teamId === change.teamId });
        stateCaches.set(engine, cache);
    }
    return cache;
}
export async function deletionDueAt(engine, teamId) {
    const states = statesOf(engine);
    const hit = states.get(teamId);
    if (hit)
        return hit.due;
    const mark = states.mark();
    const due = await withTeam(engine, teamId, (tx) => readDeletionDue(tx, teamId));
    states.remember(teamId, { due }, mark);
    return due;
}
export async function readDeletionDue(tx, teamId) {
    const r = await tx.query(`SELECT deletion_due_at FROM teams WHERE team_id = $1`, [teamId]);
    return r.rows[0]?.deletion_due_at ?? null;
}
/** Cancel: read-only now, deletion after the grace period. 409 if already cancelled. */
export async function cancelTeam(tx, teamId, userId, graceHours) {
    const r = await tx.query(`UPDATE teams SET cancelled_at = now(), cancelled_by = $2, deletion_due_at = now() + $3 * interval '1 hour'
      WHERE team_id = $1 AND cancelled_at IS NULL RETURNING deletion_due_at`, [teamId, userId, graceHours]);
    if (!r.rows[0])
        throw new HavenError('already_cancelled', 409, 'This team is already cancelled.');
    await tx.announce({ topic: TEAM_STATE, teamId });
    return r.rows[0].deletion_due_at;
}
/** Undo during the grace period, by one of its owners. 409 if the team is not cancelled. */
export async function undoCancellation(tx, teamId, ownerId) {
    const r = await tx.query(
    // clock_timestamp(), not the transaction's start: an undo that waited on the row lock past the
    // due time must not win. Once the job has claimed the deletion, it has begun.
    `UPDATE teams SET cancelled_at = NULL, cancelled_by = NULL, deletion_due_at = NULL
      WHERE team_id = $1 AND cancelled_at IS NOT NULL AND deletion_due_at > clock_timestamp() AND deletion_started_at IS NULL`, [teamId]);
    if (r.rowCount === 0)
        throw new HavenError('not_cancelled', 409, 'This team is not cancelled (or its deletion has begun).');
    // The owner's role was checked before the team row was locked. An owner deleting their account
    // locks that row first, so by now their deletion has committed or waits for this one: a team
    // must not come back to life without the owner who revived it.
    const owner = await tx.query(`SELECT 1 FROM memberships WHERE team_id = $1 AND user_id = $2 AND role = 'owner' FOR SHARE`, [teamId, ownerId]);
    if (owner.rowCount === 0)
        throw new HavenError('forbidden', 403, 'Only an owner of the team can undo its cancellation.');
    await tx.announce({ topic: TEAM_STATE, teamId });
}
/**
 * Claim the deletion for one run of the job: only if the team is still cancelled, due, for this
 * very cancellation (its due time, as the job carries it, to the millisecond), and no other run has claimed it (or the one that did is older than a job may
 * run, so it died). The team row's lock orders this against an undo: whichever commits first wins.
 */
export async function claimDeletion(tx, teamId, dueAt) {
    const r = await tx.query(`UPDATE teams SET deletion_started_at = clock_timestamp()
      WHERE team_id = $1 AND date_trunc('milliseconds', deletion_due_at) = date_trunc('milliseconds', $2::timestamptz)
        AND deletion_due_at <= clock_timestamp()
        AND (deletion_started_at IS NULL OR deletion_started_at < clock_timestamp() - interval '1 hour')`, [teamId, dueAt]);
    return r.rowCount > 0;
}
/**
 * After a restore: every team the restored data holds as cancelled, its deletion not begun, gets
 * its grace period again from now. (A team whose deletion began is in the erasure ledger, and the
 * replay deleted it.) An undo made after the backup was taken is in no ledger: without this, a
 * deletion due time long past would let the sweep delete such a team within minutes of the next
 * start, before an owner could undo the cancellation again. Returns how many teams.
 */
export async function renewGraceAfterRestore(tx, graceHours) {
    const r = await tx.query(`UPDATE teams SET deletion_due_at = greatest(deletion_due_at, now() + $1 * interval '1 hour')
      WHERE cancelled_at IS NOT NULL AND deletion_started_at IS NULL`, [graceHours]);
    return r.rowCount;
}
//# sourceMappingURL=team-lifecycle.js.map