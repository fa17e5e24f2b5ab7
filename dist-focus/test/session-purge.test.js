import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PURGE_ENDED_SESSIONS_JOB } from '../src/modules/accounts/index.js';
import { signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
/** Sessions nobody presents again do not stay behind: the hourly purge deletes the ended ones. */
describeEngines('ended sessions are purged', (haven) => {
    const { owner, count } = ownerSql(haven);
    it('deletes sessions past their idle or absolute limit, and only those', async () => {
        const idle = await signUp(haven().server, 'idle');
        const expired = await signUp(haven().server, 'expired');
        const live = await signUp(haven().server, 'live');
        const sessionsOf = (userId) => count(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [userId]);
        await owner(`UPDATE sessions SET last_seen_at = now() - interval '1 day' WHERE user_id = $1`, [idle.userId]);
        await owner(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [expired.userId]);
        await haven().jobs.send(PURGE_ENDED_SESSIONS_JOB, {});
        assert.equal(await haven().jobs.runNow(PURGE_ENDED_SESSIONS_JOB), 1);
        assert.equal(await sessionsOf(idle.userId), 0);
        assert.equal(await sessionsOf(expired.userId), 0);
        assert.equal(await sessionsOf(live.userId), 1);
        assert.equal((await live.client.get('/api/v1/session')).status, 200);
    });
});
//# sourceMappingURL=session-purge.test.js.map