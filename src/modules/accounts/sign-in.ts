import type { AccountKeys } from '../../platform/crypto/account-keys.js';
import type { Engine } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';
import { type SessionPolicy, createSession } from './sessions.js';
import { emailLookup, normaliseEmail } from './user-emails.js';
import { auditForUserTeams } from './audit-actor.js';
import { teamsOfUser } from './teams.js';
import { THROTTLE, accountSubject, addressSubject, giveBackAttempt, takeAttempt, tooManyAttempts } from './sign-in-throttle.js';

const wrongCredentials = () => new HavenError('invalid_credentials', 401, 'Wrong email or password.');

/**
 * Sign in with email and password. Throttled per account and per client address, counting
 * attempts in the database so every app node sees them; a success clears the account's count.
 */
export async function signIn(
  engine: Engine,
  keys: AccountKeys,
  policy: SessionPolicy,
  input: { email: string; password: string; ip: string; requestId?: string },
): Promise<{ userId: string; email: string; token: string }> {
  const email = normaliseEmail(input.email);
  const throttled = [
    { subject: accountSubject(keys, email), limit: THROTTLE.perAccount },
    { subject: addressSubject(keys, input.ip), limit: THROTTLE.perAddress },
  ];

  const { user, attempt } = await engine.transaction(async (tx) => {
    const found = await tx.query<{ id: string; password_hash: string }>(`SELECT id, password_hash FROM users WHERE email_lookup = $1`, [
      emailLookup(keys, email),
    ]);
    return { user: found.rows[0], attempt: await takeAttempt(tx, throttled) };
  });
  if (!attempt) {
    if (user) {
      await engine.transaction((tx) =>
        auditForUserTeams(tx, user.id, { actor: { type: 'user', id: user.id }, action: 'auth.sign_in_throttled', requestId: input.requestId }),
      );
    }
    throw tooManyAttempts('Too many failed sign-ins; wait 15 minutes and try again.');
  }

  const ok = user ? await verifyPassword(user.password_hash, input.password) : (await burnPasswordCheck(input.password), false);
  if (!user || !ok) {
    // The attempt stays counted.
    await engine.transaction(async (tx) => {
      await tx.query(`DELETE FROM sign_in_failures WHERE failed_at < now() - interval '1 day'`);
      if (user) {
        await auditForUserTeams(tx, user.id, { actor: { type: 'user', id: user.id }, action: 'auth.sign_in_failed', requestId: input.requestId });
      }
    });
    throw wrongCredentials();
  }

  const teams = await teamsOfUser(engine, user.id);
  const { token } = await engine.transaction(async (tx) => {
    await giveBackAttempt(tx, attempt);
    await tx.query(`DELETE FROM sign_in_failures WHERE subject = $1`, [throttled[0]!.subject]);
    await auditForUserTeams(tx, user.id, { actor: { type: 'user', id: user.id }, action: 'auth.signed_in', requestId: input.requestId });
    return createSession(tx, policy, user.id, teams[0]?.id ?? null);
  });
  return { userId: user.id, email, token };
}
