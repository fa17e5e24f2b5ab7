import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HavenError } from './errors.js';
import { bodyEncoding } from './gzip-body.js';
const of = (value) => bodyEncoding({ headers: value === undefined ? {} : { 'content-encoding': value } });
describe('Content-Encoding of request bodies', () => {
    it('reads none, identity, gzip and its old name x-gzip, in any case and with spaces around', () => {
        assert.equal(of(undefined), 'identity');
        assert.equal(of(''), 'identity');
        assert.equal(of('identity'), 'identity');
        assert.equal(of('gzip'), 'gzip');
        assert.equal(of(' GZip '), 'gzip');
        assert.equal(of('x-gzip'), 'gzip');
    });
    it('refuses every other coding, and stacked codings, with 415 unsupported_encoding naming what is read', () => {
        for (const value of ['deflate', 'br', 'zstd', 'compress', 'x-compress', 'gzip, identity', 'gzip, gzip', 'identity, gzip', 'gzip;q=1', 'bogus', ['gzip', 'br']]) {
            assert.throws(() => of(value), (e) => e instanceof HavenError && e.code === 'unsupported_encoding' && e.status === 415 && e.headers?.['accept-encoding'] === 'gzip', JSON.stringify(value));
        }
    });
});
//# sourceMappingURL=gzip-body.test.js.map