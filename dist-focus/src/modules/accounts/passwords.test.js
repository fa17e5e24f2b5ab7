import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DECOY_HASH, hashPassword, verifyPassword } from './passwords.js';
describe('passwords', () => {
    it('the decoy hash has the parameters real hashes have, so checking it costs the same', async () => {
        const real = await hashPassword('a real password, for the test');
        const parameters = (hash) => hash.split('$').slice(1, 4).join('$');
        assert.equal(parameters(DECOY_HASH), parameters(real));
        assert.equal(await verifyPassword(DECOY_HASH, 'haven-decoy-password'), false);
    });
});
//# sourceMappingURL=passwords.test.js.map