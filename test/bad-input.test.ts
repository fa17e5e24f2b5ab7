import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { csrfTokenFor, createSession } from '../src/modules/accounts/sessions.js';
import { emailLookup } from '../src/modules/accounts/user-emails.js';
import { API_BODY_LIMIT } from '../src/platform/http/server.js';
import { PASSWORD, type Reply, type SignedUp, TestClient, addMember, keyClient, signUp, uniqueEmail } from './support/client.js';
import { type TestHaven, describeEngines, startTestHaven } from './support/haven.js';

/**
 * Bad input on every write route: each refusal is a 4xx with exactly {"error":{"code","message","field"?}},
 * never a 5xx, and leaves the database exactly as it was (checked as the table owner, past RLS).
 */

const TABLES = ['users', 'teams', 'memberships', 'invitations', 'api_keys', 'sessions'] as const;

/**
 * Row counts of every accounts table, and a fingerprint of the columns a request may write (not
 * last_seen_at / last_used_at, which reads legitimately touch), so "unchanged" means no row was
 * added, removed or altered — not even half of one.
 */
type Snapshot = Record<string, number | string>;

async function snapshot(h: TestHaven): Promise<Snapshot> {
  return h.engine.ownerTransaction(async (tx) => {
    const r = await tx.query<Snapshot>(
      `SELECT
         (SELECT count(*) FROM users)::int AS users,
         (SELECT count(*) FROM teams)::int AS teams,
         (SELECT count(*) FROM memberships)::int AS memberships,
         (SELECT count(*) FROM invitations)::int AS invitations,
         (SELECT count(*) FROM api_keys)::int AS api_keys,
         (SELECT count(*) FROM sessions)::int AS sessions,
         (SELECT coalesce(md5(string_agg(id::text || '|' || encode(email_lookup, 'hex') || '|' || encode(email_sealed, 'hex') || '|' || password_hash, ',' ORDER BY id)), '') FROM users) AS users_fp,
         (SELECT coalesce(md5(string_agg(team_id::text || '|' || name, ',' ORDER BY team_id)), '') FROM teams) AS teams_fp,
         (SELECT coalesce(md5(string_agg(team_id::text || '|' || user_id::text || '|' || role, ',' ORDER BY team_id, user_id)), '') FROM memberships) AS memberships_fp,
         (SELECT coalesce(md5(string_agg(id::text || '|' || encode(email_sealed, 'hex') || '|' || role || '|' || coalesce(accepted_at::text, '-') || '|' || coalesce(revoked_at::text, '-'), ',' ORDER BY id)), '') FROM invitations) AS invitations_fp,
         (SELECT coalesce(md5(string_agg(id::text || '|' || name || '|' || kind || '|' || scope || '|' || coalesce(revoked_at::text, '-'), ',' ORDER BY id)), '') FROM api_keys) AS api_keys_fp,
         (SELECT coalesce(md5(string_agg(encode(token_hash, 'hex') || '|' || user_id::text || '|' || coalesce(active_team_id::text, '-'), ',' ORDER BY token_hash)), '') FROM sessions) AS sessions_fp`,
    );
    const row = r.rows[0]!;
    for (const t of TABLES) row[t] = Number(row[t]);
    return row;
  });
}

/** The error body, exactly: one `error` key holding code, message and (only if set) field. */
function assertErrorShape(res: Reply, context = ''): void {
  assert.ok(res.status >= 400 && res.status < 500, `${context}: expected a 4xx, got ${res.status} ${JSON.stringify(res.body)}`);
  const body = res.body as unknown;
  assert.ok(body !== null && typeof body === 'object' && !Array.isArray(body), `${context}: body is not an object: ${String(res.raw.body)}`);
  assert.deepEqual(Object.keys(body), ['error'], `${context}: ${res.raw.body}`);
  const error = (body as { error: unknown }).error;
  assert.ok(error !== null && typeof error === 'object' && !Array.isArray(error), `${context}: error is not an object`);
  const keys = Object.keys(error);
  assert.ok(
    keys.length >= 2 && keys.every((k) => k === 'code' || k === 'message' || k === 'field') && keys.includes('code') && keys.includes('message'),
    `${context}: unexpected error keys ${JSON.stringify(keys)}`,
  );
  const e = error as { code: unknown; message: unknown; field?: unknown };
  assert.equal(typeof e.code, 'string', context);
  assert.match(e.code as string, /^[a-z][a-z0-9_]*$/, context);
  assert.equal(typeof e.message, 'string', context);
  assert.ok((e.message as string).length > 0, `${context}: empty message`);
  if ('field' in e) assert.equal(typeof e.field, 'string', context);
  assert.match(String(res.headers['content-type']), /^application\/json/, `${context}: content-type`);
}

function assertError(res: Reply, status: number, code: string, field?: string, context = ''): void {
  const where = `${context} → ${res.status} ${res.raw.body}`;
  assert.equal(res.status, status, where);
  assertErrorShape(res, context);
  const expected: { code: string; message: string; field?: string } = { code, message: res.body.error.message };
  if (field !== undefined) expected.field = field;
  assert.deepEqual(res.body.error, expected, where);
}

/** Run a write that must be refused; the database must be exactly as before. */
async function refused(
  h: TestHaven,
  send: () => Promise<Reply>,
  status: number,
  code: string,
  field?: string,
  context = '',
): Promise<Reply> {
  const before = await snapshot(h);
  const res = await send();
  assertError(res, status, code, field, context);
  assert.deepEqual(await snapshot(h), before, `${context}: a refused write changed the database`);
  return res;
}

