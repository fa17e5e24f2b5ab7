import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
/**
 * Hold `lock` (a statement locking the contested row) while `send` runs, until `waiters`
 * requests wait on this database's locks. On PostgreSQL they are seen waiting in pg_locks; PGlite
 * runs one transaction at a time, so there they simply queue behind this one.
 */
export async function whileLocked(haven, lock, waiters, send) {
    let sent;
    await haven.engine.ownerTransaction(async (tx) => {
        await lock(tx);
        sent = send();
        if (haven.engine.kind !== 'postgres')
            return sleep(100);
        const waiting = async () => {
            // pg_stat_activity is read once per transaction and kept: a connection the pool opened for
            // a request after the first look would never show (so CI saw "at most 2" of 3). Read it anew.
            await tx.query('SELECT pg_stat_clear_snapshot()');
            return Number((await tx.query(`SELECT count(DISTINCT l.pid)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE NOT l.granted AND a.datname = current_database()`)).rows[0].n);
        };
        // Generous: on a loaded CI machine a request can take seconds to reach the lock.
        const until = Date.now() + 30_000;
        let most = 0;
        for (let now = await waiting(); now < waiters; now = await waiting()) {
            most = Math.max(most, now);
            assert.ok(Date.now() < until, `fewer than ${waiters} requests ever waited on the lock (at most ${most})`);
            await sleep(20);
        }
    });
    return sent;
}
//# sourceMappingURL=while-locked.js.map