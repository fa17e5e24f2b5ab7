import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { PURGE_PERSON_JOB, prepareOutgoingEmail } from '../src/modules/privacy/index.js';
import { applyRetentionEverywhere } from '../src/modules/privacy/retention.js';
import { createLogger } from '../src/platform/log.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { eventPayloadContext } from '../src/modules/tracking/ingest.js';
import { tablesHolding } from './support/team-data.js';
import { TestClient, addMember, keyClient, signUp } from './support/client.js';
import { unzip } from './support/unzip.js';
import { describeEngines, ownerSql } from './support/haven.js';
/**
 * The privacy centre on both engines: finding a data subject, access exports (JSON against its
 * published schema, ZIP of CSVs, once, expiring), erasure (shred at once, purge by job, nothing
 * left in any table the catalogue lists), objection and RFC 8058 one-click unsubscribe (bare POST,
 * tampered and foreign tokens), consents, retention and the record of processing.
 */
function assertError(res, status, code) {
    assert.equal(res.status, status, `${res.status} ${res.raw.body}`);
    assert.equal(res.body?.error?.code, code, res.raw.body);
}
// Tests run from the repository root (npm test), whatever the build directory.
const exportSchema = JSON.parse(readFileSync('docs/privacy-export.schema.json', 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateExport = ajv.compile(exportSchema);
/** Tables whose purpose is to record that a duty was done; they name the person by id only. */
const ACCOUNTABILITY_TABLES = new Set(['audit_log', 'privacy_requests', 'erasure_ledger']);
describeEngines('privacy', (haven) => {
    const server = () => haven().server;
    const { owner, count } = ownerSql(haven);
    const asOwner = (fn) => haven().engine.ownerTransaction(fn);
    async function team(tag = 'owner') {
        const a = await signUp(server(), tag);
        const w = await keyClient(server(), a.client, 'write');
        // An admin key ingests with answers that say what the team's privacy rules did; the public write key's do not.
        const ingest = await keyClient(server(), a.client, 'secret', 'admin');
        return { owner: a.client, teamId: a.teamId, write: w.client, writeKey: w.token, ingest: ingest.client };
    }
    async function person(c, body) {
        const res = await c.post('/api/v1/people', body);
        assert.equal(res.status, 201, res.raw.body);
        return res.body;
    }
    async function events(write, list) {
        const res = await write.post('/api/v1/events', { events: list });
        assert.equal(res.status, 200, res.raw.body);
        return res.body.results;
    }
    it('finds a data subject by any identity, without putting it in a URL', async () => {
        const t = await team();
        const p = await person(t.owner, { name: 'Grace Hopper', emails: ['Grace@Navy.test'], phones: ['+1 202 555 0143'], externalIds: ['cust-77'] });
        for (const body of [{ email: 'grace@navy.test' }, { phone: '+12025550143' }, { externalId: 'cust-77' }]) {
            const res = await t.owner.post('/api/v1/privacy/subjects/find', body);
            assert.equal(res.status, 200, res.raw.body);
            assert.deepEqual(res.body.people.map((x) => x.id), [p.id], JSON.stringify(body));
        }
        assert.deepEqual((await t.owner.post('/api/v1/privacy/subjects/find', { email: 'nobody@navy.test' })).body.people, []);
        assertError(await t.owner.post('/api/v1/privacy/subjects/find', { email: 'a@b.test', phone: '+12025550143' }), 400, 'invalid_request');
        assertError(await t.owner.post('/api/v1/privacy/subjects/find', {}), 400, 'invalid_request');
        // Another team's subject is not found.
        const other = await team('other');
        assert.deepEqual((await other.owner.post('/api/v1/privacy/subjects/find', { email: 'grace@navy.test' })).body.people, []);
    });
    it('exports everything about a person as JSON matching the published schema, once, and refuses reuse and expiry', async () => {
        const t = await team();
        const p = await person(t.owner, { name: 'Ada Export', emails: ['ada@export.test'], externalIds: ['ada-1'], properties: { plan: 'pro' } });
        assert.equal((await t.owner.post(`/api/v1/people/${p.id}/notes`, { body: 'Asked about invoices' })).status, 201);
        assert.equal((await t.owner.post(`/api/v1/people/${p.id}/consents`, { purpose: 'newsletter', lawfulBasis: 'consent', source: 'signup form v3' })).status, 201);
        const sent = await events(t.ingest, Array.from({ length: 25 }, (_, i) => ({ type: 'page', userId: 'ada-1', properties: { url: `https://shop.test/p/${i}`, title: `Page ${i}` } })));
        assert.ok(sent.every((r) => r.status === 'accepted'));
        const req = await t.owner.post('/api/v1/privacy/exports', { personId: p.id, format: 'json' });
        assert.equal(req.status, 201, req.raw.body);
        assert.equal(req.body.status, 'ready');
        assert.ok(new Date(req.body.expiresAt).getTime() > Date.now());
        assert.equal(req.body.downloadPath, `/api/v1/privacy/exports/${req.body.id}/download`);
        assert.ok(!req.body.downloadPath.includes('ada'), 'no personal data in the link');
        // A HEAD (a link checker, a proxy) does not use up the one download.
        const head = await server().inject({ method: 'HEAD', url: req.body.downloadPath, headers: { cookie: `__Host-haven_session=${t.owner.cookie}` } });
        assert.ok(head.statusCode >= 400 && head.statusCode < 500, `HEAD answered ${head.statusCode}`);
        const dl = await t.owner.get(req.body.downloadPath);
        assert.equal(dl.status, 200, dl.raw.body.slice(0, 500));
        assert.match(String(dl.headers['content-type']), /application\/json/);
        assert.match(String(dl.headers['content-disposition']), /attachment/);
        const doc = JSON.parse(dl.raw.body);
        const valid = validateExport(structuredClone(doc));
        assert.ok(valid, JSON.stringify(validateExport.errors));
        assert.equal(doc.person.id, p.id);
        assert.deepEqual(doc.person.emails, ['ada@export.test']);
        assert.deepEqual(doc.person.properties, { plan: 'pro' });
        assert.equal(doc.notes[0].body, 'Asked about invoices');
        assert.equal(doc.consents[0].source, 'signup form v3');
        assert.equal(doc.eventCount, 25);
        assert.equal(doc.events.length, 25);
        assert.ok(doc.events.some((e) => e.url === 'https://shop.test/p/7'));
        assert.ok(doc.audit.some((a) => a.action === 'person.created'));
        assert.ok(doc.privacyRequests.some((r) => r.id === req.body.id));
        assertError(await t.owner.get(req.body.downloadPath), 410, 'export_already_downloaded');
        const status = await t.owner.get(`/api/v1/privacy/requests/${req.body.id}`);
        assert.equal(status.body.status, 'downloaded');
        const late = await t.owner.post('/api/v1/privacy/exports', { personId: p.id });
        await owner(`UPDATE privacy_requests SET expires_at = now() - interval '1 minute' WHERE id = $1`, [late.body.id]);
        assertError(await t.owner.get(late.body.downloadPath), 410, 'export_expired');
        assertError(await t.owner.post('/api/v1/privacy/exports', { personId: '00000000-0000-4000-8000-000000000000' }), 404, 'not_found');
        const other = await team('other');
        assertError(await other.owner.get(req.body.downloadPath), 404, 'not_found');
        const audit = await t.owner.get(`/api/v1/audit?limit=200&targetId=${p.id}`);
        const actions = audit.body.entries.map((e) => e.action);
        assert.ok(actions.includes('person.export_requested') && actions.includes('person.exported'), actions.join());
        assert.ok(!audit.raw.body.includes('ada@export.test'));
    });
    it('exports every part Haven stored of each event: properties, traits, context (user agent, locale, campaign), an identify\'s own properties', async () => {
        const t = await team();
        const p = await person(t.owner, { name: 'Cora Context', externalIds: ['cora-1'] });
        const sent = await events(t.ingest, [
            { type: 'track', userId: 'cora-1', event: 'Clicked', properties: { a: 1 }, context: { userAgent: 'UA-CORA', locale: 'fr-FR', campaign: { source: 'news-cora' } } },
            { type: 'identify', userId: 'cora-1', traits: { plan: 'pro' }, traitsOnce: { firstSeen: 'cora-day' }, properties: { form: 'signup-cora' } },
            { type: 'page', userId: 'cora-1', context: { page: { url: 'https://cora.test/a', title: 'A' }, timezone: 'Europe/Paris' } },
        ]);
        assert.ok(sent.every((r) => r.status === 'accepted'), JSON.stringify(sent));
        const req = await t.owner.post('/api/v1/privacy/exports', { personId: p.id, format: 'json' });
        const doc = JSON.parse((await t.owner.get(req.body.downloadPath)).raw.body);
        assert.ok(validateExport(structuredClone(doc)), JSON.stringify(validateExport.errors));
        assert.equal(doc.events.length, 3);
        // Each exported event holds exactly what is stored: the sealed payload, decrypted.
        const stored = await withTeam(haven().engine, t.teamId, async (tx) => {
            const rows = (await tx.query(`SELECT id, subject_id, payload_sealed FROM events WHERE team_id = $1`, [t.teamId])).rows;
            const keys = await haven().keyring.subjectKeysFor(tx, t.teamId, rows.map((r) => r.subject_id), { create: false });
            return new Map(rows.map((r) => [r.id, JSON.parse(haven().keyring.openWith(keys.get(r.subject_id), eventPayloadContext(t.teamId, r.id), Buffer.from(r.payload_sealed)).toString('utf8'))]));
        });
        for (const e of doc.events) {
            const payload = stored.get(e.id);
            for (const part of ['properties', 'traits', 'traitsOnce', 'context'])
                assert.deepEqual(e[part], payload[part] ?? {}, `${e.type} ${part}`);
        }
        const byType = Object.fromEntries(doc.events.map((e) => [e.type, e]));
        assert.equal(byType.track.context.userAgent, 'UA-CORA');
        assert.deepEqual(byType.track.context.campaign, { source: 'news-cora' });
        assert.deepEqual([byType.identify.properties, byType.identify.traits, byType.identify.traitsOnce], [{ form: 'signup-cora' }, { plan: 'pro' }, { firstSeen: 'cora-day' }]);
        assert.equal(byType.page.url, 'https://cora.test/a');
        assert.equal(byType.page.context.timezone, 'Europe/Paris');
        // The timeline shows the same.
        const activity = (await t.owner.get(`/api/v1/people/${p.id}/activity`)).body.activity;
        assert.deepEqual(activity, doc.events);
        // And so does the ZIP.
        const zipReq = await t.owner.post('/api/v1/privacy/exports', { personId: p.id, format: 'zip' });
        const zip = await server().inject({ method: 'GET', url: zipReq.body.downloadPath, headers: { cookie: `__Host-haven_session=${t.owner.cookie}` } });
        const csv = (await unzip(zip.rawPayload)).get('events.csv');
        for (const text of ['UA-CORA', 'news-cora', 'signup-cora', 'cora-day', 'Europe/Paris'])
            assert.ok(csv.includes(text), `${text} in events.csv`);
    });
    it('exports the records about a visitor merged into the person: who recorded their consent, notes, rectifications, requests', async () => {
        const t = await team();
        const known = await events(t.ingest, [{ type: 'identify', userId: 'mia-1' }]);
        const visitor = await events(t.ingest, [{ type: 'page', anonymousId: 'mia-anon', properties: { url: 'https://mia.test/' } }]);
        const visitorId = visitor[0].personId;
        assert.equal((await t.owner.post(`/api/v1/people/${visitorId}/consents`, { purpose: 'newsletter', source: 'footer form' })).status, 201);
        assert.equal((await t.owner.post(`/api/v1/people/${visitorId}/notes`, { body: 'Asked on chat' })).status, 201);
        assert.equal((await t.owner.patch(`/api/v1/people/${visitorId}`, { properties: { plan: 'trial' } })).status, 200);
        assert.equal((await t.owner.post('/api/v1/privacy/exports', { personId: visitorId })).status, 201);
        await events(t.ingest, [{ type: 'identify', userId: 'mia-1', anonymousId: 'mia-anon' }]);
        const req = await t.owner.post('/api/v1/privacy/exports', { personId: known[0].personId, format: 'json' });
        const doc = JSON.parse((await t.owner.get(req.body.downloadPath)).raw.body);
        assert.equal(doc.consents.length, 1);
        assert.equal(doc.notes.length, 1);
        const actions = doc.audit.filter((a) => a.target?.id === visitorId).map((a) => a.action);
        for (const action of ['consent.recorded', 'note.created', 'person.updated', 'person.export_requested'])
            assert.ok(actions.includes(action), `${action} in ${actions}`);
        assert.ok(doc.privacyRequests.some((r) => r.personId === visitorId && r.kind === 'export'), 'the visitor\'s own export request');
        assert.ok(validateExport(structuredClone(doc)), JSON.stringify(validateExport.errors));
    });
    it('an export whose person is gone is not used up or audited as delivered; erasure closes the person\'s open exports', async () => {
        const t = await team();
        // Merged away before the download: 404, and the link stays unused.
        const merged = (await events(t.ingest, [{ type: 'identify', userId: 'gone-1' }]))[0].personId;
        const visitor = (await events(t.ingest, [{ type: 'page', anonymousId: 'gone-anon', properties: { url: 'https://gone.test/' } }]))[0].personId;
        const early = await t.owner.post('/api/v1/privacy/exports', { personId: visitor });
        await events(t.ingest, [{ type: 'identify', userId: 'gone-1', anonymousId: 'gone-anon' }]);
        assertError(await t.owner.get(early.body.downloadPath), 404, 'not_found');
        assert.equal((await t.owner.get(`/api/v1/privacy/requests/${early.body.id}`)).body.status, 'ready');
        // Erased before the download: closed with the erasure, 410, never audited as exported.
        const req = await t.owner.post('/api/v1/privacy/exports', { personId: merged });
        const erasure = await t.owner.post('/api/v1/privacy/erasures', { personId: merged });
        assert.equal(erasure.status, 202, erasure.raw.body);
        assert.equal(erasure.body.receipt.closedExports, 2, 'its own open export and the merged visitor\'s');
        assertError(await t.owner.get(req.body.downloadPath), 410, 'export_expired');
        assertError(await t.owner.get(early.body.downloadPath), 410, 'export_expired');
        const status = (await t.owner.get(`/api/v1/privacy/requests/${req.body.id}`)).body;
        assert.deepEqual([status.status, status.receipt.closed, status.receipt.downloadedAt], ['failed', 'person_erased', undefined]);
        const actions = (await t.owner.get(`/api/v1/audit?targetId=${merged}`)).body.entries.map((e) => e.action);
        assert.ok(!actions.includes('person.exported'), actions.join());
        assert.equal(await haven().jobs.runNow(PURGE_PERSON_JOB), 1, 'its purge, so later tests count only theirs');
    });
    it('exports a ZIP of CSV files', async () => {
        const t = await team();
        const p = await person(t.owner, { name: 'Zip Person', emails: ['zip@export.test'], externalIds: ['zip-1'] });
        await events(t.ingest, Array.from({ length: 12 }, (_, i) => ({ type: 'track', userId: 'zip-1', event: 'Clicked', properties: { n: i, note: 'a,"quoted"\nvalue' } })));
        const req = await t.owner.post('/api/v1/privacy/exports', { personId: p.id, format: 'zip' });
        const res = await server().inject({ method: 'GET', url: req.body.downloadPath, headers: { cookie: `__Host-haven_session=${t.owner.cookie}` } });
        assert.equal(res.statusCode, 200, res.body.slice(0, 300));
        assert.equal(res.headers['content-type'], 'application/zip');
        const files = await unzip(res.rawPayload);
        for (const f of ['README.txt', 'person.csv', 'identities.csv', 'properties.csv', 'notes.csv', 'consents.csv', 'events.csv', 'privacy_requests.csv', 'audit.csv']) {
            assert.ok(files.has(f), `missing ${f}`);
        }
        assert.match(files.get('identities.csv'), /email,zip@export\.test,false/);
        assert.match(files.get('person.csv'), /name,Zip Person/);
        const eventsCsv = files.get('events.csv');
        // 12 events, each with a quoted multi-line property, plus the header.
        assert.equal((eventsCsv.match(/,track,Clicked,/g) ?? []).length, 12);
        assert.ok(eventsCsv.startsWith('id,type,name,occurredAt,receivedAt,url,referrer,title,properties,traits,traitsOnce,context\n'));
    });
    it('erases a person: keys shredded at once, rows purged by the job, nothing left in any table', async () => {
        const t = await team();
        const p = await person(t.owner, { name: 'Erin Erase', emails: ['erin@erase.test'], externalIds: ['erin-1'], properties: { secret: 'x' } });
        assert.equal((await t.owner.post(`/api/v1/people/${p.id}/notes`, { body: 'note' })).status, 201);
        assert.equal((await t.owner.post(`/api/v1/people/${p.id}/consents`, { purpose: 'newsletter', source: 'form' })).status, 201);
        // An anonymous visitor merged into Erin: their events are sealed under a second subject key.
        await events(t.ingest, [{ type: 'page', anonymousId: 'anon-erin', properties: { url: 'https://shop.test/a' } }]);
        await events(t.ingest, [{ type: 'identify', anonymousId: 'anon-erin', userId: 'erin-1' }]);
        await events(t.ingest, Array.from({ length: 30 }, () => ({ type: 'track', userId: 'erin-1', event: 'Viewed' })));
        const keep = await person(t.owner, { name: 'Kept', emails: ['kept@erase.test'] });
        const subjectKeysBefore = await count(`SELECT count(*)::int AS n FROM subject_keys WHERE team_id = $1`, [t.teamId]);
        const res = await t.owner.post('/api/v1/privacy/erasures', { personId: p.id });
        assert.equal(res.status, 202, res.raw.body);
        assert.equal(res.body.status, 'shredded');
        assert.equal(res.body.receipt.shredded.subjectKeys, 2);
        // Shredded at once: no key, not findable, not readable.
        assert.equal(await count(`SELECT count(*)::int AS n FROM subject_keys WHERE team_id = $1`, [t.teamId]), subjectKeysBefore - 2);
        assertError(await t.owner.get(`/api/v1/people/${p.id}`), 404, 'not_found');
        assert.deepEqual((await t.owner.post('/api/v1/privacy/subjects/find', { email: 'erin@erase.test' })).body.people, []);
        assert.ok(!(await t.owner.get('/api/v1/people?limit=200')).body.people.some((x) => x.id === p.id));
        assertError(await t.owner.post('/api/v1/privacy/erasures', { personId: p.id }), 409, 'already_erased');
        assertError(await t.owner.delete(`/api/v1/people/${p.id}`), 404, 'not_found');
        assertError(await t.owner.post('/api/v1/privacy/erasures', { personId: '00000000-0000-4000-8000-000000000000' }), 404, 'not_found');
        assert.equal(await haven().jobs.runNow(PURGE_PERSON_JOB), 1);
        const receipt = (await t.owner.get(`/api/v1/privacy/requests/${res.body.id}`)).body;
        assert.equal(receipt.status, 'completed');
        assert.equal(receipt.receipt.purged.events, 32);
        assert.ok(receipt.completedAt);
        // Purged since: a retried erasure is still told it was done, not that no such person exists.
        assertError(await t.owner.post('/api/v1/privacy/erasures', { personId: p.id }), 409, 'already_erased');
        assert.deepEqual(Object.keys(receipt.receipt).sort(), ['closedExports', 'purgeMs', 'purged', 'purgedAt', 'shredded', 'shreddedAt', 'suppressedIdentities']);
        // The proof: no table the catalogue lists holds the person's id, except the records of the erasure itself.
        const left = await asOwner((tx) => tablesHolding(tx, p.id, ACCOUNTABILITY_TABLES));
        assert.deepEqual(left, []);
        // Positive control: the same scan finds a living person.
        assert.ok((await asOwner((tx) => tablesHolding(tx, keep.id))).includes('public.people.id'));
        // The audit log names the erasure (ids only) and still verifies.
        const audit = await t.owner.get(`/api/v1/audit?limit=50&targetId=${p.id}`);
        assert.ok(audit.body.entries.some((e) => e.action === 'person.erased'));
        assert.ok(audit.body.entries.some((e) => e.action === 'person.purged'));
        assert.equal((await t.owner.get('/api/v1/audit/verify')).body.valid, true);
        // Re-ingesting the same identity later makes a new person.
        const again = await events(t.ingest, [{ type: 'track', userId: 'erin-1', event: 'Back' }]);
        assert.equal(again[0].status, 'accepted');
        assert.notEqual(again[0].personId, p.id);
    });
    it('an objection recorded for an address already unsubscribed takes its place: the link can no longer undo it, and the team cannot weaken it', async () => {
        const t = await team();
        const p = await person(t.owner, { emails: ['una@unsub-first.test'], externalIds: ['una-1'] });
        const ctx = { engine: haven().engine, keyring: haven().keyring, config: haven().config };
        const mail = await withTeam(haven().engine, t.teamId, (tx) => prepareOutgoingEmail(ctx, tx, t.teamId, { to: 'una@unsub-first.test', subject: 'x', text: 'x', category: 'marketing' }));
        const path = new URL(/^<(.+)>$/.exec(mail.headers['List-Unsubscribe'])[1]).pathname;
        assert.equal((await server().inject({ method: 'POST', url: path })).statusCode, 200);
        const reasons = async () => (await t.owner.get(`/api/v1/people/${p.id}/suppression`)).body.identities.map((i) => [i.kind, i.reason]);
        assert.deepEqual(await reasons(), [['email', 'unsubscribe'], ['external_id', null]]);
        const objection = await t.owner.post('/api/v1/privacy/objections', { personId: p.id });
        assert.equal(objection.status, 201, objection.raw.body);
        assert.equal(objection.body.receipt.newlySuppressed, 2, 'the address is now listed for the objection');
        assert.deepEqual(await reasons(), [['email', 'objection'], ['external_id', 'objection']]);
        assert.equal((await server().inject({ method: 'POST', url: `${path}/resubscribe` })).statusCode, 409);
        assert.deepEqual(await reasons(), [['email', 'objection'], ['external_id', 'objection']]);
        // The app role may only strengthen a row: not weaken it, not move it.
        await assert.rejects(withTeam(haven().engine, t.teamId, (tx) => tx.query(`UPDATE suppressions SET reason = 'unsubscribe' WHERE team_id = $1`, [t.teamId])), /can only be strengthened/);
    });
    it('one-click unsubscribe takes any body, JSON-labelled or empty; routes without a body take an empty JSON-labelled one', async () => {
        const t = await team();
        const p = await person(t.owner, { emails: ['jay@unsub.test'] });
        const ctx = { engine: haven().engine, keyring: haven().keyring, config: haven().config };
        const mail = await withTeam(haven().engine, t.teamId, (tx) => prepareOutgoingEmail(ctx, tx, t.teamId, { to: 'jay@unsub.test', subject: 'News', text: 'Hi', category: 'marketing' }));
        const path = new URL(/^<(.+)>$/.exec(mail.headers['List-Unsubscribe'])[1]).pathname;
        for (const payload of ['', 'List-Unsubscribe=One-Click', '{not json']) {
            const res = await server().inject({ method: 'POST', url: path, payload, headers: { 'content-type': 'application/json' } });
            assert.equal(res.statusCode, 200, `${JSON.stringify(payload)}: ${res.body}`);
        }
        assert.equal((await t.owner.get(`/api/v1/people/${p.id}/suppression`)).body.identities[0].suppressed, true);
        // A client that labels every request JSON: a DELETE with nothing in it.
        const deleted = await t.owner.request('DELETE', `/api/v1/people/${p.id}`, '', { 'content-type': 'application/json' });
        assert.equal(deleted.status, 204, deleted.raw.body);
    });
    it('one-click unsubscribe works with a bare POST and fails with a tampered or foreign token', async () => {
        const t = await team();
        const other = await team('other');
        const p = await person(t.owner, { emails: ['uma@unsub.test'] });
        const ctx = { engine: haven().engine, keyring: haven().keyring, config: haven().config };
        const mail = await withTeam(haven().engine, t.teamId, (tx) => prepareOutgoingEmail(ctx, tx, t.teamId, { to: 'Uma@Unsub.test', subject: 'News', text: 'Hello', html: '<p>Hello</p>', category: 'marketing' }));
        assert.equal(mail.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
        const url = /^<(.+)>$/.exec(mail.headers['List-Unsubscribe'])[1];
        assert.ok(url.startsWith(`${haven().config.publicUrl}/unsubscribe/`));
        assert.ok(!url.toLowerCase().includes('uma'), 'the link carries no address');
        assert.ok(mail.text.includes(url) && mail.html.includes('Unsubscribe or report spam'));
        const path = new URL(url).pathname;
        // GET shows a page and changes nothing (link scanners).
        const page = await server().inject({ method: 'GET', url: path });
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<form method="post"/);
        const suppression = async () => (await t.owner.get(`/api/v1/people/${p.id}/suppression`)).body.identities[0];
        assert.equal((await suppression()).suppressed, false);
        // Tampered: one character of the ciphertext changed.
        const token = path.split('/').pop();
        const flip = token.slice(0, -3) + (token.at(-3) === 'A' ? 'B' : 'A') + token.slice(-2);
        const tampered = await server().inject({ method: 'POST', url: `/unsubscribe/${flip}`, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        assert.equal(tampered.statusCode, 404, tampered.body);
        assert.equal(JSON.parse(tampered.body).error.code, 'unsubscribe_link_invalid');
        // Foreign: the same ciphertext presented as another team's.
        const foreign = `${other.teamId.replaceAll('-', '')}${token.slice(32)}`;
        assert.equal((await server().inject({ method: 'POST', url: `/unsubscribe/${foreign}` })).statusCode, 404);
        assert.equal((await server().inject({ method: 'POST', url: '/unsubscribe/not-a-token' })).statusCode, 404);
        assert.equal((await suppression()).suppressed, false);
        // The bare POST a mailbox provider sends: no cookie, no CSRF token, no Origin.
        const ok = await server().inject({ method: 'POST', url: path, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        assert.equal(ok.statusCode, 200, ok.body);
        const state = await suppression();
        assert.equal(state.suppressed, true);
        assert.equal(state.reason, 'unsubscribe');
        // Its one inline style is allowed by hash; nothing else inline is.
        const style = /<style>([^<]*)<\/style>/.exec(ok.body)[1];
        assert.match(String(ok.headers['content-security-policy']), new RegExp(`style-src 'sha256-${createHash('sha256').update(style).digest('base64').replace(/[+/]/g, '\\$&')}'`));
        assert.match(String(ok.headers['content-security-policy']), /default-src 'none'/);
        // It says what it did: this address, not every use of the person's data, which the team records.
        assert.match(ok.body, /marketing email from this sender at this address/);
        assert.match(ok.body, /ask the sender to record your objection/);
        // An unsubscribe is about its address: identities the person gains are not listed with it.
        assert.equal((await t.owner.patch(`/api/v1/people/${p.id}`, { externalIds: ['uma-1'] })).status, 200);
        const identities = (await t.owner.get(`/api/v1/people/${p.id}/suppression`)).body.identities;
        assert.deepEqual(identities.map((i) => [i.kind, i.suppressed]), [['email', true], ['external_id', false]]);
        // Marketing mail to them is now refused; transactional mail still goes, with the link.
        await assert.rejects(withTeam(haven().engine, t.teamId, (tx) => prepareOutgoingEmail(ctx, tx, t.teamId, { to: 'uma@unsub.test', subject: 'x', text: 'x', category: 'marketing' })), (e) => e.code === 'recipient_suppressed');
        await withTeam(haven().engine, t.teamId, (tx) => prepareOutgoingEmail(ctx, tx, t.teamId, { to: 'uma@unsub.test', subject: 'x', text: 'x', category: 'transactional' }));
        // The team cannot lift it: the app role may not delete from the list.
        await assert.rejects(withTeam(haven().engine, t.teamId, (tx) => tx.query(`DELETE FROM suppressions WHERE team_id = $1`, [t.teamId])), /permission denied/);
        assert.equal((await suppression()).suppressed, true);
        // The person can, through their link.
        assert.equal((await server().inject({ method: 'POST', url: `${path}/resubscribe` })).statusCode, 200);
        assert.equal((await suppression()).suppressed, false);
        // An objection recorded for the address is not the link's to undo: whoever holds an old email
        // need not be the person. The page offers no way back, and the lift is refused.
        assert.equal((await t.owner.post('/api/v1/privacy/objections', { personId: p.id })).status, 201);
        const objected = await server().inject({ method: 'GET', url: path });
        assert.equal(objected.statusCode, 200);
        assert.doesNotMatch(objected.body, /resubscribe/);
        assert.match(objected.body, /objection to the use of your data is on record/);
        const refused = await server().inject({ method: 'POST', url: `${path}/resubscribe` });
        assert.equal(refused.statusCode, 409, refused.body);
        assert.deepEqual([(await suppression()).suppressed, (await suppression()).reason], [true, 'objection']);
        assert.equal((await events(t.ingest, [{ type: 'identify', userId: 'uma-1', traits: { email: 'uma@unsub.test' } }]))[0].code, 'suppressed');
    });
    it('records objections by person or by identity, and drops suppressed identities at ingest', async () => {
        const t = await team();
        const p = await person(t.owner, { emails: ['olga@object.test'], externalIds: ['olga-1'] });
        const r = await t.owner.post('/api/v1/privacy/objections', { personId: p.id });
        assert.equal(r.status, 201, r.raw.body);
        assert.equal(r.body.kind, 'objection');
        assert.equal(r.body.receipt.newlySuppressed, 2);
        const dropped = await events(t.ingest, [{ type: 'track', userId: 'olga-1', event: 'Ignored' }]);
        assert.equal(dropped[0].code, 'suppressed', JSON.stringify(dropped));
        assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND person_id = $2`, [t.teamId, p.id]), 0);
        // An identity Haven does not hold yet can be suppressed ahead of time.
        assert.equal((await t.owner.post('/api/v1/privacy/objections', { externalId: 'future-1' })).status, 201);
        assert.equal((await events(t.ingest, [{ type: 'track', userId: 'future-1', event: 'x' }]))[0].code, 'suppressed');
        assert.equal((await events(t.ingest, [{ type: 'track', userId: 'someone-else', event: 'x' }]))[0].status, 'accepted');
    });
    it("the public write key learns nothing of the team's privacy rules: a dropped event reads as accepted, no ids, no repeats — on every endpoint", async () => {
        const t = await team();
        assert.equal((await t.owner.post('/api/v1/privacy/objections', { email: 'objected@rules.test' })).status, 201);
        const [known] = await events(t.ingest, [{ type: 'identify', userId: 'consented-1', traits: { plan: 'pro' } }]);
        const objected = { type: 'identify', userId: 'obj-1', traits: { email: 'objected@rules.test' }, messageId: 'rules-1' };
        const stored = { type: 'identify', userId: 'other-1', traits: { email: 'other@rules.test' }, messageId: 'rules-2' };
        const answer = async (list) => {
            const res = await t.write.post('/api/v1/events', { events: list });
            assert.equal(res.status, 200, res.raw.body);
            return res.body;
        };
        const same = { accepted: 2, rejected: 0, results: [{ index: 0, status: 'accepted' }, { index: 1, status: 'accepted' }] };
        assert.deepEqual(await answer([objected, stored]), same);
        assert.deepEqual(await answer([objected, stored]), same, 'a repeat is not told apart from a first delivery');
        // The admin key sees what happened.
        assert.deepEqual((await events(t.ingest, [objected])).map((r) => r.code), ['suppressed']);
        // Segment and PostHog: the same answer for an objected address as for any other.
        for (const traits of [{ email: 'objected@rules.test' }, { email: 'other@rules.test' }]) {
            const seg = await new TestClient(server()).post('/v1/identify', { userId: 'seg-1', traits, writeKey: t.writeKey });
            assert.deepEqual([seg.status, seg.body], [200, { success: true }], seg.raw.body);
            const batch = await new TestClient(server()).post('/v1/batch', { batch: [{ type: 'identify', userId: 'seg-2', traits }], writeKey: t.writeKey });
            assert.deepEqual(batch.body, { success: true, accepted: 1, rejected: 0 });
            const ph = await new TestClient(server()).post('/capture/', { api_key: t.writeKey, event: '$identify', distinct_id: 'ph-1', properties: { $set: traits } });
            assert.deepEqual([ph.status, ph.body], [200, { status: 1, accepted: 1, rejected: 0 }], ph.raw.body);
        }
        assert.deepEqual((await t.owner.get('/api/v1/people?externalId=obj-1')).body.people, [], 'the objected event was dropped all the same');
        assert.equal((await t.owner.get('/api/v1/people?externalId=other-1')).body.people.length, 1);
        // Consent required: an unknown visitor and a person who consented read alike.
        assert.equal((await t.owner.post(`/api/v1/people/${known.personId}/consents`, { purpose: 'analytics', source: 'banner' })).status, 201);
        assert.equal((await t.owner.patch('/api/v1/privacy/settings', { consentRequiredFor: 'analytics' })).status, 200);
        const consent = await answer([
            { type: 'track', userId: 'consented-1', event: 'Seen' },
            { type: 'track', userId: 'stranger-1', event: 'Seen' },
        ]);
        assert.deepEqual(consent, same);
        assert.deepEqual((await events(t.ingest, [{ type: 'track', userId: 'stranger-1', event: 'Seen' }])).map((r) => r.code), ['consent_required']);
        // What the sender must fix is still said, with the field.
        const refused = await answer([{ type: 'track', userId: 'consented-1', event: 'Pay', properties: { card: '4111 1111 1111 1111' } }]);
        assert.deepEqual(refused.results[0], { index: 0, status: 'rejected', code: 'restricted_data', message: refused.results[0].message, field: 'properties.card' });
    });
    it('a user id once seen as an anonymous id (a PostHog distinct id) carries its objection: the event is refused, nothing attached', async () => {
        const t = await team();
        const [seen] = await events(t.ingest, [{ type: 'track', anonymousId: 'user-42', event: 'Visited' }]);
        assert.equal(seen.status, 'accepted');
        assert.equal((await t.owner.post('/api/v1/privacy/objections', { personId: seen.personId })).status, 201);
        const later = await events(t.ingest, [
            { type: 'identify', userId: 'user-42', traits: { plan: 'pro' } },
            { type: 'track', userId: 'user-42', event: 'Clicked' },
        ]);
        assert.deepEqual(later.map((r) => r.code), ['suppressed', 'suppressed'], JSON.stringify(later));
        const identities = (await t.owner.get(`/api/v1/people/${seen.personId}/suppression`)).body.identities;
        assert.deepEqual(identities.map((i) => [i.kind, i.suppressed]), [['anonymous_id', true]], 'no user id attached to the person who objected');
        // Erased with suppression: the id, sent as a user id, makes no new person either.
        const [gone] = await events(t.ingest, [{ type: 'track', anonymousId: 'gone-7', event: 'Visited' }]);
        assert.equal((await t.owner.post('/api/v1/privacy/erasures', { personId: gone.personId, suppress: true })).status, 202);
        const people = await count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1`, [t.teamId]);
        assert.equal((await events(t.ingest, [{ type: 'identify', userId: 'gone-7', traits: { plan: 'pro' } }]))[0].code, 'suppressed');
        assert.equal(await count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1`, [t.teamId]), people);
    });
    it("an objection is the person's: both trait emails are checked at ingest, and identities the person gains by rectification or creation join the list", async () => {
        const t = await team();
        const p = await person(t.owner, { emails: ['olga@typo.tset'], externalIds: ['olga-1'] });
        assert.equal((await t.owner.post('/api/v1/privacy/objections', { personId: p.id })).status, 201);
        // A non-text `traits.email` does not hide the `traitsOnce.email` that would be attached.
        const sneaky = await events(t.ingest, [{ type: 'identify', userId: 'olga-new', traits: { email: 42 }, traitsOnce: { email: 'olga@typo.tset' } }]);
        assert.equal(sneaky[0].code, 'suppressed', JSON.stringify(sneaky));
        assert.equal(await count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1`, [t.teamId]), 1, 'no person made for it');
        // Rectified: the corrected address and a new user id are listed too, and audited.
        const fixed = await t.owner.patch(`/api/v1/people/${p.id}`, { emails: ['olga@typo.test'], externalIds: ['olga-1', 'olga-2'] });
        assert.equal(fixed.status, 200, fixed.raw.body);
        const states = (await t.owner.get(`/api/v1/people/${p.id}/suppression`)).body.identities;
        assert.deepEqual(states.map((s) => [s.value, s.suppressed, s.reason]), [
            ['olga@typo.test', true, 'objection'],
            ['olga-1', true, 'objection'],
            ['olga-2', true, 'objection'],
        ]);
        const ctx = { engine: haven().engine, keyring: haven().keyring, config: haven().config };
        await assert.rejects(withTeam(haven().engine, t.teamId, (tx) => prepareOutgoingEmail(ctx, tx, t.teamId, { to: 'olga@typo.test', subject: 'x', text: 'x', category: 'marketing' })), (e) => e.code === 'recipient_suppressed');
        assert.equal((await events(t.ingest, [{ type: 'track', userId: 'olga-2', event: 'x' }]))[0].code, 'suppressed');
        const entries = (await t.owner.get(`/api/v1/audit?targetId=${p.id}`)).body.entries;
        const extended = entries.find((e) => e.action === 'suppression.added');
        assert.deepEqual(extended?.details, { via: 'objection_extended', newlySuppressed: 2, kinds: ['email', 'external_id'] });
        // Correcting the only identity that objected keeps the objection.
        const solo = await person(t.owner, { emails: ['solo@typo.tset'] });
        assert.equal((await t.owner.post('/api/v1/privacy/objections', { personId: solo.id })).status, 201);
        assert.equal((await t.owner.patch(`/api/v1/people/${solo.id}`, { emails: ['solo@typo.test'] })).status, 200);
        const soloStates = (await t.owner.get(`/api/v1/people/${solo.id}/suppression`)).body.identities;
        assert.deepEqual(soloStates.map((s) => [s.value, s.suppressed]), [['solo@typo.test', true]]);
        // An identity objected to ahead of time: the person later added with it has all theirs listed.
        assert.equal((await t.owner.post('/api/v1/privacy/objections', { externalId: 'pre-1' })).status, 201);
        const later = await person(t.owner, { emails: ['pre@object.test'], externalIds: ['pre-1'] });
        const laterStates = (await t.owner.get(`/api/v1/people/${later.id}/suppression`)).body.identities;
        assert.ok(laterStates.every((s) => s.suppressed), JSON.stringify(laterStates));
        // Someone with no objection is not touched.
        const free = await person(t.owner, { emails: ['free@object.test'] });
        await t.owner.patch(`/api/v1/people/${free.id}`, { externalIds: ['free-1'] });
        const freeStates = (await t.owner.get(`/api/v1/people/${free.id}/suppression`)).body.identities;
        assert.ok(freeStates.every((s) => !s.suppressed));
    });
    it('pages privacy requests by (time, id): requests made in the same instant are neither lost nor repeated', async () => {
        const t = await team();
        const made = await Promise.all(Array.from({ length: 7 }, (_, i) => t.owner.post('/api/v1/privacy/objections', { externalId: `page-${i}` })));
        assert.ok(made.every((r) => r.status === 201));
        // Make several share one timestamp, as concurrent requests can.
        await owner(`UPDATE privacy_requests SET created_at = '2026-01-01T00:00:00Z' WHERE team_id = $1`, [t.teamId]);
        const seen = [];
        for (let cursor = '';;) {
            const res = await t.owner.get(`/api/v1/privacy/requests?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
            assert.equal(res.status, 200, res.raw.body);
            seen.push(...res.body.requests.map((r) => r.id));
            if (!res.body.nextCursor)
                break;
            cursor = res.body.nextCursor;
        }
        assert.equal(seen.length, 7);
        assert.equal(new Set(seen).size, 7);
        assertError(await t.owner.get('/api/v1/privacy/requests?cursor=bogus'), 400, 'invalid_cursor');
        const someCursor = (await t.owner.get('/api/v1/privacy/requests?limit=2')).body.nextCursor;
        assertError(await t.owner.get(`/api/v1/privacy/requests?kind=erasure&cursor=${someCursor}`), 400, 'invalid_cursor');
    });
    it('records and withdraws consents, and can require consent before storing events', async () => {
        const t = await team();
        const p = await person(t.owner, { externalIds: ['cora-1'] });
        const c = await t.owner.post(`/api/v1/people/${p.id}/consents`, { purpose: 'Analytics', lawfulBasis: 'consent', source: 'cookie banner v2' });
        assert.equal(c.status, 201, c.raw.body);
        assert.equal(c.body.purpose, 'analytics');
        assertError(await t.owner.post(`/api/v1/people/${p.id}/consents`, { purpose: 'bad purpose!', source: 'x' }), 400, 'invalid_purpose');
        assertError(await t.owner.post(`/api/v1/people/${p.id}/consents`, { purpose: 'x', lawfulBasis: 'because', source: 'x' }), 400, 'invalid_value');
        // RFC 3339 allows a leap second; JavaScript's dates cannot hold one, so it is refused, not a 500.
        assertError(await t.owner.post(`/api/v1/people/${p.id}/consents`, { purpose: 'x', source: 'x', givenAt: '2016-12-31T23:59:60Z' }), 400, 'invalid_format');
        assert.equal(await count(`SELECT count(*)::int AS n FROM consents WHERE source_sealed::text LIKE '%banner%'`), 0);
        assert.equal((await t.owner.patch('/api/v1/privacy/settings', { consentRequiredFor: 'analytics' })).status, 200);
        assert.equal((await events(t.ingest, [{ type: 'track', userId: 'cora-1', event: 'ok' }]))[0].status, 'accepted');
        const noConsent = await events(t.ingest, [{ type: 'track', userId: 'dan-1', event: 'no' }]);
        assert.equal(noConsent[0].code, 'consent_required', JSON.stringify(noConsent));
        assert.equal((await t.owner.post(`/api/v1/people/${p.id}/consents/${c.body.id}/withdraw`)).status, 204);
        assertError(await t.owner.post(`/api/v1/people/${p.id}/consents/${c.body.id}/withdraw`), 409, 'already_withdrawn');
        assert.equal((await events(t.ingest, [{ type: 'track', userId: 'cora-1', event: 'after' }]))[0].code, 'consent_required');
        const list = await t.owner.get(`/api/v1/people/${p.id}/consents`);
        assert.ok(list.body.consents[0].withdrawnAt);
        assert.equal(list.body.consents[0].source, 'cookie banner v2');
        const viewer = await addMember(server(), t.owner, 'viewer');
        assertError(await viewer.client.post(`/api/v1/people/${p.id}/consents`, { purpose: 'x', source: 'x' }), 403, 'forbidden');
    });
    it('applies retention: a dry run first, then old events and inactive people go, audited', async () => {
        const t = await team();
        const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
        await events(t.ingest, [
            ...Array.from({ length: 5 }, () => ({ type: 'track', userId: 'ret-1', event: 'Old', timestamp: old })),
            ...Array.from({ length: 3 }, () => ({ type: 'track', userId: 'ret-1', event: 'New' })),
        ]);
        const idle = await person(t.owner, { name: 'Idle', emails: ['idle@ret.test'] });
        await owner(`UPDATE people SET updated_at = now() - interval '14 months', created_at = now() - interval '14 months' WHERE id = $1`, [idle.id]);
        // Someone whose profile is as old, but about whom a note and a consent were just recorded, is active.
        const noted = await person(t.owner, { name: 'Noted', emails: ['noted@ret.test'] });
        assert.equal((await t.owner.post(`/api/v1/people/${noted.id}/notes`, { body: 'Called today' })).status, 201);
        const consented = await person(t.owner, { name: 'Consented' });
        assert.equal((await t.owner.post(`/api/v1/people/${consented.id}/consents`, { purpose: 'newsletter', source: 'form' })).status, 201);
        await owner(`UPDATE people SET updated_at = now() - interval '14 months' WHERE id = ANY($1::uuid[])`, [[noted.id, consented.id]]);
        // Inactivity is judged from the events kept: events must be kept at least as long as the window.
        const conflict = await t.owner.patch('/api/v1/privacy/settings', { eventRetentionDays: 30, inactivePeopleMonths: 12 });
        assertError(conflict, 400, 'invalid_value');
        assert.equal((await t.owner.get('/api/v1/privacy/settings')).body.eventRetentionDays, null, 'a refused change changes nothing');
        assertError(await t.owner.patch('/api/v1/privacy/settings', { eventRetentionDays: 30, inactivePeopleMonths: 1 }), 400, 'invalid_value');
        assert.equal((await t.owner.patch('/api/v1/privacy/settings', { eventRetentionDays: 31, inactivePeopleMonths: 1 })).status, 200);
        const preview = await t.owner.get('/api/v1/privacy/retention/preview');
        assert.equal(preview.status, 200, preview.raw.body);
        assert.equal(preview.body.events, 5);
        assert.equal(preview.body.inactivePeople, 1, 'only Idle: the note and the consent count as activity');
        assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1`, [t.teamId]), 8, 'a dry run changes nothing');
        const run = await t.owner.post('/api/v1/privacy/retention/run');
        assert.deepEqual(run.body, { events: 5, people: 1, expiredExports: 0 });
        assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1`, [t.teamId]), 3);
        assertError(await t.owner.get(`/api/v1/people/${idle.id}`), 404, 'not_found');
        for (const kept of [noted, consented])
            assert.equal((await t.owner.get(`/api/v1/people/${kept.id}`)).status, 200);
        // Settings saved before the rule: other settings still change; the dry run says why nobody is erased.
        await owner(`UPDATE privacy_settings SET event_retention_days = 30, inactive_people_months = 12 WHERE team_id = $1`, [t.teamId]);
        assert.equal((await t.owner.patch('/api/v1/privacy/settings', { exportLinkHours: 48 })).status, 200);
        const stale = (await t.owner.get('/api/v1/privacy/retention/preview')).body;
        assert.deepEqual([stale.inactiveSince, stale.inactivePeople], [null, 0]);
        assert.match(stale.problem, /at least as long as the inactivity window/);
        const audit = await t.owner.get('/api/v1/audit?action=privacy.retention_applied');
        assert.equal(audit.body.entries[0].details.events, 5);
        const member = await addMember(server(), t.owner, 'member');
        assertError(await member.client.post('/api/v1/privacy/retention/run'), 403, 'forbidden');
    });
    it('the daily retention run goes on past a team that fails, then fails itself (so it is retried)', async () => {
        const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
        const a = await team('ret-a');
        const b = await team('ret-b');
        for (const t of [a, b]) {
            await events(t.ingest, [{ type: 'track', userId: 'ret-x', event: 'Old', timestamp: old }]);
            assert.equal((await t.owner.patch('/api/v1/privacy/settings', { eventRetentionDays: 31 })).status, 200);
        }
        // Teams run in id order: the first of the two fails, so the second is reached only past it.
        const [failing, other] = [a, b].sort((x, y) => (x.teamId < y.teamId ? -1 : 1));
        const engine = Object.create(haven().engine);
        engine.transaction = (fn, settings) => settings?.['app.team_id'] === failing.teamId ? Promise.reject(new Error('injected failure')) : haven().engine.transaction(fn, settings);
        const ctx = { engine, keyring: haven().keyring, config: haven().config, jobs: haven().jobs, logger: createLogger({ level: 'silent' }) };
        await assert.rejects(applyRetentionEverywhere(ctx), /retention failed for 1 of \d+ teams/);
        const oldEvents = (teamId) => count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1`, [teamId]);
        assert.equal(await oldEvents(other.teamId), 0, "the later team's old event is gone");
        assert.equal(await oldEvents(failing.teamId), 1);
    });
    it('generates the record of processing from what the team holds, as JSON and Markdown', async () => {
        const t = await team();
        await person(t.owner, { name: 'Rec One', emails: ['rec@rop.test'], phones: ['+12025550100'] });
        await events(t.ingest, [{ type: 'page', userId: 'rec-2', properties: { url: 'https://x.test/' } }]);
        const json = await t.owner.get('/api/v1/privacy/record-of-processing');
        assert.equal(json.status, 200, json.raw.body);
        const cats = Object.fromEntries(json.body.dataCategories.map((c) => [c.category, c.records]));
        assert.equal(cats['Email addresses'], 1);
        assert.equal(cats['Phone numbers'], 1);
        assert.equal(cats['Activity: page'], 1);
        assert.equal(json.body.collection.ingestEnabled, true);
        assert.equal(json.body.dataSubjects.count, 2);
        assert.ok(!json.raw.body.includes('rec@rop.test'));
        const md = await t.owner.get('/api/v1/privacy/record-of-processing?format=markdown');
        assert.match(String(md.headers['content-type']), /text\/markdown/);
        assert.match(md.raw.body, /^# Record of processing — /);
        assert.match(md.raw.body, /\| Email addresses \| Contact email addresses \| 1 \|/);
    });
});
//# sourceMappingURL=privacy.test.js.map