/** A client acting with an existing session (a copy, so a Set-Cookie in a reply changes nothing shared). */
function as(h: TestHaven, who: SignedUp | null): TestClient {
  const c = new TestClient(h.server);
  if (who) {
    c.cookie = who.client.cookie;
    c.csrfToken = who.client.csrfToken;
  }
  return c;
}

const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;

interface Fixture {
  owner: SignedUp;
  member: SignedUp;
  /** Pending invitations to the owner's team. */
  invitationTokens: string[];
}

interface WriteRoute {
  name: string;
  method: 'POST' | 'PATCH';
  url: (f: Fixture) => string;
  /** Who normally calls it: a signed-in owner, or nobody. */
  signedIn: boolean;
  valid: (f: Fixture) => Record<string, unknown>;
  /** String fields and their maximum length. */
  strings: Record<string, number>;
}

const ROUTES: WriteRoute[] = [
  {
    name: 'sign-up',
    method: 'POST',
    url: () => '/api/v1/auth/sign-up',
    signedIn: false,
    valid: () => ({ email: uniqueEmail('badin'), password: PASSWORD, teamName: 'A team' }),
    strings: { email: 254, password: 256, teamName: 100 },
  },
  {
    name: 'sign-in',
    method: 'POST',
    url: () => '/api/v1/auth/sign-in',
    signedIn: false,
    valid: (f) => ({ email: f.owner.email, password: PASSWORD }),
    strings: { email: 254, password: 256 },
  },
  {
    name: 'team rename',
    method: 'PATCH',
    url: () => '/api/v1/team',
    signedIn: true,
    valid: () => ({ name: 'Renamed team' }),
    strings: { name: 100 },
  },
  {
    name: 'member role change',
    method: 'PATCH',
    url: (f) => `/api/v1/members/${f.member.userId}`,
    signedIn: true,
    valid: () => ({ role: 'viewer' }),
    strings: {},
  },
  {
    name: 'invitation create',
    method: 'POST',
    url: () => '/api/v1/invitations',
    signedIn: true,
    valid: () => ({ email: uniqueEmail('invitee'), role: 'member' }),
    strings: { email: 254 },
  },
  {
    name: 'invitation accept',
    method: 'POST',
    url: () => '/api/v1/invitations/accept',
    signedIn: false,
    valid: (f) => ({ token: f.invitationTokens[0]!, password: PASSWORD }),
    strings: { token: 200, password: 256 },
  },
  {
    name: 'API key create',
    method: 'POST',
    url: () => '/api/v1/api-keys',
    signedIn: true,
    valid: () => ({ name: 'A key', kind: 'secret', scope: 'read' }),
    strings: { name: 100 },
  },
];

