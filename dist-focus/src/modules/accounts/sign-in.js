import { HavenError } from '../../platform/http/errors.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';
import { createSession } from './sessions.js';
import { emailLookup, normaliseEmail } from './user-emails.js';
import { auditForUserTeams } from './audit-actor.js';
import { teamsOfUser } from './teams.js';
import { FAILED_SIGN_IN_JOB } from './record-failed-sign-in.js';
import { THROTTLE, accountSubject, addressSubject, deviceSubject, deviceToken, giveBackAttempt, takeAttempt, tooManyAttempts } from './sign-in-throttle.js';
const wrongCredentials = () => new HavenError('invalid_credentials', 401, 'Wrong email or password.');
/**
 * Sign in with email and password. Throttled per account (per device, from a browser holding the
 * account's device cookie) and per client address, counting attempts in the database so every app
 * node sees them; a success clears the account's (or device's) count and renews the device cookie.
 * A failure does the same work whether or not the email has an account (a decoy password check,
 * one queued job), so it does not tell a guesser which emails are signed up.
 */
export async function signIn(engine, jobs, keys, policy, input) {
    const email = normaliseEmail(input.email);
    const throttled = [
        { subject: deviceSubject(keys, email, input.device) ?? accountSubject(keys, email), limit: THROTTLE.perAccount },
        { subject: addressSubject(keys, input.ip), limit: THROTTLE.perAddress },
    ];
    const { user, attempt } = await engine.transaction(async (tx) => {
        const found = await tx.query(`SELECT id, password_hash FROM users WHERE email_lookup = $1`, [
            emailLookup(keys, email),
        ]);
        return { user: found.rows[0], attempt: await takeAttempt(tx, throttled) };
    });
    // Refused before any password check, and nothing is written: an account's refusal and an
    // unknown email's are the same.
    if (!attempt)
        throw tooManyAttempts('Too many failed sign-ins; wait 15 minutes and try again.');
    const ok = user ? await verifyPassword(user.password_hash, input.password) : (await burnPasswordCheck(input.password), false);
    if (!user || !ok) {
        // The attempt stays counted. The audit entry (for an account's teams) is the job's to write,
        // so this transaction is the same for an unknown email and a wrong password.
        const job = { userId: user?.id ?? null, attempt, attemptedAt: new Date().toISOString(), requestId: input.requestId ?? null };
        await engine.transaction(async (tx) => {
            await tx.query(`DELETE FROM sign_in_failures WHERE failed_at < now() - interval '1 day'`);
            await jobs.send(FAILED_SIGN_IN_JOB, { ...job }, { tx });
        });
        throw wrongCredentials();
    }
    const teams = await teamsOfUser(engine, user.id);
    const { token } = await engine.transaction(async (tx) => {
        await giveBackAttempt(tx, attempt);
        await tx.query(`DELETE FROM sign_in_failures WHERE subject = $1`, [throttled[0].subject]);
        await auditForUserTeams(tx, user.id, { actor: { type: 'user', id: user.id }, action: 'auth.signed_in', requestId: input.requestId });
        return createSession(tx, policy, user.id, teams[0]?.id ?? null);
    });
    return { userId: user.id, email, token, device: deviceToken(keys, email) };
}
//# sourceMappingURL=sign-in.js.map