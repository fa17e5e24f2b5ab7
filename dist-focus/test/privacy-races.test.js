import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertError, signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
import { whileLocked as heldWhile } from './support/while-locked.js';
/**
 * Privacy requests that meet on one row. Each race is forced, not hoped for: a second connection
 * holds the row's lock while the requests are sent, and lets go once they all wait on it.
 */
describeEngines('privacy requests racing each other', (haven) => {
    const { owner } = ownerSql(haven);
    const whileLocked = (lock, waiters, send) => heldWhile(haven(), lock, waiters, send);
    it('concurrent PATCH /privacy/settings each change only their own field, and each is audited', async () => {
        const t = await signUp(haven().server, 'settings-race');
        assert.equal((await t.client.patch('/api/v1/privacy/settings', { inactivePeopleMonths: 12 })).status, 200);
        const patches = [{ eventRetentionDays: 400 }, { consentRequiredFor: 'analytics' }, { exportLinkHours: 48 }];
        const replies = await whileLocked((tx) => tx.query(`SELECT 1 FROM privacy_settings WHERE team_id = $1 FOR UPDATE`, [t.teamId]), patches.length, () => Promise.all(patches.map((p) => t.client.patch('/api/v1/privacy/settings', p))));
        for (const [i, reply] of replies.entries()) {
            assert.equal(reply.status, 200, reply.raw.body);
            for (const [field, value] of Object.entries(patches[i]))
                assert.equal(reply.body[field], value);
        }
        const settings = (await t.client.get('/api/v1/privacy/settings')).body;
        assert.deepEqual({ eventRetentionDays: settings.eventRetentionDays, consentRequiredFor: settings.consentRequiredFor, exportLinkHours: settings.exportLinkHours, inactivePeopleMonths: settings.inactivePeopleMonths }, { eventRetentionDays: 400, consentRequiredFor: 'analytics', exportLinkHours: 48, inactivePeopleMonths: 12 }, 'no change lost');
        const audited = (await t.client.get('/api/v1/audit?action=privacy.settings_changed')).body.entries.map((e) => e.details.fields);
        assert.deepEqual(audited.flat().sort(), ['consentRequiredFor', 'eventRetentionDays', 'exportLinkHours', 'inactivePeopleMonths']);
        assert.ok(audited.every((fields) => fields.length === 1), `each change audited with its own field: ${JSON.stringify(audited)}`);
    });
    it('concurrent first PATCHes of a team without settings yet lose nothing either', async () => {
        const t = await signUp(haven().server, 'settings-first');
        const replies = await Promise.all([
            t.client.patch('/api/v1/privacy/settings', { eventRetentionDays: 7 }),
            t.client.patch('/api/v1/privacy/settings', { consentRequiredFor: 'analytics' }),
        ]);
        assert.deepEqual(replies.map((r) => r.status), [200, 200]);
        const settings = (await t.client.get('/api/v1/privacy/settings')).body;
        assert.equal(settings.eventRetentionDays, 7);
        assert.equal(settings.consentRequiredFor, 'analytics');
    });
    it('two erasures of one person at once: one is accepted, the other is 409 already_erased', async () => {
        const t = await signUp(haven().server, 'erasure-twice');
        const created = await t.client.post('/api/v1/people', { name: 'Twice Erased', externalIds: ['twice-1'] });
        assert.equal(created.status, 201, created.raw.body);
        const id = created.body.id;
        const replies = await whileLocked(
        // As an erasure in progress would: the person's row is locked.
        (tx) => tx.query(`SELECT 1 FROM people WHERE team_id = $1 AND id = $2 FOR UPDATE`, [t.teamId, id]), 2, () => Promise.all([t.client.post('/api/v1/privacy/erasures', { personId: id }), t.client.post('/api/v1/privacy/erasures', { personId: id })]));
        const accepted = replies.filter((r) => r.status === 202);
        assert.equal(accepted.length, 1, replies.map((r) => `${r.status} ${r.raw.body}`).join(' / '));
        assertError(replies.find((r) => r.status !== 202), 409, 'already_erased');
        const requests = await owner(`SELECT id FROM privacy_requests WHERE team_id = $1 AND kind = 'erasure' AND person_id = $2`, [t.teamId, id]);
        assert.equal(requests.rowCount, 1, 'one erasure request');
    });
});
//# sourceMappingURL=privacy-races.test.js.map