/** An over-long value of a string field that still passes every other check of that field. */
function overlong(field: string, max: number): string {
  if (field === 'email') {
    // A well-formed address (64-character local part, labels of at most 63) one character too long.
    const fixed = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.`;
    return `${fixed}${'d'.repeat(max + 1 - fixed.length - '.test'.length)}.test`;
  }
  if (field === 'token') return `hvi_${'a'.repeat(max + 1 - 4)}`;
  return 'x'.repeat(max + 1);
}

/** A JSON object text whose string value for `field` contains raw (undecodable) bytes. */
function withRawBytes(body: Record<string, unknown>, field: string, bytes: number[]): Buffer {
  const marker = `__RAW_${randomBytes(4).toString('hex')}__`;
  const text = JSON.stringify({ ...body, [field]: `${String(body[field])}${marker}` });
  const [head, tail] = text.split(marker) as [string, string];
  return Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(bytes), Buffer.from(tail, 'utf8')]);
}

const INVALID_UTF8: Record<string, number[]> = {
  'a lone 0xFF byte': [0xff],
  'an overlong encoding of "/"': [0xc0, 0xaf],
  'a truncated 3-byte sequence': [0xe2, 0x82],
  'an encoded UTF-16 surrogate (CESU)': [0xed, 0xa0, 0x80],
  'a lone continuation byte': [0x80],
};

/** Expected code for text PostgreSQL cannot store (NUL, unpaired surrogates): a 400, never a 500. */
const UNSTORABLE_TEXT = { status: 400, code: 'invalid_text' } as const;

describeEngines('bad input on write routes', (haven) => {
  let f: Fixture;

  before(async () => {
    const h = haven();
    const owner = await signUp(h.server, 'badin-owner', 'Bad input team');
    const member = await addMember(h.server, owner.client, 'member');
    const invitationTokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const inv = await owner.client.post('/api/v1/invitations', { email: uniqueEmail('pending'), role: 'member' });
      assert.equal(inv.status, 201);
      invitationTokens.push(inv.body.token);
    }
    f = { owner, member, invitationTokens };
  });

  const send = (h: TestHaven, route: WriteRoute, payload: string | Buffer | undefined, headers: Record<string, string> = {}, signedIn = route.signedIn) =>
    as(h, signedIn ? f.owner : null).request(route.method, route.url(f), payload, headers);

  for (const route of ROUTES) {
    it(`${route.name}: malformed, truncated and empty JSON are 400 malformed_json`, async () => {
      const h = haven();
      const valid = JSON.stringify(route.valid(f));
      const bodies = {
        malformed: '{"email":',
        'single quotes': "{'a': 1}",
        'trailing comma': '{"a": 1,}',
        'bare word': 'hello',
        'two documents': '{}{}',
        'NaN literal': '{"a": NaN}',
        'truncated by one': valid.slice(0, -1),
        'truncated in half': valid.slice(0, Math.floor(valid.length / 2)),
        'truncated mid-escape': '{"a":"\\u12',
        'a lone BOM': '\ufeff',
        'unclosed array': '[',
      };
      for (const [label, body] of Object.entries(bodies)) {
        await refused(h, () => send(h, route, body), 400, 'malformed_json', undefined, `${route.name} ${label}`);
      }
      for (const [label, body] of Object.entries({ empty: '', whitespace: ' \n\t ' })) {
        await refused(h, () => send(h, route, body), 400, 'malformed_json', undefined, `${route.name} ${label}`);
      }
      // No body and no content type at all: validation says an object was expected.
      await refused(h, () => send(h, route, undefined), 400, 'invalid_type', undefined, `${route.name} no body`);
    });

    it(`${route.name}: a body over 64 KiB is 413 payload_too_large`, async () => {
      const h = haven();
      const big = JSON.stringify({ ...route.valid(f), padding: 'x'.repeat(API_BODY_LIMIT) });
      assert.ok(Buffer.byteLength(big) > API_BODY_LIMIT);
      await refused(h, () => send(h, route, big), 413, 'payload_too_large', undefined, `${route.name} oversized`);
      // Just over the limit, counted in bytes (multi-byte characters), not characters.
      const first = Object.keys(route.strings)[0] ?? 'padding';
      const bytes = JSON.stringify({ ...route.valid(f), [first]: 'é'.repeat(API_BODY_LIMIT / 2) });
      await refused(h, () => send(h, route, bytes), 413, 'payload_too_large', undefined, `${route.name} oversized in bytes`);
      // A body with no content-length header at all is still capped.
      const res = await h.server.inject({
        method: route.method,
        url: route.url(f),
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...(route.signedIn ? { cookie: `__Host-haven_session=${f.owner.client.cookie}`, 'x-csrf-token': f.owner.client.csrfToken! } : {}) },
        payload: big,
      });
      assert.equal(res.statusCode, 413, res.body);
      assert.deepEqual(JSON.parse(res.body), { error: { code: 'payload_too_large', message: 'The request body is too large.' } });
    });

    it(`${route.name}: unknown fields are 400 unknown_field naming the field`, async () => {
      const h = haven();
      for (const extra of ['extra', 'Email', 'emails', 'isAdmin', 'team_id', 'role ', '']) {
        if (extra in route.valid(f)) continue;
        await refused(h, () => send(h, route, JSON.stringify({ ...route.valid(f), [extra]: true })), 400, 'unknown_field', extra || '""', `${route.name} +${extra}`);
      }
    });

    it(`${route.name}: wrong types are 400 invalid_type`, async () => {
      const h = haven();
      for (const body of ['[]', 'null', '"a string"', '42', 'true', JSON.stringify([route.valid(f)]), '1e400']) {
        await refused(h, () => send(h, route, body), 400, 'invalid_type', undefined, `${route.name} body ${body.slice(0, 30)}`);
      }
      for (const field of Object.keys(route.valid(f))) {
        for (const wrong of [12345, 1e308, -0.5, true, null, [], {}, ['a'], { value: 'x' }]) {
          await refused(
            h,
            () => send(h, route, JSON.stringify({ ...route.valid(f), [field]: wrong })),
            400,
            'invalid_type',
            field,
            `${route.name} ${field}=${JSON.stringify(wrong)}`,
          );
        }
        // Huge numbers (beyond double, beyond int64) are still numbers, not strings.
        for (const huge of ['1e400', '-1e400', '123456789012345678901234567890123456789']) {
          const text = JSON.stringify({ ...route.valid(f), [field]: '__HUGE__' }).replace('"__HUGE__"', huge);
          await refused(h, () => send(h, route, text), 400, 'invalid_type', field, `${route.name} ${field}=${huge}`);
        }
        // Moderately deep nesting is just the wrong type.
        const deep = JSON.stringify({ ...route.valid(f), [field]: '__DEEP__' }).replace('"__DEEP__"', `${'['.repeat(200)}${']'.repeat(200)}`);
        await refused(h, () => send(h, route, deep), 400, 'invalid_type', field, `${route.name} ${field} nested 200 deep`);
      }
    });

    it(`${route.name}: pathologically deep nesting is a 400, not a crash`, async () => {
      const h = haven();
      // Valid JSON, just too deep for a recursive reviver: refused as unparseable, or (if the stack
      // allows) by validation as an unknown field. Either way a 400 and nothing written.
      for (const [body, unknown] of [
        [`{"x":${'['.repeat(30_000)}${']'.repeat(30_000)}}`, 'x'],
        [`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, 'a'],
      ] as const) {
        assert.ok(Buffer.byteLength(body) < API_BODY_LIMIT);
        const before = await snapshot(h);
        const res = await send(h, route, body);
        assert.equal(res.status, 400, res.raw.body);
        assertErrorShape(res, `${route.name} deep`);
        if (res.body.error.code === 'unknown_field') assert.equal(res.body.error.field, unknown);
        else assertError(res, 400, 'malformed_json', undefined, `${route.name} deep`);
        assert.deepEqual(await snapshot(h), before);
      }
    });

    if (Object.keys(route.strings).length > 0) {
      it(`${route.name}: overlong strings are 400 too_long naming the field`, async () => {
        const h = haven();
        for (const [field, max] of Object.entries(route.strings)) {
          const value = overlong(field, max);
          assert.equal(value.length, max + 1, `test bug: ${field} length ${value.length}`);
          await refused(h, () => send(h, route, JSON.stringify({ ...route.valid(f), [field]: value })), 400, 'too_long', field, `${route.name} ${field}`);
          // Far over the limit, but inside the body limit.
          await refused(
            h,
            () => send(h, route, JSON.stringify({ ...route.valid(f), [field]: 'y'.repeat(60_000) })),
            400,
            'too_long',
            field,
            `${route.name} ${field} 60k`,
          );
        }
      });

      it(`${route.name}: invalid UTF-8 inside a JSON string is 400 invalid_utf8`, async () => {
        const h = haven();
        for (const field of Object.keys(route.strings)) {
          for (const [label, bytes] of Object.entries(INVALID_UTF8)) {
            await refused(h, () => send(h, route, withRawBytes(route.valid(f), field, bytes)), 400, 'invalid_utf8', undefined, `${route.name} ${field}: ${label}`);
          }
        }
        // Outside a string, too (e.g. a Latin-1 body).
        await refused(h, () => send(h, route, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d])), 400, 'invalid_utf8', undefined, `${route.name} latin-1 key`);
      });

      for (const [label, suffix] of Object.entries({ 'NUL characters': '\u0000', 'unpaired surrogates': '\ud800' })) {
        it(`${route.name}: ${label} in text are a 400, never a 500 or a silently altered value`, async () => {
          const h = haven();
          // Passwords (hashed) and tokens (hashed, format-checked) are never stored as text.
          for (const field of Object.keys(route.strings).filter((k) => k !== 'password' && k !== 'token')) {
            const valid = route.valid(f);
            for (const [where, value] of Object.entries({
              end: field === 'email' ? String(valid[field]).replace('@', `${suffix}@`) : `${String(valid[field])}${suffix}`,
              start: `${suffix}${String(valid[field])}`,
              ...(suffix === '\ud800' ? { 'low half alone': `${String(valid[field])}\udfff`, reversed: `a\udc00\ud800${String(valid[field])}` } : {}),
            })) {
              const context = `${route.name} ${field} with ${label} (${where})`;
              const before = await snapshot(h);
              const res = await send(h, route, JSON.stringify({ ...valid, [field]: value }));
              assert.ok(res.status < 500, `${context}: ${res.status} ${res.raw.body}`);
              assertErrorShape(res, context);
              // Email addresses are refused by their format; free text must be refused explicitly.
              if (field === 'email') assert.ok(['invalid_format', UNSTORABLE_TEXT.code].includes(res.body.error.code), `${context}: ${res.raw.body}`);
              else assertError(res, UNSTORABLE_TEXT.status, UNSTORABLE_TEXT.code, undefined, context);
              assert.deepEqual(await snapshot(h), before, `${context}: changed the database`);
            }
          }
        });
      }
    }

    it(`${route.name}: a body that is not application/json is 415 unsupported_media_type`, async () => {
      const h = haven();
      const valid = JSON.stringify(route.valid(f));
      for (const type of [
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=xyz',
        'application/xml',
        'text/html',
        'application/octet-stream',
        'application/vnd.api+json',
        'garbage',
      ]) {
        await refused(h, () => send(h, route, valid, { 'content-type': type }), 415, 'unsupported_media_type', undefined, `${route.name} as ${type}`);
      }
    });

    it(`${route.name}: a text/plain body (which a cross-site form may send) is 415 unsupported_media_type`, async () => {
      const h = haven();
      const valid = JSON.stringify(route.valid(f));
      for (const type of ['text/plain', 'text/plain; charset=utf-8']) {
        await refused(h, () => send(h, route, valid, { 'content-type': type }), 415, 'unsupported_media_type', undefined, `${route.name} as ${type}`);
      }
    });

    it(`${route.name}: a __proto__ key is refused (reserved_key); constructor is an unknown field; neither reaches a prototype`, async () => {
      const h = haven();
      const valid = route.valid(f);
      const fields = Object.keys(valid);
      const withoutFirst = Object.fromEntries(Object.entries(valid).slice(1));
      const rest = JSON.stringify(withoutFirst);
      const smuggled = JSON.stringify({ [fields[0]!]: valid[fields[0]!], polluted: true });
      const text = (key: string) => `{"${key}":${smuggled}${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
      await refused(h, () => send(h, route, text('__proto__')), 400, 'reserved_key', undefined, `${route.name} __proto__ smuggling`);
      const constructor = await send(h, route, text('constructor'));
      assert.equal(constructor.status, 400, `${route.name} constructor: ${constructor.raw.body}`);
      assert.ok(['missing_field', 'unknown_field'].includes(constructor.body.error.code), constructor.raw.body);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
      const nested = JSON.stringify({ ...valid, [fields[0]!]: '__X__' }).replace('"__X__"', '{"__proto__":{"polluted":true}}');
      await refused(h, () => send(h, route, nested), 400, 'reserved_key', undefined, `${route.name} nested __proto__`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
    });
  }

  it('sign-up with a __proto__ key is refused, makes nobody, and pollutes nothing', async () => {
    const h = haven();
    const email = uniqueEmail('proto');
    const c = new TestClient(h.server);
    const res = await c.post('/api/v1/auth/sign-up', `{"__proto__":{"isAdmin":true,"email":"other@example.test"},"email":"${email}","password":"${PASSWORD}","teamName":"Proto"}`);
    assertError(res, 400, 'reserved_key');
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    const lookups = [email, 'other@example.test'].map((e) => emailLookup(h.keyring.accounts, e));
    const rows = await h.engine.ownerTransaction((tx) => tx.query(`SELECT id FROM users WHERE email_lookup = ANY($1::bytea[])`, [lookups]));
    assert.deepEqual(rows.rows, []);
  });

  it('API key create: a scope hidden in __proto__ is refused, no key made', async () => {
    const h = haven();
    const before = (await as(h, f.owner).get('/api/v1/api-keys')).body.apiKeys.length;
    assertError(await as(h, f.owner).post('/api/v1/api-keys', '{"name":"proto key","kind":"secret","__proto__":{"scope":"admin"}}'), 400, 'reserved_key');
    assert.equal((await as(h, f.owner).get('/api/v1/api-keys')).body.apiKeys.length, before);
  });

  it('on ingest, a __proto__ key refuses only the event that holds it (native, Segment, PostHog)', async () => {
    const h = haven();
    const write = await keyClient(h.server, as(h, f.owner), 'write');
    const good = (n: number) => ({ type: 'track', userId: 'proto-batch', event: `Good ${n}` });
    const bad = '{"type":"track","userId":"proto-batch","event":"Bad","properties":{"x":{"__proto__":{"polluted":true}}}}';
    const native = await write.client.post('/api/v1/events', `{"events":[${JSON.stringify(good(1))},${bad}]}`);
    assert.equal(native.status, 200, native.raw.body);
    assert.deepEqual(native.body.results[1], { index: 1, status: 'rejected', code: 'reserved_key', message: 'A key may not be "__proto__".', field: 'properties.x.__proto__' });
    assert.deepEqual(native.body.results[0], { index: 0, status: 'accepted' });
    const top = await write.client.post('/api/v1/events', `{"events":[{"type":"track","userId":"p","event":"T","__proto__":{"userId":"someone"}}]}`);
    assert.equal(top.body.results[0].code, 'reserved_key');
    const segment = await new TestClient(h.server).post('/v1/batch', `{"writeKey":"${write.token}","batch":[${JSON.stringify(good(2))},${bad}]}`);
    assert.deepEqual(segment.body, { success: true, accepted: 1, rejected: 1 });
    const posthog = await new TestClient(h.server).post(
      '/batch/',
      `{"api_key":"${write.token}","batch":[{"event":"Good 3","distinct_id":"proto-batch"},{"event":"Bad","distinct_id":"proto-batch","properties":{"$set":{"__proto__":{"a":1}}}}]}`,
    );
    assert.deepEqual(posthog.body, { status: 1, accepted: 1, rejected: 1 });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('on ingest, a __proto__ key at the top of a Segment message or PostHog event refuses that event; in an envelope, the request', async () => {
    const h = haven();
    const write = await keyClient(h.server, as(h, f.owner), 'write');
    const anyone = new TestClient(h.server);
    const basic = { authorization: `Basic ${Buffer.from(`${write.token}:`).toString('base64')}` };
    const single = await anyone.post('/v1/track', '{"anonymousId":"proto-top","event":"E","__proto__":{"x":1}}', basic);
    assertError(single, 400, 'reserved_key', '__proto__');
    const segment = await anyone.post('/v1/batch', `{"writeKey":"${write.token}","batch":[{"type":"track","anonymousId":"proto-top","event":"Good"},{"type":"track","anonymousId":"proto-top","event":"E","__proto__":{}}]}`);
    assert.deepEqual(segment.body, { success: true, accepted: 1, rejected: 1 });
    const capture = await anyone.post('/capture/', `{"api_key":"${write.token}","event":"E","distinct_id":"proto-top","__proto__":{"x":1}}`);
    assertError(capture, 400, 'reserved_key', '__proto__');
    const posthog = await anyone.post('/batch/', `{"api_key":"${write.token}","batch":[{"event":"Good","distinct_id":"proto-top"},{"event":"E","distinct_id":"proto-top","__proto__":{}}]}`);
    assert.deepEqual(posthog.body, { status: 1, accepted: 1, rejected: 1 });
    const bearer = { authorization: `Bearer ${write.token}` };
    const u = [randomUUID(), randomUUID(), randomUUID()];
    const v1 = await anyone.post(
      '/i/v1/analytics/events',
      `{"batch":[{"event":"Good","distinct_id":"proto-top","uuid":"${u[0]}"},{"event":"E","distinct_id":"proto-top","uuid":"${u[1]}","__proto__":{}},{"event":"E","distinct_id":"proto-top","uuid":"${u[2]}","options":{"__proto__":{}}}]}`,
      bearer,
    );
    assert.deepEqual(v1.body.results, {
      [u[0]!]: { result: 'ok' },
      [u[1]!]: { result: 'drop', details: 'reserved_key: A key may not be "__proto__".' },
      [u[2]!]: { result: 'drop', details: 'reserved_key: A key may not be "__proto__".' },
    });
    for (const [url, body, headers] of [
      ['/v1/batch', `{"writeKey":"${write.token}","__proto__":{},"batch":[{"type":"track","anonymousId":"proto-top","event":"Envelope"}]}`, {}],
      ['/batch/', `{"api_key":"${write.token}","__proto__":{},"batch":[{"event":"Envelope","distinct_id":"proto-top"}]}`, {}],
      ['/i/v1/analytics/events', `{"__proto__":{},"batch":[{"event":"Envelope","distinct_id":"proto-top","uuid":"${randomUUID()}"}]}`, bearer],
      ['/api/v1/events', '{"__proto__":{},"events":[{"type":"track","anonymousId":"proto-top","event":"Envelope"}]}', bearer],
    ] as const) {
      const res = await anyone.post(url, body, headers);
      assertError(res, 400, 'reserved_key', '__proto__', url);
    }
    const person = await as(h, f.owner).get('/api/v1/people?anonymousId=proto-top');
    const activity = await as(h, f.owner).get(`/api/v1/people/${person.body.people[0].id}/activity`);
    assert.deepEqual(activity.body.activity.map((e: { name: string }) => e.name), ['Good', 'Good', 'Good']);
  });

  it('a property or trait named constructor is kept as sent, on people and on ingest', async () => {
    const h = haven();
    const created = await as(h, f.owner).post('/api/v1/people', { name: 'Builder', properties: { constructor: 'ACME Builders', role: 'x' } });
    assert.equal(created.status, 201, created.raw.body);
    assert.deepEqual((await as(h, f.owner).get(`/api/v1/people/${created.body.id}`)).body.properties, { constructor: 'ACME Builders', role: 'x' });
    const key = await keyClient(h.server, as(h, f.owner), 'secret', 'admin');
    const sent = await key.client.post('/api/v1/events', { events: [{ type: 'track', userId: 'ctor-1', event: 'Quote', properties: { constructor: 'ACME', amount: 3 } }] });
    assert.equal(sent.body.results[0].status, 'accepted', sent.raw.body);
    const activity = await as(h, f.owner).get(`/api/v1/people/${sent.body.results[0].personId}/activity`);
    assert.deepEqual(activity.body.activity[0].properties, { constructor: 'ACME', amount: 3 });
  });

  it('invitations and member changes: wrong enum values are 400 invalid_value', async () => {
    const h = haven();
    for (const role of ['superuser', 'Owner', 'OWNER', ' owner', '']) {
      await refused(h, () => as(h, f.owner).patch(`/api/v1/members/${f.member.userId}`, { role }), 400, 'invalid_value', 'role', `role ${role}`);
      await refused(h, () => as(h, f.owner).post('/api/v1/invitations', { email: uniqueEmail(), role }), 400, 'invalid_value', 'role', `invite role ${role}`);
    }
    await refused(h, () => as(h, f.owner).post('/api/v1/api-keys', { name: 'k', kind: 'public' }), 400, 'invalid_value', 'kind', 'key kind');
    await refused(h, () => as(h, f.owner).post('/api/v1/api-keys', { name: 'k', kind: 'write', scope: 'read' }), 400, 'invalid_value', 'scope', 'write key scope');
  });

  it('member role change: a malformed member id is 400 invalid_format on params.userId', async () => {
    const h = haven();
    for (const id of ['not-a-uuid', '1', "' OR 1=1 --", '\u0000', '💥', `${randomUUID()}x`]) {
      await refused(h, () => as(h, f.owner).patch(`/api/v1/members/${encodeURIComponent(id)}`, { role: 'viewer' }), 400, 'invalid_format', 'params.userId', `id ${id}`);
    }
    await refused(h, () => as(h, f.owner).patch(`/api/v1/members/${randomUUID()}`, { role: 'viewer' }), 404, 'not_found', undefined, 'unknown member');
  });

  it('signed-in invitation accept that fails (sent to another email) leaves the session and tables untouched', async () => {
    const h = haven();
    await refused(
      h,
      () => as(h, f.owner).post('/api/v1/invitations/accept', { token: f.invitationTokens[1]! }),
      403,
      'invitation_for_another_email',
      undefined,
      'owner accepts an invitation sent to someone else',
    );
    // The invitation stays usable.
    const joined = await new TestClient(h.server).post('/api/v1/invitations/accept', { token: f.invitationTokens[1]!, password: PASSWORD });
    assert.equal(joined.status, 200, joined.raw.body);
  });

  it('signed-out invitation accept without a password is 400 missing_field and consumes nothing', async () => {
    const h = haven();
    await refused(h, () => new TestClient(h.server).post('/api/v1/invitations/accept', { token: f.invitationTokens[2]! }), 400, 'missing_field', 'password');
    const again = await new TestClient(h.server).post('/api/v1/invitations/accept', { token: f.invitationTokens[2]!, password: PASSWORD });
    assert.equal(again.status, 200, again.raw.body);
  });

  it('sign-up with a taken email in another case is 409 email_taken', async () => {
    const h = haven();
    const base = uniqueEmail('Case');
    const first = await new TestClient(h.server).post('/api/v1/auth/sign-up', { email: base, password: PASSWORD, teamName: 'One' });
    assert.equal(first.status, 201, first.raw.body);
    assert.equal(first.body.user.email, base.toLowerCase());
    const variants = [base.toUpperCase(), base.toLowerCase(), base[0]!.toLowerCase() + base.slice(1).toUpperCase(), f.owner.email.toUpperCase()];
    for (const email of variants) {
      await refused(h, () => new TestClient(h.server).post('/api/v1/auth/sign-up', { email, password: PASSWORD, teamName: 'Two' }), 409, 'email_taken', 'email', email);
    }
  });

  it('two concurrent sign-ups with the same email: exactly one 201, one 409, one users row', async () => {
    const h = haven();
    for (let round = 0; round < 5; round++) {
      const email = uniqueEmail(`race${round}`);
      const before = await snapshot(h);
      const results = await Promise.all([
        new TestClient(h.server).post('/api/v1/auth/sign-up', { email, password: PASSWORD, teamName: 'Race A' }),
        new TestClient(h.server).post('/api/v1/auth/sign-up', { email: email.toUpperCase(), password: PASSWORD, teamName: 'Race B' }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, 409], JSON.stringify(results.map((r) => r.body)));
      const loser = results.find((r) => r.status === 409)!;
      assertError(loser, 409, 'email_taken', 'email', 'race loser');
      const rows = await h.engine.ownerTransaction((tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE email_lookup = $1`, [emailLookup(h.keyring.accounts, email.toLowerCase())]));
      assert.equal(Number(rows.rows[0]!.n), 1);
      const after = await snapshot(h);
      // The winner's user, team, owner membership and session — and nothing of the loser.
      for (const t of ['users', 'teams', 'memberships', 'sessions'] as const) assert.equal(after[t], (before[t] as number) + 1, t);
      for (const t of ['invitations', 'api_keys'] as const) assert.equal(after[t], before[t], t);
    }
  });

  // Property-based: anything JSON-ish at every write route, signed in and signed out.

  const nastyChar = fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', 'é', '𝄞', '"', '\\', '\n', ' ', '@', 'A', 'z', '0', '\u00a0');
  const anyUtf16 = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: anyUtf16 }),
    fc.string({ unit: nastyChar }),
    fc.string({ unit: fc.oneof(nastyChar, fc.constantFrom('a', 'b', 'x', '.')), minLength: 1, maxLength: 120 }),
  );
  const hugeNumber = fc.constantFrom('1e400', '-1e400', '1e-400', '-0', '123456789012345678901234567890', '9007199254740993', '0.1e1', '1E+2');
  const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

  function fieldValue(route: WriteRoute, key: string): fc.Arbitrary<unknown> {
    const valid: Record<string, fc.Arbitrary<unknown>> = {
      email: fc.oneof(fc.emailAddress(), fc.emailAddress().map((e) => e.toUpperCase()), fc.constant(f.owner.email), fc.constant(f.member.email.toUpperCase())),
      password: fc.oneof(fc.string({ minLength: 10, maxLength: 40 }), fc.string({ unit: anyUtf16, minLength: 10, maxLength: 30 }), fc.constant(PASSWORD)),
      teamName: fc.oneof(fc.string({ minLength: 1, maxLength: 100 }), text),
      name: fc.oneof(fc.string({ minLength: 1, maxLength: 100 }), text),
      role: fc.constantFrom(...ROLES),
      kind: fc.constantFrom('write', 'secret'),
      scope: fc.constantFrom('read', 'admin'),
      token: fc.oneof(
        fc.constantFrom(...f.invitationTokens),
        fc.string({ unit: fc.constantFrom('a', 'Z', '_', '-', '9'), minLength: 43, maxLength: 43 }).map((s) => `hvi_${s}${f.owner.teamId.replaceAll('-', '')}`),
        fc.uuid().map((u) => `hvi_${'A'.repeat(43)}${u.replaceAll('-', '')}`),
      ),
    };
    const v = valid[key] ?? text;
    return fc.oneof({ weight: 8, arbitrary: v }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: fc.anything() }, { weight: 1, arbitrary: hugeNumber.map((n) => ({ __raw: n })) });
  }

  /** Serialize, letting { __raw } stand for raw JSON number text (numbers JSON.stringify cannot write). */
  function serialize(value: unknown): string {
    const raws: string[] = [];
    const s =
      JSON.stringify(value, (_k, v: unknown) => {
        if (v && typeof v === 'object' && '__raw' in v && typeof (v as { __raw: unknown }).__raw === 'string') {
          raws.push((v as { __raw: string }).__raw);
          return `__RAW${raws.length - 1}__`;
        }
        return v;
      }) ?? '';
    return s.replace(/"__RAW(\d+)__"/g, (_m, i: string) => raws[Number(i)]!);
  }

  function bodies(route: WriteRoute): fc.Arbitrary<string | Buffer> {
    const keys = Object.keys(route.valid(f));
    const fields = Object.fromEntries(keys.map((k) => [k, fieldValue(route, k)]));
    const nearValid = fc
      .tuple(
        fc.oneof({ weight: 3, arbitrary: fc.record(fields) }, { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) }),
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(null) },
          {
            weight: 1,
            arbitrary: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', ...keys.map((k) => k.toUpperCase()))), scalar, {
              minKeys: 1,
              maxKeys: 2,
            }),
          },
        ),
      )
      .map(([record, extra]) => serialize({ ...(extra ?? {}), ...record }));
    const deep = fc.integer({ min: 1, max: 3000 }).chain((depth) =>
      fc.constantFrom(`${'['.repeat(depth)}${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`, `{"${keys[0] ?? 'x'}":${'['.repeat(depth)}${']'.repeat(depth)}}`),
    );
    return fc.oneof(
      { weight: 12, arbitrary: nearValid },
      { weight: 2, arbitrary: nearValid.chain((s) => fc.nat({ max: Math.max(0, s.length - 1) }).map((n) => s.slice(0, n))) },
      { weight: 2, arbitrary: fc.anything({ withNullPrototype: true, withObjectString: true }).map(serialize) },
      { weight: 2, arbitrary: fc.json() },
      { weight: 1, arbitrary: fc.object({ maxDepth: 4 }).map(serialize) },
      { weight: 1, arbitrary: fc.array(fc.anything()).map(serialize) },
      { weight: 1, arbitrary: text },
      { weight: 1, arbitrary: hugeNumber },
      { weight: 1, arbitrary: deep },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
      { weight: 1, arbitrary: nearValid.chain((s) => fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => Buffer.concat([Buffer.from(s.slice(0, -2)), Buffer.from(b), Buffer.from(s.slice(-2))]))) },
    );
  }

  for (const route of ROUTES) {
    for (const signedIn of [true, false]) {
      it(`property: random bodies at ${route.name} (${signedIn ? 'signed in' : 'signed out'}) never 5xx and change rows only on 2xx`, async (t) => {
        const h = haven();
        const seen: Record<string, number> = {};
        // Its own owner session, made directly (a successful sign-in ends the session it came
        // from, so after one the next run gets a new session — outside the measured window).
        const newSession = async () => {
          const { token } = await h.engine.transaction((tx) =>
            createSession(tx, { idleMinutes: h.config.sessionIdleMinutes, maxHours: h.config.sessionMaxHours }, f.owner.userId, f.owner.teamId),
          );
          const c = new TestClient(h.server);
          c.cookie = token;
          c.csrfToken = csrfTokenFor(token);
          return { ...f.owner, client: c };
        };
        let session = signedIn ? await newSession() : null;
        await fc.assert(
          fc.asyncProperty(bodies(route), async (payload) => {
            if (session && (await as(h, session).get('/api/v1/session')).status !== 200) session = await newSession();
            const before = await snapshot(h);
            const res = await as(h, session).request(route.method, route.url(f), payload);
            const context = `${route.method} ${route.url(f)} ${signedIn ? 'signed in' : 'signed out'} with ${JSON.stringify(String(payload)).slice(0, 300)}`;
            const outcome = `${res.status} ${res.status >= 400 ? (res.body as { error?: { code?: string } })?.error?.code : ''}`.trim();
            seen[outcome] = (seen[outcome] ?? 0) + 1;
            assert.ok(res.status < 500, `${context} → ${res.status} ${res.raw.body}`);
            if (res.status >= 300) {
              assertErrorShape(res, context);
              assert.deepEqual(await snapshot(h), before, `${context}: refused with ${res.status} but the database changed`);
            }
          }),
          { numRuns: 100 },
        );
        t.diagnostic(`outcomes: ${JSON.stringify(seen)}`);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
      });
    }
  }

  it('an id that is not a plain UUID (here `urn:uuid:…`, which the schema format alone lets by) is a 400 on every route that takes one', async () => {
    const h = haven();
    const doc = JSON.parse((await h.server.inject({ method: 'GET', url: '/api/docs/json' })).body) as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: { format?: string } }[] }>>;
    };
    const tried: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const ids = (op.parameters ?? []).filter((p) => p.in === 'path' && p.schema?.format === 'uuid').map((p) => p.name);
        if (ids.length === 0) continue;
        for (const bad of ids) {
          const url = path.replace(/\{(\w+)\}/g, (_, name: string) => (name === bad ? `urn:uuid:${randomUUID()}` : randomUUID()));
          const res = await as(h, f.owner).request(method.toUpperCase(), url, ['post', 'put', 'patch'].includes(method) ? {} : undefined);
          assertError(res, 400, 'invalid_format', `params.${bad}`, `${method.toUpperCase()} ${url}`);
          tried.push(`${method} ${path}`);
        }
      }
    }
    assert.ok(tried.length >= 10, `only ${tried.length} routes take an id`);
  });
});

