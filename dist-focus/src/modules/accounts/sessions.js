import { createHash } from 'node:crypto';
import { scopeToUser } from '../../platform/db/with-team.js';
import { randomToken, tokenHash } from '../../platform/crypto/tokens.js';
export const SESSION_COOKIE = '__Host-haven_session';
/**
 * The CSRF token is derived from the session token, so it needs no storage and changes with every
 * session; a cross-site page can neither read the cookie nor compute it.
 */
export function csrfTokenFor(sessionToken) {
    return createHash('sha256').update(`haven-csrf:${sessionToken}`).digest('base64url');
}
/** Start a session (always a fresh token: sign-in never reuses an id the client already had). */
export async function createSession(tx, policy, userId, activeTeamId) {
    const token = randomToken(32);
    const expiresAt = new Date(Date.now() + policy.maxHours * 3_600_000);
    await tx.query(`INSERT INTO sessions (token_hash, user_id, active_team_id, expires_at) VALUES ($1, $2, $3, $4)`, [tokenHash(token), userId, activeTeamId, expiresAt]);
    return { token, expiresAt };
}
/**
 * Resolve a session token to the user and their role in the active team. Expired sessions (idle
 * or absolute) are deleted on sight. `last_seen_at` is refreshed at most once a minute, so idle
 * tracking costs one write a minute rather than one per request.
 */
export async function resolveSession(engine, policy, token) {
    const hash = tokenHash(token);
    return engine.transaction(async (tx) => {
        const found = await tx.query(`SELECT user_id, active_team_id, last_seen_at, expires_at, now() AS now FROM sessions WHERE token_hash = $1`, [hash]);
        const s = found.rows[0];
        if (!s)
            return null;
        const idleLimit = policy.idleMinutes * 60_000;
        const now = s.now.getTime();
        if (now >= s.expires_at.getTime() || now - s.last_seen_at.getTime() >= idleLimit) {
            await tx.query(`DELETE FROM sessions WHERE token_hash = $1`, [hash]);
            return null;
        }
        let lastSeen = s.last_seen_at.getTime();
        if (now - lastSeen > 60_000) {
            await tx.query(`UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1`, [hash]);
            lastSeen = now;
        }
        let role = null;
        if (s.active_team_id) {
            await scopeToUser(tx, s.user_id);
            const m = await tx.query(`SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2`, [s.active_team_id, s.user_id]);
            role = m.rows[0]?.role ?? null;
        }
        return {
            tokenHash: hash,
            userId: s.user_id,
            teamId: role ? s.active_team_id : null,
            role,
            csrfToken: csrfTokenFor(token),
            expiresAt: s.expires_at,
            idleExpiresAt: new Date(Math.min(lastSeen + idleLimit, s.expires_at.getTime())),
        };
    });
}
export async function endSession(tx, hash) {
    await tx.query(`DELETE FROM sessions WHERE token_hash = $1`, [hash]);
}
/** "Sign out everywhere": every session of the user, this one included. */
export async function endAllSessions(tx, userId) {
    return (await tx.query(`DELETE FROM sessions WHERE user_id = $1`, [userId])).rowCount;
}
export const PURGE_ENDED_SESSIONS_JOB = 'accounts.purge-ended-sessions';
/**
 * Delete sessions past their absolute or idle limit. A session is refused once ended either way,
 * but one that is never presented again would otherwise stay: who signed in, from when, forever.
 */
export async function purgeEndedSessions(engine, policy) {
    return engine.transaction(async (tx) => (await tx.query(`DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(mins => $1)`, [policy.idleMinutes]))
        .rowCount);
}
export async function setActiveTeam(tx, hash, teamId) {
    await tx.query(`UPDATE sessions SET active_team_id = $2 WHERE token_hash = $1`, [hash, teamId]);
}
//# sourceMappingURL=sessions.js.map