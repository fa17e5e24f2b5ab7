import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HavenError } from './errors.js';
import { RESERVED_KEY, parseStrictJson } from './json-body.js';
/** The rules of parseStrictJson, applied to every value (the reviver form, without its fast path). */
function reference(text) {
    let bad = false;
    let prototypeKey = false;
    const parsed = JSON.parse(text, (key, value) => {
        const unstorable = (t) => t.includes('\u0000') || !t.isWellFormed();
        if (unstorable(key) || (typeof value === 'string' && unstorable(value)))
            bad = true;
        if (key === '__proto__')
            prototypeKey = true;
        return value;
    });
    if (prototypeKey)
        throw new HavenError('reserved_key', 400, '');
    if (bad)
        throw new HavenError('invalid_text', 400, '');
    return parsed;
}
const outcome = (f) => {
    try {
        return { value: f() };
    }
    catch (error) {
        return { code: error.code };
    }
};
describe('parseStrictJson', () => {
    it('refuses NUL, lone surrogates and __proto__ keys, with or without escapes; keeps constructor', () => {
        for (const text of ['{"a":"x\\u0000"}', '{"a":"\\ud800"}', '{"\\u0000":1}', '["\\udc00"]']) {
            assert.equal(outcome(() => parseStrictJson(Buffer.from(text))).code, 'invalid_text', text);
        }
        // Ingest keeps them, for each event to be refused on its own (checkEvent).
        assert.deepEqual(parseStrictJson(Buffer.from('{"a":"x\\u0000","\\ud800":1}'), { keepUnstorableText: true }), { a: 'x\u0000', '\ud800': 1 });
        for (const text of ['{"__proto__":{"x":1},"a":1}', '{"a":{"__proto__":{"x":1}}}', '{"__pro\\u0074o__":{"x":1},"a":1}']) {
            assert.equal(outcome(() => parseStrictJson(Buffer.from(text))).code, 'reserved_key', text);
        }
        // Ingest keeps it under a name no valid text can be, for its event alone to be refused.
        const ingest = parseStrictJson(Buffer.from('{"a":{"__proto__":{"x":1},"b":2}}'), { keepUnstorableText: true });
        assert.deepEqual(ingest.a, { b: 2, [RESERVED_KEY]: { x: 1 } });
        assert.equal(Object.getPrototypeOf(ingest.a), Object.prototype);
        const kept = parseStrictJson(Buffer.from('{"constructor":"ACME Builders","a":{"constructor":{"prototype":{"x":1}}}}'));
        assert.deepEqual(kept, { constructor: 'ACME Builders', a: { constructor: { prototype: { x: 1 } } } });
        assert.ok(Object.hasOwn(kept, 'constructor'), 'an own property');
        assert.equal({}.x, undefined);
        assert.equal(outcome(() => parseStrictJson(Buffer.from('{"a":'))).code, 'malformed_json');
        // Absurd nesting is refused as before (the reviver's recursion), escapes or not.
        assert.equal(outcome(() => parseStrictJson(Buffer.from(`{"x":${'['.repeat(30_000)}${']'.repeat(30_000)}}`))).code, 'malformed_json');
        assert.deepEqual(parseStrictJson(Buffer.from(`{"x":${'['.repeat(500)}${']'.repeat(500)}}`)), { x: JSON.parse(`${'['.repeat(500)}${']'.repeat(500)}`) });
        assert.equal(outcome(() => parseStrictJson(Buffer.from([0x7b, 0xff, 0x7d]))).code, 'invalid_utf8');
    });
    it('property: the plain-parse fast path answers exactly what the checked parse does', () => {
        const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'a', 'b'));
        const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('\u0000', '\ud800', 'C:\\users', 'x\u2028y'));
        const json = fc.letrec((tie) => ({
            value: fc.oneof({ depthSize: 'small' }, text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(tie('value')), fc.dictionary(key, tie('value'))),
        })).value;
        fc.assert(fc.property(json, fc.boolean(), (value, escapeAll) => {
            let body = JSON.stringify(value);
            // Also written with every non-ASCII character escaped, as some clients send it.
            if (escapeAll)
                body = body.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
            const bytes = Buffer.from(body, 'utf8');
            assert.deepEqual(outcome(() => parseStrictJson(bytes)), outcome(() => reference(bytes.toString('utf8'))));
        }), { numRuns: 500 });
    });
    it('exactIntegers: keeps integers a double would round as strings of the digits sent, and nothing else', () => {
        const parse = (text) => parseStrictJson(Buffer.from(text), { exactIntegers: true });
        // Without the option (the API outside ingest), a number stays a number however long.
        assert.deepEqual(parseStrictJson(Buffer.from('[4111111111111111111]')), [4111111111111111111]);
        // A 19-digit card number and a 64-bit id, in values, arrays and nested objects, signs kept.
        assert.deepEqual(parse('{"card":4111111111111111111,"ids":[9007199254740993,-12345678901234567890],"o":{"x":18446744073709551615}}'), {
            card: '4111111111111111111',
            ids: ['9007199254740993', '-12345678901234567890'],
            o: { x: '18446744073709551615' },
        });
        // Integers whose number prints as sent stay numbers: up to 2^53, and the large doubles a
        // JavaScript client writes (shortest round-trip digits); 2^64 written out in full does not.
        assert.deepEqual(parse('[9007199254740991,4111111111111111,51316878103203610,1e21,0,-0,18446744073709551616]'), [
            9007199254740991, 4111111111111111, 51316878103203610, 1e21, 0, -0, '18446744073709551616',
        ]);
        // Fractions and exponents are numbers as before, however many digits they carry.
        assert.deepEqual(parse('[0.41111111111111111111,41111111111111111111.5,4111111111111111111e2]'), [0.41111111111111111111, 41111111111111111111.5, 4111111111111111111e2]);
        // Digits inside strings and keys are left alone, escaped quotes included.
        assert.deepEqual(parse('{"4111111111111111111":"a \\" 4111111111111111111 \\"","b":"\\\\","c":4111111111111111111}'), {
            '4111111111111111111': 'a " 4111111111111111111 "',
            b: '\\',
            c: '4111111111111111111',
        });
        // The checked path (escapes) does the same.
        assert.deepEqual(parse('{"n":"caf\\u00e9","card":4111111111111111111}'), { n: 'café', card: '4111111111111111111' });
        // A malformed body stays malformed: quoting its digits would have made this one valid.
        assert.equal(outcome(() => parse('{12345678901234567890: 1}')).code, 'malformed_json');
        assert.equal(outcome(() => parse('[12345678901234567890')).code, 'malformed_json');
    });
    it('property, exactIntegers: an integer literal arrives as a number when the number prints as the literal, else as its digits', () => {
        fc.assert(fc.property(fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }), fc.string(), (n, s) => {
            const literal = n.toString();
            const parsed = parseStrictJson(Buffer.from(`{"s":${JSON.stringify(s)},"n":${literal},"a":[${literal}]}`), { exactIntegers: true });
            const expected = String(Number(literal)) === literal ? Number(literal) : literal;
            assert.equal(parsed.s, s);
            assert.equal(parsed.n, expected);
            assert.equal(parsed.a[0], expected);
        }), { numRuns: 500 });
    });
});
//# sourceMappingURL=json-body.test.js.map