import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, it } from 'node:test';
import { PERMISSIONS, ROLES } from '../src/modules/accounts/permissions.js';
import { PASSWORD, TestClient, addMember, keyClient, signUp } from './support/client.js';
import { describeEngines } from './support/haven.js';
import { documentedRoutes } from './support/openapi.js';
const SESSION_ROLES = ROLES;
const PRINCIPALS = [...SESSION_ROLES, 'readKey', 'adminKey', 'writeKey'];
/** The documented powers of secret keys (permissions.ts): scope read → viewer, scope admin → admin. */
const KEY_ROLE = { readKey: 'viewer', adminKey: 'admin' };
const isKey = (p) => p === 'readKey' || p === 'adminKey' || p === 'writeKey';
const ok = (status) => ({ ok: status });
const refused = (code, status = 403) => ({ status, code });
const allowed = (o) => 'ok' in o;
const show = (o) => ('ok' in o ? `${o.ok}` : `${o.status} ${o.code}`);
/** The refusal PERMISSIONS dictates for `action`, or null when the principal may perform it. */
function gate(p, action) {
    const roles = PERMISSIONS[action];
    if (p === 'writeKey')
        return refused('write_key_not_allowed');
    if (p === 'readKey' || p === 'adminKey')
        return roles.includes(KEY_ROLE[p]) ? null : refused('insufficient_scope');
    return roles.includes(p) ? null : refused('forbidden');
}
/** Session-only routes: any signed-in user; every API key gets 403 forbidden. */
const sessionOnly = (p) => (isKey(p) ? refused('forbidden') : null);
function check(res, expected, label) {
    const got = `${res.status} ${JSON.stringify(res.body)}`;
    if ('ok' in expected) {
        assert.equal(res.status, expected.ok, `${label}: expected ${expected.ok}, got ${got}`);
    }
    else {
        assert.equal(res.status, expected.status, `${label}: expected ${show(expected)}, got ${got}`);
        assert.equal(res.body?.error?.code, expected.code, `${label}: expected ${show(expected)}, got ${got}`);
    }
}
const tag = () => randomBytes(4).toString('hex');
/** A principal of the shared team. */
function as(fx, p) {
    return isKey(p) ? fx.keys[p] : fx.sessions[p].client;
}
/** A new member of the shared team with `role`, for cases that consume the principal or the target. */
function fresh(fx, role) {
    return addMember(fx.server, fx.owner.client, role);
}
/** A principal for a case that changes the principal itself (sign-out, switch team): fresh when a session. */
async function disposable(fx, p) {
    return isKey(p) ? fx.keys[p] : (await fresh(fx, p)).client;
}
// The state of the shared team, read by its owner (the rightful credentials).
async function members(fx, by = fx.owner.client) {
    const r = await by.get('/api/v1/members');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.members;
}
async function roleOf(fx, userId, by) {
    return (await members(fx, by)).find((m) => m.userId === userId)?.role ?? null;
}
async function teamName(fx) {
    const r = await fx.owner.client.get('/api/v1/team');
    assert.equal(r.status, 200);
    return r.body.name;
}
async function invitations(fx, by = fx.owner.client) {
    const r = await by.get('/api/v1/invitations');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.invitations;
}
async function apiKeys(fx) {
    const r = await fx.owner.client.get('/api/v1/api-keys?includeRevoked=true');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.apiKeys;
}
async function sessionTeams(client) {
    const r = await client.get('/api/v1/session');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.teams;
}
/** Every identity a person gets is unique in the team (a duplicate is refused), so each is tagged. */
let phoneSerial = 0;
const uniquePhone = () => `+1 202 555 ${String(1000 + (phoneSerial++ % 9000)).padStart(4, '0')}`;
/** A new person of the shared team, created by the owner, for cases that change or remove their target. */
async function newPerson(fx, name = `Person ${tag()}`) {
    const t = tag();
    const email = `person-${t}@example.test`;
    const externalId = `ext-${t}`;
    const r = await fx.owner.client.post('/api/v1/people', { name, company: 'Acme', emails: [email], externalIds: [externalId], properties: { plan: 'pro' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return { id: r.body.id, name, email, externalId };
}
async function newNote(fx, personId) {
    const r = await fx.owner.client.post(`/api/v1/people/${personId}/notes`, { body: `note ${tag()}` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
}
/** A person as the owner reads them, or null when there is no such person. */
async function personOf(fx, id) {
    const r = await fx.owner.client.get(`/api/v1/people/${id}`);
    if (r.status === 404)
        return null;
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
}
async function notesOf(fx, personId) {
    const r = await fx.owner.client.get(`/api/v1/people/${personId}/notes`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.notes;
}
/** The ids of the people a lookup finds, as the owner sees them. */
async function peopleFound(fx, query) {
    const r = await fx.owner.client.get(`/api/v1/people?${query}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.people.map((x) => x.id);
}
const idsOf = (res) => res.body.people.map((x) => x.id);
/**
 * The tracked person's events: three page views and a sign-up, at fixed hours of one UTC day three
 * days ago (so a window on that day counts them exactly, whatever events other cases send today).
 */
const TRACKED_DAY = new Date((Math.floor(Date.now() / 86_400_000) - 3) * 86_400_000);
const trackedAt = (hour) => new Date(TRACKED_DAY.getTime() + hour * 3_600_000).toISOString();
const TRACKED_WINDOW = `from=${encodeURIComponent(TRACKED_DAY.toISOString())}&to=${encodeURIComponent(new Date(TRACKED_DAY.getTime() + 86_400_000).toISOString())}`;
const TRACKED_EVENTS = [
    { type: 'page', name: 'Pricing', properties: { url: 'https://example.test/pricing', title: 'Pricing' }, timestamp: trackedAt(10) },
    { type: 'page', name: 'Docs', properties: { url: 'https://example.test/docs', title: 'Docs' }, timestamp: trackedAt(11) },
    { type: 'page', name: 'Pricing', properties: { url: 'https://example.test/pricing', title: 'Pricing' }, timestamp: trackedAt(12) },
    { type: 'track', event: 'Signed Up', properties: { plan: 'pro' }, timestamp: trackedAt(13) },
];
/** A person's activity (every page of it), as the owner reads it. */
async function activityOf(fx, personId) {
    const r = await fx.owner.client.get(`/api/v1/people/${personId}/activity?limit=200`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.nextCursor, null);
    return r.body.activity;
}
/** The team's events of the last 30 days, as the owner counts them. */
async function eventTotal(fx) {
    const r = await fx.owner.client.get('/api/v1/activity/daily');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.days.reduce((n, d) => n + d.total, 0);
}
/** The shared team's privacy requests (newest first), optionally filtered, as the owner lists them. */
async function privacyRequests(fx, query = '') {
    const r = await fx.owner.client.get(`/api/v1/privacy/requests?limit=200${query ? `&${query}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.requests;
}
async function privacyRequest(fx, id) {
    const r = await fx.owner.client.get(`/api/v1/privacy/requests/${id}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
}
async function privacySettings(fx, by = fx.owner.client) {
    const r = await by.get('/api/v1/privacy/settings');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
}
async function consentsOf(fx, personId) {
    const r = await fx.owner.client.get(`/api/v1/people/${personId}/consents`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.consents;
}
async function newConsent(fx, personId) {
    const r = await fx.owner.client.post(`/api/v1/people/${personId}/consents`, { purpose: 'newsletter', lawfulBasis: 'consent', source: `form ${tag()}` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
}
/** `kind:suppressed` for each identity of a person, as the owner reads it. */
async function suppressionOf(fx, personId) {
    const r = await fx.owner.client.get(`/api/v1/people/${personId}/suppression`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.identities.map((i) => `${i.kind}:${i.suppressed}`).sort();
}
/** An objection recorded by the owner (a completed privacy request): its id. */
async function newObjection(fx, body) {
    const r = await fx.owner.client.post('/api/v1/privacy/objections', body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
}
async function newExport(fx, personId) {
    const r = await fx.owner.client.post('/api/v1/privacy/exports', { personId, format: 'json' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
}
/**
 * A team of its own (owner, plus `p` in it), for cases whose effect would change the shared team
 * for every later case: cancelling it (read-only), applying a retention policy.
 */
async function teamOfItsOwn(fx, p) {
    const owner = await signUp(fx.server, 'own', `Own ${p}`);
    // An admin key: its ingest answers name each event's person.
    const ingestKey = (await keyClient(fx.server, owner.client, 'secret', 'admin')).client;
    let client;
    if (p === 'owner')
        client = owner.client;
    else if (p === 'writeKey')
        client = (await keyClient(fx.server, owner.client, 'write')).client;
    else if (p === 'readKey' || p === 'adminKey')
        client = (await keyClient(fx.server, owner.client, 'secret', p === 'readKey' ? 'read' : 'admin')).client;
    else
        client = (await addMember(fx.server, owner.client, p)).client;
    return { owner, client, ingestKey };
}
async function deletionDueOf(owner) {
    const r = await owner.get('/api/v1/team');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.deletionDueAt;
}
const CASES = [
    // ── team ──────────────────────────────────────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/team',
        name: 'read the team',
        actions: ['team.read'],
        expect: (p) => gate(p, 'team.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/team');
            check(res, e, label);
            if (allowed(e))
                assert.equal(res.body.id, fx.teamId);
        },
    },
    {
        route: 'PATCH /api/v1/team',
        name: 'rename the team',
        actions: ['team.update'],
        expect: (p) => gate(p, 'team.update') ?? ok(200),
        async run(fx, p, e, label) {
            const before = await teamName(fx);
            const name = `Renamed by ${p} ${tag()}`;
            const res = await as(fx, p).patch('/api/v1/team', { name });
            check(res, e, label);
            assert.equal(await teamName(fx), allowed(e) ? name : before);
        },
    },
    // ── members ───────────────────────────────────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/members',
        name: 'list members',
        actions: ['members.read'],
        expect: (p) => gate(p, 'members.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/members');
            check(res, e, label);
            if (allowed(e)) {
                const ids = res.body.members.map((m) => m.userId);
                for (const r of SESSION_ROLES)
                    assert.ok(ids.includes(fx.sessions[r].userId), `${label}: ${r} missing`);
            }
        },
    },
    {
        route: 'GET /api/v1/members',
        name: 'list members ?role=viewer',
        actions: ['members.read'],
        expect: (p) => gate(p, 'members.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/members?role=viewer');
            check(res, e, label);
            if (allowed(e)) {
                assert.ok(res.body.members.length >= 1);
                assert.ok(res.body.members.every((m) => m.role === 'viewer'), JSON.stringify(res.body));
                assert.ok(res.body.members.some((m) => m.userId === fx.sessions.viewer.userId));
            }
        },
    },
    {
        route: 'PATCH /api/v1/members/{userId}',
        name: "change a member's role (member → viewer)",
        actions: ['members.manage'],
        expect: (p) => gate(p, 'members.manage') ?? ok(200),
        async run(fx, p, e, label) {
            const target = await fresh(fx, 'member');
            const res = await as(fx, p).patch(`/api/v1/members/${target.userId}`, { role: 'viewer' });
            check(res, e, label);
            if (allowed(e))
                assert.equal(res.body.role, 'viewer');
            assert.equal(await roleOf(fx, target.userId), allowed(e) ? 'viewer' : 'member');
        },
    },
    {
        route: 'PATCH /api/v1/members/{userId}',
        name: 'grant the owner role (member → owner): owners only',
        actions: ['members.manage'],
        expect: (p) => gate(p, 'members.manage') ?? (p === 'owner' ? ok(200) : refused('forbidden')),
        async run(fx, p, e, label) {
            const target = await fresh(fx, 'member');
            const res = await as(fx, p).patch(`/api/v1/members/${target.userId}`, { role: 'owner' });
            check(res, e, label);
            assert.equal(await roleOf(fx, target.userId), allowed(e) ? 'owner' : 'member');
        },
    },
    {
        route: 'PATCH /api/v1/members/{userId}',
        name: "change an owner's role (owner → admin): owners only",
        actions: ['members.manage'],
        expect: (p) => gate(p, 'members.manage') ?? (p === 'owner' ? ok(200) : refused('forbidden')),
        async run(fx, p, e, label) {
            const target = await fresh(fx, 'owner');
            const res = await as(fx, p).patch(`/api/v1/members/${target.userId}`, { role: 'admin' });
            check(res, e, label);
            assert.equal(await roleOf(fx, target.userId), allowed(e) ? 'admin' : 'owner');
        },
    },
    {
        route: 'PATCH /api/v1/members/{userId}',
        name: 'the last owner cannot be demoted',
        actions: ['members.manage'],
        principals: ['owner'],
        expect: () => refused('last_owner', 409),
        async run(fx, _p, e, label) {
            const solo = await signUp(fx.server, 'solo'); // its own team: a sole owner, whatever other cases did
            const res = await solo.client.patch(`/api/v1/members/${solo.userId}`, { role: 'admin' });
            check(res, e, label);
            assert.equal(await roleOf(fx, solo.userId, solo.client), 'owner');
        },
    },
    {
        route: 'PATCH /api/v1/members/{userId}',
        name: 'an owner may step down while another owner remains',
        actions: ['members.manage'],
        principals: ['owner'],
        expect: () => ok(200),
        async run(fx, _p, e, label) {
            const first = await signUp(fx.server, 'pair');
            const second = await addMember(fx.server, first.client, 'owner');
            const res = await first.client.patch(`/api/v1/members/${first.userId}`, { role: 'admin' });
            check(res, e, label);
            assert.equal(await roleOf(fx, first.userId, second.client), 'admin');
            assert.equal(await roleOf(fx, second.userId, second.client), 'owner');
        },
    },
    {
        route: 'DELETE /api/v1/members/{userId}',
        name: 'remove a member',
        actions: ['members.manage'],
        expect: (p) => gate(p, 'members.manage') ?? ok(204),
        async run(fx, p, e, label) {
            const target = await fresh(fx, 'member');
            const res = await as(fx, p).delete(`/api/v1/members/${target.userId}`);
            check(res, e, label);
            assert.equal(await roleOf(fx, target.userId), allowed(e) ? null : 'member');
            // The removed member's session loses the team; a refused removal leaves it working.
            const theirs = await target.client.get('/api/v1/team');
            if (allowed(e))
                check(theirs, refused('no_active_team'), `${label} (removed member's session)`);
            else
                assert.equal(theirs.status, 200);
        },
    },
    {
        route: 'DELETE /api/v1/members/{userId}',
        name: 'remove an owner: owners only',
        actions: ['members.manage'],
        expect: (p) => gate(p, 'members.manage') ?? (p === 'owner' ? ok(204) : refused('forbidden')),
        async run(fx, p, e, label) {
            const target = await fresh(fx, 'owner');
            const res = await as(fx, p).delete(`/api/v1/members/${target.userId}`);
            check(res, e, label);
            assert.equal(await roleOf(fx, target.userId), allowed(e) ? null : 'owner');
        },
    },
    {
        // API keys are not members: they have no "self" to remove, so this rule is for sessions only.
        route: 'DELETE /api/v1/members/{userId}',
        name: 'leave the team (remove yourself): every role',
        actions: [],
        principals: SESSION_ROLES,
        expect: () => ok(204),
        async run(fx, p, e, label) {
            const me = await fresh(fx, p); // the shared owner stays, so a leaving owner is never the last
            const res = await me.client.delete(`/api/v1/members/${me.userId}`);
            check(res, e, label);
            assert.equal(await roleOf(fx, me.userId), null);
            check(await me.client.get('/api/v1/team'), refused('no_active_team'), `${label} (after leaving)`);
        },
    },
    {
        route: 'DELETE /api/v1/members/{userId}',
        name: 'the last owner cannot leave',
        actions: [],
        principals: ['owner'],
        expect: () => refused('last_owner', 409),
        async run(fx, _p, e, label) {
            const solo = await signUp(fx.server, 'solo');
            const member = await addMember(fx.server, solo.client, 'member');
            const res = await solo.client.delete(`/api/v1/members/${solo.userId}`);
            check(res, e, label);
            assert.equal(await roleOf(fx, solo.userId, member.client), 'owner');
            assert.equal((await solo.client.get('/api/v1/team')).status, 200);
        },
    },
    // ── invitations ───────────────────────────────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/invitations',
        name: 'list invitations',
        actions: ['invitations.manage'],
        expect: (p) => gate(p, 'invitations.manage') ?? ok(200),
        async run(fx, p, e, label) {
            const email = `listed-${tag()}@example.test`;
            const inv = await fx.owner.client.post('/api/v1/invitations', { email, role: 'viewer' });
            assert.equal(inv.status, 201);
            const res = await as(fx, p).get('/api/v1/invitations');
            check(res, e, label);
            if (allowed(e))
                assert.ok(res.body.invitations.some((i) => i.id === inv.body.invitation.id));
        },
    },
    {
        route: 'GET /api/v1/invitations',
        name: 'list invitations ?status=revoked',
        actions: ['invitations.manage'],
        expect: (p) => gate(p, 'invitations.manage') ?? ok(200),
        async run(fx, p, e, label) {
            const inv = await fx.owner.client.post('/api/v1/invitations', { email: `revoked-${tag()}@example.test`, role: 'viewer' });
            assert.equal((await fx.owner.client.delete(`/api/v1/invitations/${inv.body.invitation.id}`)).status, 200);
            const res = await as(fx, p).get('/api/v1/invitations?status=revoked');
            check(res, e, label);
            if (allowed(e)) {
                assert.ok(res.body.invitations.every((i) => i.status === 'revoked'), JSON.stringify(res.body));
                assert.ok(res.body.invitations.some((i) => i.id === inv.body.invitation.id));
            }
        },
    },
    {
        route: 'POST /api/v1/invitations',
        name: 'invite a member (signed-in users only)',
        actions: ['invitations.manage'],
        expect: (p) => gate(p, 'invitations.manage') ?? (isKey(p) ? refused('forbidden') : ok(201)),
        async run(fx, p, e, label) {
            const email = `invitee-${tag()}@example.test`;
            const res = await as(fx, p).post('/api/v1/invitations', { email, role: 'member' });
            check(res, e, label);
            const found = (await invitations(fx)).filter((i) => i.email === email);
            assert.equal(found.length, allowed(e) ? 1 : 0, `${label}: invitations for ${email}: ${JSON.stringify(found)}`);
            if (allowed(e))
                assert.equal(typeof res.body.token, 'string');
        },
    },
    {
        route: 'POST /api/v1/invitations',
        name: 'invite an owner: owners only',
        actions: ['invitations.manage'],
        expect: (p) => gate(p, 'invitations.manage') ?? (p === 'owner' ? ok(201) : refused('forbidden')),
        async run(fx, p, e, label) {
            const email = `owner-invitee-${tag()}@example.test`;
            const res = await as(fx, p).post('/api/v1/invitations', { email, role: 'owner' });
            check(res, e, label);
            const found = (await invitations(fx)).filter((i) => i.email === email);
            assert.equal(found.length, allowed(e) ? 1 : 0);
            if (allowed(e))
                assert.equal(found[0].role, 'owner');
        },
    },
    {
        route: 'DELETE /api/v1/invitations/{id}',
        name: 'revoke an invitation',
        actions: ['invitations.manage'],
        expect: (p) => gate(p, 'invitations.manage') ?? ok(200),
        async run(fx, p, e, label) {
            const inv = await fx.owner.client.post('/api/v1/invitations', { email: `to-revoke-${tag()}@example.test`, role: 'member' });
            assert.equal(inv.status, 201);
            const res = await as(fx, p).delete(`/api/v1/invitations/${inv.body.invitation.id}`);
            check(res, e, label);
            const status = (await invitations(fx)).find((i) => i.id === inv.body.invitation.id)?.status;
            assert.equal(status, allowed(e) ? 'revoked' : 'pending');
        },
    },
    // ── API keys ──────────────────────────────────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/api-keys',
        name: 'list API keys',
        actions: ['apiKeys.manage'],
        expect: (p) => gate(p, 'apiKeys.manage') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/api-keys');
            check(res, e, label);
            if (allowed(e)) {
                assert.ok(res.body.apiKeys.length >= 3);
                assert.ok(res.body.apiKeys.every((k) => k.revokedAt === null));
            }
        },
    },
    {
        route: 'GET /api/v1/api-keys',
        name: 'list API keys ?kind=write&includeRevoked=true',
        actions: ['apiKeys.manage'],
        expect: (p) => gate(p, 'apiKeys.manage') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/api-keys?kind=write&includeRevoked=true');
            check(res, e, label);
            if (allowed(e)) {
                assert.ok(res.body.apiKeys.length >= 1);
                assert.ok(res.body.apiKeys.every((k) => k.kind === 'write'), JSON.stringify(res.body));
            }
        },
    },
    {
        route: 'POST /api/v1/api-keys',
        name: 'create a secret key',
        actions: ['apiKeys.manage'],
        expect: (p) => gate(p, 'apiKeys.manage') ?? ok(201),
        async run(fx, p, e, label) {
            const name = `made by ${p} ${tag()}`;
            const res = await as(fx, p).post('/api/v1/api-keys', { name, kind: 'secret', scope: 'read' });
            check(res, e, label);
            const found = (await apiKeys(fx)).filter((k) => k.name === name);
            assert.equal(found.length, allowed(e) ? 1 : 0);
        },
    },
    {
        route: 'DELETE /api/v1/api-keys/{id}',
        name: 'revoke an API key',
        actions: ['apiKeys.manage'],
        expect: (p) => gate(p, 'apiKeys.manage') ?? ok(200),
        async run(fx, p, e, label) {
            const victim = await keyClient(fx.server, fx.owner.client, 'secret', 'read');
            const res = await as(fx, p).delete(`/api/v1/api-keys/${victim.id}`);
            check(res, e, label);
            const key = (await apiKeys(fx)).find((k) => k.id === victim.id);
            assert.ok(key);
            assert.equal(key.revokedAt !== null, allowed(e));
            const use = await victim.client.get('/api/v1/team');
            if (allowed(e))
                check(use, refused('invalid_api_key', 401), `${label} (revoked key)`);
            else
                assert.equal(use.status, 200);
        },
    },
    // ── session-only routes: any signed-in user, never an API key ─────────────────────────────────
    {
        route: 'GET /api/v1/session',
        name: 'read the session',
        actions: [],
        expect: (p) => sessionOnly(p) ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/session');
            check(res, e, label);
            if (allowed(e))
                assert.equal(res.body.activeTeamId, fx.teamId);
        },
    },
    {
        route: 'PUT /api/v1/session/team',
        name: 'switch to a team of yours',
        actions: [],
        expect: (p) => sessionOnly(p) ?? ok(200),
        async run(fx, p, e, label) {
            const client = await disposable(fx, p);
            const res = await client.put('/api/v1/session/team', { teamId: fx.teamId });
            check(res, e, label);
            if (allowed(e))
                assert.equal(res.body.activeTeamId, fx.teamId);
        },
    },
    {
        route: 'POST /api/v1/teams',
        name: 'create another team',
        actions: [],
        expect: (p) => sessionOnly(p) ?? ok(201),
        async run(fx, p, e, label) {
            const client = await disposable(fx, p);
            const ownerTeams = (await sessionTeams(fx.owner.client)).length;
            const res = await client.post('/api/v1/teams', { name: `New by ${p}` });
            check(res, e, label);
            if (allowed(e)) {
                const teams = await sessionTeams(client);
                assert.equal(teams.find((t) => t.id === res.body.activeTeamId)?.role, 'owner');
                assert.equal(teams.find((t) => t.id === fx.teamId)?.role, p);
            }
            assert.equal((await sessionTeams(fx.owner.client)).length, ownerTeams);
        },
    },
    {
        route: 'POST /api/v1/invitations/accept',
        name: 'accept an invitation to another team while signed in',
        actions: [],
        expect: (p) => sessionOnly(p) ?? ok(200),
        async run(fx, p, e, label) {
            // Sent to the principal's own email (a key has none: any address will do).
            const me = isKey(p) ? null : await fresh(fx, p);
            const client = me?.client ?? (await disposable(fx, p));
            const inv = await fx.other.client.post('/api/v1/invitations', { email: me?.email ?? `accept-${tag()}@example.test`, role: 'viewer' });
            assert.equal(inv.status, 201);
            const res = await client.post('/api/v1/invitations/accept', { token: inv.body.token });
            check(res, e, label);
            const status = (await invitations(fx, fx.other.client)).find((i) => i.id === inv.body.invitation.id)?.status;
            assert.equal(status, allowed(e) ? 'accepted' : 'pending');
            if (allowed(e))
                assert.equal(res.body.activeTeamId, fx.other.teamId);
        },
    },
    {
        route: 'POST /api/v1/invitations/accept',
        name: 'accept an invitation sent to another email while signed in',
        actions: [],
        expect: (p) => sessionOnly(p) ?? refused('invitation_for_another_email'),
        async run(fx, p, e, label) {
            const client = await disposable(fx, p);
            const inv = await fx.other.client.post('/api/v1/invitations', { email: `someone-else-${tag()}@example.test`, role: 'viewer' });
            assert.equal(inv.status, 201);
            check(await client.post('/api/v1/invitations/accept', { token: inv.body.token }), e, label);
            const status = (await invitations(fx, fx.other.client)).find((i) => i.id === inv.body.invitation.id)?.status;
            assert.equal(status, 'pending', `${label}: the invitation is still there for its addressee`);
        },
    },
    {
        route: 'POST /api/v1/auth/sign-out',
        name: 'sign out',
        actions: [],
        expect: (p) => sessionOnly(p) ?? ok(204),
        async run(fx, p, e, label) {
            const client = await disposable(fx, p);
            const res = await client.post('/api/v1/auth/sign-out');
            check(res, e, label);
            const after = await client.get('/api/v1/team');
            if (allowed(e))
                assert.equal(after.status, 401);
            else
                assert.notEqual(after.status, 401);
        },
    },
    {
        route: 'POST /api/v1/auth/sign-out-everywhere',
        name: 'sign out everywhere',
        actions: [],
        expect: (p) => sessionOnly(p) ?? ok(200),
        async run(fx, p, e, label) {
            const client = await disposable(fx, p);
            const res = await client.post('/api/v1/auth/sign-out-everywhere');
            check(res, e, label);
            if (allowed(e)) {
                assert.ok(res.body.endedSessions >= 1);
                assert.equal((await client.get('/api/v1/team')).status, 401);
            }
            assert.equal((await fx.owner.client.get('/api/v1/team')).status, 200, 'the shared owner stays signed in');
        },
    },
    {
        route: 'POST /api/v1/auth/delete-account',
        name: 'delete your own account (a co-owner when the role is owner)',
        actions: [],
        expect: (p) => sessionOnly(p) ?? ok(200),
        async run(fx, p, e, label) {
            const client = await disposable(fx, p);
            const before = (await members(fx)).length;
            const res = await client.post('/api/v1/auth/delete-account', { password: PASSWORD });
            check(res, e, label);
            assert.equal((await members(fx)).length, allowed(e) ? before - 1 : before);
            if (allowed(e))
                assert.equal((await client.get('/api/v1/team')).status, 401);
        },
    },
    // ── people ────────────────────────────────────────────────────────────────────────────────────
    {
        route: 'POST /api/v1/people',
        name: 'add a person',
        actions: ['people.write'],
        expect: (p) => gate(p, 'people.write') ?? ok(201),
        async run(fx, p, e, label) {
            const email = `added-by-${p.toLowerCase()}-${tag()}@example.test`;
            const res = await as(fx, p).post('/api/v1/people', { name: `Added by ${p}`, emails: [email], properties: { source: p } });
            check(res, e, label);
            const found = await peopleFound(fx, `email=${encodeURIComponent(email)}`);
            assert.equal(found.length, allowed(e) ? 1 : 0, `${label}: people with ${email}: ${JSON.stringify(found)}`);
            if (allowed(e)) {
                assert.equal(found[0], res.body.id);
                const person = await personOf(fx, res.body.id);
                assert.equal(person?.name, `Added by ${p}`);
                assert.deepEqual(person?.emails, [email]);
                assert.deepEqual(person?.properties, { source: p });
            }
        },
    },
    {
        route: 'POST /api/v1/people/search',
        name: 'search people by email and by name prefix (POST: nothing searched for in the URL)',
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const made = await newPerson(fx, `Searchable ${tag()}`);
            const byEmail = await as(fx, p).post('/api/v1/people/search', { email: made.email.toUpperCase() });
            check(byEmail, e, label);
            if (allowed(e)) {
                assert.deepEqual(idsOf(byEmail), [made.id], `${label}: by email`);
                const byName = await as(fx, p).post('/api/v1/people/search', { name: made.name.split(' ')[1].slice(0, 6) });
                check(byName, ok(200), `${label} (by name)`);
                assert.ok(idsOf(byName).includes(made.id), `${label}: by name`);
                check(await as(fx, p).post('/api/v1/people/search', { email: made.email, name: 'x' }), refused('invalid_request', 400), `${label} (two lookups)`);
            }
        },
    },
    {
        route: 'GET /api/v1/people',
        name: 'list people',
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const newest = await newPerson(fx);
            const res = await as(fx, p).get('/api/v1/people?limit=200');
            check(res, e, label);
            if (allowed(e)) {
                const ids = idsOf(res);
                assert.ok(ids.includes(fx.person.id), `${label}: the fixture's person is missing`);
                assert.equal(ids[0], newest.id, `${label}: newest first`);
            }
        },
    },
    {
        route: 'GET /api/v1/people',
        name: 'list people ?sort=updated&order=asc&limit=1, then the next page',
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/people?sort=updated&order=asc&limit=1');
            check(res, e, label);
            if (allowed(e)) {
                assert.equal(res.body.people.length, 1);
                assert.equal(typeof res.body.nextCursor, 'string', `${label}: the shared team has more than one person`);
                const next = await as(fx, p).get(`/api/v1/people?sort=updated&order=asc&limit=1&cursor=${res.body.nextCursor}`);
                check(next, ok(200), `${label} (next page)`);
                assert.notEqual(idsOf(next)[0], idsOf(res)[0]);
            }
        },
    },
    {
        route: 'GET /api/v1/people',
        name: 'find a person ?email= (exact, normalised)',
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const res = await as(fx, p).get(`/api/v1/people?email=${encodeURIComponent(`  ${target.email.toUpperCase()} `)}`);
            check(res, e, label);
            if (allowed(e))
                assert.deepEqual(idsOf(res), [target.id], label);
        },
    },
    {
        route: 'GET /api/v1/people',
        name: 'find people ?name= (word prefixes)',
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const word = `Zq${tag()}`;
            const target = await newPerson(fx, `${word}xyz Lovelace`);
            const res = await as(fx, p).get(`/api/v1/people?name=${encodeURIComponent(`${word.toLowerCase()} lov`)}`);
            check(res, e, label);
            if (allowed(e))
                assert.deepEqual(idsOf(res), [target.id], label);
        },
    },
    {
        route: 'GET /api/v1/people',
        name: 'find a person ?externalId=',
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const res = await as(fx, p).get(`/api/v1/people?externalId=${encodeURIComponent(target.externalId)}`);
            check(res, e, label);
            if (allowed(e))
                assert.deepEqual(idsOf(res), [target.id], label);
        },
    },
    {
        route: 'GET /api/v1/people',
        name: 'find a person ?phone= and ?anonymousId=',
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const phone = uniquePhone();
            const anonymousId = `anon-${tag()}`;
            const made = await fx.owner.client.post('/api/v1/people', { phones: [phone], anonymousIds: [anonymousId] });
            assert.equal(made.status, 201, JSON.stringify(made.body));
            const byPhone = await as(fx, p).get(`/api/v1/people?phone=${encodeURIComponent(phone)}`);
            check(byPhone, e, `${label} (phone)`);
            const byAnon = await as(fx, p).get(`/api/v1/people?anonymousId=${encodeURIComponent(anonymousId)}`);
            check(byAnon, e, `${label} (anonymousId)`);
            if (allowed(e)) {
                assert.deepEqual(idsOf(byPhone), [made.body.id], `${label} (phone)`);
                assert.deepEqual(idsOf(byAnon), [made.body.id], `${label} (anonymousId)`);
            }
        },
    },
    {
        route: 'GET /api/v1/people/{id}',
        name: 'read a person',
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get(`/api/v1/people/${fx.person.id}`);
            check(res, e, label);
            if (allowed(e))
                assert.deepEqual(res.body, await personOf(fx, fx.person.id));
        },
    },
    {
        route: 'PATCH /api/v1/people/{id}',
        name: 'rectify a person',
        actions: ['people.write'],
        expect: (p) => gate(p, 'people.write') ?? ok(200),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const before = await personOf(fx, target.id);
            const email = `rectified-${tag()}@example.test`;
            const res = await as(fx, p).patch(`/api/v1/people/${target.id}`, {
                name: `Rectified by ${p}`,
                company: null,
                emails: [email],
                properties: { tier: 2 },
                unsetProperties: ['plan'],
            });
            check(res, e, label);
            const after = await personOf(fx, target.id);
            if (allowed(e)) {
                assert.deepEqual(res.body, after);
                assert.equal(after?.name, `Rectified by ${p}`);
                assert.equal(after?.company, null);
                assert.deepEqual(after?.emails, [email]);
                assert.deepEqual(after?.externalIds, [target.externalId]);
                assert.deepEqual(after?.properties, { tier: 2 });
                assert.deepEqual(await peopleFound(fx, `email=${encodeURIComponent(target.email)}`), [], `${label}: the old email still finds them`);
            }
            else {
                assert.deepEqual(after, before, `${label}: the person changed`);
                assert.deepEqual(await peopleFound(fx, `email=${encodeURIComponent(email)}`), []);
            }
        },
    },
    {
        route: 'DELETE /api/v1/people/{id}',
        name: 'delete a person (and their notes): an erasure',
        actions: ['people.delete'],
        expect: (p) => gate(p, 'people.delete') ?? ok(204),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const noteId = await newNote(fx, target.id);
            const before = await personOf(fx, target.id);
            const res = await as(fx, p).delete(`/api/v1/people/${target.id}`);
            check(res, e, label);
            const erasures = (await privacyRequests(fx, `kind=erasure&personId=${target.id}`)).map((r) => [r.kind, r.status]);
            if (allowed(e)) {
                assert.equal(await personOf(fx, target.id), null, `${label}: still there`);
                check(await fx.owner.client.get(`/api/v1/people/${target.id}/notes`), refused('not_found', 404), `${label} (notes)`);
                assert.deepEqual(await peopleFound(fx, `email=${encodeURIComponent(target.email)}`), [], `${label}: still found by email`);
                assert.deepEqual(erasures, [['erasure', 'shredded']], `${label}: not recorded as an erasure`);
                // Already erased: the people API knows no such person.
                check(await as(fx, p).delete(`/api/v1/people/${target.id}`), refused('not_found', 404), `${label} (again)`);
            }
            else {
                assert.deepEqual(await personOf(fx, target.id), before, `${label}: the person changed`);
                assert.deepEqual((await notesOf(fx, target.id)).map((n) => n.id), [noteId]);
                assert.deepEqual(erasures, [], `${label}: an erasure was recorded`);
            }
        },
    },
    {
        route: 'GET /api/v1/people/{id}/notes',
        name: "list a person's notes",
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get(`/api/v1/people/${fx.person.id}/notes`);
            check(res, e, label);
            if (allowed(e))
                assert.deepEqual(res.body.notes, await notesOf(fx, fx.person.id));
            if (allowed(e))
                assert.ok(res.body.notes.some((n) => n.id === fx.person.noteId), `${label}: the fixture's note is missing`);
        },
    },
    {
        route: 'POST /api/v1/people/{id}/notes',
        name: 'add a note about a person',
        actions: ['people.write'],
        expect: (p) => gate(p, 'people.write') ?? ok(201),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const before = await personOf(fx, target.id);
            const body = `noted by ${p} ${tag()}`;
            const res = await as(fx, p).post(`/api/v1/people/${target.id}/notes`, { body });
            check(res, e, label);
            const notes = await notesOf(fx, target.id);
            if (allowed(e)) {
                assert.equal(notes.length, 1);
                assert.equal(notes[0].id, res.body.id);
                assert.equal(notes[0].body, body);
                assert.equal(notes[0].authorId, isKey(p) ? null : fx.sessions[p].userId);
            }
            else {
                assert.deepEqual(notes, [], `${label}: a note was added`);
            }
            assert.deepEqual(await personOf(fx, target.id), before, `${label}: the person changed`);
        },
    },
    {
        route: 'DELETE /api/v1/people/{id}/notes/{noteId}',
        name: 'delete a note',
        actions: ['people.write'],
        expect: (p) => gate(p, 'people.write') ?? ok(204),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const doomed = await newNote(fx, target.id);
            const kept = await newNote(fx, target.id);
            const before = await personOf(fx, target.id);
            const res = await as(fx, p).delete(`/api/v1/people/${target.id}/notes/${doomed}`);
            check(res, e, label);
            const ids = (await notesOf(fx, target.id)).map((n) => n.id).sort();
            assert.deepEqual(ids, (allowed(e) ? [kept] : [doomed, kept]).sort(), label);
            assert.deepEqual(await personOf(fx, target.id), before, `${label}: the person changed`);
        },
    },
    // ── tracking ──────────────────────────────────────────────────────────────────────────────────
    {
        // The team's public write key sends events; so may a secret key that may change people
        // (people.write), and only its answers name each event and person (publicAnswer).
        route: 'POST /api/v1/events',
        name: 'send events (the write key, or a secret key with people.write)',
        actions: ['people.write'],
        expect: (p) => (p === 'writeKey' ? ok(200) : p === 'readKey' || p === 'adminKey' ? (gate(p, 'people.write') ?? ok(200)) : refused('write_key_required')),
        async run(fx, p, e, label) {
            const anonymousId = `anon-${p}-${tag()}`;
            const totalBefore = await eventTotal(fx);
            const res = await as(fx, p).post('/api/v1/events', {
                events: [
                    { type: 'page', anonymousId, name: 'Home', properties: { url: 'https://example.test/', title: 'Home' } },
                    { type: 'track', anonymousId, event: `Sent by ${p}` },
                ],
            });
            check(res, e, label);
            const found = await peopleFound(fx, `anonymousId=${encodeURIComponent(anonymousId)}`);
            assert.equal(found.length, allowed(e) ? 1 : 0, `${label}: people with ${anonymousId}: ${JSON.stringify(found)}`);
            assert.equal(await eventTotal(fx), totalBefore + (allowed(e) ? 2 : 0), `${label}: events stored`);
            if (allowed(e)) {
                assert.equal(res.body.accepted, 2);
                assert.equal(res.body.rejected, 0);
                const activity = await activityOf(fx, found[0]);
                assert.deepEqual(activity.map((a) => a.type).sort(), ['page', 'track']);
                if (p === 'writeKey') {
                    assert.deepEqual(res.body.results, [{ index: 0, status: 'accepted' }, { index: 1, status: 'accepted' }], `${label}: a public key learns no ids`);
                }
                else {
                    assert.deepEqual(res.body.results.map((r) => r.personId), [found[0], found[0]], label);
                    assert.deepEqual(activity.map((a) => a.id).sort(), res.body.results.map((r) => r.eventId).sort(), label);
                }
            }
            assert.deepEqual((await activityOf(fx, fx.tracked.id)).map((a) => a.id), fx.tracked.eventIds, `${label}: the tracked person changed`);
        },
    },
    {
        route: 'GET /api/v1/people/{id}/activity',
        name: "read a person's activity",
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get(`/api/v1/people/${fx.tracked.id}/activity`);
            check(res, e, label);
            if (allowed(e)) {
                assert.equal(res.body.nextCursor, null);
                assert.deepEqual(res.body.activity, await activityOf(fx, fx.tracked.id), label);
                assert.deepEqual(res.body.activity.map((a) => a.id), fx.tracked.eventIds, `${label}: newest first`);
                assert.deepEqual(res.body.activity.map((a) => [a.type, a.name, a.occurredAt, a.url]), [
                    ['track', 'Signed Up', trackedAt(13), null],
                    ['page', 'Pricing', trackedAt(12), 'https://example.test/pricing'],
                    ['page', 'Docs', trackedAt(11), 'https://example.test/docs'],
                    ['page', 'Pricing', trackedAt(10), 'https://example.test/pricing'],
                ], label);
            }
        },
    },
    {
        route: 'GET /api/v1/people/{id}/activity',
        name: "a person's activity ?type=page (a single type)",
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get(`/api/v1/people/${fx.tracked.id}/activity?type=page`);
            check(res, e, label);
            if (allowed(e))
                assert.deepEqual(res.body.activity.map((a) => a.id), fx.tracked.eventIds.slice(1), label);
        },
    },
    {
        route: 'GET /api/v1/people/{id}/activity',
        name: "a person's activity ?type=page&type=screen&limit=2, then the next page",
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get(`/api/v1/people/${fx.tracked.id}/activity?type=page&type=screen&limit=2`);
            check(res, e, label);
            if (allowed(e)) {
                const pages = fx.tracked.eventIds.slice(1); // the three page views, newest first
                assert.deepEqual(res.body.activity.map((a) => a.id), pages.slice(0, 2), label);
                assert.equal(typeof res.body.nextCursor, 'string', label);
                const next = await as(fx, p).get(`/api/v1/people/${fx.tracked.id}/activity?type=page&type=screen&limit=2&cursor=${res.body.nextCursor}`);
                check(next, ok(200), `${label} (next page)`);
                assert.deepEqual(next.body.activity.map((a) => a.id), pages.slice(2), `${label} (next page)`);
                assert.equal(next.body.nextCursor, null);
            }
        },
    },
    {
        route: 'GET /api/v1/people/{id}/pages',
        name: 'pages a person viewed',
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get(`/api/v1/people/${fx.tracked.id}/pages`);
            check(res, e, label);
            if (allowed(e)) {
                assert.deepEqual(res.body.pages, [
                    { url: 'https://example.test/pricing', title: 'Pricing', views: 2, lastViewedAt: trackedAt(12) },
                    { url: 'https://example.test/docs', title: 'Docs', views: 1, lastViewedAt: trackedAt(11) },
                ], label);
            }
        },
    },
    {
        route: 'GET /api/v1/activity/daily',
        name: "the team's events per day (a past day's window: exactly the tracked person's)",
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get(`/api/v1/activity/daily?${TRACKED_WINDOW}`);
            check(res, e, label);
            if (allowed(e)) {
                assert.deepEqual(res.body.days, [{ day: TRACKED_DAY.toISOString().slice(0, 10), total: 4, counts: { page: 3, track: 1 } }], label);
            }
        },
    },
    {
        route: 'GET /api/v1/activity/daily',
        name: "the team's events per day (default: the last 30 days)",
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/activity/daily');
            check(res, e, label);
            if (allowed(e)) {
                const day = res.body.days.find((d) => d.day === TRACKED_DAY.toISOString().slice(0, 10));
                assert.deepEqual(day, { day: TRACKED_DAY.toISOString().slice(0, 10), total: 4, counts: { page: 3, track: 1 } }, label);
                const owner = await fx.owner.client.get('/api/v1/activity/daily');
                assert.deepEqual(res.body, owner.body, label);
            }
        },
    },
    // ── restricted-data guard settings ───────────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/tracking/restricted-data',
        name: 'read the restricted-data settings',
        actions: ['tracking.manage'],
        expect: (p) => gate(p, 'tracking.manage') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/tracking/restricted-data');
            check(res, e, label);
            if (allowed(e))
                assert.equal(res.body.paymentCards, 'always');
        },
    },
    {
        route: 'PUT /api/v1/tracking/restricted-data',
        name: 'change the restricted-data settings',
        actions: ['tracking.manage'],
        expect: (p) => gate(p, 'tracking.manage') ?? ok(200),
        async run(fx, p, e, label) {
            const read = async () => (await fx.owner.client.get('/api/v1/tracking/restricted-data')).body;
            const before = await read();
            // A term no fixture event contains, so the shared fixture's ingest is unaffected.
            const detector = { id: `d-${p.toLowerCase()}-${tag()}`, label: 'Test terms', kind: 'keywords', terms: ['zzyzxquux'] };
            const res = await as(fx, p).put('/api/v1/tracking/restricted-data', { mode: 'reject', detectors: [detector] });
            check(res, e, label);
            const after = await read();
            if (allowed(e))
                assert.deepEqual(after.detectors, [detector]);
            else
                assert.deepEqual(after, before);
        },
    },
    {
        route: 'GET /api/v1/tracking/restricted-data/counts',
        name: 'read what the guard stopped',
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/tracking/restricted-data/counts');
            check(res, e, label);
            if (allowed(e))
                assert.ok(Array.isArray(res.body.counts));
        },
    },
    // ── audit log ─────────────────────────────────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/audit',
        name: 'read the audit log',
        actions: ['audit.read'],
        expect: (p) => gate(p, 'audit.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/audit?limit=5');
            check(res, e, label);
            if (allowed(e)) {
                assert.ok(res.body.entries.length > 0, `${label}: the fixture's own actions are logged`);
                assert.ok(res.body.entries.every((x) => x.teamId === fx.teamId));
            }
        },
    },
    {
        route: 'GET /api/v1/audit/verify',
        name: 'verify the audit chain',
        actions: ['audit.read'],
        expect: (p) => gate(p, 'audit.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/audit/verify');
            check(res, e, label);
            if (allowed(e))
                assert.equal(res.body.valid, true);
        },
    },
    // ── privacy centre: data subjects and their requests ──────────────────────────────────────────
    {
        route: 'POST /api/v1/privacy/subjects/find',
        name: 'find the data subject by email and by external id',
        actions: ['privacy.read'],
        expect: (p) => gate(p, 'privacy.read') ?? ok(200),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const byEmail = await as(fx, p).post('/api/v1/privacy/subjects/find', { email: ` ${target.email.toUpperCase()} ` });
            check(byEmail, e, `${label} (email)`);
            const byExternalId = await as(fx, p).post('/api/v1/privacy/subjects/find', { externalId: target.externalId });
            check(byExternalId, e, `${label} (externalId)`);
            if (allowed(e)) {
                assert.deepEqual(idsOf(byEmail), [target.id], `${label} (email)`);
                assert.deepEqual(idsOf(byExternalId), [target.id], `${label} (externalId)`);
                assert.deepEqual(byEmail.body.people[0].emails, [target.email], label);
            }
        },
    },
    {
        route: 'GET /api/v1/privacy/requests',
        name: 'list privacy requests, and ?kind=objection&personId=',
        actions: ['privacy.read'],
        expect: (p) => gate(p, 'privacy.read') ?? ok(200),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const id = await newObjection(fx, { personId: target.id });
            const all = await as(fx, p).get('/api/v1/privacy/requests?limit=200');
            check(all, e, label);
            const filtered = await as(fx, p).get(`/api/v1/privacy/requests?kind=objection&personId=${target.id}`);
            check(filtered, e, `${label} (filtered)`);
            if (allowed(e)) {
                assert.equal(all.body.requests[0].id, id, `${label}: newest first`);
                assert.deepEqual(all.body.requests, await privacyRequests(fx), label);
                assert.deepEqual(filtered.body.requests.map((r) => r.id), [id], `${label} (filtered)`);
            }
        },
    },
    {
        route: 'GET /api/v1/privacy/requests/{id}',
        name: 'read a privacy request and its receipt',
        actions: ['privacy.read'],
        expect: (p) => gate(p, 'privacy.read') ?? ok(200),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const id = await newObjection(fx, { personId: target.id });
            const res = await as(fx, p).get(`/api/v1/privacy/requests/${id}`);
            check(res, e, label);
            if (allowed(e)) {
                assert.deepEqual(res.body, await privacyRequest(fx, id), label);
                assert.deepEqual([res.body.kind, res.body.status, res.body.personId], ['objection', 'completed', target.id], label);
            }
        },
    },
    {
        route: 'POST /api/v1/privacy/exports',
        name: 'request an access export of a person',
        actions: ['privacy.export'],
        expect: (p) => gate(p, 'privacy.export') ?? ok(201),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const res = await as(fx, p).post('/api/v1/privacy/exports', { personId: target.id, format: 'json' });
            check(res, e, label);
            const exports = (await privacyRequests(fx, `kind=export&personId=${target.id}`)).map((r) => r.id);
            if (allowed(e)) {
                assert.deepEqual([res.body.kind, res.body.status, res.body.personId], ['export', 'ready', target.id], label);
                assert.equal(res.body.downloadPath, `/api/v1/privacy/exports/${res.body.id}/download`);
                assert.deepEqual(exports, [res.body.id], label);
            }
            else {
                assert.deepEqual(exports, [], `${label}: an export was requested`);
            }
        },
    },
    {
        route: 'GET /api/v1/privacy/exports/{id}/download',
        name: 'download an export (once)',
        actions: ['privacy.export'],
        expect: (p) => gate(p, 'privacy.export') ?? ok(200),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const requested = await newExport(fx, target.id);
            const res = await as(fx, p).get(requested.downloadPath);
            check(res, e, label);
            if (allowed(e)) {
                assert.equal(res.body.person.id, target.id, label);
                assert.deepEqual(res.body.person.emails, [target.email], label);
                assert.equal((await privacyRequest(fx, requested.id)).status, 'downloaded');
            }
            else {
                // A refused attempt does not use up the one download.
                assert.equal((await privacyRequest(fx, requested.id)).status, 'ready', `${label}: the link was used`);
                const mine = await fx.owner.client.get(requested.downloadPath);
                assert.equal(mine.status, 200, `${label}: the owner's download: ${mine.status}`);
            }
        },
    },
    {
        route: 'POST /api/v1/privacy/erasures',
        name: 'erase a person',
        actions: ['people.delete'],
        expect: (p) => gate(p, 'people.delete') ?? ok(202),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const noteId = await newNote(fx, target.id);
            const before = await personOf(fx, target.id);
            const res = await as(fx, p).post('/api/v1/privacy/erasures', { personId: target.id });
            check(res, e, label);
            const erasures = (await privacyRequests(fx, `kind=erasure&personId=${target.id}`)).map((r) => r.id);
            if (allowed(e)) {
                assert.deepEqual([res.body.kind, res.body.status, res.body.personId], ['erasure', 'shredded', target.id], label);
                assert.deepEqual(erasures, [res.body.id], label);
                assert.equal(await personOf(fx, target.id), null, `${label}: still there`);
                assert.deepEqual(await peopleFound(fx, `externalId=${encodeURIComponent(target.externalId)}`), [], `${label}: still found`);
            }
            else {
                assert.deepEqual(erasures, [], `${label}: an erasure was recorded`);
                assert.deepEqual(await personOf(fx, target.id), before, `${label}: the person changed`);
                assert.deepEqual((await notesOf(fx, target.id)).map((n) => n.id), [noteId]);
            }
        },
    },
    {
        route: 'POST /api/v1/privacy/objections',
        name: "record an objection to a person's processing (all their identities)",
        actions: ['privacy.object'],
        expect: (p) => gate(p, 'privacy.object') ?? ok(201),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const res = await as(fx, p).post('/api/v1/privacy/objections', { personId: target.id });
            check(res, e, label);
            const objections = (await privacyRequests(fx, `kind=objection&personId=${target.id}`)).map((r) => r.id);
            if (allowed(e)) {
                assert.deepEqual([res.body.kind, res.body.status, res.body.personId], ['objection', 'completed', target.id], label);
                assert.deepEqual(objections, [res.body.id], label);
                assert.deepEqual(await suppressionOf(fx, target.id), ['email:true', 'external_id:true'], label);
            }
            else {
                assert.deepEqual(objections, [], `${label}: an objection was recorded`);
                assert.deepEqual(await suppressionOf(fx, target.id), ['email:false', 'external_id:false'], `${label}: suppressed`);
            }
        },
    },
    {
        route: 'POST /api/v1/privacy/objections',
        name: "record an objection by one identity (email): all of that person's identities",
        actions: ['privacy.object'],
        expect: (p) => gate(p, 'privacy.object') ?? ok(201),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const res = await as(fx, p).post('/api/v1/privacy/objections', { email: target.email });
            check(res, e, label);
            if (allowed(e))
                assert.equal(res.body.personId, target.id, `${label}: the objection names its person`);
            assert.deepEqual(await suppressionOf(fx, target.id), [`email:${allowed(e)}`, `external_id:${allowed(e)}`], label);
        },
    },
    // ── privacy centre: settings, retention, record of processing ─────────────────────────────────
    {
        route: 'GET /api/v1/privacy/settings',
        name: 'read the privacy settings',
        actions: ['privacy.read'],
        expect: (p) => gate(p, 'privacy.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/privacy/settings');
            check(res, e, label);
            if (allowed(e)) {
                assert.deepEqual(res.body, await privacySettings(fx), label);
                assert.equal(res.body.consentRequiredFor, null, `${label}: the shared team requires no consent`);
            }
        },
    },
    {
        route: 'PATCH /api/v1/privacy/settings',
        name: 'change the export link lifetime',
        actions: ['privacy.manage'],
        expect: (p) => gate(p, 'privacy.manage') ?? ok(200),
        async run(fx, p, e, label) {
            const before = await privacySettings(fx);
            let hours = 2 + randomBytes(1)[0] % 160;
            if (hours === before.exportLinkHours)
                hours++;
            const res = await as(fx, p).patch('/api/v1/privacy/settings', { exportLinkHours: hours });
            check(res, e, label);
            const after = await privacySettings(fx);
            if (allowed(e)) {
                assert.equal(res.body.exportLinkHours, hours, label);
                assert.deepEqual(after, res.body, label);
            }
            else {
                assert.deepEqual(after, before, `${label}: the settings changed`);
            }
        },
    },
    {
        route: 'GET /api/v1/privacy/retention/preview',
        name: 'preview what the retention policy would remove (dry run)',
        actions: ['privacy.read'],
        expect: (p) => gate(p, 'privacy.read') ?? ok(200),
        async run(fx, p, e, label) {
            const totalBefore = await eventTotal(fx);
            const res = await as(fx, p).get('/api/v1/privacy/retention/preview');
            check(res, e, label);
            if (allowed(e)) {
                const settings = await privacySettings(fx);
                assert.deepEqual(res.body.settings, { eventRetentionDays: settings.eventRetentionDays, inactivePeopleMonths: settings.inactivePeopleMonths }, label);
                const mine = await fx.owner.client.get('/api/v1/privacy/retention/preview');
                assert.deepEqual([res.body.events, res.body.inactivePeople, res.body.expiredExports], [mine.body.events, mine.body.inactivePeople, mine.body.expiredExports], label);
            }
            assert.equal(await eventTotal(fx), totalBefore, `${label}: a dry run removed events`);
        },
    },
    {
        route: 'POST /api/v1/privacy/retention/run',
        name: 'apply the retention policy now (on a team of its own: events older than 30 days go)',
        actions: ['privacy.manage'],
        expect: (p) => gate(p, 'privacy.manage') ?? ok(200),
        async run(fx, p, e, label) {
            const own = await teamOfItsOwn(fx, p);
            assert.equal((await own.owner.client.patch('/api/v1/privacy/settings', { eventRetentionDays: 30 })).status, 200);
            const anonymousId = `retained-${tag()}`;
            const sent = await own.ingestKey.post('/api/v1/events', {
                events: [
                    { type: 'track', anonymousId, event: 'Old', timestamp: new Date(Date.now() - 40 * 86_400_000).toISOString() },
                    { type: 'track', anonymousId, event: 'Recent' },
                ],
            });
            assert.equal(sent.body.accepted, 2, JSON.stringify(sent.body));
            const personId = sent.body.results[0].personId;
            const res = await own.client.post('/api/v1/privacy/retention/run');
            check(res, e, label);
            const left = await own.owner.client.get(`/api/v1/people/${personId}/activity?limit=200`);
            assert.equal(left.status, 200, JSON.stringify(left.body));
            if (allowed(e))
                assert.deepEqual(res.body, { events: 1, people: 0, expiredExports: 0 }, label);
            assert.deepEqual(left.body.activity.map((a) => a.name).sort(), allowed(e) ? ['Recent'] : ['Old', 'Recent'], label);
        },
    },
    {
        route: 'GET /api/v1/privacy/record-of-processing',
        name: 'the record of processing (JSON)',
        actions: ['privacy.read'],
        expect: (p) => gate(p, 'privacy.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/privacy/record-of-processing');
            check(res, e, label);
            if (allowed(e)) {
                const { generatedAt: _mine, ...owners } = (await fx.owner.client.get('/api/v1/privacy/record-of-processing')).body;
                const { generatedAt: _theirs, ...record } = res.body;
                assert.equal(record.teamId, fx.teamId, label);
                assert.deepEqual(record, owners, label);
            }
        },
    },
    {
        route: 'GET /api/v1/privacy/record-of-processing',
        name: 'the record of processing ?format=markdown',
        actions: ['privacy.read'],
        expect: (p) => gate(p, 'privacy.read') ?? ok(200),
        async run(fx, p, e, label) {
            const res = await as(fx, p).get('/api/v1/privacy/record-of-processing?format=markdown');
            check(res, e, label);
            if (allowed(e)) {
                assert.match(String(res.headers['content-type']), /^text\/markdown/, label);
                assert.match(res.raw.body, /^# Record of processing — /, label);
            }
        },
    },
    // ── consents and suppression of a person ──────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/people/{id}/consents',
        name: "list a person's consents",
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const consentId = await newConsent(fx, target.id);
            const res = await as(fx, p).get(`/api/v1/people/${target.id}/consents`);
            check(res, e, label);
            if (allowed(e)) {
                assert.deepEqual(res.body.consents, await consentsOf(fx, target.id), label);
                assert.deepEqual(res.body.consents.map((c) => c.id), [consentId], label);
            }
        },
    },
    {
        route: 'POST /api/v1/people/{id}/consents',
        name: 'record a consent',
        actions: ['consents.write'],
        expect: (p) => gate(p, 'consents.write') ?? ok(201),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const source = `signup form, recorded by ${p}`;
            const res = await as(fx, p).post(`/api/v1/people/${target.id}/consents`, { purpose: 'newsletter', lawfulBasis: 'consent', source });
            check(res, e, label);
            const consents = await consentsOf(fx, target.id);
            if (allowed(e)) {
                assert.deepEqual(consents.map((c) => [c.id, c.purpose, c.source, c.withdrawnAt, c.recordedBy]), [[res.body.id, 'newsletter', source, null, isKey(p) ? null : fx.sessions[p].userId]], label);
            }
            else {
                assert.deepEqual(consents, [], `${label}: a consent was recorded`);
            }
        },
    },
    {
        route: 'POST /api/v1/people/{id}/consents/{consentId}/withdraw',
        name: 'withdraw a consent',
        actions: ['consents.write'],
        expect: (p) => gate(p, 'consents.write') ?? ok(204),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            const consentId = await newConsent(fx, target.id);
            const res = await as(fx, p).post(`/api/v1/people/${target.id}/consents/${consentId}/withdraw`);
            check(res, e, label);
            const consents = await consentsOf(fx, target.id);
            assert.deepEqual(consents.map((c) => c.id), [consentId], `${label}: the record stays`);
            assert.equal(consents[0].withdrawnAt !== null, allowed(e), `${label}: withdrawnAt ${consents[0].withdrawnAt}`);
        },
    },
    {
        route: 'GET /api/v1/people/{id}/suppression',
        name: "read whether a person's identities are suppressed",
        actions: ['people.read'],
        expect: (p) => gate(p, 'people.read') ?? ok(200),
        async run(fx, p, e, label) {
            const target = await newPerson(fx);
            await newObjection(fx, { personId: target.id });
            // An identity added after the objection joins the list too (the objection is the person's).
            const later = `later-${tag()}@example.test`;
            assert.equal((await fx.owner.client.patch(`/api/v1/people/${target.id}`, { emails: [target.email, later] })).status, 200);
            const res = await as(fx, p).get(`/api/v1/people/${target.id}/suppression`);
            check(res, e, label);
            if (allowed(e)) {
                const state = res.body.identities.map((i) => [i.kind, i.value, i.suppressed, i.reason]);
                assert.deepEqual(state.sort(), [
                    ['email', target.email, true, 'objection'],
                    ['email', later, true, 'objection'],
                    ['external_id', target.externalId, true, 'objection'],
                ].sort(), label);
            }
        },
    },
    // ── team lifecycle: each case on a team of its own (a cancelled team is read-only) ────────────
    {
        route: 'POST /api/v1/team/cancellation',
        name: 'cancel the team (owners only; on a team of its own)',
        actions: ['team.cancel'],
        expect: (p) => gate(p, 'team.cancel') ?? ok(202),
        async run(fx, p, e, label) {
            const own = await teamOfItsOwn(fx, p);
            const res = await own.client.post('/api/v1/team/cancellation');
            check(res, e, label);
            const due = await deletionDueOf(own.owner.client);
            if (allowed(e)) {
                assert.equal(res.body.id, own.owner.teamId, label);
                assert.ok(due !== null && res.body.deletionDueAt === due, `${label}: ${JSON.stringify(res.body)} vs ${due}`);
            }
            else {
                assert.equal(due, null, `${label}: the team was cancelled`);
            }
        },
    },
    {
        route: 'DELETE /api/v1/team/cancellation',
        name: 'undo a cancellation (owners only; on a team of its own)',
        actions: ['team.cancel'],
        expect: (p) => gate(p, 'team.cancel') ?? ok(200),
        async run(fx, p, e, label) {
            const own = await teamOfItsOwn(fx, p);
            const cancelled = await own.owner.client.post('/api/v1/team/cancellation');
            assert.equal(cancelled.status, 202, JSON.stringify(cancelled.body));
            const res = await own.client.delete('/api/v1/team/cancellation');
            check(res, e, label);
            const due = await deletionDueOf(own.owner.client);
            if (allowed(e)) {
                assert.deepEqual([res.body.id, res.body.cancelledAt, res.body.deletionDueAt], [own.owner.teamId, null, null], label);
                assert.equal(due, null, `${label}: still cancelled`);
            }
            else {
                assert.equal(due, cancelled.body.deletionDueAt, `${label}: the cancellation changed`);
            }
        },
    },
];
/**
 * /api/v1 routes deliberately without role cases. Each must say why; everything else in the
 * OpenAPI document needs a case above.
 */
