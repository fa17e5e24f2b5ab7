import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sealClearPageNames } from '../src/modules/tracking/seal-clear-page-names.js';
import { createLogger } from '../src/platform/log.js';
import { keyClient, signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
/**
 * Earlier builds kept a page's or screen's name (a title that can name the person) in the clear
 * `name` column. At start, such names move into the sealed payload and the column is cleared.
 */
describeEngines('page names an earlier build stored in clear', (haven) => {
    const { owner } = ownerSql(haven);
    it('are sealed at start: the timeline still shows them, the column holds none, track names stay, erased people lose theirs', async () => {
        const a = await signUp(haven().server, 'clear-names');
        const w = await keyClient(haven().server, a.client, 'secret', 'admin');
        const sent = await w.client.post('/api/v1/events', {
            events: [
                { type: 'page', anonymousId: 'kept', name: 'Pricing', properties: { url: 'https://x.test/p' } },
                { type: 'track', anonymousId: 'kept', event: 'Signed Up' },
                { type: 'screen', anonymousId: 'erased', name: 'Settings' },
            ],
        });
        assert.equal(sent.status, 200, sent.raw.body);
        assert.equal(sent.body.accepted, 3, sent.raw.body);
        const [page, , screen] = sent.body.results;
        // As an earlier build left them: the title in the clear column.
        await owner(`UPDATE events SET name = 'Invoice for Ada Lovelace' WHERE team_id = $1 AND id = $2`, [a.teamId, page.eventId]);
        await owner(`UPDATE events SET name = 'Old screen' WHERE team_id = $1 AND id = $2`, [a.teamId, screen.eventId]);
        const erased = await a.client.delete(`/api/v1/people/${screen.personId}`);
        assert.ok(erased.status < 300, erased.raw.body);
        const logger = createLogger({ level: 'silent' });
        assert.equal(await sealClearPageNames({ engine: haven().engine, keyring: haven().keyring, logger }), 2);
        // Jobs run only when asked here: the erased person's rows are still there, keyless.
        const names = await owner(`SELECT type, name FROM events WHERE team_id = $1 ORDER BY type`, [a.teamId]);
        assert.deepEqual(names.rows, [
            { type: 'page', name: null },
            { type: 'screen', name: null },
            { type: 'track', name: 'Signed Up' },
        ]);
        const activity = await a.client.get(`/api/v1/people/${page.personId}/activity`);
        assert.equal(activity.status, 200, activity.raw.body);
        assert.deepEqual(activity.body.activity.map((e) => e.name).sort(), ['Invoice for Ada Lovelace', 'Signed Up']);
        assert.equal(await sealClearPageNames({ engine: haven().engine, keyring: haven().keyring, logger }), 0, 'nothing left to do');
    });
});
//# sourceMappingURL=seal-clear-page-names.test.js.map