import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PeopleService } from '../src/modules/people/index.js';
import { PURGE_PERSON_JOB } from '../src/modules/privacy/index.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { keyClient, signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
/**
 * A merge of two people (identify joining a visitor to a known person, or any other caller of
 * `PeopleService.merge`) keeps the consent records of the person merged away: listed under the
 * target, readable under the target's key, counted by ingest's consent requirement, and erased
 * with the target.
 */
describeEngines('merge keeps consents', (haven) => {
    const server = () => haven().server;
    const { owner, count } = ownerSql(haven);
    async function team(tag) {
        const a = await signUp(server(), tag);
        // An admin key: its answers say what the consent rule did.
        const key = await keyClient(server(), a.client, 'secret', 'admin');
        return { owner: a.client, teamId: a.teamId, ingestKey: key.client };
    }
    async function ingest(key, events) {
        const res = await key.post('/api/v1/events', { events });
        assert.equal(res.status, 200, res.raw.body);
        return res.body.results;
    }
    async function consentsOf(c, personId) {
        const res = await c.get(`/api/v1/people/${personId}/consents`);
        assert.equal(res.status, 200, res.raw.body);
        return res.body.consents;
    }
    async function requireConsent(c, purpose) {
        assert.equal((await c.patch('/api/v1/privacy/settings', { consentRequiredFor: purpose })).status, 200);
    }
    const sealedSources = async (teamId) => new Map((await owner(`SELECT id, person_id, source_sealed FROM consents WHERE team_id = $1`, [teamId])).rows.map((r) => [r.id, { personId: r.person_id, sealed: Buffer.from(r.source_sealed).toString('hex') }]));
    it("identify merging a visitor into an existing person keeps the visitor's consents, and the person's later events pass the consent requirement", async () => {
        const t = await team('merge-consent');
        const [carolIdentified] = await ingest(t.ingestKey, [{ type: 'identify', userId: 'carol', traits: { name: 'Carol' } }]);
        const carol = carolIdentified.personId;
        const [visit] = await ingest(t.ingestKey, [{ type: 'page', anonymousId: 'visitor-9', name: 'Pricing' }]);
        const visitor = visit.personId;
        assert.notEqual(visitor, carol);
        const analytics = await t.owner.post(`/api/v1/people/${visitor}/consents`, { purpose: 'analytics', lawfulBasis: 'consent', source: 'cookie banner v2' });
        assert.equal(analytics.status, 201, analytics.raw.body);
        const newsletter = await t.owner.post(`/api/v1/people/${visitor}/consents`, { purpose: 'newsletter', lawfulBasis: 'consent', source: 'footer form' });
        assert.equal(newsletter.status, 201, newsletter.raw.body);
        assert.equal((await t.owner.post(`/api/v1/people/${visitor}/consents/${newsletter.body.id}/withdraw`)).status, 204);
        // Controls before the merge: the consents are the visitor's, Carol has none, so with consent
        // required Carol's events are refused and the visitor's accepted.
        const visitorConsents = await consentsOf(t.owner, visitor);
        assert.equal(visitorConsents.length, 2);
        assert.deepEqual(await consentsOf(t.owner, carol), []);
        await requireConsent(t.owner, 'analytics');
        assert.equal((await ingest(t.ingestKey, [{ type: 'track', userId: 'carol', event: 'Before merge' }]))[0].code, 'consent_required');
        assert.equal((await ingest(t.ingestKey, [{ type: 'track', anonymousId: 'visitor-9', event: 'Before merge' }]))[0].status, 'accepted');
        const before = await sealedSources(t.teamId);
        assert.equal(before.size, 2);
        // The identify itself is judged on Carol's (absent) consent by ingest's gate: it is refused and
        // nothing is joined (docs/privacy.md), so the requirement is lifted for it.
        const [refusedJoin] = await ingest(t.ingestKey, [{ type: 'identify', userId: 'carol', anonymousId: 'visitor-9' }]);
        assert.equal(refusedJoin.code, 'consent_required');
        assert.equal(await count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1`, [t.teamId]), 2, 'not joined');
        await requireConsent(t.owner, null);
        const [merged] = await ingest(t.ingestKey, [{ type: 'identify', userId: 'carol', anonymousId: 'visitor-9' }]);
        assert.equal(merged.status, 'accepted');
        assert.equal(merged.personId, carol);
        assert.equal(await count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1`, [t.teamId]), 1, 'the visitor merged away');
        assert.equal((await t.owner.get(`/api/v1/people/${visitor}/consents`)).status, 404);
        // Through the API: both records, now Carol's, the withdrawal kept, the source readable.
        const listed = await consentsOf(t.owner, carol);
        assert.deepEqual(listed.map((c) => c.id).sort(), [analytics.body.id, newsletter.body.id].sort());
        assert.ok(listed.every((c) => c.personId === carol));
        const byId = new Map(listed.map((c) => [c.id, c]));
        assert.equal(byId.get(analytics.body.id).source, 'cookie banner v2');
        assert.equal(byId.get(analytics.body.id).withdrawnAt, null);
        assert.equal(byId.get(newsletter.body.id).source, 'footer form');
        const withdrawnAt = visitorConsents.find((c) => c.id === newsletter.body.id).withdrawnAt;
        assert.ok(withdrawnAt);
        assert.equal(byId.get(newsletter.body.id).withdrawnAt, withdrawnAt, 'a withdrawn consent stays withdrawn, from the same time');
        // In storage: the same rows, moved and re-sealed (new ciphertext, under Carol's key), nothing lost.
        const after = await sealedSources(t.teamId);
        assert.equal(after.size, before.size);
        for (const [id, row] of after) {
            assert.equal(row.personId, carol);
            assert.notEqual(row.sealed, before.get(id).sealed, 'the source is re-sealed under the target key');
        }
        // With consent required again, Carol's events are accepted, by either id; another person without consent is still refused.
        await requireConsent(t.owner, 'analytics');
        const later = await ingest(t.ingestKey, [
            { type: 'track', userId: 'carol', event: 'After merge' },
            { type: 'page', anonymousId: 'visitor-9', name: 'Docs' },
        ]);
        assert.deepEqual(later.map((r) => [r.status, r.personId]), [
            ['accepted', carol],
            ['accepted', carol],
        ], JSON.stringify(later));
        assert.equal((await ingest(t.ingestKey, [{ type: 'track', userId: 'dave', event: 'No consent' }]))[0].code, 'consent_required');
    });
    it('events beside the identify that joins their id are judged as if sent after it: kept when the person consented, one before it still refused', async () => {
        const t = await team('consent-same-batch');
        const [erin] = await ingest(t.ingestKey, [{ type: 'identify', userId: 'erin' }]);
        const [visit] = await ingest(t.ingestKey, [{ type: 'page', anonymousId: 'erin-old-visit' }]);
        assert.equal((await t.owner.post(`/api/v1/people/${erin.personId}/consents`, { purpose: 'analytics', source: 'signup form' })).status, 201);
        await requireConsent(t.owner, 'analytics');
        const batch = await ingest(t.ingestKey, [
            { type: 'track', anonymousId: 'erin-new-visit', event: 'Before the identify' },
            { type: 'identify', userId: 'erin', anonymousId: 'erin-new-visit' },
            { type: 'page', anonymousId: 'erin-new-visit', name: 'Pricing' },
            { type: 'identify', userId: 'erin', anonymousId: 'erin-old-visit' },
            { type: 'track', anonymousId: 'erin-old-visit', event: 'After the merge' },
            { type: 'track', anonymousId: 'someone-else', event: 'No consent' },
        ]);
        assert.deepEqual(batch.map((r) => r.code ?? r.personId), ['consent_required', erin.personId, erin.personId, erin.personId, erin.personId, 'consent_required'], JSON.stringify(batch));
        assert.equal(await count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1`, [t.teamId]), 1, `the old visit (${visit.personId}) merged into Erin, no one made`);
        assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND person_id = $2`, [t.teamId, erin.personId]), 6);
    });
    it('an event vouched for by an identify that does not join its id after all (a shared device) is judged on the person that keeps it', async () => {
        const t = await team('consent-vouch-shared-device');
        const [finn] = await ingest(t.ingestKey, [{ type: 'identify', userId: 'finn' }]);
        const [hank] = await ingest(t.ingestKey, [{ type: 'identify', userId: 'hank', anonymousId: 'shared-laptop' }]);
        assert.equal((await t.owner.post(`/api/v1/people/${finn.personId}/consents`, { purpose: 'analytics', source: 'signup form' })).status, 201);
        await requireConsent(t.owner, 'analytics');
        // identify never merges two identified people: the laptop's id stays Hank's, who has no consent.
        const batch = await ingest(t.ingestKey, [
            { type: 'identify', userId: 'finn', anonymousId: 'shared-laptop' },
            { type: 'track', anonymousId: 'shared-laptop', event: 'Vouched for' },
        ]);
        assert.deepEqual(batch.map((r) => r.code ?? r.personId), [finn.personId, 'consent_required'], JSON.stringify(batch));
        assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND person_id = $2`, [t.teamId, hank.personId]), 1);
    });
    it('any merge keeps the consents of both people (whoever calls it, with no rows callback), and erasing the target erases them', async () => {
        const t = await team('merge-consent-direct');
        const a = await t.owner.post('/api/v1/people', { name: 'Old Account', externalIds: ['dana-old'] });
        const b = await t.owner.post('/api/v1/people', { name: 'Dana', externalIds: ['dana'] });
        assert.equal(a.status, 201, a.raw.body);
        assert.equal(b.status, 201, b.raw.body);
        const fromA = await t.owner.post(`/api/v1/people/${a.body.id}/consents`, { purpose: 'analytics', source: 'old signup form' });
        const ofB = await t.owner.post(`/api/v1/people/${b.body.id}/consents`, { purpose: 'newsletter', source: 'new signup form' });
        assert.equal(fromA.status, 201, fromA.raw.body);
        assert.equal(ofB.status, 201, ofB.raw.body);
        const people = new PeopleService(haven().keyring);
        await withTeam(haven().engine, t.teamId, (tx) => people.merge(tx, t.teamId, a.body.id, b.body.id));
        const listed = await consentsOf(t.owner, b.body.id);
        assert.deepEqual(listed.map((c) => [c.id, c.purpose, c.source]).sort(), [
            [fromA.body.id, 'analytics', 'old signup form'],
            [ofB.body.id, 'newsletter', 'new signup form'],
        ].sort());
        // The moved consent is Dana's data now: erasing Dana leaves none of it.
        const erasure = await t.owner.post('/api/v1/privacy/erasures', { personId: b.body.id });
        assert.equal(erasure.status, 202, erasure.raw.body);
        assert.equal(await haven().jobs.runNow(PURGE_PERSON_JOB), 1);
        assert.equal(await count(`SELECT count(*)::int AS n FROM consents WHERE team_id = $1`, [t.teamId]), 0);
    });
});
//# sourceMappingURL=merge-keeps-consents.test.js.map