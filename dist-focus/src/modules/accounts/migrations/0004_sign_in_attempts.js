/**
 * A sign-in attempt is written before its password is checked and counts as a failure until it
 * succeeds (sign-in-throttle.ts): `attempt` names the rows a success takes back. Rows written by
 * earlier builds are failures and have none.
 */
export const signInAttemptsSchema = {
    id: 'accounts/0004_sign_in_attempts',
    sql: `
    ALTER TABLE sign_in_failures ADD COLUMN attempt uuid;
    CREATE INDEX sign_in_failures_attempt ON sign_in_failures (attempt) WHERE attempt IS NOT NULL;
  `,
};
//# sourceMappingURL=0004_sign_in_attempts.js.map