const EXEMPT = {
    'POST /api/v1/auth/sign-up': 'anonymous: creates a user and their own team; no principal, no team acted upon',
    'POST /api/v1/auth/sign-in': 'anonymous: starts a session; no principal, no team acted upon',
};
describeEngines('route × role', (haven) => {
    let fx;
    const fixture = () => {
        if (!fx)
            throw new Error('fixture not ready');
        return fx;
    };
    before(async () => {
        const server = haven().server;
        const owner = await signUp(server, 'owner', 'Roles');
        const admin = await addMember(server, owner.client, 'admin');
        const member = await addMember(server, owner.client, 'member');
        const viewer = await addMember(server, owner.client, 'viewer');
        const readKey = await keyClient(server, owner.client, 'secret', 'read');
        const adminKey = await keyClient(server, owner.client, 'secret', 'admin');
        const writeKey = await keyClient(server, owner.client, 'write');
        const other = await signUp(server, 'other', 'Other');
        const person = await owner.client.post('/api/v1/people', { name: 'Fixture Person', emails: [`fixture-${tag()}@example.test`] });
        assert.equal(person.status, 201, JSON.stringify(person.body));
        const note = await owner.client.post(`/api/v1/people/${person.body.id}/notes`, { body: 'fixture note' });
        assert.equal(note.status, 201, JSON.stringify(note.body));
        const anonymousId = `tracked-${tag()}`;
        const sent = await adminKey.client.post('/api/v1/events', { events: TRACKED_EVENTS.map((ev) => ({ ...ev, anonymousId })) });
        assert.equal(sent.status, 200, JSON.stringify(sent.body));
        assert.equal(sent.body.accepted, TRACKED_EVENTS.length, JSON.stringify(sent.body));
        const trackedId = sent.body.results[0].personId;
        assert.ok(sent.body.results.every((r) => r.personId === trackedId), JSON.stringify(sent.body));
        fx = {
            server,
            teamId: owner.teamId,
            owner,
            sessions: { owner, admin, member, viewer },
            keys: { readKey: readKey.client, adminKey: adminKey.client, writeKey: writeKey.client },
            other,
            person: { id: person.body.id, noteId: note.body.id },
            // Newest first, as the timeline lists them.
            tracked: { id: trackedId, anonymousId, eventIds: sent.body.results.map((r) => r.eventId).reverse() },
        };
    });
    for (const c of CASES) {
        for (const p of c.principals ?? PRINCIPALS) {
            const expected = c.expect(p);
            const label = `${c.route} — ${c.name} — as ${p}`;
            it(`${label} → ${show(expected)}`, async () => {
                await c.run(fixture(), p, expected, label);
            });
        }
    }
    it('every /api/v1 route in the OpenAPI document has role cases or a commented exemption', async () => {
        const documented = await documentedRoutes(haven().server);
        const covered = new Set(CASES.map((c) => c.route));
        const missing = documented.filter((r) => !covered.has(r) && !(r in EXEMPT));
        assert.deepEqual(missing, [], `routes without role cases (add cases to test/roles.test.ts, or an exemption with its reason): ${missing.join(', ')}`);
        const stale = [...covered, ...Object.keys(EXEMPT)].filter((r) => !documented.includes(r));
        assert.deepEqual(stale, [], `cases or exemptions for routes that no longer exist: ${stale.join(', ')}`);
        for (const r of Object.keys(EXEMPT))
            assert.ok(!covered.has(r), `${r} is both exempt and covered`);
    });
    it('every PERMISSIONS action is exercised by some case', () => {
        const used = new Set(CASES.flatMap((c) => c.actions));
        const unused = Object.keys(PERMISSIONS).filter((a) => !used.has(a));
        assert.deepEqual(unused, [], `actions with no route case: ${unused.join(', ')}`);
    });
    it('every team route is tried by every principal (owner, admin, member, viewer, read key, admin key, write key)', () => {
        const byRoute = new Map();
        for (const c of CASES) {
            const s = byRoute.get(c.route) ?? new Set();
            for (const p of c.principals ?? PRINCIPALS)
                s.add(p);
            byRoute.set(c.route, s);
        }
        for (const [route, ps] of byRoute) {
            assert.deepEqual([...ps].sort(), [...PRINCIPALS].sort(), `${route} is not tried by every principal`);
        }
    });
});
//# sourceMappingURL=roles.test.js.map