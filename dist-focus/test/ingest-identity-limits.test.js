import assert from 'node:assert/strict';
import { it } from 'node:test';
import { IDENTITY_LIMITS } from '../src/modules/people/identities.js';
import { keyClient, signUp } from './support/client.js';
import { describeEngines } from './support/haven.js';
/**
 * Ingest is open to anyone holding a team's public write key, so it keeps to the same limits on a
 * person's ids as the API: past them an id is not attached, two people are not merged and an email
 * trait is not added — and the events are still stored, for the person they name.
 */
describeEngines('ingest keeps to the limits on a person\'s ids', (haven) => {
    async function team() {
        const t = await signUp(haven().server, 'limits');
        // An admin key: its answers name each event's person (the write key's, which has the same limits, do not).
        return { owner: t.client, ingestKey: (await keyClient(haven().server, t.client, 'secret', 'admin')).client };
    }
    async function send(ingestKey, events) {
        const res = await ingestKey.post('/api/v1/events', { events });
        assert.equal(res.status, 200, res.raw.body);
        return res.body.results;
    }
    async function person(owner, query) {
        const res = await owner.get(`/api/v1/people?${query}`);
        assert.equal(res.status, 200, res.raw.body);
        return res.body.people;
    }
    it('anonymous ids and emails stop at their limits; every event is stored for the person', async () => {
        const { owner, ingestKey } = await team();
        const extra = 5;
        const identifies = Array.from({ length: IDENTITY_LIMITS.anonymous_id + extra }, (_, i) => ({
            type: 'identify',
            userId: 'many-devices',
            anonymousId: `device-${i}`,
            traits: { email: `m${i}@example.test` },
        }));
        const results = await send(ingestKey, identifies);
        assert.ok(results.every((r) => r.status === 'accepted'), JSON.stringify(results.filter((r) => r.status !== 'accepted')));
        const [p] = await person(owner, 'externalId=many-devices');
        assert.equal(p.anonymousIds.length, IDENTITY_LIMITS.anonymous_id);
        assert.equal(p.emails.length, IDENTITY_LIMITS.email);
        assert.ok(results.every((r) => r.personId === p.id), 'every event is the identified person\'s');
        const activity = await owner.get(`/api/v1/people/${p.id}/activity?limit=200`);
        assert.equal(activity.body.activity.length, identifies.length);
    });
    it('an anonymous visitor is not merged into a person already at the limit: the two stay apart', async () => {
        const { owner, ingestKey } = await team();
        await send(ingestKey, Array.from({ length: IDENTITY_LIMITS.anonymous_id }, (_, i) => ({ type: 'identify', userId: 'full', anonymousId: `full-${i}` })));
        const [visitor] = await send(ingestKey, [{ type: 'track', anonymousId: 'one-more-device', event: 'Browsed' }]);
        const [identify] = await send(ingestKey, [{ type: 'identify', userId: 'full', anonymousId: 'one-more-device' }]);
        const [full] = await person(owner, 'externalId=full');
        assert.equal(identify.status, 'accepted');
        assert.equal(identify.personId, full.id);
        assert.equal(full.anonymousIds.length, IDENTITY_LIMITS.anonymous_id);
        const [stillApart] = await person(owner, 'anonymousId=one-more-device');
        assert.equal(stillApart.id, visitor.personId);
        assert.notEqual(stillApart.id, full.id);
    });
});
//# sourceMappingURL=ingest-identity-limits.test.js.map