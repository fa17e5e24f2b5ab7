import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PERMISSIONS, ROLES, mayAssignRole, roleAllows, roleOfKeyScope } from './permissions.js';
describe('permissions', () => {
    it('owners may do everything; viewers nothing but reading', () => {
        for (const action of Object.keys(PERMISSIONS)) {
            assert.ok(roleAllows('owner', action), action);
            if (roleAllows('viewer', action))
                assert.ok(action.endsWith('.read'), action);
        }
        assert.ok(!roleAllows('viewer', 'audit.read'), 'the audit log is for owners and admins');
    });
    it('roles are ordered: a role allows no more than the one above it', () => {
        for (const action of Object.keys(PERMISSIONS)) {
            for (let i = 1; i < ROLES.length; i++) {
                if (roleAllows(ROLES[i], action))
                    assert.ok(roleAllows(ROLES[i - 1], action), `${ROLES[i - 1]} < ${ROLES[i]} on ${action}`);
            }
        }
    });
    it('only an owner grants or changes the owner role', () => {
        assert.ok(mayAssignRole('owner', 'member', 'owner'));
        assert.ok(mayAssignRole('owner', 'owner', 'admin'));
        assert.ok(mayAssignRole('admin', 'member', 'admin'));
        assert.ok(!mayAssignRole('admin', 'member', 'owner'));
        assert.ok(!mayAssignRole('admin', 'owner', 'member'));
        assert.ok(!mayAssignRole('member', 'viewer', 'member'));
    });
    it('secret key scopes act as viewer (read) or admin', () => {
        assert.equal(roleOfKeyScope('read'), 'viewer');
        assert.equal(roleOfKeyScope('admin'), 'admin');
    });
});
//# sourceMappingURL=permissions.test.js.map