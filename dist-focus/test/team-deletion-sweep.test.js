import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DELETE_DUE_TEAMS_JOB } from '../src/modules/accounts/index.js';
import { signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
/**
 * A cancelled team whose own deletion job is gone (a restore brings tables back, not the queue)
 * is still deleted when due: the sweep that runs every 15 minutes finds it.
 */
describeEngines('team deletion sweep', (haven) => {
    const { owner, count } = ownerSql(haven);
    it('deletes every team whose deletion is due, even with no job queued for it, and nothing else', async () => {
        const doomed = await signUp(haven().server, 'doomed');
        const cancelledLater = await signUp(haven().server, 'later');
        const alive = await signUp(haven().server, 'alive');
        assert.equal((await doomed.client.post('/api/v1/people', { name: 'Gone Soon' })).status, 201);
        assert.equal((await doomed.client.post('/api/v1/team/cancellation')).status, 202);
        assert.equal((await cancelledLater.client.post('/api/v1/team/cancellation')).status, 202);
        // As after a restore: the queue lost the per-team jobs, and one deletion is overdue.
        await owner(`DELETE FROM pgboss.job WHERE name = 'accounts.delete-team'`);
        await owner(`UPDATE teams SET deletion_due_at = now() - interval '1 minute' WHERE team_id = $1`, [doomed.teamId]);
        await haven().jobs.send(DELETE_DUE_TEAMS_JOB, {});
        assert.equal(await haven().jobs.runNow(DELETE_DUE_TEAMS_JOB), 1);
        assert.equal(await count(`SELECT count(*)::int AS n FROM teams WHERE team_id = $1`, [doomed.teamId]), 0);
        assert.equal(await count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1`, [doomed.teamId]), 0);
        assert.equal(await count(`SELECT count(*)::int AS n FROM team_deletion_certificates WHERE team_id = $1`, [doomed.teamId]), 1);
        // Not yet due, and not cancelled: untouched.
        assert.equal(await count(`SELECT count(*)::int AS n FROM teams WHERE team_id = ANY($1::uuid[])`, [[cancelledLater.teamId, alive.teamId]]), 2);
    });
});
//# sourceMappingURL=team-deletion-sweep.test.js.map