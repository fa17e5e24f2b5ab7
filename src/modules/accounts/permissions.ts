import type { AuditEvent } from '../../platform/audit/index.js';
/** Team roles, most to least powerful. */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const everyone: readonly Role[] = ROLES;
const managers: readonly Role[] = ['owner', 'admin'];
const editors: readonly Role[] = ['owner', 'admin', 'member'];
const owners: readonly Role[] = ['owner'];

/**
 * What each role may do. The one place permissions are decided; routes name an action and the
 * tests walk this table route by route. Modules add their actions here as they grow.
 */
export const PERMISSIONS = {
  'team.read': everyone,
  'team.update': managers,
  'members.read': everyone,
  'members.manage': managers,
  'invitations.manage': managers,
  'apiKeys.manage': managers,
  'audit.read': managers,
  'people.read': everyone,
  'people.write': editors,
  'people.delete': managers,
  'tracking.manage': managers,
  'consents.write': editors,
  'privacy.read': managers,
  'privacy.export': managers,
  'privacy.object': editors,
  'privacy.manage': managers,
  'team.cancel': owners,
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export function roleAllows(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** Secret API keys act with the powers of a role: read → viewer, admin → admin. */
export function roleOfKeyScope(scope: 'read' | 'admin'): Role {
  return scope === 'admin' ? 'admin' : 'viewer';
}

/** Is `a` more powerful than `b`? */
export function outranks(a: Role, b: Role): boolean {
  return ROLES.indexOf(a) < ROLES.indexOf(b);
}

/** Only an owner may make someone an owner or change an owner's role. */
export function mayAssignRole(actor: Role, from: Role | null, to: Role): boolean {
  if (!roleAllows(actor, 'members.manage')) return false;
  if (actor === 'owner') return true;
  return to !== 'owner' && from !== 'owner';
}

/**
 * Why a key or an invitation was revoked for the member who made it (the audit entry's
 * `details.reason`): they left, were removed, were given a lower role, deleted their account, or
 * (found at start) are no longer a member.
 */
export type MemberChangeReason = 'member_left' | 'member_removed' | 'role_changed' | 'account_deleted' | 'maker_not_member';

/** Who revoked a member's keys or invitations, in which request, and why (their audit entries). */
export interface MemberChangeCause {
  actor: AuditEvent['actor'];
  requestId: string | undefined;
  reason: MemberChangeReason;
}
