/**
 * Members' and invitees' emails are sealed (I2): a user's under the account keys with a keyed
 * look-up for sign-in, an invitation's under its team's key. The clear `email` columns hold only
 * rows written by earlier builds, until the start-up pass (seal-clear-emails.ts) seals them.
 */
export const sealedEmailsSchema = {
    id: 'accounts/0003_sealed_emails',
    sql: `
    ALTER TABLE users ADD COLUMN email_sealed bytea;
    ALTER TABLE users ADD COLUMN email_lookup bytea;
    ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
    CREATE UNIQUE INDEX users_email_lookup ON users (email_lookup);
    ALTER TABLE users ADD CONSTRAINT users_email_sealed_or_legacy
      CHECK ((email IS NULL) = (email_sealed IS NOT NULL AND email_lookup IS NOT NULL));

    ALTER TABLE invitations ADD COLUMN email_sealed bytea;
    ALTER TABLE invitations ALTER COLUMN email DROP NOT NULL;
    ALTER TABLE invitations ADD CONSTRAINT invitations_email_sealed_or_legacy CHECK ((email IS NULL) = (email_sealed IS NOT NULL));
  `,
};
//# sourceMappingURL=0003_sealed_emails.js.map