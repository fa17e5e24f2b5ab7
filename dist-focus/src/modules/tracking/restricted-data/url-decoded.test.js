import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_DECODE_ROUNDS, mayBeUrlEncoded, urlDecodeOnce } from './url-decoded.js';
const NUM_RUNS = Number(process.env['HAVEN_FC_RUNS'] ?? 300);
const original = (text) => ({ text, from: undefined, to: undefined, escapes: false });
const decoded = (text) => urlDecodeOnce(original(text), true)?.text;
/** Every view of `text`, decoded round after round, with maps back to `text`. */
function views(text) {
    const out = [];
    let v = original(text);
    for (let round = 0; round < MAX_DECODE_ROUNDS && v; round++) {
        v = urlDecodeOnce(v, true);
        if (v)
            out.push(v);
    }
    return out;
}
describe('URL-decoded views', () => {
    it('decode escapes as UTF-8, bytes that are not UTF-8 as Latin-1, and "+" only in a query', () => {
        assert.equal(decoded('d%C3%A9pression'), 'dépression');
        assert.equal(decoded('d%c3%a9pression'), 'dépression');
        assert.equal(decoded('d%E9pression'), 'dépression');
        assert.equal(decoded('%F0%9F%98%80'), '😀');
        assert.equal(decoded('%E3%80%80'), '\u3000');
        assert.equal(decoded('%2520'), '%20');
        assert.equal(decoded('?q=a+b&c=d+e'), '?q=a b&c=d e');
        assert.equal(decoded('q=a+b'), 'q=a b');
        assert.equal(decoded('C++ and a+b'), undefined, 'no query: "+" is a plus');
        assert.equal(decoded('a+b?q=c+d'), 'a+b?q=c d');
        assert.equal(decoded('plain text'), undefined);
    });
    it('never throw on invalid escapes, and never produce a lone surrogate', () => {
        assert.equal(decoded('100%'), undefined);
        assert.equal(decoded('%ZZ%'), undefined);
        assert.equal(decoded('%C3'), 'Ã');
        assert.equal(decoded('%C3%28'), 'Ã(');
        assert.equal(decoded('%ED%A0%80'), '\u00ed\u00a0\u0080', 'an encoded surrogate is read byte by byte');
        assert.equal(decoded('%C0%AF'), '\u00c0\u00af', 'overlong');
        assert.equal(decoded('%F4%90%80%80'), '\u00f4\u0090\u0080\u0080', 'beyond U+10FFFF');
    });
    it('map each decoded character to the whole escape sequence it came from, through every round', () => {
        const [once, twice] = views('a%25C3%25A9b');
        assert.equal(once.text, 'a%C3%A9b');
        assert.equal(twice.text, 'aéb');
        assert.deepEqual([...twice.from], [0, 1, 11]);
        assert.deepEqual([...twice.to], [1, 11, 12]);
        const [emoji] = views('x%F0%9F%98%80');
        assert.deepEqual([...emoji.from], [0, 1, 1]);
        assert.deepEqual([...emoji.to], [1, 13, 13]);
    });
    it('property: decoding what encodeURIComponent wrote gives the text back', () => {
        fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => s.isWellFormed()), (s) => {
            const enc = encodeURIComponent(s);
            assert.equal(urlDecodeOnce(original(enc), false)?.text ?? enc, s);
            assert.equal(urlDecodeOnce(original(encodeURIComponent(enc)), false)?.text ?? encodeURIComponent(enc), enc);
        }), { numRuns: NUM_RUNS });
    });
    it('property: any text decodes without throwing, with a map of sound spans', () => {
        const unit = fc.constantFrom('%', '%', '2', '5', 'C', 'c', '3', 'A', '9', 'E', 'F', '0', '+', '?', '=', 'a', ' ', 'é', '😀', '\ud800');
        fc.assert(fc.property(fc.string({ unit, maxLength: 60 }), (s) => {
            assert.equal(mayBeUrlEncoded(s), urlDecodeOnce(original(s), false) !== undefined);
            let last;
            for (const v of views(s)) {
                assert.equal(v.from.length, v.text.length);
                assert.equal(v.to.length, v.text.length);
                for (let i = 0; i < v.text.length; i++) {
                    assert.ok(v.from[i] >= 0 && v.from[i] < v.to[i] && v.to[i] <= s.length);
                    if (i > 0)
                        assert.ok(v.from[i] >= v.from[i - 1]);
                }
                if (last)
                    assert.ok(v.text.length <= last.text.length, 'a view is never longer than the one before');
                assert.equal(urlDecodeOnce(v, false)?.text, urlDecodeOnce(v, true)?.text);
                last = v;
            }
        }), { numRuns: NUM_RUNS * 3 });
    });
});
//# sourceMappingURL=url-decoded.test.js.map