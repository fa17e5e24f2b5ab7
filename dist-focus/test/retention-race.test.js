import assert from 'node:assert/strict';
import { it } from 'node:test';
import { applyRetentionPlan, planRetention } from '../src/modules/privacy/retention.js';
import { createLogger } from '../src/platform/log.js';
import { keyClient, signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
/**
 * Retention plans its list of inactive people, then deletes old events in batches (minutes on a
 * big team), then erases the list. A person who became active in between — an event, or a change
 * to their profile — must not be erased: each is checked again under a lock just before.
 */
describeEngines('retention re-checks inactivity before erasing', (haven) => {
    const { owner, count } = ownerSql(haven);
    const ctx = () => {
        const h = haven();
        return { engine: h.engine, keyring: h.keyring, config: h.config, jobs: h.jobs, logger: createLogger({ level: 'silent' }) };
    };
    it('a person with an event or a profile change since the plan survives; one still inactive is erased; only that one is counted and audited', async () => {
        const t = await signUp(haven().server, 'retention-race');
        const ingestKey = (await keyClient(haven().server, t.client, 'secret', 'admin')).client;
        const create = async (name, externalId) => {
            const res = await t.client.post('/api/v1/people', { name, externalIds: [externalId] });
            assert.equal(res.status, 201, res.raw.body);
            return res.body.id;
        };
        const woken = await create('Wendy Woken', 'race-woken');
        const edited = await create('Eddie Edited', 'race-edited');
        const idle = await create('Ida Idle', 'race-idle');
        const backdate = (id) => owner(`UPDATE people SET updated_at = now() - interval '14 months', created_at = now() - interval '14 months' WHERE id = $1`, [id]);
        for (const id of [woken, edited, idle])
            await backdate(id);
        assert.equal((await t.client.patch('/api/v1/privacy/settings', { inactivePeopleMonths: 12 })).status, 200);
        const plan = await planRetention(ctx(), t.teamId);
        assert.deepEqual(new Set(plan.inactivePeople), new Set([woken, edited, idle]), 'all three are inactive when planned');
        // Between the plan and the erasures: an event for one (its profile left as old, so only the
        // event can save it), a profile change for another.
        const sent = await ingestKey.post('/api/v1/events', { events: [{ type: 'track', userId: 'race-woken', event: 'Came back' }] });
        assert.equal(sent.status, 200, sent.raw.body);
        assert.equal(sent.body.results[0].personId, woken);
        await backdate(woken);
        assert.equal((await t.client.patch(`/api/v1/people/${edited}`, { properties: { plan: 'renewed' } })).status, 200);
        const result = await applyRetentionPlan(ctx(), t.teamId, plan, { type: 'user', id: t.userId }, new Date());
        assert.deepEqual(result, { events: 0, people: 1, expiredExports: 0 });
        assert.equal((await t.client.get(`/api/v1/people/${idle}`)).status, 404, 'the control: still inactive, erased');
        for (const [who, id] of [
            ['with an event since the plan', woken],
            ['with a profile change since the plan', edited],
        ]) {
            const res = await t.client.get(`/api/v1/people/${id}`);
            assert.equal(res.status, 200, `the person ${who} survives`);
            assert.equal(await count(`SELECT count(*)::int AS n FROM subject_keys WHERE team_id = $1 AND subject_id = $2`, [t.teamId, id]), 1, `${who}: key kept`);
        }
        // Neither skipped person got an erasure receipt, an audit entry or a purge.
        const requests = await owner(`SELECT person_id FROM privacy_requests WHERE team_id = $1 AND kind = 'erasure'`, [t.teamId]);
        assert.deepEqual(requests.rows.map((r) => r.person_id), [idle]);
        const erasedAudit = await t.client.get('/api/v1/audit?action=person.erased');
        assert.deepEqual(erasedAudit.body.entries.map((e) => e.target.id), [idle]);
        const applied = await t.client.get('/api/v1/audit?action=privacy.retention_applied');
        assert.equal(applied.body.entries[0].details.people, 1);
        // The next run plans afresh: neither is inactive any more, nothing more is erased.
        const next = await planRetention(ctx(), t.teamId);
        assert.deepEqual(next.inactivePeople, []);
    });
});
//# sourceMappingURL=retention-race.test.js.map