describe('requests refused before any route: the API error body, never the address echoed', () => {
  let h: TestHaven;
  let port: number;
  before(async () => {
    h = await startTestHaven('pglite');
    await h.server.listen({ host: '127.0.0.1', port: 0 });
    port = (h.server.server.address() as AddressInfo).port;
  });
  after(async () => {
    await h?.close();
  });

  /** One raw HTTP request on its own connection; the answer as the server wrote it. */
  function raw(request: string): Promise<{ status: number; headers: string; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(request));
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString('utf8')));
      socket.on('error', reject);
      socket.on('close', () => {
        const [head = '', body = ''] = data.split('\r\n\r\n');
        resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body });
      });
    });
  }

  it('a broken percent escape in the path is 400 invalid_url (no-store), the path not quoted', async () => {
    for (const [method, url] of [['GET', '/api/v1/people/%E0%A4%A-secret-token'], ['POST', '/v1/track/%ZZsecret']] as const) {
      const res = await h.server.inject({ method, url });
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(Object.keys(res.json().error), ['code', 'message']);
      assert.equal(res.json().error.code, 'invalid_url');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.doesNotMatch(res.body, /secret/);
    }
  });

  it('a broken percent escape in the query string is 400 invalid_url too, not searched for as text', async () => {
    for (const url of ['/api/v1/people?externalId=%ZZsecret', '/api/v1/people?name=%E0%A4%A', '/v1/track?x=%ZZ', '/api/v1/activity/daily?%']) {
      const res = await h.server.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'invalid_url', url);
      assert.equal(res.headers['cache-control'], 'no-store', url);
      assert.doesNotMatch(res.body, /secret/);
    }
    // Well-formed escapes, `+` and a percent sign sent as %25 are still read as usual.
    const fine = await h.server.inject({ method: 'GET', url: '/api/v1/people?externalId=%25ZZ+x' });
    assert.equal(fine.statusCode, 401, fine.body);
  });

  it('a client gone before its request is handled is no server error, and logs none', async () => {
    const before = h.logs.length;
    const body = '{"events":[]}';
    for (const request of [
      `POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      'POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ]) {
      for (let i = 0; i < 5; i++) {
        await new Promise<void>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.write(request);
            socket.resetAndDestroy();
            resolve();
          });
        });
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    const logged = h.logs.slice(before).map((line) => JSON.parse(line) as { level: number; res?: { statusCode: number } });
    assert.deepEqual(logged.filter((l) => l.level >= 50 || (l.res?.statusCode ?? 0) >= 500), []);
  });

  it('a Content-Length that is not a number is 400 invalid_request; headers over the limit are 431 headers_too_large', async () => {
    const bad = await raw('POST /api/v1/people HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}');
    assert.equal(bad.status, 400, bad.body);
    assert.deepEqual(JSON.parse(bad.body), { error: { code: 'invalid_request', message: 'The request is not valid HTTP.' } });
    assert.match(bad.headers, /cache-control: no-store/);
    const big = await raw(`GET /api/v1/session HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.equal(big.status, 431, big.body);
    assert.equal(JSON.parse(big.body).error.code, 'headers_too_large');
  });
});
