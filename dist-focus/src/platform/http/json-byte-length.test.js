import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { jsonByteLength } from './json-byte-length.js';
const bytesOf = (value) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
describe('the byte length of a value as JSON', () => {
    it('equals the stringified text’s for any JSON value, any text (escapes, astral and lone surrogates)', () => {
        // Any code units, and text made of the ones that are escaped or take 2–4 bytes.
        const special = fc.constantFrom('"', '\\', '\n', '\t', '\b', '\u0001', '\u001f', '\u007f', 'a', 'é', '€', '😀', '\ud800', '\udc00');
        const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: special }));
        const value = fc.letrec((tie) => ({
            any: fc.oneof({ depthSize: 'small' }, text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('any')), fc.dictionary(text, tie('any'))),
        })).any;
        fc.assert(fc.property(value, (v) => jsonByteLength(v) === bytesOf(v)), { numRuns: 2000 });
    });
    it('leaves out undefined members as JSON.stringify does, and writes them as null in arrays', () => {
        for (const v of [{ a: undefined }, { a: 1, b: undefined, c: () => 1 }, [undefined, 1], { a: [undefined], b: { c: undefined } }, [], {}, -0, NaN, Infinity]) {
            assert.equal(jsonByteLength(v), bytesOf(v), JSON.stringify(v));
        }
    });
    it('measures anything else as JSON.stringify writes it', () => {
        for (const v of [new Date(0), { at: new Date(0) }, { toJSON: () => 'x' }, Object.assign(Object.create(null), { a: 'é' })]) {
            assert.equal(jsonByteLength(v), bytesOf(v));
        }
    });
});
//# sourceMappingURL=json-byte-length.test.js.map