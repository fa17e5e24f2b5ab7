import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient } from './support/client.js';
import { describeEngines, startTestHaven } from './support/haven.js';
import { INGEST_RATE_FACTOR } from '../src/platform/http/server.js';
describeEngines('HTTP platform', (haven) => {
    const server = () => haven().server;
    it('answers /healthz and /readyz', async () => {
        assert.deepEqual((await server().inject('/healthz')).json(), { status: 'ok' });
        const ready = await server().inject('/readyz');
        assert.equal(ready.statusCode, 200);
        assert.deepEqual(ready.json(), { status: 'ready' });
    });
    it('serves the OpenAPI document and its UI at /api/docs', async () => {
        const doc = (await server().inject('/api/docs/json')).json();
        assert.match(doc.openapi, /^3\./);
        for (const path of ['/api/v1/auth/sign-up', '/api/v1/members/{userId}', '/api/v1/api-keys'])
            assert.ok(doc.paths[path], `${path} documented`);
        assert.ok(doc.paths['/api/v1/auth/sign-up'].post.requestBody, 'request schema documented');
        assert.ok(doc.paths['/api/v1/auth/sign-up'].post.responses['409'], 'error responses documented');
        // Fields the server fills in with a default are optional to callers (and stay required where they have none).
        const erasure = doc.paths['/api/v1/privacy/erasures'].post.requestBody.content['application/json'].schema;
        assert.deepEqual([erasure.required, erasure.properties.suppress.default], [['personId'], false]);
        const listPeople = doc.paths['/api/v1/people'].get.parameters;
        assert.deepEqual(listPeople.filter((p) => p.required).map((p) => p.name), []);
        // Validation is unchanged: a missing required field is still refused.
        const missing = await server().inject({ method: 'POST', url: '/api/v1/privacy/erasures', payload: {} });
        assert.deepEqual([missing.statusCode, missing.json().error.field], [400, 'personId']);
        const ui = await server().inject('/api/docs');
        assert.ok([200, 302].includes(ui.statusCode));
    });
    it('the OpenAPI document says who may call each route and the answers any route of its kind can give', async () => {
        const doc = (await server().inject('/api/docs/json')).json();
        const op = (path, method) => doc.paths[path][method];
        for (const path of ['/api/v1/auth/sign-up', '/api/v1/auth/sign-in', '/api/v1/invitations/accept'])
            assert.deepEqual(op(path, 'post').security, [], path);
        assert.deepEqual(op('/api/v1/events', 'post').security, [{ writeKey: [] }, { bearer: [] }]);
        assert.deepEqual(op('/api/v1/session', 'get').security, [{ session: [] }]);
        assert.deepEqual(op('/api/v1/people', 'post').security, [{ bearer: [] }, { session: [] }]);
        assert.ok(doc.components.securitySchemes.writeKey);
        for (const [path, methods] of Object.entries(doc.paths)) {
            if (!path.startsWith('/api/v1/'))
                continue;
            for (const [method, o] of Object.entries(methods)) {
                assert.ok(o.responses['429'], `${method} ${path}: 429`);
                if (o.requestBody)
                    assert.ok(o.responses['413'] && o.responses['415'], `${method} ${path}: 413, 415`);
            }
        }
        for (const [path, method] of [['/api/v1/people', 'post'], ['/api/v1/team', 'patch'], ['/api/v1/api-keys', 'post']]) {
            assert.ok(op(path, method).responses['423'], `${method} ${path}: 423 while the team is cancelled`);
        }
        assert.ok(op('/api/v1/session', 'get').responses['403'], 'GET /session with an API key');
        assert.ok(!op('/api/v1/team/cancellation', 'delete').responses['423'], 'the undo works while cancelled');
        assert.deepEqual(op('/v1/batch', 'post').security, [{ writeKeyBasic: [] }, { writeKey: [] }]);
        assert.ok(op('/v1/track', 'post').responses['429']);
        // The document only: a route still answers with its own schema.
        const res = await server().inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: {} });
        assert.equal(res.statusCode, 400);
    });
    it('sends security headers (HSTS, CSP, no referrer) and a request id', async () => {
        const res = await server().inject('/api/v1/session');
        assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
        assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
        assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
        assert.equal(res.headers['referrer-policy'], 'no-referrer');
        assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });
    it('every /api/v1 answer says Cache-Control: no-store — successes, refusals and unknown paths alike', async () => {
        const client = new TestClient(server());
        const signedUp = await client.post('/api/v1/auth/sign-up', { email: `cache-${Date.now()}@example.test`, password: 'a password of length', teamName: 'Cache' });
        assert.equal(signedUp.status, 201);
        const answers = [
            ['sign-up', signedUp],
            ['session', await client.get('/api/v1/session')],
            ['people', await client.get('/api/v1/people?limit=1')],
            ['not signed in', await new TestClient(server()).get('/api/v1/team')],
            ['bad input', await client.get('/api/v1/people?limit=nope')],
            ['no CSRF token', await client.patch('/api/v1/team', { name: 'X' }, { 'x-csrf-token': '' })],
            ['unknown path', await client.get('/api/v1/nothing-here')],
            ['no path', await client.get('/api/v1')],
        ];
        for (const [label, res] of answers)
            assert.equal(res.headers['cache-control'], 'no-store', `${label} (${res.status})`);
        assert.deepEqual(answers.map(([, res]) => res.status), [201, 200, 200, 401, 400, 403, 404, 404]);
        // Outside the API, each says its own.
        assert.equal((await server().inject('/healthz')).headers['cache-control'], undefined);
        assert.equal((await server().inject('/api/v1x')).headers['cache-control'], undefined);
    });
    it('answers every error with one body shape', async () => {
        const missing = await server().inject('/api/v1/nothing-here');
        assert.equal(missing.statusCode, 404);
        assert.deepEqual(missing.json(), { error: { code: 'not_found', message: 'No such endpoint.' } });
        const unauth = await server().inject('/api/v1/team');
        assert.equal(unauth.statusCode, 401);
        assert.equal(unauth.json().error.code, 'unauthenticated');
        const badAuth = await server().inject({ url: '/api/v1/team', headers: { authorization: 'Digest abc' } });
        assert.equal(badAuth.json().error.code, 'invalid_authorization');
        const badBasic = await server().inject({ url: '/api/v1/team', headers: { authorization: `Basic ${Buffer.from('not-a-key:').toString('base64')}` } });
        assert.equal(badBasic.json().error.code, 'invalid_api_key');
    });
    it('refuses a wrong HTTP method or unknown route without a 5xx', async () => {
        const res = await new TestClient(server()).request('PATCH', '/api/v1/auth/sign-in', { email: 'a@b.co' });
        assert.equal(res.status, 404);
    });
});
describe('HTTP rate limits', () => {
    let haven;
    before(async () => {
        haven = await startTestHaven('pglite', { rateLimitPerMinute: 5 });
    });
    after(async () => haven.close());
    it('answers 429 rate_limited with Retry-After past the limit', async () => {
        for (let i = 0; i < 5; i++)
            assert.equal((await haven.server.inject('/api/v1/session')).statusCode, 401);
        const limited = await haven.server.inject('/api/v1/session');
        assert.equal(limited.statusCode, 429);
        assert.equal(limited.json().error.code, 'rate_limited');
        assert.equal(limited.headers['cache-control'], 'no-store');
        assert.ok(Number(limited.headers['retry-after']) > 0);
        const other = await haven.server.inject({ url: '/api/v1/session', remoteAddress: '10.1.1.1' });
        assert.equal(other.statusCode, 401, 'limits are per client address');
    });
    it('event ingest counts apart, ten times higher: an office behind one address keeps sending page views', async () => {
        const from = { remoteAddress: '10.2.2.2' };
        for (let i = 0; i < 5; i++)
            assert.equal((await haven.server.inject({ url: '/api/v1/session', ...from })).statusCode, 401);
        assert.equal((await haven.server.inject({ url: '/api/v1/session', ...from })).statusCode, 429);
        const ingest = [
            { method: 'POST', url: '/v1/batch', payload: { batch: [] } },
            { method: 'POST', url: '/batch/', payload: { batch: [{ event: 'x' }] } },
            { method: 'POST', url: '/api/v1/events', payload: { events: [] } },
        ];
        const statuses = [];
        for (let i = 0; i < 5 * INGEST_RATE_FACTOR; i++)
            statuses.push((await haven.server.inject({ ...ingest[i % ingest.length], ...from })).statusCode);
        assert.ok(!statuses.includes(429), `within the ingest limit: ${[...new Set(statuses)]}`);
        assert.equal((await haven.server.inject({ ...ingest[0], ...from })).statusCode, 429, 'past it');
    });
});
describe('behind a proxy', () => {
    let haven;
    before(async () => {
        haven = await startTestHaven('pglite', { rateLimitPerMinute: 3, behindProxy: true });
    });
    after(async () => haven.close());
    it("the client address is what the nearest proxy saw, not what the client wrote in X-Forwarded-For", async () => {
        // The proxy (127.0.0.1 here) appends the address it saw to whatever the client sent.
        const via = (forgedByClient, seenByProxy) => haven.server.inject({ url: '/api/v1/session', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': `${forgedByClient}, ${seenByProxy}` } });
        for (let i = 0; i < 3; i++)
            assert.equal((await via(`6.6.6.${i}`, '203.0.113.9')).statusCode, 401);
        assert.equal((await via('6.6.6.99', '203.0.113.9')).statusCode, 429, 'a new forged address each time does not escape the limit');
        assert.equal((await via('6.6.6.99', '203.0.113.10')).statusCode, 401, 'another client has its own limit');
    });
    it('the same-origin check compares the scheme and host the proxy reports', async () => {
        const signIn = (origin, proto) => haven.server.inject({
            method: 'POST',
            url: '/api/v1/auth/sign-in',
            remoteAddress: '127.0.0.1',
            headers: { origin, 'x-forwarded-proto': proto, 'x-forwarded-host': 'crm.example', 'x-forwarded-for': '203.0.113.20' },
            payload: { email: 'nobody@example.com', password: 'not-the-password' },
        });
        const same = await signIn('https://crm.example', 'https');
        assert.equal(same.statusCode, 401, 'reaches the password check');
        const plain = await signIn('http://crm.example', 'https');
        assert.equal(plain.statusCode, 403);
        assert.equal(plain.json().error.code, 'cross_origin');
    });
});
//# sourceMappingURL=http.test.js.map