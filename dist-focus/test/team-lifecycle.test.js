import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DELETE_TEAM_JOB } from '../src/modules/accounts/index.js';
import { openedIdentitiesOf } from '../src/modules/people/opened-identities.js';
import { PURGE_PERSON_JOB } from '../src/modules/privacy/index.js';
import { PERMISSIONS } from '../src/modules/accounts/permissions.js';
import { OUTLIVES_TEAM, quoteIdent } from '../src/platform/db/catalogue.js';
import { deletionCertificates } from '../src/platform/db/delete-team-data.js';
import { openErasureLedger } from '../src/platform/erasure-ledger/index.js';
import { PASSWORD, TestClient, addMember, keyClient, signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
/**
 * Account lifecycle (issue 6, must-work 8), on both engines: an owner cancels → the team is
 * read-only at once for every role and every key (423 team_read_only, nothing stored), reads and
 * exports still work, every member sees when the deletion happens; an owner may undo during the
 * grace period (the queued deletion then does nothing). Once due, a job deletes the team: no row
 * with its id in any table the catalogue lists, a deletion certificate with true counts, a team
 * entry in the erasure ledger, and another team's rows exactly as they were.
 */
const tag = () => randomBytes(4).toString('hex');
function check(res, status, code, label) {
    const got = `${res.status} ${JSON.stringify(res.body)}`;
    assert.equal(res.status, status, `${label}: expected ${status} ${code ?? ''}, got ${got}`);
    if (code !== null)
        assert.equal(res.body?.error?.code, code, `${label}: expected ${status} ${code}, got ${got}`);
}
const PRINCIPALS = ['owner', 'admin', 'member', 'viewer', 'readKey', 'adminKey'];
const KEY_ROLE = { readKey: 'viewer', adminKey: 'admin' };
const isKey = (p) => p === 'readKey' || p === 'adminKey';
/** The refusal PERMISSIONS dictates for `action`, or null when the principal's role allows it. */
function refusalFor(p, action) {
    const roles = PERMISSIONS[action];
    if (isKey(p))
        return roles.includes(KEY_ROLE[p]) ? null : { status: 403, code: 'insufficient_scope' };
    return roles.includes(p) ? null : { status: 403, code: 'forbidden' };
}
async function ok(res, status, label) {
    const r = await res;
    assert.equal(r.status, status, `${label}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
}
/**
 * A team with rows in every table a team can fill: members, keys, an invitation, people with
 * identities, notes, consents and events, an erased person, an objection, an export request,
 * privacy and restricted-data settings, a refusal counted by the guard, and its audit log.
 */
async function makeTeam(server, name) {
    const owner = await signUp(server, `${name}-owner`, `Team ${name}`);
    const sessions = {
        owner,
        admin: await addMember(server, owner.client, 'admin', `${name}-admin`),
        member: await addMember(server, owner.client, 'member', `${name}-member`),
        viewer: await addMember(server, owner.client, 'viewer', `${name}-viewer`),
    };
    const readKey = await keyClient(server, owner.client, 'secret', 'read');
    const adminKey = await keyClient(server, owner.client, 'secret', 'admin');
    const spare = await keyClient(server, owner.client, 'secret', 'read');
    const writeKey = await keyClient(server, owner.client, 'write');
    const t = tag();
    const email = `${name}-person-${t}@example.test`;
    const invited = `${name}-invitee-${t}@example.test`;
    const inv = await ok(owner.client.post('/api/v1/invitations', { email: invited, role: 'member' }), 201, `${name}: invitation`);
    const person = await ok(owner.client.post('/api/v1/people', { name: `Person of ${name}`, company: 'Acme', emails: [email], phones: ['+1 202 555 0100'], externalIds: [`${name}-ext-${t}`], properties: { plan: 'pro' } }), 201, `${name}: person`);
    const note = await ok(owner.client.post(`/api/v1/people/${person.id}/notes`, { body: `about ${name}` }), 201, `${name}: note`);
    const consent = await ok(owner.client.post(`/api/v1/people/${person.id}/consents`, { purpose: 'newsletter', source: `${name} form` }), 201, `${name}: consent`);
    const anonymousId = `${name}-anon-${t}`;
    // The admin key's answers name each event's person.
    const sent = await ok(adminKey.client.post('/api/v1/events', {
        events: [
            { type: 'page', anonymousId, name: 'Home', properties: { url: `https://${name}.example.test/`, title: 'Home' } },
            { type: 'track', anonymousId, event: 'Clicked', properties: { button: 'buy' } },
            { type: 'identify', anonymousId, traits: { name: `Visitor of ${name}` } },
            // Refused by the guard, and counted.
            { type: 'track', anonymousId, event: 'Paid', properties: { card: '4111 1111 1111 1111' } },
        ],
    }), 200, `${name}: events`);
    assert.equal(sent.accepted, 3, JSON.stringify(sent));
    // An erased person (shredded; the purge job is left queued) and an objection to an identity nobody holds.
    const erased = await ok(owner.client.post('/api/v1/people', { name: 'Erased', emails: [`${name}-erased-${t}@example.test`] }), 201, `${name}: erased`);
    await ok(owner.client.post('/api/v1/privacy/erasures', { personId: erased.id }), 202, `${name}: erasure`);
    await ok(owner.client.post('/api/v1/privacy/objections', { externalId: `${name}-objector-${t}` }), 201, `${name}: objection`);
    const exp = await ok(owner.client.post('/api/v1/privacy/exports', { personId: person.id }), 201, `${name}: export`);
    await ok(owner.client.patch('/api/v1/privacy/settings', { eventRetentionDays: 365, exportLinkHours: 48 }), 200, `${name}: privacy settings`);
    await ok(owner.client.put('/api/v1/tracking/restricted-data', { mode: 'reject', detectors: [{ id: 'terms', label: 'Terms', kind: 'keywords', terms: ['zzyzx'] }] }), 200, `${name}: guard settings`);
    return {
        name,
        teamId: owner.teamId,
        owner,
        sessions,
        keys: { readKey: readKey.client, adminKey: adminKey.client, spareKeyId: spare.id },
        writeKey: { client: writeKey.client, token: writeKey.token },
        person: { id: person.id, email, noteId: note.id, consentId: consent.id },
        tracked: { id: sent.results[0].personId, anonymousId },
        invitation: { id: inv.invitation.id, token: inv.token, email: invited },
        exportId: exp.id,
    };
}
const as = (team, p) => (isKey(p) ? team.keys[p] : team.sessions[p].client);
/** A Segment call with the write key as the Basic-auth user name, as Segment's libraries send it. */
const basic = (token) => ({ authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` });
/** Columns whose value changes when a member merely uses Haven (a key's or a session's last use). */
const VOLATILE = new Set(['last_used_at', 'last_seen_at']);
const teamColumns = (t) => t.columns.filter((c) => c.type === 'uuid' && (c.name === 'team_id' || c.name.endsWith('_team_id'))).map((c) => c.name);
function catalogue(haven) {
    const { owner } = ownerSql(haven);
    /** Every ordinary and partitioned table of the public schema (a partitioned table's rows are read through it, so its partitions are marked). */
    async function tables() {
        const r = await owner(`SELECT c.relname AS name, c.relispartition AS partition, obj_description(c.oid, 'pg_class') AS comment,
              a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`);
        const out = new Map();
        for (const row of r.rows) {
            const t = out.get(row.name) ?? { name: row.name, partition: row.partition, outlivesTeam: (row.comment ?? '').startsWith(OUTLIVES_TEAM), columns: [] };
            t.columns.push({ name: row.column, type: row.type });
            out.set(row.name, t);
        }
        return [...out.values()];
    }
    /** `table.column` of every uuid (or uuid[]) column, in every table not exempt, that holds `id`. */
    async function columnsHolding(id) {
        const found = [];
        for (const t of await tables()) {
            if (t.outlivesTeam || t.partition)
                continue;
            for (const c of t.columns) {
                const test = c.type === 'uuid' ? `${quoteIdent(c.name)} = $1::uuid` : c.type === 'uuid[]' ? `$1::uuid = ANY(${quoteIdent(c.name)})` : null;
                if (!test)
                    continue;
                const n = await owner(`SELECT count(*)::int AS n FROM ${quoteIdent(t.name)} WHERE ${test}`, [id]);
                if (Number(n.rows[0].n) > 0)
                    found.push(`${t.name}.${c.name}`);
            }
        }
        return found;
    }
    /** Tables (not exempt) with a row whose text anywhere — a jsonb detail, a text column — contains `id`. */
    async function rowTextHolding(id) {
        const found = [];
        for (const t of await tables()) {
            if (t.outlivesTeam || t.partition)
                continue;
            const n = await owner(`SELECT count(*)::int AS n FROM ${quoteIdent(t.name)} x WHERE x::text LIKE $1`, [`%${id}%`]);
            if (Number(n.rows[0].n) > 0)
                found.push(t.name);
        }
        return found;
    }
    /**
     * A team's rows, per table with a team column (`team_id`, or a reference such as a session's
     * `active_team_id`): count and an md5 over the rows' text, volatile columns left out.
     */
    async function rowsOf(teamId, options = {}) {
        const out = {};
        for (const t of await tables()) {
            const cols = teamColumns(t);
            if (t.partition || cols.length === 0)
                continue;
            const kept = t.columns.filter((c) => !options.volatile?.has(c.name)).map((c) => quoteIdent(c.name));
            const r = await owner(`SELECT count(*)::int AS n, md5(string_agg(x::text, E'\\n' ORDER BY x::text)) AS sum
           FROM (SELECT ${kept.join(', ')} FROM ${quoteIdent(t.name)} WHERE ${cols.map((c) => `${quoteIdent(c)} = $1::uuid`).join(' OR ')}) x`, [teamId]);
            out[t.name] = { rows: Number(r.rows[0].n), md5: r.rows[0].sum ?? '' };
        }
        return out;
    }
    /** The whole of a global table (users), as an md5 over its rows' text. */
    async function tableSum(table) {
        const r = await owner(`SELECT md5(string_agg(x::text, E'\\n' ORDER BY x::text)) AS sum FROM ${quoteIdent(table)} x`);
        return r.rows[0].sum ?? '';
    }
    return { tables, columnsHolding, rowTextHolding, rowsOf, tableSum };
}
const withoutTable = (rows, table) => Object.fromEntries(Object.entries(rows).filter(([t]) => t !== table));
async function teamOf(client) {
    const r = await client.get('/api/v1/team');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
}
/** The deletion time the session's own team list shows for a team. */
async function sessionDeletionDue(client, teamId) {
    const r = await client.get('/api/v1/session');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.teams.find((t) => t.id === teamId)?.deletionDueAt;
}
async function waitUntil(iso) {
    // Past the due time by a margin: the job queue compares with the database's clock.
    await sleep(Math.max(0, Date.parse(iso) - Date.now()) + 600);
}
async function ledgerTeamEntries(haven, teamId) {
    let n = 0;
    for await (const e of openErasureLedger(haven().config).entries())
        if (e.kind === 'team' && e.teamId === teamId)
            n++;
    return n;
}
const WRITES = [
    { name: 'add a person', action: 'people.write', send: (_t, c) => c.post('/api/v1/people', { name: 'New', emails: [`new-${tag()}@example.test`] }) },
    { name: 'rectify a person', action: 'people.write', send: (t, c) => c.patch(`/api/v1/people/${t.person.id}`, { name: 'Changed', properties: { plan: 'free' } }) },
    { name: 'add a note', action: 'people.write', send: (t, c) => c.post(`/api/v1/people/${t.person.id}/notes`, { body: 'more' }) },
    { name: 'delete a note', action: 'people.write', send: (t, c) => c.delete(`/api/v1/people/${t.person.id}/notes/${t.person.noteId}`) },
    { name: 'delete (erase) a person', action: 'people.delete', send: (t, c) => c.delete(`/api/v1/people/${t.person.id}`) },
    { name: 'erase a person', action: 'people.delete', send: (t, c) => c.post('/api/v1/privacy/erasures', { personId: t.tracked.id }) },
    { name: 'record a consent', action: 'consents.write', send: (t, c) => c.post(`/api/v1/people/${t.person.id}/consents`, { purpose: 'analytics', source: 'x' }) },
    { name: 'withdraw a consent', action: 'consents.write', send: (t, c) => c.post(`/api/v1/people/${t.person.id}/consents/${t.person.consentId}/withdraw`) },
    { name: 'record an objection', action: 'privacy.object', send: (t, c) => c.post('/api/v1/privacy/objections', { personId: t.person.id }) },
    { name: 'change the privacy settings', action: 'privacy.manage', send: (_t, c) => c.patch('/api/v1/privacy/settings', { exportLinkHours: 12 }) },
    { name: 'apply retention', action: 'privacy.manage', send: (_t, c) => c.post('/api/v1/privacy/retention/run') },
    { name: 'rename the team', action: 'team.update', send: (_t, c) => c.patch('/api/v1/team', { name: 'Renamed' }) },
    { name: "change a member's role", action: 'members.manage', send: (t, c) => c.patch(`/api/v1/members/${t.sessions.member.userId}`, { role: 'viewer' }) },
    { name: 'invite', action: 'invitations.manage', send: (_t, c) => c.post('/api/v1/invitations', { email: `late-${tag()}@example.test`, role: 'member' }) },
    { name: 'revoke an invitation', action: 'invitations.manage', send: (t, c) => c.delete(`/api/v1/invitations/${t.invitation.id}`) },
    { name: 'create an API key', action: 'apiKeys.manage', send: (_t, c) => c.post('/api/v1/api-keys', { name: 'late', kind: 'secret', scope: 'read' }) },
    { name: 'revoke an API key', action: 'apiKeys.manage', send: (t, c) => c.delete(`/api/v1/api-keys/${t.keys.spareKeyId}`) },
    {
        name: 'change the restricted-data settings',
        action: 'tracking.manage',
        send: (_t, c) => c.put('/api/v1/tracking/restricted-data', { mode: 'redact', detectors: [] }),
    },
];
/** Reads of each kind, with the action that guards them. */
const READS = [
    { name: 'the team', action: 'team.read', send: (_t, c) => c.get('/api/v1/team') },
    { name: 'members', action: 'members.read', send: (_t, c) => c.get('/api/v1/members') },
    { name: 'people', action: 'people.read', send: (_t, c) => c.get('/api/v1/people?limit=200') },
    { name: 'a person', action: 'people.read', send: (t, c) => c.get(`/api/v1/people/${t.person.id}`) },
    { name: 'notes', action: 'people.read', send: (t, c) => c.get(`/api/v1/people/${t.person.id}/notes`) },
    { name: 'activity', action: 'people.read', send: (t, c) => c.get(`/api/v1/people/${t.tracked.id}/activity`) },
    { name: 'pages', action: 'people.read', send: (t, c) => c.get(`/api/v1/people/${t.tracked.id}/pages`) },
    { name: 'daily counts', action: 'people.read', send: (_t, c) => c.get('/api/v1/activity/daily') },
    { name: 'guard counts', action: 'people.read', send: (_t, c) => c.get('/api/v1/tracking/restricted-data/counts') },
    { name: 'consents', action: 'people.read', send: (t, c) => c.get(`/api/v1/people/${t.person.id}/consents`) },
    { name: 'suppression', action: 'people.read', send: (t, c) => c.get(`/api/v1/people/${t.person.id}/suppression`) },
    { name: 'the audit log', action: 'audit.read', send: (_t, c) => c.get('/api/v1/audit?limit=10') },
    { name: 'privacy settings', action: 'privacy.read', send: (_t, c) => c.get('/api/v1/privacy/settings') },
    { name: 'privacy requests', action: 'privacy.read', send: (_t, c) => c.get('/api/v1/privacy/requests') },
    { name: 'a privacy request', action: 'privacy.read', send: (t, c) => c.get(`/api/v1/privacy/requests/${t.exportId}`) },
    { name: 'find the subject', action: 'privacy.read', send: (t, c) => c.post('/api/v1/privacy/subjects/find', { email: t.person.email }) },
    { name: 'retention preview', action: 'privacy.read', send: (_t, c) => c.get('/api/v1/privacy/retention/preview') },
    { name: 'record of processing', action: 'privacy.read', send: (_t, c) => c.get('/api/v1/privacy/record-of-processing') },
];
describeEngines('team lifecycle: cancel → read-only → undo', (haven) => {
    const { rowsOf } = catalogue(haven);
    let team;
    const T = () => {
        if (!team)
            throw new Error('fixture not ready');
        return team;
    };
    let cancelled;
    /** Members whose removal is attempted while the team is read-only (one per remover), so the fixture's own stay. */
    const removable = [];
    before(async () => {
        team = await makeTeam(haven().server, 'lifecycle');
        for (let i = 0; i < 3; i++)
            removable.push(await addMember(haven().server, team.owner.client, 'member', `removable-${i}`));
    });
    it('only an owner may cancel: every other role and key is refused (403) and the team stays writable', async () => {
        const t = T();
        for (const p of PRINCIPALS.filter((x) => x !== 'owner')) {
            const refusal = refusalFor(p, 'team.cancel');
            check(await as(t, p).post('/api/v1/team/cancellation'), refusal.status, refusal.code, `cancel as ${p}`);
        }
        check(await t.writeKey.client.post('/api/v1/team/cancellation'), 403, 'write_key_not_allowed', 'cancel with the write key');
        assert.equal((await teamOf(t.owner.client)).deletionDueAt, null);
        check(await t.sessions.member.client.patch(`/api/v1/people/${t.person.id}`, { company: 'Still writable' }), 200, null, 'a write');
    });
    it('an owner cancels: 202, read-only now, deletion due after the grace period', async () => {
        const t = T();
        const from = Date.now();
        const res = await t.owner.client.post('/api/v1/team/cancellation');
        const to = Date.now();
        check(res, 202, null, 'cancel');
        assert.equal(res.body.id, t.teamId);
        const grace = haven().config.deletionGraceHours * 3_600_000;
        assert.equal(grace, 24 * 3_600_000, 'the default grace period is 24 h');
        const cancelledAt = Date.parse(res.body.cancelledAt);
        const due = Date.parse(res.body.deletionDueAt);
        assert.ok(cancelledAt >= from - 1000 && cancelledAt <= to + 1000, `cancelledAt ${res.body.cancelledAt}`);
        assert.ok(Math.abs(due - cancelledAt - grace) < 1000, `deletionDueAt ${res.body.deletionDueAt} is not cancelledAt + ${grace} ms`);
        cancelled = { cancelledAt: res.body.cancelledAt, deletionDueAt: res.body.deletionDueAt };
    });
    it('every member and key sees the deletion time, in GET /team and in the session’s team list', async () => {
        const t = T();
        for (const p of PRINCIPALS) {
            const seen = await teamOf(as(t, p));
            assert.deepEqual([seen.cancelledAt, seen.deletionDueAt], [cancelled.cancelledAt, cancelled.deletionDueAt], `GET /team as ${p}`);
            if (!isKey(p))
                assert.equal(await sessionDeletionDue(as(t, p), t.teamId), cancelled.deletionDueAt, `session of ${p}`);
        }
    });
    it('cancelling again is refused (409 already_cancelled) and keeps the deletion time', async () => {
        const t = T();
        check(await t.owner.client.post('/api/v1/team/cancellation'), 409, 'already_cancelled', 'cancel twice');
        assert.equal((await teamOf(t.owner.client)).deletionDueAt, cancelled.deletionDueAt);
    });
    it('only an owner may undo: every other role and key is refused (403) and the team stays cancelled', async () => {
        const t = T();
        for (const p of PRINCIPALS.filter((x) => x !== 'owner')) {
            const refusal = refusalFor(p, 'team.cancel');
            check(await as(t, p).delete('/api/v1/team/cancellation'), refusal.status, refusal.code, `undo as ${p}`);
        }
        assert.equal((await teamOf(t.owner.client)).deletionDueAt, cancelled.deletionDueAt);
    });
    it('every write by every role and key is refused — 423 team_read_only where the role may write, its usual 403 where not — and nothing is stored', async () => {
        const t = T();
        const before = await rowsOf(t.teamId, { volatile: VOLATILE });
        for (const w of WRITES) {
            for (const p of PRINCIPALS) {
                const res = await w.send(t, as(t, p));
                const refusal = refusalFor(p, w.action) ?? { status: 423, code: 'team_read_only' };
                check(res, refusal.status, refusal.code, `${w.name} as ${p}`);
                if (refusal.status === 423)
                    assert.ok(res.body.error.message.includes(cancelled.deletionDueAt), `${w.name} as ${p}: the refusal says when: ${res.body.error.message}`);
            }
        }
        assert.deepEqual(await rowsOf(t.teamId, { volatile: VOLATILE }), before, 'a refused write changed the team');
    });
    it('ingest with the write key is refused (423 team_read_only) on every API, and nothing is stored', async () => {
        const t = T();
        const before = await rowsOf(t.teamId, { volatile: VOLATILE });
        const anonymousId = `late-${tag()}`;
        const writeKey = t.writeKey.client;
        const anonymous = new TestClient(haven().server);
        const attempts = [
            ['POST /api/v1/events', writeKey.post('/api/v1/events', { events: [{ type: 'track', anonymousId, event: 'Late' }] })],
            ['POST /v1/track (Basic)', anonymous.post('/v1/track', { anonymousId, event: 'Late' }, basic(t.writeKey.token))],
            ['POST /v1/track (writeKey in the body)', anonymous.post('/v1/track', { writeKey: t.writeKey.token, anonymousId, event: 'Late' })],
            ['POST /v1/batch (Basic)', anonymous.post('/v1/batch', { batch: [{ type: 'page', anonymousId, properties: { url: 'https://late.test/' } }] }, basic(t.writeKey.token))],
            ['POST /capture (PostHog)', anonymous.post('/capture', { api_key: t.writeKey.token, event: 'late', distinct_id: anonymousId })],
        ];
        for (const [label, res] of attempts)
            check(await res, 423, 'team_read_only', label);
        assert.deepEqual(await rowsOf(t.teamId, { volatile: VOLATILE }), before, 'refused ingest stored something');
    });
    it('reads still work for every role and key that may read', async () => {
        const t = T();
        for (const r of READS) {
            for (const p of PRINCIPALS) {
                const refusal = refusalFor(p, r.action);
                const res = await r.send(t, as(t, p));
                if (refusal)
                    check(res, refusal.status, refusal.code, `${r.name} as ${p}`);
                else
                    check(res, 200, null, `${r.name} as ${p}`);
            }
        }
    });
    it('reads guarded by a manage permission still work: invitations, API keys, restricted-data settings', async () => {
        const t = T();
        const refused = [];
        for (const p of ['owner', 'admin', 'adminKey']) {
            for (const path of ['/api/v1/invitations', '/api/v1/api-keys', '/api/v1/tracking/restricted-data']) {
                const res = await as(t, p).get(path);
                if (res.status !== 200)
                    refused.push(`GET ${path} as ${p}: ${res.status} ${res.body?.error?.code}`);
            }
        }
        assert.deepEqual(refused, [], 'reads refused while the team is read-only');
    });
    it('exports still work: request (201) and download (200, everything about the person)', async () => {
        const t = T();
        for (const p of ['admin', 'adminKey']) {
            const req = await as(t, p).post('/api/v1/privacy/exports', { personId: t.person.id, format: 'json' });
            check(req, 201, null, `export as ${p}`);
            const dl = await as(t, p).get(req.body.downloadPath);
            check(dl, 200, null, `download as ${p}`);
            assert.equal(dl.body.person.id, t.person.id);
            assert.deepEqual(dl.body.person.emails, [t.person.email]);
            assert.ok(dl.body.notes.some((n) => n.id === t.person.noteId), `download as ${p}: the note`);
        }
        // The export the team requested before cancelling downloads too.
        const earlier = await t.owner.client.get(`/api/v1/privacy/exports/${t.exportId}/download`);
        check(earlier, 200, null, 'the earlier export');
    });
    it('removing a member is refused while the team is read-only (owner and admin sessions, admin key)', async () => {
        const t = T();
        const outcomes = [];
        for (const [i, p] of ['owner', 'admin', 'adminKey'].entries()) {
            const res = await as(t, p).delete(`/api/v1/members/${removable[i].userId}`);
            outcomes.push(`${p}: ${res.status} ${res.body?.error?.code ?? ''}`.trim());
        }
        assert.deepEqual(outcomes, ['owner: 423 team_read_only', 'admin: 423 team_read_only', 'adminKey: 423 team_read_only'], 'removing a member of a read-only team');
        const members = (await t.owner.client.get('/api/v1/members')).body.members.map((m) => m.userId);
        assert.deepEqual(removable.filter((m) => !members.includes(m.userId)).map((m) => m.email), [], 'members removed from a read-only team');
    });
    it('an invitation sent before the cancellation cannot be accepted while the team is read-only', async () => {
        const t = T();
        const invitee = new TestClient(haven().server);
        const res = await invitee.post('/api/v1/invitations/accept', { token: t.invitation.token, password: PASSWORD });
        check(res, 423, 'team_read_only', 'accept');
        const emails = (await t.owner.client.get('/api/v1/members')).body.members.map((m) => m.email);
        assert.ok(!emails.includes(t.invitation.email), 'a new member joined a read-only team');
    });
    it('an owner undoes it: the team is writable again for everyone, and ingest is accepted', async () => {
        const t = T();
        const res = await t.owner.client.delete('/api/v1/team/cancellation');
        check(res, 200, null, 'undo');
        assert.deepEqual([res.body.id, res.body.cancelledAt, res.body.deletionDueAt], [t.teamId, null, null]);
        for (const p of PRINCIPALS) {
            assert.equal((await teamOf(as(t, p))).deletionDueAt, null, `GET /team as ${p}`);
            if (!isKey(p))
                assert.equal(await sessionDeletionDue(as(t, p), t.teamId), null, `session of ${p}`);
        }
        check(await t.sessions.member.client.post('/api/v1/people', { name: 'After undo' }), 201, null, 'a member adds a person');
        check(await t.keys.adminKey.post('/api/v1/api-keys', { name: 'after undo', kind: 'secret', scope: 'read' }), 201, null, 'the admin key makes a key');
        const sent = await t.writeKey.client.post('/api/v1/events', { events: [{ type: 'track', anonymousId: t.tracked.anonymousId, event: 'After undo' }] });
        check(sent, 200, null, 'ingest');
        assert.equal(sent.body.accepted, 1);
        const segment = await new TestClient(haven().server).post('/v1/track', { anonymousId: t.tracked.anonymousId, event: 'After undo (Segment)' }, basic(t.writeKey.token));
        check(segment, 200, null, 'Segment');
        const activity = (await t.owner.client.get(`/api/v1/people/${t.tracked.id}/activity?limit=200`)).body.activity.map((a) => a.name);
        assert.ok(activity.includes('After undo') && activity.includes('After undo (Segment)'), JSON.stringify(activity));
    });
    it('undoing again is refused (409 not_cancelled)', async () => {
        const t = T();
        check(await t.owner.client.delete('/api/v1/team/cancellation'), 409, 'not_cancelled', 'undo twice');
        assert.equal((await teamOf(t.owner.client)).deletionDueAt, null);
    });
});
// ── deletion after the grace period ───────────────────────────────────────────────────────────────
/** 3.6 s: long enough to undo right after cancelling, short enough to wait for. */
const GRACE_HOURS = 0.001;
describeEngines('team lifecycle: deletion after the grace period', (haven) => {
    const { tables, columnsHolding, rowTextHolding, rowsOf, tableSum } = catalogue(haven);
    let fx;
    const F = () => {
        if (!fx)
            throw new Error('fixture not ready');
        return fx;
    };
    before(async () => {
        const server = haven().server;
        const doomed = await makeTeam(server, 'doomed');
        const other = await makeTeam(server, 'other');
        // Two users in both teams: one working on the doomed team, one on the other.
        const dualOnDoomed = await addMember(server, other.owner.client, 'member', 'dual-doomed');
        const dualOnOther = await addMember(server, doomed.owner.client, 'viewer', 'dual-other');
        for (const [user, team, role, active] of [
            [dualOnDoomed, doomed, 'admin', doomed],
            [dualOnOther, other, 'member', other],
        ]) {
            const inv = await ok(team.owner.client.post('/api/v1/invitations', { email: user.email, role }), 201, 'dual invitation');
            await ok(user.client.post('/api/v1/invitations/accept', { token: inv.token }), 200, 'dual acceptance');
            await ok(user.client.put('/api/v1/session/team', { teamId: active.teamId }), 200, 'dual switch');
        }
        fx = { doomed, other, dualOnDoomed, dualOnOther };
    });
    it('after an undo, the queued deletion job is a no-op when it comes due', async () => {
        const { doomed } = F();
        const before = await rowsOf(doomed.teamId, { volatile: VOLATILE });
        const cancel = await doomed.owner.client.post('/api/v1/team/cancellation');
        check(cancel, 202, null, 'cancel');
        const grace = Date.parse(cancel.body.deletionDueAt) - Date.parse(cancel.body.cancelledAt);
        assert.ok(Math.abs(grace - GRACE_HOURS * 3_600_000) < 50, `grace ${grace} ms`);
        check(await doomed.owner.client.delete('/api/v1/team/cancellation'), 200, null, 'undo');
        await waitUntil(cancel.body.deletionDueAt);
        assert.equal(await haven().jobs.runNow(DELETE_TEAM_JOB), 1, 'the deletion job ran');
        assert.equal((await teamOf(doomed.owner.client)).deletionDueAt, null);
        const after = await rowsOf(doomed.teamId, { volatile: VOLATILE });
        // Only the audit log grew: cancelled, then undone.
        assert.deepEqual(withoutTable(after, 'audit_log'), withoutTable(before, 'audit_log'), 'the undone deletion removed rows');
        assert.equal(after.audit_log.rows, before.audit_log.rows + 2);
        assert.deepEqual(await deletionCertificates(haven().engine, doomed.teamId), []);
        assert.equal(await ledgerTeamEntries(haven, doomed.teamId), 0);
        check(await doomed.sessions.member.client.post('/api/v1/people', { name: 'Still here' }), 201, null, 'writable');
    });
    it('once the deletion is due, undo is refused (409 not_cancelled) and the team stays read-only', async () => {
        const { doomed } = F();
        const cancel = await doomed.owner.client.post('/api/v1/team/cancellation');
        check(cancel, 202, null, 'cancel again');
        await waitUntil(cancel.body.deletionDueAt);
        check(await doomed.owner.client.delete('/api/v1/team/cancellation'), 409, 'not_cancelled', 'undo after the due time');
        check(await doomed.owner.client.post('/api/v1/people', { name: 'Too late' }), 423, 'team_read_only', 'a write');
        assert.equal((await teamOf(doomed.owner.client)).deletionDueAt, cancel.body.deletionDueAt);
    });
    it('the job deletes every row of the team, keeps a certificate and a ledger entry, and leaves the other team exactly as it was', async () => {
        const { doomed, other } = F();
        const doomedBefore = await rowsOf(doomed.teamId);
        assert.ok(doomedBefore.people.rows >= 2 && doomedBefore.events.rows >= 3 && doomedBefore.audit_log.rows > 0, JSON.stringify(doomedBefore));
        const otherBefore = await rowsOf(other.teamId);
        const usersBefore = await tableSum('users');
        assert.equal(await haven().jobs.runNow(DELETE_TEAM_JOB), 1, 'the deletion job ran');
        // No row with the team's id in any column of any table the catalogue lists (exempt: tables marked to outlive it).
        assert.deepEqual(await columnsHolding(doomed.teamId), [], 'uuid columns still holding the team id');
        assert.deepEqual(await rowTextHolding(doomed.teamId), [], 'rows still mentioning the team id');
        // Positive control: the same scans find the other team.
        const otherColumns = await columnsHolding(other.teamId);
        for (const c of ['teams.team_id', 'memberships.team_id', 'people.team_id', 'events.team_id', 'audit_log.team_id', 'team_keys.team_id', 'sessions.active_team_id']) {
            assert.ok(otherColumns.includes(c), `the scan misses ${c}: ${otherColumns.join(', ')}`);
        }
        // A certificate with the true counts, outside the team's data.
        const certificates = await deletionCertificates(haven().engine, doomed.teamId);
        assert.equal(certificates.length, 1, JSON.stringify(certificates));
        const [certificate] = certificates;
        assert.equal(certificate.reason, 'cancellation');
        const outliving = new Set((await tables()).filter((t) => t.outlivesTeam).map((t) => t.name));
        assert.ok(outliving.has('team_deletion_certificates') && outliving.has('erasure_ledger'), [...outliving].join());
        const counted = Object.fromEntries(Object.entries(doomedBefore).filter(([t]) => !outliving.has(t)).map(([t, v]) => [t, v.rows]));
        assert.deepEqual(certificate.tables, counted, 'the certificate counts are not the rows the team had');
        assert.equal(certificate.total, Object.values(counted).reduce((a, b) => a + b, 0));
        assert.ok(Math.abs(Date.parse(certificate.deletedAt) - Date.now()) < 60_000);
        // Nor does this process remember anything of it: keys, blind indexes, decrypted identities.
        assert.deepEqual(remembered(haven(), doomed.teamId), { keys: 0, indexes: 0, identities: 0 }, 'memory still holds the deleted team');
        assert.ok(remembered(haven(), other.teamId).indexes > 0, 'positive control: the other team is remembered');
        // The erasure ledger (outside the database) names the team, so restoring an older backup deletes it again.
        assert.equal(await ledgerTeamEntries(haven, doomed.teamId), 1);
        assert.equal(await ledgerTeamEntries(haven, other.teamId), 0);
        // The other team: every row exactly as before; users (global) untouched.
        assert.deepEqual(await rowsOf(other.teamId), otherBefore, "the other team's rows changed");
        assert.equal(await tableSum('users'), usersBefore, 'users changed');
        // …and it still works.
        const people = await other.owner.client.get('/api/v1/people?limit=200');
        check(people, 200, null, 'the other team reads');
        assert.ok(people.body.people.some((p) => p.id === other.person.id));
        const person = await other.owner.client.get(`/api/v1/people/${other.person.id}`);
        assert.deepEqual(person.body.emails, [other.person.email], 'the other team still decrypts');
        assert.equal((await other.owner.client.get('/api/v1/audit/verify')).body.valid, true);
        const sent = await other.writeKey.client.post('/api/v1/events', { events: [{ type: 'track', anonymousId: other.tracked.anonymousId, event: 'After' }] });
        check(sent, 200, null, 'the other team ingests');
        assert.equal(sent.body.accepted, 1);
    });
    it("the deleted team's members and keys can no longer use it (403 no_active_team, 404, 401), but keep their accounts and other teams", async () => {
        const { doomed, other, dualOnDoomed, dualOnOther } = F();
        for (const role of ['owner', 'admin', 'member', 'viewer']) {
            const c = doomed.sessions[role].client;
            const label = `the doomed team's ${role}`;
            check(await c.get('/api/v1/team'), 403, 'no_active_team', label);
            check(await c.get('/api/v1/people'), 403, 'no_active_team', label);
            check(await c.put('/api/v1/session/team', { teamId: doomed.teamId }), 404, 'not_found', `${label}: switch back`);
            const session = await c.get('/api/v1/session');
            check(session, 200, null, label);
            const teams = session.body.teams.map((t) => t.id);
            assert.deepEqual([session.body.activeTeamId, session.body.permissions], [null, []], label);
            assert.deepEqual(teams, [], label);
        }
        // The owner's account outlives the team: they can sign in, to no team.
        const again = new TestClient(haven().server);
        const signIn = await again.post('/api/v1/auth/sign-in', { email: doomed.owner.email, password: PASSWORD });
        check(signIn, 200, null, 'sign in');
        assert.deepEqual([signIn.body.teams, signIn.body.activeTeamId], [[], null]);
        // A user of both teams, working on the doomed one, keeps the other.
        const dual = await dualOnDoomed.client.get('/api/v1/session');
        assert.deepEqual([dual.body.teams.map((t) => t.id), dual.body.activeTeamId], [[other.teamId], null]);
        check(await dualOnDoomed.client.get('/api/v1/team'), 403, 'no_active_team', 'dual (doomed)');
        check(await dualOnDoomed.client.put('/api/v1/session/team', { teamId: other.teamId }), 200, null, 'dual switches');
        assert.equal((await teamOf(dualOnDoomed.client)).id, other.teamId);
        // One working on the other team notices nothing.
        assert.equal((await teamOf(dualOnOther.client)).id, other.teamId);
        assert.deepEqual((await dualOnOther.client.get('/api/v1/session')).body.teams.map((t) => t.id), [other.teamId]);
        // Keys are gone with the team.
        for (const [label, c] of [
            ['read key', doomed.keys.readKey],
            ['admin key', doomed.keys.adminKey],
        ]) {
            check(await c.get('/api/v1/team'), 401, 'invalid_api_key', label);
        }
        check(await doomed.writeKey.client.post('/api/v1/events', { events: [{ type: 'track', anonymousId: 'x', event: 'x' }] }), 401, 'invalid_api_key', 'write key');
        check(await new TestClient(haven().server).post('/v1/track', { writeKey: doomed.writeKey.token, anonymousId: 'x', event: 'x' }), 401, 'invalid_api_key', 'write key (Segment body)');
        // So are its invitations.
        const invitee = new TestClient(haven().server);
        check(await invitee.post('/api/v1/invitations/accept', { token: doomed.invitation.token, password: PASSWORD }), 404, 'invitation_invalid', 'invitation');
    });
    it('running the job again finds nothing to do', async () => {
        const { doomed } = F();
        assert.equal(await haven().jobs.runNow(DELETE_TEAM_JOB), 0);
        assert.equal((await deletionCertificates(haven().engine, doomed.teamId)).length, 1);
    });
    it('a person purge still queued from before the deletion leaves no row of the deleted team behind', async () => {
        const { doomed } = F();
        assert.equal(await haven().jobs.runNow(PURGE_PERSON_JOB), 2, "both teams' purges ran");
        assert.deepEqual(await columnsHolding(doomed.teamId), [], 'rows of the deleted team after the purge job');
    });
}, { deletionGraceHours: GRACE_HOURS });
/** What the running process remembers of a team (inspected through the caches' private maps). */
function remembered({ keyring }, teamId) {
    const inside = keyring;
    const opened = openedIdentitiesOf(keyring);
    return {
        keys: [...inside.cache.entries.keys()].filter((k) => k.includes(`:${teamId}:`)).length,
        indexes: [...inside.blindIndexes.keys.keys()].filter((k) => k.startsWith(`${teamId}|`)).length + inside.blindIndexes.memo.countOf(teamId),
        identities: [...opened.byRow.values()].filter((v) => v.teamId === teamId).length,
    };
}
//# sourceMappingURL=team-lifecycle.test.js.map