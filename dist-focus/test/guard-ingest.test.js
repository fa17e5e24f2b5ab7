import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TestClient, keyClient, signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
const visa = '4111111111111111';
const basic = (key) => `Basic ${Buffer.from(`${key}:`, 'utf8').toString('base64')}`;
describeEngines('restricted-data guard at ingest', (haven) => {
    const server = () => haven().server;
    const { count } = ownerSql(haven);
    const eventsIn = (teamId) => count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1`, [teamId]);
    async function team(detectors, mode) {
        const a = await signUp(server(), 'guard');
        const w = await keyClient(server(), a.client, 'write');
        const saved = await a.client.put('/api/v1/tracking/restricted-data', { mode, detectors });
        assert.equal(saved.status, 200, saved.raw.body);
        // An admin key ingests with answers that name each event's person.
        const admin = await keyClient(server(), a.client, 'secret', 'admin');
        return { owner: a.client, teamId: a.teamId, write: w.client, writeKey: w.token, ingestKey: admin.client, anon: new TestClient(server()) };
    }
    const detectors = [
        { id: 'health', label: 'Health', kind: 'keywords', terms: ['dépression'] },
        { id: 'ssn', label: 'SSN', kind: 'regex', pattern: String.raw `\b\d{3}[ -]\d{2}[ -]\d{4}\b` },
    ];
    async function ingest(write, events) {
        const res = await write.post('/api/v1/events', { events });
        assert.equal(res.status, 200, `${res.status} ${res.raw.body}`);
        return res.body.results;
    }
    it('the settings shown in docs/api.md save as they are and work', async () => {
        // The repository's docs, above wherever the tests were built (dist/, HAVEN_TEST_OUT).
        let dir = dirname(fileURLToPath(import.meta.url));
        while (!existsSync(join(dir, 'docs', 'api.md'))) {
            assert.notEqual(dirname(dir), dir, 'docs/api.md not found above the tests');
            dir = dirname(dir);
        }
        const guide = readFileSync(join(dir, 'docs', 'api.md'), 'utf8');
        const example = /\*\*The settings\*\*[\s\S]*?```json\n([\s\S]*?)```/.exec(guide)[1];
        const settings = JSON.parse(example.replace(/^ {2}/gm, ''));
        const t = await team(settings.detectors, settings.mode);
        const results = await ingest(t.ingestKey, [
            { type: 'track', anonymousId: 'docs-guard', event: 'Visited', properties: { topic: 'HIV test' } },
            { type: 'track', anonymousId: 'docs-guard', event: 'Form', properties: { note: 'ssn 123-45-6789' } },
            { type: 'track', anonymousId: 'docs-guard', event: 'Fine' },
        ]);
        assert.deepEqual(results.map((r) => [r.code ?? r.status, r.field]), [['restricted_data', 'properties.topic'], ['restricted_data', 'properties.note'], ['accepted', undefined]]);
    });
    it('settings that break a limit are invalid_detector, naming the detector and property; nothing is saved', async () => {
        const t = await team(detectors, 'reject');
        const term = (i) => ({ id: `d${i}`, label: 'D', kind: 'keywords', terms: ['x'] });
        const cases = [
            [Array.from({ length: 51 }, (_, i) => term(i)), 'detectors'],
            [[{ ...term(0), id: 'x'.repeat(41) }], 'detectors.0.id'],
            [[{ ...term(0), label: 'L'.repeat(101) }], 'detectors.d0.label'],
            [[{ ...term(0), terms: ['ok', 'y'.repeat(101)] }], 'detectors.d0.terms.1'],
            [[{ id: 'p', label: 'P', kind: 'regex', pattern: 'a'.repeat(501) }], 'detectors.p.pattern'],
        ];
        for (const [list, field] of cases) {
            const res = await t.owner.put('/api/v1/tracking/restricted-data', { mode: 'redact', detectors: list });
            assert.equal(res.status, 400, res.raw.body);
            assert.deepEqual([res.body.error.code, res.body.error.field], ['invalid_detector', field]);
        }
        const kept = (await t.owner.get('/api/v1/tracking/restricted-data')).body;
        assert.deepEqual([kept.mode, kept.detectors.map((d) => d.id)], ['reject', ['health', 'ssn']]);
    });
    it('reject mode: fields name the place without repeating an address, a phone number or a long name', async () => {
        const t = await team(detectors, 'reject');
        const one = { type: 'track', anonymousId: 'guard-fields', event: 'Checkout' };
        const res = await t.write.post('/api/v1/events', {
            events: [
                { ...one, properties: { 'bob@example.com': { cc: visa } } },
                { ...one, properties: { '+442079460958': visa } },
                { ...one, properties: { [`note_${'x'.repeat(60)}`]: `ssn 123-45-6789` } },
                { ...one, properties: { plan: 'pro', card: visa } },
            ],
        });
        assert.equal(res.status, 200, res.raw.body);
        assert.deepEqual(res.body.results.map((r) => [r.status, r.code, r.field]), [
            ['rejected', 'restricted_data', 'properties.[redacted].cc'],
            ['rejected', 'restricted_data', 'properties.[redacted]'],
            ['rejected', 'restricted_data', 'properties.[redacted]'],
            ['rejected', 'restricted_data', 'properties.card'],
        ]);
        for (const leak of ['bob@', 'example.com', '442079460958', 'xxxxxxxx', '4111'])
            assert.ok(!res.raw.body.includes(leak), `${leak} in ${res.raw.body}`);
        // The Segment endpoints answer 400 with the same field.
        for (const [properties, field] of [
            [{ 'bob@example.com': { cc: visa } }, 'properties.[redacted].cc'],
            [{ '+442079460958': visa }, 'properties.[redacted]'],
        ]) {
            const seg = await t.anon.post('/v1/track', { anonymousId: 'guard-fields', event: 'Checkout', properties }, { authorization: basic(t.writeKey) });
            assert.equal(seg.status, 400, seg.raw.body);
            assert.equal(seg.body.error.code, 'restricted_data');
            assert.equal(seg.body.error.field, field);
            for (const leak of ['bob@', 'example.com', '442079460958', '4111'])
                assert.ok(!seg.raw.body.includes(leak), `${leak} in ${seg.raw.body}`);
        }
        assert.equal(await eventsIn(t.teamId), 0);
    });
    it('reject mode: percent-encoded detector matches and card numbers written with wide gaps or encoded twice are refused', async () => {
        const t = await team(detectors, 'reject');
        const page = (url) => ({ type: 'page', anonymousId: 'guard-encoded', name: 'Search', context: { page: { url } } });
        const results = await ingest(t.ingestKey, [
            page('https://x.com/search?q=d%C3%A9pression'),
            page('https://x.com/?q=123%2045%206789'),
            page('https://x.com/?q=123+45+6789'),
            page('https://a.com/login?next=https%3A%2F%2Fshop.com%2Fpay%3Fcc%3D4111%25201111%25201111%25201111'),
            { type: 'track', anonymousId: 'guard-encoded', event: 'Note', properties: { note: '４１１１　１１１１　１１１１　１１１１' } },
            { type: 'track', anonymousId: 'guard-encoded', event: 'Note', properties: { note: '4111  1111  1111  1111' } },
            { type: 'track', anonymousId: 'guard-encoded', event: 'Note', properties: { note: '4111 - 1111 - 1111 - 1111' } },
            page('https://x.com/search?q=depth+of+field&page=2'),
        ]);
        assert.deepEqual(results.map((r) => [r.status, r.code, r.field]), [
            ['rejected', 'restricted_data', 'context.page.url'],
            ['rejected', 'restricted_data', 'context.page.url'],
            ['rejected', 'restricted_data', 'context.page.url'],
            ['rejected', 'restricted_data', 'context.page.url'],
            ['rejected', 'restricted_data', 'properties.note'],
            ['rejected', 'restricted_data', 'properties.note'],
            ['rejected', 'restricted_data', 'properties.note'],
            ['accepted', undefined, undefined],
        ]);
        assert.match(results[0].message, /Health/);
        assert.match(results[3].message, /payment card/);
        assert.equal(await eventsIn(t.teamId), 1);
    });
    it('redact mode: an event the marker makes too big is refused alone, the rest of its batch stored', async () => {
        const t = await team([{ id: 'health', label: 'Health', kind: 'keywords', terms: ['hiv'] }], 'redact');
        const who = { anonymousId: 'guard-grows' };
        const results = await ingest(t.ingestKey, [
            // 400 words of 3 letters: 1,600 bytes as sent, 4,400 with [redacted] — over a trait's 2,048.
            { ...who, type: 'identify', traits: { note: 'hiv '.repeat(400) } },
            // A 59-character trait name that grows past 64.
            { ...who, type: 'identify', traits: { [`hiv ${'n'.repeat(55)}`]: 1 } },
            { ...who, type: 'track', event: `hiv ${'e'.repeat(190)}` },
            { ...who, type: 'track', event: 'Fine', properties: { topic: 'hiv' } },
        ]);
        assert.deepEqual(results.map((r) => [r.status, r.code, r.field]), [
            ['rejected', 'property_too_large', 'traits.note'],
            ['rejected', 'invalid_property_name', 'traits.[redacted]'],
            ['rejected', 'too_long', 'event'],
            ['accepted', undefined, undefined],
        ]);
        assert.match(results[0].message, /redacted/);
        assert.equal(await eventsIn(t.teamId), 1);
        const counts = (await t.owner.get('/api/v1/tracking/restricted-data/counts')).body.counts;
        assert.deepEqual(counts.map((c) => [c.outcome, c.events]).sort(), [
            ['redacted', 1],
            ['rejected', 3],
        ]);
    });
    it('redact mode: stores whole code points and the encoded text around what was found, never the finding', async () => {
        const t = await team([...detectors, { id: 'q', label: 'Q', kind: 'regex', pattern: 'q[^a]' }], 'redact');
        const results = await ingest(t.ingestKey, [
            { type: 'track', anonymousId: 'guard-redact', event: 'q😀 clicked', properties: { note: 'x q😀 y' } },
            {
                type: 'page',
                anonymousId: 'guard-redact',
                name: 'Search',
                context: { page: { url: 'https://x.com/search?s=d%C3%A9pression&x=1', referrer: 'https://a.com/login?next=https%3A%2F%2Fshop.com%2Fpay%3Fcc%3D4111%25201111%25201111%25201111&z=1' } },
            },
        ]);
        assert.deepEqual(results.map((r) => r.status), ['accepted', 'accepted'], JSON.stringify(results));
        const res = await t.owner.get(`/api/v1/people/${results[0].personId}/activity`);
        assert.equal(res.status, 200, res.raw.body);
        const activity = res.body.activity;
        const track = activity.find((a) => a.name !== 'Search');
        const page = activity.find((a) => a.name === 'Search');
        assert.equal(track.name, '[redacted] clicked');
        assert.deepEqual(track.properties, { note: 'x [redacted] y' });
        assert.equal(page.url, 'https://x.com/search?s=[redacted]&x=1');
        assert.equal(page.referrer, 'https://a.com/login?next=https%3A%2F%2Fshop.com%2Fpay%3Fcc%3D[redacted]&z=1');
        assert.ok(!/\\ud[89a-f]/i.test(res.raw.body), res.raw.body);
        assert.ok(!res.raw.body.includes('1111'));
    });
});
//# sourceMappingURL=guard-ingest.test.js.map