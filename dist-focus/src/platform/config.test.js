import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFromEnv, isLoopback, plaintextRefusal, trustProxy } from './config.js';
describe('config', () => {
    it('recognises loopback addresses', () => {
        for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
            assert.ok(isLoopback(h), h);
        for (const h of ['0.0.0.0', '10.0.0.1', '::', 'example.com', '128.0.0.1'])
            assert.ok(!isLoopback(h), h);
    });
    it('I5: plaintext only on loopback, behind a proxy, or with a certificate', () => {
        const base = { host: '0.0.0.0', behindProxy: false, tlsCert: undefined, tlsKey: undefined };
        assert.match(plaintextRefusal(base), /without TLS/);
        assert.equal(plaintextRefusal({ ...base, host: '127.0.0.1' }), null);
        assert.equal(plaintextRefusal({ ...base, behindProxy: true }), null);
        assert.equal(plaintextRefusal({ ...base, tlsCert: 'c.pem', tlsKey: 'k.pem' }), null);
        assert.match(plaintextRefusal({ ...base, tlsCert: 'c.pem' }), /HAVEN_TLS_KEY/);
    });
    it('the public URL defaults to where Haven listens, https when it serves TLS itself; a set one loses its trailing slash', () => {
        assert.equal(configFromEnv({}).publicUrl, 'http://127.0.0.1:3000');
        assert.equal(configFromEnv({ HAVEN_TLS_CERT: 'c.pem', HAVEN_TLS_KEY: 'k.pem', HAVEN_HOST: 'crm.example.test', HAVEN_PORT: '8443' }).publicUrl, 'https://crm.example.test:8443');
        assert.equal(configFromEnv({ HAVEN_PUBLIC_URL: 'https://crm.example.test/' }).publicUrl, 'https://crm.example.test');
    });
    it('reads flags over environment over defaults', () => {
        assert.equal(configFromEnv({}).port, 3000);
        assert.equal(configFromEnv({ HAVEN_PORT: '4000' }).port, 4000);
        assert.equal(configFromEnv({ HAVEN_PORT: '4000' }, { port: 5000 }).port, 5000);
        assert.equal(configFromEnv({ HAVEN_BEHIND_PROXY: 'true' }).behindProxy, true);
        assert.equal(configFromEnv({ DATABASE_URL: '' }).databaseUrl, undefined);
        assert.equal(configFromEnv({ HAVEN_HOST: '' }).host, '127.0.0.1', 'empty means unset');
        assert.throws(() => configFromEnv({ HAVEN_SESSION_IDLE_MINUTES: 'soon' }), /HAVEN_SESSION_IDLE_MINUTES/);
    });
    it('behind a proxy, X-Forwarded-For is believed for the named proxies (HAVEN_TRUSTED_PROXIES), by default for the nearest hop only', () => {
        assert.equal(trustProxy(configFromEnv({})), false);
        const nearest = trustProxy(configFromEnv({ HAVEN_BEHIND_PROXY: '1' }));
        assert.ok(typeof nearest === 'function' && nearest('10.0.0.1', 0) && !nearest('10.0.0.2', 1));
        assert.deepEqual(trustProxy(configFromEnv({ HAVEN_BEHIND_PROXY: '1', HAVEN_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.2' })), ['10.0.0.0/8', '192.168.1.2']);
        assert.equal(trustProxy(configFromEnv({ HAVEN_TRUSTED_PROXIES: '10.0.0.0/8' })), false, 'only behind a proxy');
        assert.deepEqual(configFromEnv({ HAVEN_TRUSTED_PROXIES: 'loopback, fd00::/8, 192.0.2.7' }).trustedProxies, ['loopback', 'fd00::/8', '192.0.2.7']);
        for (const bad of ['lb.internal', '10.0.0.0/33', '10.0.0.1/8/8', '::1/129']) {
            assert.throws(() => configFromEnv({ HAVEN_TRUSTED_PROXIES: bad }), /HAVEN_TRUSTED_PROXIES/, bad);
        }
    });
});
//# sourceMappingURL=config.test.js.map