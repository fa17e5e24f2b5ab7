import { audit } from '../../platform/audit/index.js';
import { scopeToTeam, scopeToUser } from '../../platform/db/with-team.js';
import { HavenError, notFound } from '../../platform/http/errors.js';
import { revokeGrantsBeyondMember } from './member-grants.js';
import { verifyPassword } from './passwords.js';
import { THROTTLE, accountSubject, giveBackAttempt, takeAttempt, tooManyAttempts } from './sign-in-throttle.js';
import { userEmail } from './user-emails.js';
/**
 * A user deletes their own Haven account, after typing their password again (a session left open
 * on a shared computer must not be enough; wrong passwords count against the sign-in throttle).
 *
 * Refused (409 `last_owner`) while they are the only owner of a team that is not cancelled: the
 * team's data must not be left with nobody able to manage it or delete it. Cancelling the team
 * first (it is deleted at the end of its grace period) or handing ownership over both unblock it.
 *
 * In one transaction: each team's audit log records that the member deleted their account, their
 * memberships go, the deletion is appended to the erasure ledger (so restoring an older backup
 * deletes the account again), then the account itself — sealed email, password hash, sessions and
 * failed sign-ins. What the teams recorded about their work (audit entries, notes they wrote, keys
 * they created) keeps their random user id, which then names no one.
 */
export async function deleteAccount(engine, keyring, ledger, input) {
    const keys = keyring.accounts;
    const { passwordHash, attempt } = await engine.transaction(async (tx) => {
        const found = await tx.query(`SELECT id, email, email_sealed, password_hash FROM users WHERE id = $1`, [input.userId]);
        const row = found.rows[0];
        if (!row)
            throw notFound('account');
        const subject = accountSubject(keys, userEmail(keys, row));
        return { passwordHash: row.password_hash, attempt: await takeAttempt(tx, [{ subject, limit: THROTTLE.perAccount }]) };
    });
    if (!attempt)
        throw tooManyAttempts('Too many wrong passwords; wait 15 minutes and try again.');
    if (!(await verifyPassword(passwordHash, input.password))) {
        throw new HavenError('wrong_password', 403, 'That is not your password; the account was not deleted.', 'password');
    }
    // The right password, whether or not the deletion goes ahead.
    await engine.transaction((tx) => giveBackAttempt(tx, attempt));
    return engine.transaction(async (tx) => {
        await scopeToUser(tx, input.userId);
        const teams = await tx.query(`SELECT team_id, role FROM memberships WHERE user_id = $1 ORDER BY team_id`, [input.userId]);
        // Team by team, in one order: the team row is locked (an undo of its cancellation waits), then
        // its owners' rows, so a co-owner leaving at the same moment cannot leave a team ownerless —
        // one of the two waits, then sees the other gone. Every team's row is locked, not only those
        // the user owns: a role change or removal in the team locks it first too (members.ts), so it
        // never holds this member's row while this deletion holds the team's audit lock.
        // The role is read again once the team is locked: it may have changed since the list was read
        // (made owner, then the other owner stepped down), and the last-owner check must see it.
        let ownerless = 0;
        const memberOf = [];
        for (const { team_id } of teams.rows) {
            await scopeToTeam(tx, team_id);
            const team = await tx.query(`SELECT cancelled_at IS NOT NULL AS cancelled FROM teams WHERE team_id = $1 FOR NO KEY UPDATE`, [team_id]);
            const mine = await tx.query(`SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2 FOR UPDATE`, [team_id, input.userId]);
            const t = mine.rows[0] && { team_id, role: mine.rows[0].role };
            if (!t)
                continue; // removed meanwhile
            memberOf.push(t);
            if (t.role !== 'owner' || team.rows[0]?.cancelled)
                continue;
            const owners = await tx.query(`SELECT user_id FROM memberships WHERE team_id = $1 AND role = 'owner' ORDER BY user_id FOR UPDATE`, [t.team_id]);
            if (owners.rowCount <= 1)
                ownerless++;
        }
        if (ownerless > 0) {
            throw new HavenError('last_owner', 409, `You are the only owner of ${ownerless === 1 ? 'a team' : `${ownerless} teams`}: make another member owner, or cancel the team, before deleting your account.`);
        }
        for (const t of memberOf) {
            await scopeToTeam(tx, t.team_id);
            await audit.record(tx, {
                teamId: t.team_id,
                actor: { type: 'user', id: input.userId },
                action: 'account.deleted',
                target: { type: 'user', id: input.userId },
                requestId: input.requestId,
                details: { role: t.role },
            });
            await revokeGrantsBeyondMember(tx, t.team_id, { userId: input.userId, role: null }, { actor: { type: 'user', id: input.userId }, requestId: input.requestId, reason: 'account_deleted' });
            await tx.query(`DELETE FROM memberships WHERE team_id = $1 AND user_id = $2`, [t.team_id, input.userId]);
        }
        // The ledger before the deletion commits: a crash can only over-erase, never forget.
        await ledger.append({ kind: 'user', userId: input.userId, erasedAt: new Date().toISOString() }, tx);
        await eraseAccountRows(tx, keys, input.userId);
        return { teamsLeft: memberOf.length };
    });
}
/**
 * Delete an account's rows if they are there: the user (sessions and memberships follow by
 * cascade) and the failed sign-ins counted against their email. Also what restore's ledger replay
 * runs for a deleted account; true when the account was there. `keys` is null only for data of a
 * build before account keys, whose failed sign-ins were not keyed (and age out within a day).
 */
export async function eraseAccountRows(tx, keys, userId) {
    const found = await tx.query(`SELECT id, email, email_sealed FROM users WHERE id = $1`, [userId]);
    const row = found.rows[0];
    if (!row)
        return false;
    if (keys)
        await tx.query(`DELETE FROM sign_in_failures WHERE subject = $1`, [accountSubject(keys, userEmail(keys, row))]);
    await tx.query(`DELETE FROM users WHERE id = $1`, [userId]);
    return true;
}
//# sourceMappingURL=delete-account.js.map