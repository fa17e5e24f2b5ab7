/** Team roles, most to least powerful. */
export const ROLES = ['owner', 'admin', 'member', 'viewer'];
const everyone = ROLES;
const managers = ['owner', 'admin'];
const editors = ['owner', 'admin', 'member'];
const owners = ['owner'];
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
};
export function roleAllows(role, action) {
    return PERMISSIONS[action].includes(role);
}
/** Secret API keys act with the powers of a role: read → viewer, admin → admin. */
export function roleOfKeyScope(scope) {
    return scope === 'admin' ? 'admin' : 'viewer';
}
/** Is `a` more powerful than `b`? */
export function outranks(a, b) {
    return ROLES.indexOf(a) < ROLES.indexOf(b);
}
/** Only an owner may make someone an owner or change an owner's role. */
export function mayAssignRole(actor, from, to) {
    if (!roleAllows(actor, 'members.manage'))
        return false;
    if (actor === 'owner')
        return true;
    return to !== 'owner' && from !== 'owner';
}
//# sourceMappingURL=permissions.js.map