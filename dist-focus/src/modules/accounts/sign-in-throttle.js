import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { HavenError } from '../../platform/http/errors.js';
/** Failed attempts allowed per window before sign-in is refused for that account or address. */
export const THROTTLE = { windowMinutes: 15, perAccount: 5, perAddress: 30 };
// Keyed, so the table of failures names no email or address to anyone without the keys (a plain
// hash of an email or an IPv4 address is undone by trying them all).
export const accountSubject = (keys, email) => keys.lookup('sign-in throttle|account', email);
export const addressSubject = (keys, ip) => keys.lookup('sign-in throttle|address', ip);
/**
 * A browser the account has signed in from before carries a device cookie (OWASP's "device
 * cookies"): `<nonce>.<HMAC(email, nonce)>`. Its attempts are counted per device instead of against
 * the account, so someone guessing passwords elsewhere can lock out strangers' browsers, not the
 * account's own. Stateless: it only changes which counter applies; the password is still needed.
 */
export const DEVICE_COOKIE = '__Secure-haven_device';
export const DEVICE_COOKIE_DAYS = 180;
const deviceMac = (keys, email, nonce) => keys.lookup('sign-in device', `${email}\n${nonce}`);
export function deviceToken(keys, email) {
    const nonce = randomBytes(16).toString('base64url');
    return `${nonce}.${deviceMac(keys, email, nonce).toString('base64url')}`;
}
/** The throttle subject of a device cookie issued for `email`, or null when it is not one. */
export function deviceSubject(keys, email, token) {
    const [nonce, mac, extra] = (token ?? '').split('.');
    if (!nonce || !mac || extra !== undefined || nonce.length > 64)
        return null;
    const expected = deviceMac(keys, email, nonce);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return null;
    return keys.lookup('sign-in throttle|device', nonce);
}
/** Refused until the throttle's window has passed, saying so in `Retry-After`. */
export const tooManyAttempts = (message) => new HavenError('too_many_attempts', 429, message, undefined, { 'retry-after': String(THROTTLE.windowMinutes * 60) });
/**
 * Take an attempt for each subject, before the password is checked: it counts as a failure from
 * now on, so requests sent together cannot all pass the count before any of them is written —
 * they wait on the subjects' locks and each sees the attempts before it. Null, and nothing
 * written, when a subject has reached its limit. A success gives its attempt back
 * (`giveBackAttempt`); a crash in between leaves it counted, which only errs towards refusing.
 */
export async function takeAttempt(tx, subjects) {
    const keys = subjects.map((s) => s.subject);
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('haven-sign-in:' || encode(s, 'hex'), 0)) FROM unnest($1::bytea[]) AS s ORDER BY s`, [keys]);
    const counts = await tx.query(`SELECT subject, count(*)::int AS n FROM sign_in_failures
      WHERE subject = ANY($1::bytea[]) AND failed_at > now() - make_interval(mins => $2) GROUP BY subject`, [keys, THROTTLE.windowMinutes]);
    const over = subjects.some((s) => (counts.rows.find((r) => r.subject.equals(s.subject))?.n ?? 0) >= s.limit);
    if (over)
        return null;
    const attempt = randomUUID();
    await tx.query(`INSERT INTO sign_in_failures (subject, attempt) SELECT s, $2 FROM unnest($1::bytea[]) AS s`, [keys, attempt]);
    return attempt;
}
/** The password was right: the attempt was no failure. */
export async function giveBackAttempt(tx, attempt) {
    await tx.query(`DELETE FROM sign_in_failures WHERE attempt = $1`, [attempt]);
}
//# sourceMappingURL=sign-in-throttle.js.map