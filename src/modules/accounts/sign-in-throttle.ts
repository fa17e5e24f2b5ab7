import { randomUUID } from 'node:crypto';
import type { AccountKeys } from '../../platform/crypto/account-keys.js';
import type { Tx } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';

/** Failed attempts allowed per window before sign-in is refused for that account or address. */
export const THROTTLE = { windowMinutes: 15, perAccount: 5, perAddress: 30 } as const;

// Keyed, so the table of failures names no email or address to anyone without the keys (a plain
// hash of an email or an IPv4 address is undone by trying them all).
export const accountSubject = (keys: AccountKeys, email: string) => keys.lookup('sign-in throttle|account', email);
export const addressSubject = (keys: AccountKeys, ip: string) => keys.lookup('sign-in throttle|address', ip);

/** Refused until the throttle's window has passed, saying so in `Retry-After`. */
export const tooManyAttempts = (message: string) =>
  new HavenError('too_many_attempts', 429, message, undefined, { 'retry-after': String(THROTTLE.windowMinutes * 60) });

export interface Throttled {
  subject: Buffer;
  limit: number;
}

/**
 * Take an attempt for each subject, before the password is checked: it counts as a failure from
 * now on, so requests sent together cannot all pass the count before any of them is written —
 * they wait on the subjects' locks and each sees the attempts before it. Null, and nothing
 * written, when a subject has reached its limit. A success gives its attempt back
 * (`giveBackAttempt`); a crash in between leaves it counted, which only errs towards refusing.
 */
export async function takeAttempt(tx: Tx, subjects: readonly Throttled[]): Promise<string | null> {
  const keys = subjects.map((s) => s.subject);
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('haven-sign-in:' || encode(s, 'hex'), 0)) FROM unnest($1::bytea[]) AS s ORDER BY s`, [keys]);
  const counts = await tx.query<{ subject: Buffer; n: number }>(
    `SELECT subject, count(*)::int AS n FROM sign_in_failures
      WHERE subject = ANY($1::bytea[]) AND failed_at > now() - make_interval(mins => $2) GROUP BY subject`,
    [keys, THROTTLE.windowMinutes],
  );
  const over = subjects.some((s) => (counts.rows.find((r) => r.subject.equals(s.subject))?.n ?? 0) >= s.limit);
  if (over) return null;
  const attempt = randomUUID();
  await tx.query(`INSERT INTO sign_in_failures (subject, attempt) SELECT s, $2 FROM unnest($1::bytea[]) AS s`, [keys, attempt]);
  return attempt;
}

/** The password was right: the attempt was no failure. */
export async function giveBackAttempt(tx: Tx, attempt: string): Promise<void> {
  await tx.query(`DELETE FROM sign_in_failures WHERE attempt = $1`, [attempt]);
}
