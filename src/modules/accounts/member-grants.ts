import type { Tx } from '../../platform/db/engine.js';
import { revokeKeysBeyondMaker } from './api-keys.js';
import { revokeInvitationsBeyondInviter } from './invitations.js';
import type { MemberChangeCause, Role } from './permissions.js';

/**
 * What a member made that carries power — secret keys, pending invitations — never holds more than
 * they now do. Run in the transaction that removes them, demotes them or deletes their account.
 */
export async function revokeGrantsBeyondMember(
  tx: Tx,
  teamId: string,
  member: { userId: string; role: Role | null },
  why: MemberChangeCause,
): Promise<{ keys: number; invitations: number }> {
  const keys = await revokeKeysBeyondMaker(tx, teamId, member, why);
  const invitations = await revokeInvitationsBeyondInviter(tx, teamId, member, why);
  return { keys: keys.length, invitations };
}
