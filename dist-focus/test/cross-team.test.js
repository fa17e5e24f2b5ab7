import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, it } from 'node:test';
import { TestClient, addMember, keyClient, signUp } from './support/client.js';
import { describeEngines } from './support/haven.js';
import { documentedRoutes } from './support/openapi.js';
const CREDS = ['bOwner', 'bAdminKey', 'bDual'];
const isKey = (c) => c === 'bAdminKey';
const isWriteKey = (c) => c === 'bWriteKey';
/** The purposes of the fixture's consents: each exists in one team only. */
const A_PURPOSE = 'a-only-purpose';
const B_PURPOSE = 'b-only-purpose';
/**
 * Events of the fixture, all on one past UTC day (three days ago) so a window on that day counts
 * them exactly, whatever the cases send today. A's first person (B's twin) viewed /pricing twice
 * and clicked; A's second viewed one page: A has 4 events (3 pages, 1 track). B's twin viewed a
 * page and B's second person clicked: B has 2 (1 page, 1 track).
 */
const EVENT_DAY = new Date((Math.floor(Date.now() / 86_400_000) - 3) * 86_400_000);
const DAY = EVENT_DAY.toISOString().slice(0, 10);
const eventAt = (hour) => new Date(EVENT_DAY.getTime() + hour * 3_600_000).toISOString();
const EVENT_WINDOW = `from=${encodeURIComponent(EVENT_DAY.toISOString())}&to=${encodeURIComponent(new Date(EVENT_DAY.getTime() + 86_400_000).toISOString())}`;
const A_DAY = { day: DAY, total: 4, counts: { page: 3, track: 1 } };
const B_DAY = { day: DAY, total: 2, counts: { page: 1, track: 1 } };
/** [person index, event] */
const EVENTS_A = [
    [0, { type: 'page', name: 'Pricing', properties: { url: 'https://a.example.test/pricing', title: 'A pricing' }, timestamp: eventAt(10) }],
    [0, { type: 'page', name: 'Pricing', properties: { url: 'https://a.example.test/pricing', title: 'A pricing' }, timestamp: eventAt(11) }],
    [0, { type: 'track', event: 'A clicked', properties: { secret: 'a-only' }, timestamp: eventAt(12) }],
    [1, { type: 'page', name: 'A only', properties: { url: 'https://a.example.test/only', title: 'A only' }, timestamp: eventAt(13) }],
];
const EVENTS_B = [
    [0, { type: 'page', name: 'B pricing', properties: { url: 'https://b.example.test/pricing', title: 'B pricing' }, timestamp: eventAt(10) }],
    [1, { type: 'track', event: 'B clicked', timestamp: eventAt(14) }],
];
/** Send a team's fixture events with its admin key, whose answers name each event's person (by each person's anonymousId); each must land on that person. */
async function sendFixtureEvents(team, events, messageIds) {
    const res = await team.keys.adminKey.client.post('/api/v1/events', {
        events: events.map(([i, ev], n) => ({ ...ev, anonymousId: team.people[i].anonymousId, messageId: messageIds[n] })),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.accepted, events.length, JSON.stringify(res.body));
    assert.deepEqual(res.body.results.map((r) => r.personId), events.map(([i]) => team.people[i].id), JSON.stringify(res.body));
}
/** A person's activity (all of it), read by `client`. */
async function activityOf(client, personId) {
    const r = await client.get(`/api/v1/people/${personId}/activity?limit=200`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.nextCursor, null);
    return r.body.activity;
}
const tag = () => randomBytes(4).toString('hex');
function check(res, status, code, label) {
    const got = `${res.status} ${JSON.stringify(res.body)}`;
    assert.equal(res.status, status, `${label}: expected ${status} ${code ?? ''}, got ${got}`);
    if (code !== null)
        assert.equal(res.body?.error?.code, code, `${label}: expected ${status} ${code}, got ${got}`);
}
const notFound = (res, label) => check(res, 404, 'not_found', label);
async function seedPerson(owner, seed) {
    const { name, email, phone, externalId, anonymousId } = seed;
    const res = await owner.post('/api/v1/people', { name, company: 'Acme', emails: [email], phones: [phone], externalIds: [externalId], anonymousIds: [anonymousId], properties: { seeded: true } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const noteIds = [];
    for (let i = 0; i < seed.notes; i++) {
        const note = await owner.post(`/api/v1/people/${res.body.id}/notes`, { body: `about ${name}, #${i}` });
        assert.equal(note.status, 201, JSON.stringify(note.body));
        noteIds.push(note.body.id);
    }
    return { ...seed, id: res.body.id, noteIds };
}
async function makeTeam(server, name, people) {
    const owner = await signUp(server, `${name}-owner`, `Team ${name}`);
    const admin = await addMember(server, owner.client, 'admin', `${name}-admin`);
    const member = await addMember(server, owner.client, 'member', `${name}-member`);
    const pendingInvitations = [];
    for (const role of ['member', 'admin']) {
        const inv = await owner.client.post('/api/v1/invitations', { email: `${name}-invitee-${tag()}@example.test`, role });
        assert.equal(inv.status, 201);
        pendingInvitations.push(inv.body.invitation.id);
    }
    const revoked = await owner.client.post('/api/v1/invitations', { email: `${name}-revoked-${tag()}@example.test`, role: 'member' });
    assert.equal((await owner.client.delete(`/api/v1/invitations/${revoked.body.invitation.id}`)).status, 200);
    const readKey = await keyClient(server, owner.client, 'secret', 'read');
    const adminKey = await keyClient(server, owner.client, 'secret', 'admin');
    const writeKey = await keyClient(server, owner.client, 'write');
    const gone = await keyClient(server, owner.client, 'secret', 'admin');
    assert.equal((await owner.client.delete(`/api/v1/api-keys/${gone.id}`)).status, 200);
    const seeded = [];
    for (const seed of people)
        seeded.push(await seedPerson(owner.client, seed));
    return {
        owner,
        admin,
        member,
        pendingInvitations,
        revokedInvitation: { id: revoked.body.invitation.id, token: revoked.body.token },
        keys: { readKey, adminKey, writeKey },
        revokedKeyId: gone.id,
        people: seeded,
    };
}
/** Team A as its own owner sees it (last-used times excluded: A's keys are used to check they still work). */
async function snapshot(team) {
    const c = team.owner.client;
    const [t, m, i, k, s, p] = await Promise.all([
        c.get('/api/v1/team'),
        c.get('/api/v1/members'),
        c.get('/api/v1/invitations'),
        c.get('/api/v1/api-keys?includeRevoked=true'),
        c.get('/api/v1/session'),
        c.get('/api/v1/people?limit=200'),
    ]);
    for (const r of [t, m, i, k, s, p])
        assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(p.body.nextCursor, null, "team A's people fit in one page");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const byId = (rows, id) => [...rows].sort((x, y) => String(x[id]).localeCompare(String(y[id])));
    const people = byId(p.body.people, 'id');
    const notes = {};
    const activity = {};
    const pages = {};
    for (const person of people) {
        const n = await c.get(`/api/v1/people/${person.id}/notes`);
        assert.equal(n.status, 200, JSON.stringify(n.body));
        notes[person.id] = n.body.notes;
        activity[person.id] = await activityOf(c, person.id);
        const pv = await c.get(`/api/v1/people/${person.id}/pages`);
        assert.equal(pv.status, 200, JSON.stringify(pv.body));
        pages[person.id] = pv.body.pages;
    }
    const [daily, eventDay] = await Promise.all([c.get('/api/v1/activity/daily'), c.get(`/api/v1/activity/daily?${EVENT_WINDOW}`)]);
    for (const r of [daily, eventDay])
        assert.equal(r.status, 200, JSON.stringify(r.body));
    // The privacy centre's records of the team: requests, policy, each person's consents and suppression.
    const [requests, privacySettings] = await Promise.all([c.get('/api/v1/privacy/requests?limit=200'), c.get('/api/v1/privacy/settings')]);
    for (const r of [requests, privacySettings])
        assert.equal(r.status, 200, JSON.stringify(r.body));
    const consents = {};
    const suppression = {};
    for (const person of people) {
        const [cs, sp] = await Promise.all([c.get(`/api/v1/people/${person.id}/consents`), c.get(`/api/v1/people/${person.id}/suppression`)]);
        for (const r of [cs, sp])
            assert.equal(r.status, 200, JSON.stringify(r.body));
        consents[person.id] = cs.body.consents;
        suppression[person.id] = sp.body.identities;
    }
    return {
        team: t.body,
        members: byId(m.body.members, 'userId'),
        invitations: byId(i.body.invitations, 'id'),
        apiKeys: byId(k.body.apiKeys.map(({ lastUsedAt: _ignored, ...rest }) => rest), 'id'),
        ownerTeams: s.body.teams,
        people,
        notes,
        activity,
        pages,
        daily: daily.body.days,
        eventDay: eventDay.body.days,
        privacyRequests: requests.body.requests,
        privacySettings: privacySettings.body,
        consents,
        suppression,
    };
}
/** Every id team A owns, read through A's owner: no B list may contain any of them. */
async function idsOfA(fx) {
    const s = await snapshot(fx.A);
    return new Set([
        s.team.id,
        ...s.members.map((m) => m.userId).filter((id) => id !== fx.dual.userId), // dual is in both, legitimately
        ...s.invitations.map((i) => i.id),
        ...s.apiKeys.map((k) => String(k.id)),
        ...s.people.map((p) => p.id),
        ...Object.values(s.notes).flatMap((n) => n.map((x) => x.id)),
        ...Object.values(s.activity).flatMap((a) => a.map((x) => x.id)),
        ...s.privacyRequests.map((r) => r.id),
        ...Object.values(s.consents).flatMap((c) => c.map((x) => x.id)),
    ]);
}
function assertOnlyB(ids, aIds, mustInclude, label) {
    const leaked = ids.filter((id) => aIds.has(id));
    assert.deepEqual(leaked, [], `${label}: team A rows leaked into B's list`);
    for (const id of mustInclude)
        assert.ok(ids.includes(id), `${label}: B's own row ${id} missing from ${JSON.stringify(ids)}`);
}
const CASES = [
    // ── the team itself: addressed by the credential, never by an id in the request ──────────────
    {
        route: 'GET /api/v1/team',
        name: "read the team, naming A's id in the query",
        async run(fx, _c, client, label) {
            const res = await client.get(`/api/v1/team?teamId=${fx.A.owner.teamId}&team_id=${fx.A.owner.teamId}`);
            check(res, 200, null, label);
            assert.equal(res.body.id, fx.B.owner.teamId, `${label}: answered with another team`);
        },
    },
    {
        route: 'PATCH /api/v1/team',
        name: 'rename: renames B only',
        async run(fx, _c, client, label) {
            const name = `B renamed ${tag()}`;
            const res = await client.patch('/api/v1/team', { name });
            check(res, 200, null, label);
            assert.equal(res.body.id, fx.B.owner.teamId);
            assert.equal((await fx.B.owner.client.get('/api/v1/team')).body.name, name);
        },
    },
    {
        route: 'PATCH /api/v1/team',
        name: "rename, naming A's id in the body",
        async run(fx, _c, client, label) {
            const before = (await fx.B.owner.client.get('/api/v1/team')).body.name;
            const res = await client.patch('/api/v1/team', { name: `hijacked ${tag()}`, teamId: fx.A.owner.teamId });
            check(res, 400, 'unknown_field', label);
            assert.equal((await fx.B.owner.client.get('/api/v1/team')).body.name, before);
        },
    },
    // ── members ───────────────────────────────────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/members',
        name: "list members: only B's",
        async run(fx, _c, client, label) {
            const res = await client.get('/api/v1/members');
            check(res, 200, null, label);
            const ids = res.body.members.map((m) => m.userId).sort();
            assert.deepEqual(ids, [fx.B.owner.userId, fx.B.admin.userId, fx.B.member.userId, fx.dual.userId].sort(), label);
        },
    },
    {
        route: 'GET /api/v1/members',
        name: 'list members ?role=owner: only B’s owner',
        async run(fx, _c, client, label) {
            const res = await client.get('/api/v1/members?role=owner');
            check(res, 200, null, label);
            assert.deepEqual(res.body.members.map((m) => m.userId), [fx.B.owner.userId], label);
        },
    },
    {
        route: 'GET /api/v1/members',
        name: 'list members ?role=viewer: B has none (A has two, one of them the dual member)',
        async run(fx, _c, client, label) {
            const res = await client.get('/api/v1/members?role=viewer');
            check(res, 200, null, label);
            assert.deepEqual(res.body.members, [], label);
        },
    },
    {
        route: 'PATCH /api/v1/members/{userId}',
        name: "change the role of A's member",
        async run(fx, _c, client, label) {
            notFound(await client.patch(`/api/v1/members/${fx.A.member.userId}`, { role: 'viewer' }), label);
            notFound(await client.patch(`/api/v1/members/${fx.A.viewer.userId}`, { role: 'admin' }), `${label} (A's viewer)`);
        },
    },
    {
        route: 'PATCH /api/v1/members/{userId}',
        name: "demote A's owner",
        async run(fx, _c, client, label) {
            notFound(await client.patch(`/api/v1/members/${fx.A.owner.userId}`, { role: 'viewer' }), label);
        },
    },
    {
        route: 'DELETE /api/v1/members/{userId}',
        name: "remove A's member",
        async run(fx, _c, client, label) {
            notFound(await client.delete(`/api/v1/members/${fx.A.member.userId}`), label);
            notFound(await client.delete(`/api/v1/members/${fx.A.admin.userId}`), `${label} (A's admin)`);
            // A's member keeps their access.
            assert.equal((await fx.A.member.client.get('/api/v1/team')).body.id, fx.A.owner.teamId);
        },
    },
    {
        route: 'DELETE /api/v1/members/{userId}',
        name: "remove A's owner",
        async run(fx, _c, client, label) {
            notFound(await client.delete(`/api/v1/members/${fx.A.owner.userId}`), label);
        },
    },
    // ── invitations ───────────────────────────────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/invitations',
        name: "list invitations: only B's",
        async run(fx, _c, client, label) {
            const res = await client.get('/api/v1/invitations');
            check(res, 200, null, label);
            const ids = res.body.invitations.map((i) => i.id);
            assertOnlyB(ids, await idsOfA(fx), [...fx.B.pendingInvitations, fx.B.revokedInvitation.id], label);
        },
    },
    {
        route: 'GET /api/v1/invitations',
        name: "list invitations ?status=pending and ?status=revoked: only B's",
        async run(fx, _c, client, label) {
            const aIds = await idsOfA(fx);
            const pending = await client.get('/api/v1/invitations?status=pending');
            check(pending, 200, null, `${label} pending`);
            assert.ok(pending.body.invitations.every((i) => i.status === 'pending'));
            assertOnlyB(pending.body.invitations.map((i) => i.id), aIds, fx.B.pendingInvitations, `${label} pending`);
            const revoked = await client.get('/api/v1/invitations?status=revoked');
            check(revoked, 200, null, `${label} revoked`);
            assert.deepEqual(revoked.body.invitations.map((i) => i.id), [fx.B.revokedInvitation.id], `${label} revoked`);
        },
    },
    {
        route: 'POST /api/v1/invitations',
        name: "invite A's member: lands in B only (keys may not invite)",
        async run(fx, cred, client, label) {
            const res = await client.post('/api/v1/invitations', { email: fx.A.member.email, role: 'member' });
            if (isKey(cred)) {
                check(res, 403, 'forbidden', label);
                return;
            }
            check(res, 201, null, label);
            const inB = (await fx.B.owner.client.get('/api/v1/invitations')).body.invitations.map((i) => i.id);
            assert.ok(inB.includes(res.body.invitation.id), `${label}: not in B`);
            assert.ok(res.body.token.endsWith(fx.B.owner.teamId.replaceAll('-', '')), `${label}: token is not B's`);
        },
    },
    {
        route: 'POST /api/v1/invitations',
        name: "invite, naming A's id in the body",
        async run(fx, _c, client, label) {
            const res = await client.post('/api/v1/invitations', { email: `x-${tag()}@example.test`, role: 'member', teamId: fx.A.owner.teamId });
            check(res, 400, 'unknown_field', label);
        },
    },
    {
        route: 'DELETE /api/v1/invitations/{id}',
        name: "revoke A's pending invitation",
        async run(fx, _c, client, label) {
            for (const id of fx.A.pendingInvitations)
                notFound(await client.delete(`/api/v1/invitations/${id}`), label);
        },
    },
    {
        route: 'DELETE /api/v1/invitations/{id}',
        name: "revoke A's already revoked invitation",
        async run(fx, _c, client, label) {
            notFound(await client.delete(`/api/v1/invitations/${fx.A.revokedInvitation.id}`), label);
        },
    },
    {
        route: 'POST /api/v1/invitations/accept',
        name: "accept a forged token naming A's team, and A's revoked invitation",
        async run(fx, cred, client, label) {
            const forged = `hvi_${randomBytes(32).toString('base64url')}${fx.A.owner.teamId.replaceAll('-', '')}`;
            const a = await client.post('/api/v1/invitations/accept', { token: forged });
            const b = await client.post('/api/v1/invitations/accept', { token: fx.A.revokedInvitation.token });
            if (isKey(cred)) {
                check(a, 403, 'forbidden', label);
                check(b, 403, 'forbidden', label);
                return;
            }
            check(a, 404, 'invitation_invalid', `${label} (forged)`);
            check(b, 404, 'invitation_invalid', `${label} (revoked)`);
            assert.equal((await client.get('/api/v1/session')).body.activeTeamId, fx.B.owner.teamId);
        },
    },
    // ── API keys ──────────────────────────────────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/api-keys',
        name: "list API keys: only B's",
        async run(fx, _c, client, label) {
            const res = await client.get('/api/v1/api-keys');
            check(res, 200, null, label);
            const k = fx.B.keys;
            assertOnlyB(res.body.apiKeys.map((x) => x.id), await idsOfA(fx), [k.readKey.id, k.adminKey.id, k.writeKey.id], label);
        },
    },
    {
        route: 'GET /api/v1/api-keys',
        name: "list API keys ?kind=secret&includeRevoked=true and ?kind=write: only B's",
        async run(fx, _c, client, label) {
            const aIds = await idsOfA(fx);
            const secret = await client.get('/api/v1/api-keys?kind=secret&includeRevoked=true');
            check(secret, 200, null, label);
            assert.ok(secret.body.apiKeys.every((x) => x.kind === 'secret'));
            assertOnlyB(secret.body.apiKeys.map((x) => x.id), aIds, [fx.B.keys.readKey.id, fx.B.keys.adminKey.id, fx.B.revokedKeyId], label);
            const write = await client.get('/api/v1/api-keys?kind=write');
            check(write, 200, null, label);
            assertOnlyB(write.body.apiKeys.map((x) => x.id), aIds, [fx.B.keys.writeKey.id], label);
        },
    },
    {
        route: 'POST /api/v1/api-keys',
        name: 'create a key: it belongs to B',
        async run(fx, _c, client, label) {
            const res = await client.post('/api/v1/api-keys', { name: `B key ${tag()}`, kind: 'secret', scope: 'admin' });
            check(res, 201, null, label);
            assert.ok(res.body.token.endsWith(fx.B.owner.teamId.replaceAll('-', '')), `${label}: key is not B's`);
            const team = await TestClient.withKey(fx.server, res.body.token).get('/api/v1/team');
            assert.equal(team.body.id, fx.B.owner.teamId);
        },
    },
    {
        route: 'POST /api/v1/api-keys',
        name: "create a key, naming A's id in the body",
        async run(fx, _c, client, label) {
            const res = await client.post('/api/v1/api-keys', { name: `x ${tag()}`, kind: 'secret', scope: 'admin', teamId: fx.A.owner.teamId });
            check(res, 400, 'unknown_field', label);
        },
    },
    {
        route: 'DELETE /api/v1/api-keys/{id}',
        name: "revoke A's keys",
        async run(fx, _c, client, label) {
            const k = fx.A.keys;
            for (const id of [k.readKey.id, k.adminKey.id, k.writeKey.id, fx.A.revokedKeyId])
                notFound(await client.delete(`/api/v1/api-keys/${id}`), label);
            // A's keys still work, on A.
            assert.equal((await k.adminKey.client.get('/api/v1/team')).body.id, fx.A.owner.teamId);
            assert.equal((await k.readKey.client.get('/api/v1/team')).body.id, fx.A.owner.teamId);
            check(await k.writeKey.client.get('/api/v1/team'), 403, 'write_key_not_allowed', `${label} (A's write key is still live)`);
        },
    },
    // ── session routes that take a team id ────────────────────────────────────────────────────────
    {
        // The dual member legitimately belongs to A, so switching is theirs to do: not a cross-team case.
        route: 'PUT /api/v1/session/team',
        name: "switch the session to team A",
        creds: ['bOwner', 'bAdminKey'],
        async run(fx, cred, client, label) {
            const res = await client.put('/api/v1/session/team', { teamId: fx.A.owner.teamId });
            if (isKey(cred))
                check(res, 403, 'forbidden', label);
            else
                notFound(res, label);
            assert.equal((await client.get('/api/v1/team')).body.id, fx.B.owner.teamId, `${label}: no longer on B`);
        },
    },
    {
        // The dual member's session lists A legitimately.
        route: 'GET /api/v1/session',
        name: "the session lists B's teams only",
        creds: ['bOwner', 'bAdminKey'],
        async run(fx, cred, client, label) {
            const res = await client.get('/api/v1/session');
            if (isKey(cred))
                return check(res, 403, 'forbidden', label);
            check(res, 200, null, label);
            assert.deepEqual(res.body.teams.map((t) => t.id), [fx.B.owner.teamId], label);
        },
    },
    // ── people ────────────────────────────────────────────────────────────────────────────────────
    // A's first person has a twin in B with the very same name and identities; A's second person's
    // identities exist only in A. Lookups from B must find B's twin, never A's person.
    {
        route: 'POST /api/v1/people',
        name: "add a person with the identities of A's person: lands in B only",
        async run(fx, _c, client, label) {
            const a = fx.A.people[1]; // identities that exist only in A
            const res = await client.post('/api/v1/people', { name: a.name, emails: [a.email], externalIds: [a.externalId] });
            check(res, 201, null, label);
            assert.ok(!fx.A.people.some((p) => p.id === res.body.id), `${label}: took the id of A's person`);
            try {
                const inB = await fx.B.owner.client.get(`/api/v1/people?email=${encodeURIComponent(a.email)}`);
                assert.deepEqual(inB.body.people.map((p) => p.id), [res.body.id], `${label}: not in B`);
            }
            finally {
                // Keep B's people as the fixture made them for the other cases.
                assert.equal((await fx.B.owner.client.delete(`/api/v1/people/${res.body.id}`)).status, 204);
            }
        },
    },
    {
        route: 'POST /api/v1/people',
        name: "add a person, naming A's id in the body",
        async run(fx, _c, client, label) {
            const res = await client.post('/api/v1/people', { name: `x ${tag()}`, teamId: fx.A.owner.teamId });
            check(res, 400, 'unknown_field', label);
        },
    },
    {
        route: 'POST /api/v1/people/search',
        name: "search by A's identities and names finds nothing of A",
        async run(fx, _c, client, label) {
            const aIds = await idsOfA(fx);
            const a = fx.A.people[1]; // identities that exist only in A
            for (const body of [{ email: a.email }, { externalId: a.externalId }, { name: a.name }]) {
                const res = await client.post('/api/v1/people/search', body);
                check(res, 200, null, `${label} ${Object.keys(body)[0]}`);
                const ids = res.body.people.map((p) => p.id);
                assert.ok(!ids.some((id) => aIds.has(id)), `${label}: found A's person`);
            }
        },
    },
    {
        route: 'GET /api/v1/people',
        name: "list people: only B's",
        async run(fx, _c, client, label) {
            const aIds = await idsOfA(fx);
            const bIds = fx.B.people.map((p) => p.id);
            for (const query of ['', '?sort=updated&order=asc', '?limit=200']) {
                const res = await client.get(`/api/v1/people${query}`);
                check(res, 200, null, `${label} ${query}`);
                const ids = res.body.people.map((p) => p.id);
                assertOnlyB(ids, aIds, bIds, `${label} ${query}`);
                assert.deepEqual([...ids].sort(), [...bIds].sort(), `${label} ${query}`);
            }
        },
    },
    {
        route: 'GET /api/v1/people',
        name: "list people page by page: only B's",
        async run(fx, _c, client, label) {
            const aIds = await idsOfA(fx);
            const ids = [];
            let cursor = null;
            do {
                const res = await client.get(`/api/v1/people?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
                check(res, 200, null, label);
                ids.push(...res.body.people.map((p) => p.id));
                cursor = res.body.nextCursor;
            } while (cursor && ids.length < 50);
            assertOnlyB(ids, aIds, fx.B.people.map((p) => p.id), label);
            assert.equal(ids.length, fx.B.people.length, label);
        },
    },
    {
        route: 'GET /api/v1/people',
        name: "exact lookups on A's people's identities: only B's twin, none of A's",
        async run(fx, _c, client, label) {
            const aIds = await idsOfA(fx);
            const [shared, aOnly] = [fx.A.people[0], fx.A.people[1]];
            const twin = fx.B.people[0];
            const lookups = [
                ['email', shared.email, [twin.id]],
                ['email', shared.email.toUpperCase(), [twin.id]],
                ['phone', shared.phone, [twin.id]],
                ['externalId', shared.externalId, [twin.id]],
                ['anonymousId', shared.anonymousId, [twin.id]],
                ['email', aOnly.email, []],
                ['phone', aOnly.phone, []],
                ['externalId', aOnly.externalId, []],
                ['anonymousId', aOnly.anonymousId, []],
            ];
            for (const [kind, value, expected] of lookups) {
                const res = await client.get(`/api/v1/people?${kind}=${encodeURIComponent(value)}`);
                check(res, 200, null, `${label} ?${kind}=${value}`);
                const ids = res.body.people.map((p) => p.id);
                assertOnlyB(ids, aIds, expected, `${label} ?${kind}=${value}`);
                assert.deepEqual(ids, expected, `${label} ?${kind}=${value}`);
            }
        },
    },
    {
        route: 'GET /api/v1/people',
        name: "name search with A's people's name prefixes: only B's twin, none of A's",
        async run(fx, _c, client, label) {
            const aIds = await idsOfA(fx);
            const twin = fx.B.people[0];
            const prefix = (name) => name.split(' ').map((w) => w.slice(0, 3)).join(' ');
            const searches = [
                [prefix(fx.A.people[0].name), [twin.id]],
                [fx.A.people[0].name, [twin.id]],
                [prefix(fx.A.people[1].name), []],
                [fx.A.people[1].name, []],
            ];
            for (const [name, expected] of searches) {
                const res = await client.get(`/api/v1/people?name=${encodeURIComponent(name)}`);
                check(res, 200, null, `${label} ?name=${name}`);
                const ids = res.body.people.map((p) => p.id);
                assertOnlyB(ids, aIds, expected, `${label} ?name=${name}`);
                assert.deepEqual(ids, expected, `${label} ?name=${name}`);
            }
        },
    },
    {
        route: 'GET /api/v1/people/{id}',
        name: "read A's people",
        async run(fx, _c, client, label) {
            for (const p of fx.A.people)
                notFound(await client.get(`/api/v1/people/${p.id}`), label);
        },
    },
    {
        route: 'PATCH /api/v1/people/{id}',
        name: "rectify A's people",
        async run(fx, _c, client, label) {
            for (const p of fx.A.people) {
                notFound(await client.patch(`/api/v1/people/${p.id}`, { name: `hijacked ${tag()}` }), label);
                notFound(await client.patch(`/api/v1/people/${p.id}`, { emails: [], properties: { owned: true }, unsetProperties: ['seeded'] }), label);
            }
        },
    },
    {
        route: 'PATCH /api/v1/people/{id}',
        name: "give B's person the identities of A's person: lands in B only",
        async run(fx, _c, client, label) {
            const b = fx.B.people[1];
            const a = fx.A.people[1];
            const res = await client.patch(`/api/v1/people/${b.id}`, { emails: [b.email, a.email] });
            check(res, 200, null, label);
            assert.equal(res.body.id, b.id);
            try {
                const inB = await fx.B.owner.client.get(`/api/v1/people?email=${encodeURIComponent(a.email)}`);
                assert.deepEqual(inB.body.people.map((p) => p.id), [b.id], label);
            }
            finally {
                assert.equal((await fx.B.owner.client.patch(`/api/v1/people/${b.id}`, { emails: [b.email] })).status, 200);
            }
        },
    },
    {
        route: 'DELETE /api/v1/people/{id}',
        name: "delete A's people",
        async run(fx, _c, client, label) {
            for (const p of fx.A.people)
                notFound(await client.delete(`/api/v1/people/${p.id}`), label);
            // A's person still decrypts for A (their key was not shredded).
            const still = await fx.A.owner.client.get(`/api/v1/people/${fx.A.people[0].id}`);
            check(still, 200, null, label);
            assert.equal(still.body.name, fx.A.people[0].name);
        },
    },
    {
        route: 'GET /api/v1/people/{id}/notes',
        name: "list the notes of A's people",
        async run(fx, _c, client, label) {
            for (const p of fx.A.people)
                notFound(await client.get(`/api/v1/people/${p.id}/notes`), label);
        },
    },
    {
        route: 'POST /api/v1/people/{id}/notes',
        name: "add a note about A's people",
        async run(fx, _c, client, label) {
            for (const p of fx.A.people)
                notFound(await client.post(`/api/v1/people/${p.id}/notes`, { body: `planted ${tag()}` }), label);
        },
    },
    {
        route: 'DELETE /api/v1/people/{id}/notes/{noteId}',
        name: "delete A's notes",
        async run(fx, _c, client, label) {
            for (const p of fx.A.people)
                for (const n of p.noteIds)
                    notFound(await client.delete(`/api/v1/people/${p.id}/notes/${n}`), label);
        },
    },
    {
        route: 'DELETE /api/v1/people/{id}/notes/{noteId}',
        name: "delete A's note through B's person",
        async run(fx, _c, client, label) {
            const b = fx.B.people[1];
            for (const p of fx.A.people)
                for (const n of p.noteIds)
                    notFound(await client.delete(`/api/v1/people/${b.id}/notes/${n}`), label);
            // B's own notes stay.
            const notes = await fx.B.owner.client.get(`/api/v1/people/${b.id}/notes`);
            assert.deepEqual(notes.body.notes.map((n) => n.id).sort(), [...b.noteIds].sort(), label);
        },
    },
    {
        route: 'DELETE /api/v1/people/{id}/notes/{noteId}',
        name: "delete B's note through A's person",
        async run(fx, _c, client, label) {
            const b = fx.B.people[1];
            notFound(await client.delete(`/api/v1/people/${fx.A.people[0].id}/notes/${b.noteIds[0]}`), label);
            const notes = await fx.B.owner.client.get(`/api/v1/people/${b.id}/notes`);
            assert.deepEqual(notes.body.notes.map((n) => n.id).sort(), [...b.noteIds].sort(), label);
        },
    },
    // ── tracking ──────────────────────────────────────────────────────────────────────────────────
    // A's people have events (sent with A's write key); B's twin has events of its own.
    {
        route: 'POST /api/v1/events',
        name: "send events with A's people's identities from B's session: refused, nothing stored",
        creds: ['bOwner', 'bDual'],
        async run(fx, _c, client, label) {
            const a = fx.A.people[1];
            const res = await client.post('/api/v1/events', { events: [{ type: 'page', anonymousId: a.anonymousId, userId: a.externalId, properties: { url: 'https://planted.test/' } }] });
            check(res, 403, 'write_key_required', label);
            const inB = await fx.B.owner.client.get(`/api/v1/people?anonymousId=${encodeURIComponent(a.anonymousId)}`);
            assert.deepEqual(inB.body.people, [], `${label}: a person was made in B`);
            assert.deepEqual((await fx.B.owner.client.get(`/api/v1/activity/daily?${EVENT_WINDOW}`)).body.days, [B_DAY], label);
        },
    },
    {
        route: 'POST /api/v1/events',
        name: "B's admin key (whose answers name events and people) sends events with A's people's identities and messageIds: they land in B only",
        creds: ['bAdminKey'],
        async run(fx, _c, client, label) {
            const [twinA, aOnly] = [fx.A.people[0], fx.A.people[1]];
            const twinB = fx.B.people[0];
            const aIds = await idsOfA(fx);
            const res = await client.post('/api/v1/events', {
                events: [
                    // A's twin's identities: in B they are B's twin's.
                    { type: 'page', anonymousId: twinA.anonymousId, userId: twinA.externalId, properties: { url: 'https://b.example.test/twin' } },
                    { type: 'identify', anonymousId: twinA.anonymousId, userId: twinA.externalId },
                    // A's second person's identities exist only in A: a new person in B, even with A's messageId.
                    { type: 'page', anonymousId: aOnly.anonymousId, messageId: fx.aMessageIds[3], properties: { url: 'https://b.example.test/only' } },
                    { type: 'identify', anonymousId: aOnly.anonymousId, userId: aOnly.externalId, traits: { name: 'Planted by B', plan: 'b' } },
                ],
            });
            check(res, 200, null, label);
            assert.equal(res.body.accepted, 4, JSON.stringify(res.body));
            const results = res.body.results;
            assert.deepEqual(results.map((r) => r.duplicate), [false, false, false, false], `${label}: A's messageId deduplicated across teams`);
            assert.deepEqual(results.filter((r) => aIds.has(r.eventId) || aIds.has(r.personId)), [], `${label}: A's ids in the results`);
            assert.deepEqual([results[0].personId, results[1].personId], [twinB.id, twinB.id], `${label}: not B's twin`);
            const made = results[2].personId;
            assert.equal(results[3].personId, made);
            try {
                assert.ok(!fx.B.people.some((p) => p.id === made), `${label}: landed on a fixture person of B`);
                for (const [kind, value] of [['anonymousId', aOnly.anonymousId], ['externalId', aOnly.externalId]]) {
                    const inB = await fx.B.owner.client.get(`/api/v1/people?${kind}=${encodeURIComponent(value)}`);
                    assert.deepEqual(inB.body.people.map((p) => p.id), [made], `${label}: ?${kind}= in B`);
                }
                assert.equal((await fx.B.owner.client.get(`/api/v1/people/${made}`)).body.name, 'Planted by B');
                assert.deepEqual((await activityOf(fx.B.owner.client, made)).map((x) => x.id).sort(), [results[2].eventId, results[3].eventId].sort(), label);
                const twin = (await activityOf(fx.B.owner.client, twinB.id)).map((x) => x.id);
                assert.ok(twin.includes(results[0].eventId) && twin.includes(results[1].eventId), `${label}: not on B's twin's timeline`);
                assert.deepEqual((await fx.B.owner.client.get(`/api/v1/activity/daily?${EVENT_WINDOW}`)).body.days, [B_DAY], label);
            }
            finally {
                // Keep B's people as the fixture made them for the other cases (its events go with it).
                assert.equal((await fx.B.owner.client.delete(`/api/v1/people/${made}`)).status, 204);
            }
        },
    },
    {
        route: 'GET /api/v1/people/{id}/activity',
        name: "read the activity of A's people",
        creds: [...CREDS, 'bWriteKey'],
        async run(fx, cred, client, label) {
            for (const p of fx.A.people) {
                for (const query of ['', '?limit=1', '?type=page&type=track', `?${EVENT_WINDOW}`]) {
                    const res = await client.get(`/api/v1/people/${p.id}/activity${query}`);
                    if (isWriteKey(cred))
                        check(res, 403, 'write_key_not_allowed', `${label} ${query}`);
                    else
                        notFound(res, `${label} ${query}`);
                }
            }
        },
    },
    {
        route: 'GET /api/v1/people/{id}/activity',
        name: "B's twin's activity: only B's events",
        async run(fx, _c, client, label) {
            const res = await client.get(`/api/v1/people/${fx.B.people[0].id}/activity?${EVENT_WINDOW}`);
            check(res, 200, null, label);
            const aIds = await idsOfA(fx);
            assertOnlyB(res.body.activity.map((x) => x.id), aIds, [], label);
            assert.deepEqual(res.body.activity.map((x) => [x.type, x.url]), [['page', 'https://b.example.test/pricing']], label);
        },
    },
    {
        route: 'GET /api/v1/people/{id}/pages',
        name: "pages A's people viewed",
        creds: [...CREDS, 'bWriteKey'],
        async run(fx, cred, client, label) {
            for (const p of fx.A.people) {
                const res = await client.get(`/api/v1/people/${p.id}/pages`);
                if (isWriteKey(cred))
                    check(res, 403, 'write_key_not_allowed', label);
                else
                    notFound(res, label);
            }
        },
    },
    {
        route: 'GET /api/v1/people/{id}/pages',
        name: "pages B's twin viewed: only B's",
        async run(fx, _c, client, label) {
            const res = await client.get(`/api/v1/people/${fx.B.people[0].id}/pages`);
            check(res, 200, null, label);
            const urls = res.body.pages.map((x) => x.url);
            assert.ok(urls.includes('https://b.example.test/pricing'), `${label}: ${JSON.stringify(urls)}`);
            assert.deepEqual(urls.filter((u) => u.startsWith('https://a.example.test/')), [], `${label}: A's pages leaked`);
        },
    },
    {
        route: 'GET /api/v1/activity/daily',
        name: "daily counts: only B's events (B 2, A 4 on the fixture's day)",
        creds: [...CREDS, 'bWriteKey'],
        async run(fx, cred, client, label) {
            const windowed = await client.get(`/api/v1/activity/daily?${EVENT_WINDOW}`);
            const byDefault = await client.get('/api/v1/activity/daily');
            if (isWriteKey(cred)) {
                check(windowed, 403, 'write_key_not_allowed', label);
                check(byDefault, 403, 'write_key_not_allowed', label);
                return;
            }
            check(windowed, 200, null, label);
            assert.deepEqual(windowed.body.days, [B_DAY], label);
            check(byDefault, 200, null, label);
            assert.deepEqual(byDefault.body.days.find((d) => d.day === DAY), B_DAY, `${label} (default window)`);
        },
    },
    // ── restricted-data guard: settings and counts are per team ───────────────────────────────────
    {
        route: 'GET /api/v1/tracking/restricted-data',
        name: "read settings: B's own, never A's detectors",
        async run(fx, _c, client, label) {
            const aDetector = { id: `a-only-${tag()}`, label: 'A only', kind: 'keywords', terms: ['aonlyterm'] };
            check(await fx.A.owner.client.put('/api/v1/tracking/restricted-data', { mode: 'redact', detectors: [aDetector] }), 200, null, `${label} (A sets)`);
            const res = await client.get('/api/v1/tracking/restricted-data');
            check(res, 200, null, label);
            assert.equal(res.body.mode, 'reject', `${label}: B keeps its own mode`);
            assert.ok(!res.body.detectors.some((d) => d.id === aDetector.id), `${label}: A's detector leaked`);
            check(await fx.A.owner.client.put('/api/v1/tracking/restricted-data', { mode: 'reject', detectors: [] }), 200, null, `${label} (A resets)`);
        },
    },
    {
        route: 'PUT /api/v1/tracking/restricted-data',
        name: "change settings: only B's change",
        async run(fx, _c, client, label) {
            const aBefore = (await fx.A.owner.client.get('/api/v1/tracking/restricted-data')).body;
            const res = await client.put('/api/v1/tracking/restricted-data', { mode: 'reject', detectors: [{ id: 'b-only', label: 'B only', kind: 'keywords', terms: ['bonlyterm'] }] });
            check(res, 200, null, label);
            assert.deepEqual((await fx.A.owner.client.get('/api/v1/tracking/restricted-data')).body, aBefore, `${label}: A's settings changed`);
            check(await fx.B.owner.client.put('/api/v1/tracking/restricted-data', { mode: 'reject', detectors: [] }), 200, null, `${label} (B resets)`);
        },
    },
    {
        route: 'GET /api/v1/tracking/restricted-data/counts',
        name: "counts: only what B's guard stopped",
        async run(fx, _c, client, label) {
            const aKey = fx.A.keys.writeKey.client;
            const refused = await aKey.post('/api/v1/events', { events: [{ type: 'track', anonymousId: `card-${tag()}`, event: 'Pay', properties: { card: '4111 1111 1111 1111' } }] });
            check(refused, 200, null, `${label} (A's guard)`);
            assert.equal(refused.body.results[0].code, 'restricted_data');
            const aCounts = (await fx.A.owner.client.get('/api/v1/tracking/restricted-data/counts')).body.counts;
            assert.ok(aCounts.some((c) => c.reason === 'payment_card'), `${label}: A counted its refusal`);
            const res = await client.get('/api/v1/tracking/restricted-data/counts');
            check(res, 200, null, label);
            assert.deepEqual(res.body.counts, [], `${label}: A's counts leaked into B`);
        },
    },
    // ── audit log ─────────────────────────────────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/audit',
        name: "list audit entries: only B's, even filtering on A's ids",
        async run(fx, _c, client, label) {
            const all = await client.get('/api/v1/audit?limit=500');
            check(all, 200, null, label);
            assert.ok(all.body.entries.length > 0, `${label}: B has entries`);
            assert.ok(all.body.entries.every((x) => x.teamId === fx.B.owner.teamId), `${label}: A's entries leaked`);
            for (const id of [fx.A.owner.teamId, fx.A.owner.userId, fx.A.member.userId, ...fx.A.people.map((p) => p.id)]) {
                const res = await client.get(`/api/v1/audit?targetId=${id}`);
                check(res, 200, null, label);
                assert.deepEqual(res.body.entries, [], `${label}: filtering on A's id ${id}`);
            }
        },
    },
    {
        route: 'GET /api/v1/audit/verify',
        name: "verify: B's own chain",
        async run(fx, _c, client, label) {
            const res = await client.get('/api/v1/audit/verify');
            check(res, 200, null, label);
            assert.equal(res.body.valid, true);
            const mine = await fx.B.owner.client.get('/api/v1/audit?limit=500');
            assert.ok(res.body.entries >= mine.body.entries.length, label);
        },
    },
    // ── privacy centre: data subjects and their requests ──────────────────────────────────────────
    {
        route: 'POST /api/v1/privacy/subjects/find',
        name: "find the subject by A's people's identities: only B's twin, none of A's",
        async run(fx, _c, client, label) {
            const aIds = await idsOfA(fx);
            const [shared, aOnly] = [fx.A.people[0], fx.A.people[1]];
            const twin = fx.B.people[0];
            const lookups = [
                ['email', shared.email, [twin.id]],
                ['phone', shared.phone, [twin.id]],
                ['externalId', shared.externalId, [twin.id]],
                ['anonymousId', shared.anonymousId, [twin.id]],
                ['email', aOnly.email, []],
                ['phone', aOnly.phone, []],
                ['externalId', aOnly.externalId, []],
                ['anonymousId', aOnly.anonymousId, []],
            ];
            for (const [kind, value, expected] of lookups) {
                const res = await client.post('/api/v1/privacy/subjects/find', { [kind]: value });
                check(res, 200, null, `${label} ${kind}=${value}`);
                const ids = res.body.people.map((p) => p.id);
                assertOnlyB(ids, aIds, expected, `${label} ${kind}=${value}`);
                assert.deepEqual(ids, expected, `${label} ${kind}=${value}`);
            }
        },
    },
    {
        route: 'POST /api/v1/privacy/subjects/find',
        name: "find the subject, naming A's id in the body",
        async run(fx, _c, client, label) {
            check(await client.post('/api/v1/privacy/subjects/find', { email: fx.A.people[1].email, teamId: fx.A.owner.teamId }), 400, 'unknown_field', label);
        },
    },
    {
        route: 'GET /api/v1/privacy/requests',
        name: "list privacy requests: only B's, even filtering on A's people",
        async run(fx, _c, client, label) {
            const aIds = await idsOfA(fx);
            const all = await client.get('/api/v1/privacy/requests?limit=200');
            check(all, 200, null, label);
            assertOnlyB(all.body.requests.map((r) => r.id), aIds, [fx.privacy.bExportId], label);
            for (const p of fx.A.people) {
                const res = await client.get(`/api/v1/privacy/requests?personId=${p.id}`);
                check(res, 200, null, `${label} ?personId=`);
                assert.deepEqual(res.body.requests, [], `${label} ?personId=${p.id}`);
            }
            const objections = await client.get('/api/v1/privacy/requests?kind=objection&limit=200');
            check(objections, 200, null, `${label} ?kind=objection`);
            assertOnlyB(objections.body.requests.map((r) => r.id), aIds, [], `${label} ?kind=objection`);
        },
    },
    {
        route: 'GET /api/v1/privacy/requests/{id}',
        name: "read A's privacy requests",
        async run(fx, _c, client, label) {
            for (const id of [fx.privacy.aExportId, fx.privacy.aObjectionId])
                notFound(await client.get(`/api/v1/privacy/requests/${id}`), label);
        },
    },
    {
        route: 'POST /api/v1/privacy/exports',
        name: "request an export of A's people: nothing requested anywhere",
        async run(fx, _c, client, label) {
            const mine = async () => (await fx.B.owner.client.get('/api/v1/privacy/requests?limit=200')).body.requests.map((r) => r.id);
            const before = await mine();
            for (const p of fx.A.people) {
                notFound(await client.post('/api/v1/privacy/exports', { personId: p.id, format: 'json' }), label);
                notFound(await client.post('/api/v1/privacy/exports', { personId: p.id, format: 'zip' }), label);
            }
            assert.deepEqual(await mine(), before, `${label}: a request was recorded in B`);
        },
    },
    {
        route: 'GET /api/v1/privacy/exports/{id}/download',
        name: "download A's export: not found, and A's one download is not used up",
        async run(fx, _c, client, label) {
            notFound(await client.get(`/api/v1/privacy/exports/${fx.privacy.aExportId}/download`), label);
        },
    },
    {
        route: 'POST /api/v1/privacy/erasures',
        name: "erase A's people",
        async run(fx, _c, client, label) {
            for (const p of fx.A.people) {
                notFound(await client.post('/api/v1/privacy/erasures', { personId: p.id }), label);
                notFound(await client.post('/api/v1/privacy/erasures', { personId: p.id, suppress: true }), label);
            }
            // A's person still decrypts for A (their keys were not shredded).
            const still = await fx.A.owner.client.get(`/api/v1/people/${fx.A.people[1].id}`);
            check(still, 200, null, label);
            assert.equal(still.body.name, fx.A.people[1].name);
        },
    },
    {
        route: 'POST /api/v1/privacy/objections',
        name: "object to A's people by id",
        async run(fx, _c, client, label) {
            for (const p of fx.A.people)
                notFound(await client.post('/api/v1/privacy/objections', { personId: p.id }), label);
        },
    },
    {
        route: 'POST /api/v1/privacy/objections',
        name: "object by identities only A's person holds: lands in B only (B's own holder, or nobody)",
        async run(fx, _c, client, label) {
            const aOnly = fx.A.people[1];
            // A person of B's with the phone of A's person, made for this case and erased after it.
            const holder = await fx.B.owner.client.post('/api/v1/people', { phones: [aOnly.phone] });
            check(holder, 201, null, `${label} (B's holder)`);
            try {
                const byPhone = await client.post('/api/v1/privacy/objections', { phone: aOnly.phone });
                check(byPhone, 201, null, `${label} (phone)`);
                assert.equal(byPhone.body.personId, holder.body.id, `${label}: the objection names another team's person`);
                const byEmail = await client.post('/api/v1/privacy/objections', { email: aOnly.email });
                check(byEmail, 201, null, `${label} (email)`);
                assert.equal(byEmail.body.personId, null, `${label}: B holds no such email`);
                const state = await fx.B.owner.client.get(`/api/v1/people/${holder.body.id}/suppression`);
                assert.deepEqual(state.body.identities.map((i) => i.suppressed), [true], label);
                const inB = (await fx.B.owner.client.get('/api/v1/privacy/requests?kind=objection&limit=200')).body.requests.map((r) => r.id);
                assert.ok(inB.includes(byPhone.body.id) && inB.includes(byEmail.body.id), `${label}: not recorded in B`);
            }
            finally {
                assert.equal((await fx.B.owner.client.delete(`/api/v1/people/${holder.body.id}`)).status, 204);
            }
        },
    },
    // ── privacy centre: settings, retention, record of processing are per team ────────────────────
    {
        route: 'GET /api/v1/privacy/settings',
        name: "read the privacy settings: B's own, never A's policy",
        async run(fx, _c, client, label) {
            const res = await client.get('/api/v1/privacy/settings');
            check(res, 200, null, label);
            assert.equal(res.body.eventRetentionDays, null, `${label}: A's one-day policy leaked`);
            assert.deepEqual(res.body, (await fx.B.owner.client.get('/api/v1/privacy/settings')).body, label);
        },
    },
    {
        route: 'PATCH /api/v1/privacy/settings',
        name: "change the privacy settings: B's only",
        async run(fx, _c, client, label) {
            const hours = 2 + (randomBytes(1)[0] % 100);
            const res = await client.patch('/api/v1/privacy/settings', { exportLinkHours: hours });
            check(res, 200, null, label);
            assert.equal((await fx.B.owner.client.get('/api/v1/privacy/settings')).body.exportLinkHours, hours, label);
        },
    },
    {
        route: 'PATCH /api/v1/privacy/settings',
        name: "change the privacy settings, naming A's id in the body",
        async run(fx, _c, client, label) {
            const before = (await fx.B.owner.client.get('/api/v1/privacy/settings')).body;
            check(await client.patch('/api/v1/privacy/settings', { exportLinkHours: 7, teamId: fx.A.owner.teamId }), 400, 'unknown_field', label);
            assert.deepEqual((await fx.B.owner.client.get('/api/v1/privacy/settings')).body, before, label);
        },
    },
    {
        route: 'GET /api/v1/privacy/retention/preview',
        name: "retention preview: B's policy over B's data (A's policy would remove A's 4 events)",
        async run(fx, _c, client, label) {
            const res = await client.get('/api/v1/privacy/retention/preview');
            check(res, 200, null, label);
            assert.deepEqual([res.body.settings, res.body.eventsBefore, res.body.events, res.body.inactivePeople], [{ eventRetentionDays: null, inactivePeopleMonths: null }, null, 0, 0], label);
            const aPreview = await fx.A.owner.client.get('/api/v1/privacy/retention/preview');
            assert.equal(aPreview.body.events, A_DAY.total, `${label}: A's own preview`);
        },
    },
    {
        route: 'POST /api/v1/privacy/retention/run',
        name: "apply retention (B's 30-day policy, for a moment): only B's old event goes, none of A's",
        async run(fx, _c, client, label) {
            const b = fx.B.people[1];
            const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
            const sent = await fx.B.keys.writeKey.client.post('/api/v1/events', { events: [{ type: 'track', anonymousId: b.anonymousId, event: 'B old', timestamp: old }] });
            assert.equal(sent.body.accepted, 1, JSON.stringify(sent.body));
            check(await fx.B.owner.client.patch('/api/v1/privacy/settings', { eventRetentionDays: 30 }), 200, null, `${label} (B's policy)`);
            try {
                const res = await client.post('/api/v1/privacy/retention/run');
                check(res, 200, null, label);
                assert.deepEqual(res.body, { events: 1, people: 0, expiredExports: 0 }, label);
                const left = (await activityOf(fx.B.owner.client, b.id)).map((x) => x.name);
                assert.ok(!left.includes('B old') && left.includes('B clicked'), `${label}: ${JSON.stringify(left)}`);
            }
            finally {
                check(await fx.B.owner.client.patch('/api/v1/privacy/settings', { eventRetentionDays: null }), 200, null, `${label} (reset)`);
            }
            assert.equal((await fx.A.owner.client.get('/api/v1/privacy/retention/preview')).body.events, A_DAY.total, `${label}: A's events`);
        },
    },
    {
        route: 'GET /api/v1/privacy/record-of-processing',
        name: "the record of processing: B's, never A's",
        async run(fx, _c, client, label) {
            const res = await client.get('/api/v1/privacy/record-of-processing');
            check(res, 200, null, label);
            const { generatedAt: _a, ...record } = res.body;
            const { generatedAt: _b, ...own } = (await fx.B.owner.client.get('/api/v1/privacy/record-of-processing')).body;
            assert.equal(record.teamId, fx.B.owner.teamId, label);
            assert.deepEqual(record, own, label);
            const purposes = record.purposes.map((p) => p.purpose);
            assert.ok(purposes.includes(B_PURPOSE) && !purposes.includes(A_PURPOSE), `${label}: ${JSON.stringify(purposes)}`);
            const md = await client.get('/api/v1/privacy/record-of-processing?format=markdown');
            check(md, 200, null, `${label} (markdown)`);
            assert.ok(md.raw.body.includes(B_PURPOSE) && !md.raw.body.includes(A_PURPOSE), `${label} (markdown)`);
        },
    },
    // ── consents and suppression of a person ──────────────────────────────────────────────────────
    {
        route: 'GET /api/v1/people/{id}/consents',
        name: "list the consents of A's people",
        async run(fx, _c, client, label) {
            for (const p of fx.A.people)
                notFound(await client.get(`/api/v1/people/${p.id}/consents`), label);
        },
    },
    {
        route: 'GET /api/v1/people/{id}/consents',
        name: "B's twin's consents: only B's",
        async run(fx, _c, client, label) {
            const res = await client.get(`/api/v1/people/${fx.B.people[0].id}/consents`);
            check(res, 200, null, label);
            assert.deepEqual(res.body.consents.map((c) => [c.id, c.purpose]), [[fx.privacy.bConsentId, B_PURPOSE]], label);
        },
    },
    {
        route: 'POST /api/v1/people/{id}/consents',
        name: "record consents for A's people",
        async run(fx, _c, client, label) {
            for (const p of fx.A.people)
                notFound(await client.post(`/api/v1/people/${p.id}/consents`, { purpose: 'planted', source: `planted ${tag()}` }), label);
        },
    },
    {
        route: 'POST /api/v1/people/{id}/consents/{consentId}/withdraw',
        name: "withdraw A's consent (through A's person and through B's), and B's through A's person",
        async run(fx, _c, client, label) {
            const [aPerson, bPerson] = [fx.A.people[0].id, fx.B.people[0].id];
            notFound(await client.post(`/api/v1/people/${aPerson}/consents/${fx.privacy.aConsentId}/withdraw`), `${label} (A's)`);
            notFound(await client.post(`/api/v1/people/${bPerson}/consents/${fx.privacy.aConsentId}/withdraw`), `${label} (A's through B's person)`);
            notFound(await client.post(`/api/v1/people/${aPerson}/consents/${fx.privacy.bConsentId}/withdraw`), `${label} (B's through A's person)`);
            const mine = await fx.B.owner.client.get(`/api/v1/people/${bPerson}/consents`);
            assert.equal(mine.body.consents[0].withdrawnAt, null, `${label}: B's consent was withdrawn`);
        },
    },
    {
        route: 'GET /api/v1/people/{id}/suppression',
        name: "the suppression state of A's people",
        async run(fx, _c, client, label) {
            for (const p of fx.A.people)
                notFound(await client.get(`/api/v1/people/${p.id}/suppression`), label);
        },
    },
    // ── team lifecycle: the credential's own team, never one named in the request ─────────────────
    {
        route: 'POST /api/v1/team/cancellation',
        name: "cancel, naming A's id in the query: B's owner cancels B (undone at once), others are refused",
        async run(fx, cred, client, label) {
            const res = await client.post(`/api/v1/team/cancellation?teamId=${fx.A.owner.teamId}`);
            if (cred !== 'bOwner') {
                check(res, 403, isKey(cred) ? 'insufficient_scope' : 'forbidden', label);
                assert.equal((await fx.B.owner.client.get('/api/v1/team')).body.deletionDueAt, null, `${label}: B was cancelled`);
                return;
            }
            try {
                check(res, 202, null, label);
                assert.equal(res.body.id, fx.B.owner.teamId, `${label}: cancelled another team`);
                assert.equal((await fx.B.owner.client.get('/api/v1/team')).body.deletionDueAt, res.body.deletionDueAt, label);
            }
            finally {
                check(await fx.B.owner.client.delete('/api/v1/team/cancellation'), 200, null, `${label} (undo)`);
            }
        },
    },
    {
        route: 'DELETE /api/v1/team/cancellation',
        name: "undo A's cancellation (A's owner cancels A for the case, then undoes it)",
        async run(fx, cred, client, label) {
            const cancelled = await fx.A.owner.client.post('/api/v1/team/cancellation');
            check(cancelled, 202, null, `${label} (A cancels)`);
            try {
                const res = await client.delete(`/api/v1/team/cancellation?teamId=${fx.A.owner.teamId}`);
                if (cred === 'bOwner')
                    check(res, 409, 'not_cancelled', label);
                else
                    check(res, 403, isKey(cred) ? 'insufficient_scope' : 'forbidden', label);
                assert.equal((await fx.A.owner.client.get('/api/v1/team')).body.deletionDueAt, cancelled.body.deletionDueAt, `${label}: A's cancellation changed`);
            }
            finally {
                check(await fx.A.owner.client.delete('/api/v1/team/cancellation'), 200, null, `${label} (A undoes)`);
            }
        },
    },
];
/**
 * /api/v1 routes with no cross-team case. Each must say why: they take no team, member,
 * invitation or key id, and act only on the caller's own user or create something new.
 */
const EXEMPT = {
    'POST /api/v1/auth/sign-up': 'anonymous; creates a new user and a new team, names no existing team',
    'POST /api/v1/auth/sign-in': 'anonymous; email and password only, names no team',
    'POST /api/v1/auth/sign-out': "ends the caller's own session; takes no id",
    'POST /api/v1/auth/sign-out-everywhere': "ends the caller's own sessions; takes no id",
    'POST /api/v1/auth/delete-account': "deletes the caller's own account; takes no id",
    'POST /api/v1/teams': 'creates a brand-new team owned by the caller; takes no existing id',
};
describeEngines('cross-team: B’s credentials on A’s ids', (haven) => {
    let fx;
    const fixture = () => {
        if (!fx)
            throw new Error('fixture not ready');
        return fx;
    };
    before(async () => {
        const server = haven().server;
        // A's first person and B's first person are twins: the same name and identities, in two teams.
        const t = tag();
        const twin = { name: 'Ada Lovelace', email: `ada-${t}@example.test`, phone: '+442079460958', externalId: `crm-${t}`, anonymousId: `anon-${t}` };
        const A = await makeTeam(server, 'a', [
            { ...twin, notes: 2 },
            { name: 'Grace Hopper', email: `grace-${t}@example.test`, phone: '+442079460959', externalId: `a-only-${t}`, anonymousId: `a-anon-${t}`, notes: 1 },
        ]);
        A.viewer = await addMember(server, A.owner.client, 'viewer', 'a-viewer');
        const B = await makeTeam(server, 'b', [
            { ...twin, notes: 1 },
            { name: 'Katherine Johnson', email: `katherine-${t}@example.test`, phone: '+442079460960', externalId: `b-only-${t}`, anonymousId: `b-anon-${t}`, notes: 2 },
        ]);
        // dual: admin of B, then invited into A as a viewer (accepting switches to A), then back on B.
        const dual = await addMember(server, B.owner.client, 'admin', 'dual');
        const inv = await A.owner.client.post('/api/v1/invitations', { email: dual.email, role: 'viewer' });
        assert.equal(inv.status, 201);
        assert.equal((await dual.client.post('/api/v1/invitations/accept', { token: inv.body.token })).status, 200);
        assert.equal((await dual.client.put('/api/v1/session/team', { teamId: B.owner.teamId })).status, 200);
        const bAdminKey = B.keys.adminKey.client;
        // The same messageIds in both teams: dedupe is per team.
        const aMessageIds = EVENTS_A.map((_, i) => `msg-${t}-${i}`);
        await sendFixtureEvents(A, EVENTS_A, aMessageIds);
        await sendFixtureEvents(B, EVENTS_B, aMessageIds.slice(0, EVENTS_B.length));
        const created = async (res) => {
            const r = await res;
            assert.equal(r.status, 201, JSON.stringify(r.body));
            return r.body.id;
        };
        const privacy = {
            aExportId: await created(A.owner.client.post('/api/v1/privacy/exports', { personId: A.people[0].id })),
            aObjectionId: await created(A.owner.client.post('/api/v1/privacy/objections', { externalId: `a-objected-${t}` })),
            aConsentId: await created(A.owner.client.post(`/api/v1/people/${A.people[0].id}/consents`, { purpose: A_PURPOSE, source: 'A signup form' })),
            bExportId: await created(B.owner.client.post('/api/v1/privacy/exports', { personId: B.people[0].id })),
            bConsentId: await created(B.owner.client.post(`/api/v1/people/${B.people[0].id}/consents`, { purpose: B_PURPOSE, source: 'B signup form' })),
        };
        assert.equal((await A.owner.client.patch('/api/v1/privacy/settings', { eventRetentionDays: 1 })).status, 200);
        fx = { server, A, B, dual, creds: { bOwner: B.owner.client, bAdminKey, bDual: dual.client, bWriteKey: B.keys.writeKey.client }, aMessageIds, privacy };
    });
    // Team A as the next case finds it: what the case before left (each must leave A as it was), so
    // A is read once per case, not twice.
    let aAsFound;
    for (const c of CASES) {
        for (const cred of c.creds ?? CREDS) {
            const label = `${c.route} — ${c.name} — as ${cred}`;
            it(label, async () => {
                const f = fixture();
                const before = (aAsFound ??= await snapshot(f.A));
                aAsFound = undefined; // read again if this case fails before it reads A
                await c.run(f, cred, f.creds[cred], label);
                aAsFound = await snapshot(f.A);
                assert.deepEqual(aAsFound, before, `${label}: team A changed`);
            });
        }
    }
    it("team A's own credentials still see all of A's data (the fixture is what the cases assume)", async () => {
        const f = fixture();
        const s = await snapshot(f.A);
        assert.equal(s.members.length, 5); // owner, admin, member, viewer, dual (viewer)
        assert.deepEqual(s.members.filter((m) => m.role === 'viewer').map((m) => m.userId).sort(), [f.A.viewer.userId, f.dual.userId].sort());
        assert.ok(f.A.pendingInvitations.every((id) => s.invitations.some((i) => i.id === id && i.status === 'pending')));
        assert.equal(s.invitations.find((i) => i.id === f.A.revokedInvitation.id)?.status, 'revoked');
        assert.equal(s.apiKeys.filter((k) => k.revokedAt === null).length, 3);
        assert.deepEqual(s.people.map((p) => p.id), f.A.people.map((p) => p.id).sort());
        for (const p of f.A.people) {
            const seen = s.people.find((x) => x.id === p.id);
            assert.deepEqual([seen.name, seen.emails, seen.phones, seen.externalIds, seen.anonymousIds], [p.name, [p.email], [p.phone], [p.externalId], [p.anonymousId]]);
            assert.deepEqual(s.notes[p.id].map((n) => n.id).sort(), [...p.noteIds].sort());
        }
        // A's events: the twin viewed /pricing twice and clicked, the other viewed one page.
        const [twin, aOnly] = [f.A.people[0].id, f.A.people[1].id];
        assert.deepEqual(s.activity[twin].map((x) => x.type), ['track', 'page', 'page']);
        assert.deepEqual(s.activity[aOnly].map((x) => x.type), ['page']);
        assert.deepEqual(s.pages[twin], [{ url: 'https://a.example.test/pricing', title: 'A pricing', views: 2, lastViewedAt: eventAt(11) }]);
        assert.deepEqual(s.eventDay, [A_DAY]);
        assert.deepEqual(s.daily.find((d) => d.day === DAY), A_DAY);
        // A's privacy records: an export (ready), an objection to an identity nobody holds, a consent; a one-day event policy.
        assert.deepEqual(s.privacyRequests.map((r) => [r.id, r.kind, r.status]).sort(), [
            [f.privacy.aExportId, 'export', 'ready'],
            [f.privacy.aObjectionId, 'objection', 'completed'],
        ].sort());
        assert.deepEqual(s.consents[twin].map((c) => c.id), [f.privacy.aConsentId]);
        assert.deepEqual(Object.values(s.suppression).flat().filter((i) => i.suppressed), [], "none of A's people is suppressed");
        assert.equal(s.privacySettings.eventRetentionDays, 1);
    });
    // Outside /api/v1 (so not in the coverage lists): Segment's batch endpoint, the write key as the Basic user name.
    it("B's write key with Basic auth on POST /v1/batch (Segment), with A's people's identities and messageIds: lands in B only", async () => {
        const f = fixture();
        const label = 'POST /v1/batch (Basic, B write key)';
        const before = await snapshot(f.A);
        const aIds = await idsOfA(f);
        const [twinA, aOnly] = [f.A.people[0], f.A.people[1]];
        const twinB = f.B.people[0];
        const basic = `Basic ${Buffer.from(`${f.B.keys.writeKey.token}:`).toString('base64')}`;
        const res = await new TestClient(f.server).post('/v1/batch', {
            batch: [
                { type: 'track', userId: twinA.externalId, event: 'Segment B', messageId: `seg-${tag()}` },
                { type: 'page', anonymousId: aOnly.anonymousId, messageId: f.aMessageIds[2], properties: { url: 'https://b.example.test/segment' } },
                { type: 'identify', anonymousId: aOnly.anonymousId, userId: aOnly.externalId, traits: { name: 'Segment planted' } },
            ],
        }, { authorization: basic });
        check(res, 200, null, label);
        assert.deepEqual(res.body, { success: true, accepted: 3, rejected: 0 }, label);
        const inB = await f.B.owner.client.get(`/api/v1/people?anonymousId=${encodeURIComponent(aOnly.anonymousId)}`);
        assert.equal(inB.body.people.length, 1, `${label}: ${JSON.stringify(inB.body)}`);
        const made = inB.body.people[0].id;
        try {
            assert.ok(!aIds.has(made) && !f.B.people.some((p) => p.id === made), `${label}: not a new person of B`);
            assert.deepEqual(inB.body.people[0].externalIds, [aOnly.externalId]);
            assert.equal(inB.body.people[0].name, 'Segment planted');
            const mine = await activityOf(f.B.owner.client, made);
            assert.deepEqual(mine.map((x) => x.type).sort(), ['identify', 'page'], label);
            assertOnlyB(mine.map((x) => x.id), aIds, [], label);
            const twin = await activityOf(f.B.owner.client, twinB.id);
            assert.ok(twin.some((x) => x.type === 'track' && x.name === 'Segment B'), `${label}: not on B's twin's timeline`);
            assertOnlyB(twin.map((x) => x.id), aIds, [], label);
        }
        finally {
            assert.equal((await f.B.owner.client.delete(`/api/v1/people/${made}`)).status, 204);
        }
        assert.deepEqual(await snapshot(f.A), before, `${label}: team A changed`);
    });
    it('every /api/v1 route in the OpenAPI document has a cross-team case or a commented exemption', async () => {
        const documented = await documentedRoutes(haven().server);
        const covered = new Set(CASES.map((c) => c.route));
        const missing = documented.filter((r) => !covered.has(r) && !(r in EXEMPT));
        assert.deepEqual(missing, [], `routes without a cross-team case (add one to test/cross-team.test.ts, or an exemption with its reason): ${missing.join(', ')}`);
        const stale = [...covered, ...Object.keys(EXEMPT)].filter((r) => !documented.includes(r));
        assert.deepEqual(stale, [], `cases or exemptions for routes that no longer exist: ${stale.join(', ')}`);
        for (const r of Object.keys(EXEMPT))
            assert.ok(!covered.has(r), `${r} is both exempt and covered`);
    });
    it("every route with an id parameter is tried by B's owner session and B's admin key", () => {
        for (const c of CASES.filter((x) => x.route.includes('{'))) {
            const creds = c.creds ?? CREDS;
            assert.ok(creds.includes('bOwner') && creds.includes('bAdminKey'), `${c.route} — ${c.name}`);
        }
    });
});
//# sourceMappingURL=cross-team.test.js.map