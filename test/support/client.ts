import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
  raw: LightMyRequestResponse;
}

/** An error answer: its status and code and, when given, its field. */
export function assertError(res: Reply, status: number, code: string, field?: string): void {
  const where = `${res.status} ${res.raw.body}`;
  assert.equal(res.status, status, where);
  assert.equal(res.body?.error?.code, code, where);
  if (field !== undefined) assert.equal(res.body.error.field, field, where);
}

/**
 * A browser-like client over `server.inject`: keeps the session cookie, sends the CSRF token on
 * writes, or authenticates with a bearer key instead.
 */
export class TestClient {
  cookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;

  constructor(readonly server: FastifyInstance) {}

  static withKey(server: FastifyInstance, key: string): TestClient {
    const c = new TestClient(server);
    c.bearer = key;
    return c;
  }

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = `__Host-haven_session=${this.cookie}`;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.csrfToken && !['GET', 'HEAD'].includes(method) && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrfToken;
    let payload: string | Buffer | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await this.server.inject({ method: method as 'GET', url, headers: h, ...(payload !== undefined ? { payload } : {}) });
    const setCookie = res.cookies.find((c) => c.name === '__Host-haven_session');
    if (setCookie) this.cookie = setCookie.value || undefined;
    let parsed: unknown = undefined;
    if (res.body) {
      try {
        parsed = JSON.parse(res.body);
      } catch {
        parsed = res.body;
      }
    }
    const b = parsed as { csrfToken?: string } | undefined;
    if (b && typeof b === 'object' && typeof b.csrfToken === 'string') this.csrfToken = b.csrfToken;
    return { status: res.statusCode, body: parsed as T, headers: res.headers, raw: res };
  }

  get = <T = any>(url: string, headers?: Record<string, string>) => this.request<T>('GET', url, undefined, headers);
  post = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', url, body ?? {}, headers);
  patch = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('PATCH', url, body ?? {}, headers);
  put = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('PUT', url, body ?? {}, headers);
  delete = <T = any>(url: string, headers?: Record<string, string>) => this.request<T>('DELETE', url, undefined, headers);
}

export const PASSWORD = 'correct horse battery staple';

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${randomBytes(4).toString('hex')}@example.test`;
}

export interface SignedUp {
  client: TestClient;
  userId: string;
  teamId: string;
  email: string;
}

/** Sign up a new user with their own team. */
export async function signUp(server: FastifyInstance, tag = 'owner', teamName = 'Team'): Promise<SignedUp> {
  const client = new TestClient(server);
  const email = uniqueEmail(tag);
  const res = await client.post('/api/v1/auth/sign-up', { email, password: PASSWORD, teamName });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { client, userId: res.body.user.id, teamId: res.body.activeTeamId, email };
}

/** Add a member with `role` to the owner's team (invitation + acceptance as a new user). */
export async function addMember(server: FastifyInstance, owner: TestClient, role: string, tag: string = role): Promise<SignedUp> {
  const email = uniqueEmail(tag);
  const inv = await owner.post('/api/v1/invitations', { email, role });
  if (inv.status !== 201) throw new Error(`invite failed: ${inv.status} ${JSON.stringify(inv.body)}`);
  const client = new TestClient(server);
  const res = await client.post('/api/v1/invitations/accept', { token: inv.body.token, password: PASSWORD });
  if (res.status !== 200) throw new Error(`accept failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { client, userId: res.body.user.id, teamId: res.body.activeTeamId, email };
}

/** Create an API key on the owner's team and return a client that uses it. */
export async function keyClient(server: FastifyInstance, owner: TestClient, kind: 'write' | 'secret', scope?: 'read' | 'admin') {
  const res = await owner.post('/api/v1/api-keys', { name: `${kind} ${scope ?? ''}`.trim(), kind, ...(scope ? { scope } : {}) });
  if (res.status !== 201) throw new Error(`key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { client: TestClient.withKey(server, res.body.token), token: res.body.token as string, id: res.body.apiKey.id as string };
}
