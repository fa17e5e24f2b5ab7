import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { TestClient } from './support/client.js';
import { describeEngines, startTestHaven } from './support/haven.js';
/**
 * I7: logs carry ids, never personal data, secrets or tokens. Every line pino wrote is searched for
 * every email (in any case), password and token a realistic flow handled.
 */
const hex = (n = 6) => randomBytes(n).toString('hex');
function parsed(lines) {
    return lines
        .join('')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l));
}
/** Assert that none of `secrets` occurs in `text`, case-insensitively, naming the first that does. */
function assertAbsent(text, secrets) {
    const lower = text.toLowerCase();
    for (const [what, secret] of Object.entries(secrets)) {
        assert.ok(secret.length >= 8, `test bug: ${what} is too short to search for`);
        const at = lower.indexOf(secret.toLowerCase());
        assert.equal(at, -1, `the logs contain ${what}: …${text.slice(Math.max(0, at - 200), at + secret.length + 50)}…`);
    }
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
describeEngines('I7 logs carry no personal data, secrets or tokens', (haven) => {
    it('a full account flow leaves no email, password, cookie, CSRF token, API key or invitation token in the logs', async () => {
        const h = haven();
        const start = h.logs.length;
        const tag = hex();
        const ownerEmail = `Log.Owner.${tag}@Example.TEST`;
        const ownerPassword = `owner-pw-${hex(10)}`;
        const wrongPassword = `wrong-pw-${hex(10)}`;
        const strangerEmail = `Nobody.${hex()}@Example.TEST`;
        const inviteeEmail = `Log.Invitee.${hex()}@Example.TEST`;
        const inviteePassword = `invitee-pw-${hex(10)}`;
        const badEmail = `not-an-email-${hex()}`;
        const ids = [];
        const track = (r) => {
            ids.push(String(r.headers['x-request-id']));
            return r;
        };
        // Sign up (mixed-case email), then a taken email and an invalid one.
        const owner = new TestClient(h.server);
        const signedUp = track(await owner.post('/api/v1/auth/sign-up', { email: ownerEmail, password: ownerPassword, teamName: `Team ${tag}` }));
        assert.equal(signedUp.status, 201, signedUp.raw.body);
        const signUpCookie = owner.cookie;
        const signUpCsrf = owner.csrfToken;
        const taken = track(await new TestClient(h.server).post('/api/v1/auth/sign-up', { email: ownerEmail.toUpperCase(), password: ownerPassword, teamName: 'x' }));
        assert.equal(taken.status, 409);
        const invalid = track(await new TestClient(h.server).post('/api/v1/auth/sign-up', { email: badEmail, password: ownerPassword, teamName: 'x' }));
        assert.equal(invalid.status, 400);
        // Failed sign-ins: wrong password, unknown account.
        const failed = track(await new TestClient(h.server).post('/api/v1/auth/sign-in', { email: ownerEmail, password: wrongPassword }));
        assert.equal(failed.status, 401);
        const unknown = track(await new TestClient(h.server).post('/api/v1/auth/sign-in', { email: strangerEmail, password: wrongPassword }));
        assert.equal(unknown.status, 401);
        // A successful sign-in (a new session, from a fresh browser).
        const browser = new TestClient(h.server);
        const signedIn = track(await browser.post('/api/v1/auth/sign-in', { email: ownerEmail.toLowerCase(), password: ownerPassword }));
        assert.equal(signedIn.status, 200, signedIn.raw.body);
        const signInCookie = browser.cookie;
        const signInCsrf = browser.csrfToken;
        // An invitation with the invitee's email, then its acceptance (a new account).
        const inv = track(await browser.post('/api/v1/invitations', { email: inviteeEmail, role: 'member' }));
        assert.equal(inv.status, 201, inv.raw.body);
        const invitationToken = inv.body.token;
        const invitee = new TestClient(h.server);
        const accepted = track(await invitee.post('/api/v1/invitations/accept', { token: invitationToken, password: inviteePassword }));
        assert.equal(accepted.status, 200, accepted.raw.body);
        const reused = track(await new TestClient(h.server).post('/api/v1/invitations/accept', { token: invitationToken, password: inviteePassword }));
        assert.equal(reused.status, 404);
        // An API key, used as a bearer; and a revoked-looking wrong key.
        const key = track(await browser.post('/api/v1/api-keys', { name: `key ${tag}`, kind: 'secret', scope: 'admin' }));
        assert.equal(key.status, 201, key.raw.body);
        const apiKey = key.body.token;
        const viaKey = track(await TestClient.withKey(h.server, apiKey).get('/api/v1/members'));
        assert.equal(viaKey.status, 200, viaKey.raw.body);
        const wrongKey = `${apiKey.slice(0, -40)}${'A'.repeat(8)}${apiKey.slice(-32)}`;
        const refusedKey = track(await TestClient.withKey(h.server, wrongKey).get('/api/v1/team'));
        assert.equal(refusedKey.status, 401);
        // The email appears in responses (the member list), never in logs.
        assert.ok(JSON.stringify(viaKey.body).includes(inviteeEmail.toLowerCase()));
        // Secrets in a query string and headers of a request that fails.
        track(await new TestClient(h.server).get(`/api/v1/nowhere?email=${encodeURIComponent(ownerEmail)}&token=${invitationToken}`, { 'x-api-key': apiKey }));
        const lines = h.logs.slice(start);
        assert.ok(lines.length > 0, 'nothing was logged');
        const text = lines.join('');
        assertAbsent(text, {
            'the owner email': ownerEmail,
            'the owner email local part': `log.owner.${tag}`,
            'the unknown email': strangerEmail,
            'the invitee email': inviteeEmail,
            'the invalid email': badEmail,
            'the owner password': ownerPassword,
            'the wrong password': wrongPassword,
            'the invitee password': inviteePassword,
            'the sign-up session cookie': signUpCookie,
            'the sign-in session cookie': signInCookie,
            'the invitee session cookie': invitee.cookie,
            'the sign-up CSRF token': signUpCsrf,
            'the sign-in CSRF token': signInCsrf,
            'the API key': apiKey,
            'the secret part of the API key': apiKey.slice(6, 38),
            'the wrong API key': wrongKey,
            'the invitation token': invitationToken,
            'the secret part of the invitation token': invitationToken.slice(4, 47),
        });
        // Every request is logged by id: each response's x-request-id, on an incoming and a completed line.
        const entries = parsed(lines);
        for (const id of ids) {
            assert.match(id, UUID);
            const mine = entries.filter((e) => e.reqId === id);
            assert.ok(mine.some((e) => e.msg === 'incoming request' && e.req?.id === id), `no incoming-request line for ${id}`);
            assert.ok(mine.some((e) => e.msg === 'request completed' && typeof e.res?.statusCode === 'number'), `no completed line for ${id}`);
        }
        for (const e of entries.filter((x) => x.req || x.res || x.err)) {
            assert.match(String(e.reqId), UUID, `a request log line without a request id: ${JSON.stringify(e)}`);
        }
        // Requests are described by method and route pattern only.
        for (const e of entries.filter((x) => x.req)) {
            assert.deepEqual(Object.keys(e.req).sort(), ['id', 'method', 'route'], JSON.stringify(e));
            assert.doesNotMatch(String(e.req.route), /\?/);
        }
    });
    it('request ids are unique per request and not taken from the client', async () => {
        const h = haven();
        const start = h.logs.length;
        const chosen = `client-chosen-${hex()}`;
        const a = await new TestClient(h.server).get('/healthz', { 'x-request-id': chosen, 'request-id': chosen });
        const b = await new TestClient(h.server).get('/healthz');
        assert.match(String(a.headers['x-request-id']), UUID);
        assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
        assert.ok(!h.logs.slice(start).join('').includes(chosen), 'a client-chosen request id was logged');
    });
    it('a 500 is logged with its request id and error code, but no database row values', async () => {
        const h = await startTestHaven(haven().kind);
        try {
            const marker = `boom${hex()}`;
            // Make the users insert fail inside the database, with a detail quoting the whole row
            // ("Failing row contains (…, sealed email, password hash, …)").
            await h.engine.ownerTransaction((tx) => tx.query(`ALTER TABLE users ADD CONSTRAINT logs_test_refuse CHECK (octet_length(password_hash) < 0)`));
            const start = h.logs.length;
            const email = `${marker}.Person@Example.TEST`;
            const password = `pw-${hex(10)}`;
            const teamName = `Team ${hex()}`;
            const res = await new TestClient(h.server).post('/api/v1/auth/sign-up', { email, password, teamName });
            assert.equal(res.status, 500, res.raw.body);
            assert.deepEqual(res.body, {
                error: { code: 'internal_error', message: 'Something went wrong on our side. It has been logged with the request id.' },
            });
            const reqId = String(res.headers['x-request-id']);
            const lines = h.logs.slice(start);
            const entries = parsed(lines);
            const failure = entries.find((e) => e.level >= 50 && e.reqId === reqId);
            assert.ok(failure, `no error line for request ${reqId}: ${lines.join('')}`);
            assert.equal(failure.err?.code, '23514', JSON.stringify(failure.err));
            const text = lines.join('');
            assertAbsent(text, { 'the email': email, 'the email (normalised)': email.toLowerCase(), 'the marker': marker, 'the password': password, 'the team name': teamName });
            assert.doesNotMatch(text, /\$argon2/, 'a password hash was logged');
            assert.doesNotMatch(text, /Failing row contains/i, 'the database detail (row values) was logged');
            for (const e of entries)
                assert.equal(e.err?.detail, undefined);
            // A dropped table: the error names the relation, and still carries the request id.
            await h.engine.ownerTransaction((tx) => tx.query(`ALTER TABLE users DROP CONSTRAINT logs_test_refuse`));
            await h.engine.ownerTransaction((tx) => tx.query(`DROP TABLE api_keys`));
            const owner = new TestClient(h.server);
            const ok = await owner.post('/api/v1/auth/sign-up', { email: `fine.${hex()}@example.test`, password, teamName });
            assert.equal(ok.status, 201, ok.raw.body);
            const before = h.logs.length;
            const keyName = `key-name-${hex()}`;
            const broken = await owner.post('/api/v1/api-keys', { name: keyName, kind: 'secret' });
            assert.equal(broken.status, 500, broken.raw.body);
            const brokenLines = parsed(h.logs.slice(before));
            assert.ok(brokenLines.some((e) => e.level >= 50 && e.reqId === broken.headers['x-request-id']));
            assertAbsent(h.logs.slice(before).join(''), { 'the key name': keyName, 'the password': password, 'the session cookie': owner.cookie });
        }
        finally {
            await h.close();
        }
    });
});
//# sourceMappingURL=logs.test.js.map