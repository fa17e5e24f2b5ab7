import assert from 'node:assert/strict';
import { it } from 'node:test';
import { personActivity } from '../src/modules/tracking/timeline.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { keyClient, signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
/**
 * A timeline page is read in two statements: the page, then the exact time of its last event for
 * the cursor. A purge or retention can delete that event in between; the page must still answer,
 * with a cursor from which no remaining event is skipped.
 */
describeEngines('timeline when the page’s last event is deleted mid-page', (haven) => {
    const { owner } = ownerSql(haven);
    it('answers with a cursor that skips no remaining event, even one in the same millisecond', async () => {
        const t = await signUp(haven().server, 'timeline-race');
        const ingestKey = (await keyClient(haven().server, t.client, 'secret', 'admin')).client;
        const sent = await ingestKey.post('/api/v1/events', { events: Array.from({ length: 5 }, (_, k) => ({ type: 'track', userId: 'race-timeline', event: `E${k}` })) });
        assert.equal(sent.status, 200, sent.raw.body);
        const personId = sent.body.results[0].personId;
        // Times to the microsecond, newest first: B is the last of a 2-event page; C is in B's
        // millisecond but older (a cursor cut to B's millisecond would skip it).
        const offsets = { A: 3_800, B: 3_500, C: 3_200, D: 2_500, E: 1_500 };
        const ids = (await owner(`SELECT id FROM events WHERE team_id = $1 AND person_id = $2 ORDER BY id`, [t.teamId, personId])).rows.map((r) => r.id);
        const byName = Object.fromEntries(Object.keys(offsets).map((name, i) => [name, ids[i]]));
        for (const [name, us] of Object.entries(offsets)) {
            await owner(`UPDATE events SET occurred_at = timestamptz '2026-03-01 12:00:00+00' + $2::int * interval '1 microsecond' WHERE team_id = $1 AND id = $3`, [
                t.teamId,
                us,
                byName[name],
            ]);
        }
        const nameOf = new Map(Object.entries(byName).map(([n, id]) => [id, n]));
        const page = (tx, cursor) => personActivity(tx, haven().keyring, t.teamId, personId, { limit: 2, cursor });
        const walk = async (first) => {
            const seen = first.activity.map((a) => nameOf.get(a.id));
            for (let cursor = first.nextCursor; cursor;) {
                const next = await withTeam(haven().engine, t.teamId, (tx) => page(tx, cursor));
                seen.push(...next.activity.map((a) => nameOf.get(a.id)));
                cursor = next.nextCursor;
            }
            return seen;
        };
        // Control: nothing deleted, the cursor is exact — every event once, newest first.
        const undisturbed = await withTeam(haven().engine, t.teamId, (tx) => page(tx));
        assert.deepEqual(await walk(undisturbed), ['A', 'B', 'C', 'D', 'E']);
        // B is deleted between the page's statement and the cursor's, as a purge would.
        let deleted = 0;
        const first = await withTeam(haven().engine, t.teamId, (tx) => {
            const racing = {
                async query(text, params) {
                    if (/extract\(epoch FROM occurred_at\)/.test(text))
                        deleted += (await tx.query(`DELETE FROM events WHERE team_id = $1 AND id = $2`, [t.teamId, byName.B])).rowCount;
                    return tx.query(text, params);
                },
                announce: (change) => tx.announce(change),
                whenDone: (fn) => tx.whenDone(fn),
            };
            return page(racing);
        });
        assert.equal(deleted, 1, 'the deletion ran between the two statements');
        assert.deepEqual(first.activity.map((a) => nameOf.get(a.id)), ['A', 'B'], 'the page as read');
        assert.ok(first.nextCursor, 'a next page is offered');
        const seen = await walk(first);
        // Every remaining event, in order; at most A (B's millisecond, newer) comes again.
        assert.deepEqual(seen.filter((n, i) => !(n === 'A' && i > 0)), ['A', 'B', 'C', 'D', 'E']);
        assert.ok(seen.filter((n) => n === 'A').length <= 2);
        // Through the API the timeline answers as usual once the event is gone.
        const res = await t.client.get(`/api/v1/people/${personId}/activity?limit=2`);
        assert.equal(res.status, 200, res.raw.body);
        assert.deepEqual(res.body.activity.map((a) => nameOf.get(a.id)), ['A', 'C']);
    });
});
//# sourceMappingURL=timeline-race.test.js.map