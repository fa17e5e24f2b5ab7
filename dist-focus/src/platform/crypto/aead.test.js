import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DecryptError, contextOf, keyVersionOf, open, seal } from './aead.js';
describe('aead', () => {
    const key = randomBytes(32);
    const ctx = contextOf({ teamId: 't1', table: 'people', column: 'name', rowId: 'r1' });
    it('round-trips and names its key version', () => {
        const sealed = seal(key, 7, Buffer.from('Ada Lovelace'), ctx);
        assert.equal(keyVersionOf(sealed), 7);
        assert.equal(open(key, sealed, ctx).toString(), 'Ada Lovelace');
    });
    it('uses a fresh nonce every time', () => {
        assert.notDeepEqual(seal(key, 1, Buffer.from('x'), ctx), seal(key, 1, Buffer.from('x'), ctx));
    });
    it('nonces stay distinct and sealed values stay intact across refills of the nonce pool', () => {
        const sealed = Array.from({ length: 2500 }, (_, i) => seal(key, 1, Buffer.from(`value ${i}`), ctx));
        const nonces = new Set(sealed.map((s) => s.subarray(5, 17).toString('hex')));
        assert.equal(nonces.size, sealed.length);
        sealed.forEach((s, i) => assert.equal(open(key, s, ctx).toString(), `value ${i}`));
    });
    it('fails with DecryptError in another row, column, table or team, with another key, or when altered', () => {
        const sealed = seal(key, 1, Buffer.from('secret'), ctx);
        for (const other of [
            contextOf({ teamId: 't1', table: 'people', column: 'name', rowId: 'r2' }),
            contextOf({ teamId: 't1', table: 'people', column: 'email', rowId: 'r1' }),
            contextOf({ teamId: 't1', table: 'notes', column: 'name', rowId: 'r1' }),
            contextOf({ teamId: 't2', table: 'people', column: 'name', rowId: 'r1' }),
        ]) {
            assert.throws(() => open(key, sealed, other), DecryptError);
        }
        assert.throws(() => open(randomBytes(32), sealed, ctx), DecryptError);
        const flipped = Buffer.from(sealed);
        flipped[flipped.length - 20] ^= 1;
        assert.throws(() => open(key, flipped, ctx), DecryptError);
        const relabelled = Buffer.from(sealed);
        relabelled.writeUInt32BE(2, 1);
        assert.throws(() => open(key, relabelled, ctx), DecryptError, 'the key version is authenticated too');
        assert.throws(() => open(key, Buffer.from('short'), ctx), DecryptError);
    });
});
//# sourceMappingURL=aead.test.js.map