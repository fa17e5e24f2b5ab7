import type { Role } from './api/types';

/**
 * Only an owner grants the owner role or changes an owner's role (the server decides; this only
 * keeps the controls to the choices it will accept).
 */
export function assignableRoles(actor: Role | undefined, current: Role | null): Role[] {
  if (actor === 'owner') return ['owner', 'admin', 'member', 'viewer'];
  if (current === 'owner') return [];
  return ['admin', 'member', 'viewer'];
}

export const ROLE_HELP: Record<Role, string> = {
  owner: 'everything; only owners manage owners',
  admin: 'members, invitations, API keys, tracking settings, the audit log, deleting people',
  member: 'adds and edits people and notes',
  viewer: 'reads people and activity',
};
