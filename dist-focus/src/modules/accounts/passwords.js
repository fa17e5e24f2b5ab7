import { hash, verify } from '@node-rs/argon2';
/** OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1. */
const ARGON2ID = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
export function hashPassword(password) {
    return hash(password, ARGON2ID);
}
export async function verifyPassword(passwordHash, password) {
    try {
        return await verify(passwordHash, password);
    }
    catch {
        return false;
    }
}
/**
 * Checked against when the account does not exist, so an unknown email costs the same time as a
 * wrong password and sign-in does not reveal which accounts exist. A fixed hash with the same
 * parameters, of a random password nobody kept: made lazily, the first unknown email after a
 * start would have cost a hash as well, and stood out.
 */
export const DECOY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$jg66ddwF6++TIMvRWR6lmA$zwCmVVStTeJKDh4SEX8G/v/hPlczdcnsiJur6EZVylg';
export async function burnPasswordCheck(password) {
    await verifyPassword(DECOY_HASH, password);
}
//# sourceMappingURL=passwords.js.map