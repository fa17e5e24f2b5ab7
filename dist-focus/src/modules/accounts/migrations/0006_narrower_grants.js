import { APP_ROLE } from '../../../platform/db/engine.js';
/**
 * Invitations and keys are revoked, never deleted (their rows are the record of who was let in);
 * only a team's deletion removes them, as the owner. The app role keeps no DELETE it never uses.
 */
export const narrowerGrantsSchema = {
    id: 'accounts/0006_narrower_grants',
    sql: `REVOKE DELETE ON invitations, api_keys FROM ${APP_ROLE};`,
};
//# sourceMappingURL=0006_narrower_grants.js.map