import type { AccountKeys } from '../../platform/crypto/account-keys.js';

/** The look-up purpose of a user's sign-in email (account-keys.ts). */
const EMAIL_LOOKUP = 'users.email';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The keyed look-up of a normalised sign-in email: what `users.email_lookup` holds and is unique on. */
export const emailLookup = (keys: AccountKeys, normalised: string): Buffer => keys.lookup(EMAIL_LOOKUP, normalised);

const emailWhere = (userId: string) => ({ table: 'users', column: 'email', rowId: userId });

export const sealUserEmail = (keys: AccountKeys, userId: string, normalised: string): Buffer => keys.seal(emailWhere(userId), normalised);

/** A user's email from their row: sealed, or in clear for a row of an earlier build not yet sealed. */
export function userEmail(keys: AccountKeys, row: { id: string; email: string | null; email_sealed: Buffer | null }): string {
  if (row.email_sealed) return keys.open(emailWhere(row.id), Buffer.from(row.email_sealed));
  return row.email ?? '';
}
