import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
/** An error answer: its status and code and, when given, its field. */
export function assertError(res, status, code, field) {
    const where = `${res.status} ${res.raw.body}`;
    assert.equal(res.status, status, where);
    assert.equal(res.body?.error?.code, code, where);
    if (field !== undefined)
        assert.equal(res.body.error.field, field, where);
}
/**
 * A browser-like client over `server.inject`: keeps the session cookie, sends the CSRF token on
 * writes, or authenticates with a bearer key instead.
 */
export class TestClient {
    server;
    cookie;
    csrfToken;
    bearer;
    constructor(server) {
        this.server = server;
    }
    static withKey(server, key) {
        const c = new TestClient(server);
        c.bearer = key;
        return c;
    }
    async request(method, url, body, headers = {}) {
        const h = { ...headers };
        if (this.cookie)
            h.cookie = `__Host-haven_session=${this.cookie}`;
        if (this.bearer)
            h.authorization = `Bearer ${this.bearer}`;
        if (this.csrfToken && !['GET', 'HEAD'].includes(method) && !('x-csrf-token' in h))
            h['x-csrf-token'] = this.csrfToken;
        let payload;
        if (body !== undefined) {
            payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
            h['content-type'] ??= 'application/json';
        }
        const res = await this.server.inject({ method: method, url, headers: h, ...(payload !== undefined ? { payload } : {}) });
        const setCookie = res.cookies.find((c) => c.name === '__Host-haven_session');
        if (setCookie)
            this.cookie = setCookie.value || undefined;
        let parsed = undefined;
        if (res.body) {
            try {
                parsed = JSON.parse(res.body);
            }
            catch {
                parsed = res.body;
            }
        }
        const b = parsed;
        if (b && typeof b === 'object' && typeof b.csrfToken === 'string')
            this.csrfToken = b.csrfToken;
        return { status: res.statusCode, body: parsed, headers: res.headers, raw: res };
    }
    get = (url, headers) => this.request('GET', url, undefined, headers);
    post = (url, body, headers) => this.request('POST', url, body ?? {}, headers);
    patch = (url, body, headers) => this.request('PATCH', url, body ?? {}, headers);
    put = (url, body, headers) => this.request('PUT', url, body ?? {}, headers);
    delete = (url, headers) => this.request('DELETE', url, undefined, headers);
}
export const PASSWORD = 'correct horse battery staple';
export function uniqueEmail(tag = 'user') {
    return `${tag}-${randomBytes(4).toString('hex')}@example.test`;
}
/** Sign up a new user with their own team. */
export async function signUp(server, tag = 'owner', teamName = 'Team') {
    const client = new TestClient(server);
    const email = uniqueEmail(tag);
    const res = await client.post('/api/v1/auth/sign-up', { email, password: PASSWORD, teamName });
    if (res.status !== 201)
        throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { client, userId: res.body.user.id, teamId: res.body.activeTeamId, email };
}
/** Add a member with `role` to the owner's team (invitation + acceptance as a new user). */
export async function addMember(server, owner, role, tag = role) {
    const email = uniqueEmail(tag);
    const inv = await owner.post('/api/v1/invitations', { email, role });
    if (inv.status !== 201)
        throw new Error(`invite failed: ${inv.status} ${JSON.stringify(inv.body)}`);
    const client = new TestClient(server);
    const res = await client.post('/api/v1/invitations/accept', { token: inv.body.token, password: PASSWORD });
    if (res.status !== 200)
        throw new Error(`accept failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { client, userId: res.body.user.id, teamId: res.body.activeTeamId, email };
}
/** Create an API key on the owner's team and return a client that uses it. */
export async function keyClient(server, owner, kind, scope) {
    const res = await owner.post('/api/v1/api-keys', { name: `${kind} ${scope ?? ''}`.trim(), kind, ...(scope ? { scope } : {}) });
    if (res.status !== 201)
        throw new Error(`key failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { client: TestClient.withKey(server, res.body.token), token: res.body.token, id: res.body.apiKey.id };
}
//# sourceMappingURL=client.js.map