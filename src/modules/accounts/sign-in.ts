import type { AccountKeys } from '../../platform/crypto/account-keys.js';
import type { Engine } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';
import { type SessionPolicy, createSession } from './sessions.js';
import { emailLookup, normaliseEmail } from './user-emails.js';
import { auditForUserTeams } from './audit-actor.js';
import { teamsOfUser } from './teams.js';

/** Failed attempts allowed per window before sign-in is refused for that account or address. */
export const THROTTLE = { windowMinutes: 15, perAccount: 5, perAddress: 30 } as const;

// Keyed, so the table of failures names no email or address to anyone without the keys (a plain
// hash of an email or an IPv4 address is undone by trying them all).
export const accountSubject = (keys: AccountKeys, email: string) => keys.lookup('sign-in throttle|account', email);
const addressSubject = (keys: AccountKeys, ip: string) => keys.lookup('sign-in throttle|address', ip);

/** Refused until the throttle's window has passed, saying so in `Retry-After`. */
export const tooManyAttempts = (message: string) =>
  new HavenError('too_many_attempts', 429, message, undefined, { 'retry-after': String(THROTTLE.windowMinutes * 60) });

const wrongCredentials = () => new HavenError('invalid_credentials', 401, 'Wrong email or password.');

/**
 * Sign in with email and password. Throttled per account and per client address, counting
 * failures in the database so every app node sees them; a success clears the account's count.
 */
export async function signIn(
  engine: Engine,
  keys: AccountKeys,
  policy: SessionPolicy,
  input: { email: string; password: string; ip: string; requestId?: string },
): Promise<{ userId: string; email: string; token: string }> {
  const email = normaliseEmail(input.email);
  const subjects = [accountSubject(keys, email), addressSubject(keys, input.ip)];

  const { user, blocked } = await engine.transaction(async (tx) => {
    const counts = await tx.query<{ account: number; address: number }>(
      `SELECT count(*) FILTER (WHERE subject = $1) AS account, count(*) FILTER (WHERE subject = $2) AS address
         FROM sign_in_failures
        WHERE subject IN ($1, $2) AND failed_at > now() - make_interval(mins => $3)`,
      [subjects[0], subjects[1], THROTTLE.windowMinutes],
    );
    const c = counts.rows[0]!;
    const found = await tx.query<{ id: string; password_hash: string }>(`SELECT id, password_hash FROM users WHERE email_lookup = $1`, [
      emailLookup(keys, email),
    ]);
    return { user: found.rows[0], blocked: Number(c.account) >= THROTTLE.perAccount || Number(c.address) >= THROTTLE.perAddress };
  });
  if (blocked) {
    if (user) {
      await engine.transaction((tx) =>
        auditForUserTeams(tx, user.id, { actor: { type: 'user', id: user.id }, action: 'auth.sign_in_throttled', requestId: input.requestId }),
      );
    }
    throw tooManyAttempts('Too many failed sign-ins; wait 15 minutes and try again.');
  }

  const ok = user ? await verifyPassword(user.password_hash, input.password) : (await burnPasswordCheck(input.password), false);
  if (!user || !ok) {
    await engine.transaction(async (tx) => {
      await tx.query(`INSERT INTO sign_in_failures (subject) VALUES ($1), ($2)`, subjects);
      await tx.query(`DELETE FROM sign_in_failures WHERE failed_at < now() - interval '1 day'`);
      if (user) {
        await auditForUserTeams(tx, user.id, { actor: { type: 'user', id: user.id }, action: 'auth.sign_in_failed', requestId: input.requestId });
      }
    });
    throw wrongCredentials();
  }

  const teams = await teamsOfUser(engine, user.id);
  const { token } = await engine.transaction(async (tx) => {
    await tx.query(`DELETE FROM sign_in_failures WHERE subject = $1`, [subjects[0]]);
    await auditForUserTeams(tx, user.id, { actor: { type: 'user', id: user.id }, action: 'auth.signed_in', requestId: input.requestId });
    return createSession(tx, policy, user.id, teams[0]?.id ?? null);
  });
  return { userId: user.id, email, token };
}
