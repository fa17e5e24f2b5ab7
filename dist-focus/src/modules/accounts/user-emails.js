/** The look-up purpose of a user's sign-in email (account-keys.ts). */
const EMAIL_LOOKUP = 'users.email';
export function normaliseEmail(email) {
    return email.trim().toLowerCase();
}
/** The keyed look-up of a normalised sign-in email: what `users.email_lookup` holds and is unique on. */
export const emailLookup = (keys, normalised) => keys.lookup(EMAIL_LOOKUP, normalised);
const emailWhere = (userId) => ({ table: 'users', column: 'email', rowId: userId });
export const sealUserEmail = (keys, userId, normalised) => keys.seal(emailWhere(userId), normalised);
/** A user's email from their row: sealed, or in clear for a row of an earlier build not yet sealed. */
export function userEmail(keys, row) {
    if (row.email_sealed)
        return keys.open(emailWhere(row.id), Buffer.from(row.email_sealed));
    return row.email ?? '';
}
//# sourceMappingURL=user-emails.js.map