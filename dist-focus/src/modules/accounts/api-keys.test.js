import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseApiKey } from './api-keys.js';
import { teamOfInvitationToken } from './invitations.js';
describe('token formats', () => {
    const team = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const hex = team.replaceAll('-', '');
    it('an API key names its kind and team', () => {
        assert.deepEqual(parseApiKey(`hv_sk_${'a'.repeat(32)}${hex}`), { kind: 'secret', teamId: team });
        assert.deepEqual(parseApiKey(`hv_wk_${'-'.repeat(32)}${hex}`), { kind: 'write', teamId: team });
    });
    it('anything else is not a key', () => {
        for (const t of ['', 'hv_sk_', `hv_xx_${'a'.repeat(32)}${hex}`, `hv_sk_${'a'.repeat(31)}${hex}`, `hv_sk_${'a'.repeat(32)}${hex.toUpperCase()}`]) {
            assert.equal(parseApiKey(t), null, t);
        }
    });
    it('an invitation token names its team', () => {
        assert.equal(teamOfInvitationToken(`hvi_${'b'.repeat(43)}${hex}`), team);
        assert.equal(teamOfInvitationToken(`hvi_${'b'.repeat(42)}${hex}`), null);
    });
});
//# sourceMappingURL=api-keys.test.js.map