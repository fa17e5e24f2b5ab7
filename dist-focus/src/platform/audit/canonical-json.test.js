import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from './canonical-json.js';
describe('canonicalJson', () => {
    it('sorts keys at every depth and drops undefined', () => {
        assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' }, u: undefined }), '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}');
    });
    it('is the same for the same content, whatever the key order', () => {
        assert.equal(canonicalJson({ x: 1, y: 2 }), canonicalJson({ y: 2, x: 1 }));
    });
    it('refuses what JSON cannot hold exactly', () => {
        assert.throws(() => canonicalJson(Number.NaN));
        assert.throws(() => canonicalJson({ f: () => 1 }));
    });
});
//# sourceMappingURL=canonical-json.test.js.map