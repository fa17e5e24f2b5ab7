import { randomUUID } from 'node:crypto';
import { HavenError } from '../../platform/http/errors.js';
import { hashPassword } from './passwords.js';
import { createSession } from './sessions.js';
import { audit } from '../../platform/audit/index.js';
import { createTeam } from './teams.js';
import { emailLookup, normaliseEmail, sealUserEmail } from './user-emails.js';
const emailTaken = () => new HavenError('email_taken', 409, 'An account with this email exists; sign in instead.', 'email');
/**
 * Insert a user, their email sealed and found by its keyed look-up; a taken email is a 409,
 * whether found first or lost in a race (unique index on the look-up).
 */
export async function insertUser(tx, keys, email, passwordHash) {
    const id = randomUUID();
    const lookup = emailLookup(keys, email);
    const existing = await tx.query(`SELECT 1 FROM users WHERE email_lookup = $1`, [lookup]);
    if (existing.rowCount > 0)
        throw emailTaken();
    try {
        await tx.query(`INSERT INTO users (id, email_sealed, email_lookup, password_hash) VALUES ($1, $2, $3, $4)`, [
            id,
            sealUserEmail(keys, id, email),
            lookup,
            passwordHash,
        ]);
    }
    catch (error) {
        if (error.code === '23505')
            throw emailTaken();
        throw error;
    }
    return id;
}
/** Sign up: the user, their first team (as owner) and a session, in one transaction. */
export async function signUp(engine, keyring, policy, input) {
    const email = normaliseEmail(input.email);
    const passwordHash = await hashPassword(input.password);
    return engine.transaction(async (tx) => {
        const userId = await insertUser(tx, keyring.accounts, email, passwordHash);
        const team = await createTeam(tx, keyring, input.teamName.trim(), userId);
        await audit.record(tx, { teamId: team.id, actor: { type: 'user', id: userId }, action: 'team.created', target: { type: 'team', id: team.id }, requestId: input.requestId });
        // Signing up signs in: a session begins, and sign-ins are audited (I6).
        await audit.record(tx, { teamId: team.id, actor: { type: 'user', id: userId }, action: 'auth.signed_in', requestId: input.requestId });
        const { token } = await createSession(tx, policy, userId, team.id);
        return { userId, email, team, token };
    });
}
//# sourceMappingURL=sign-up.js.map