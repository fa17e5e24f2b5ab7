import { revokeKeysBeyondMaker } from './api-keys.js';
import { revokeInvitationsBeyondInviter } from './invitations.js';
/**
 * What a member made that carries power — secret keys, pending invitations — never holds more than
 * they now do. Run in the transaction that removes them, demotes them or deletes their account.
 */
export async function revokeGrantsBeyondMember(tx, teamId, member, why) {
    const keys = await revokeKeysBeyondMaker(tx, teamId, member, why);
    const invitations = await revokeInvitationsBeyondInviter(tx, teamId, member, why);
    return { keys: keys.length, invitations };
}
//# sourceMappingURL=member-grants.js.map