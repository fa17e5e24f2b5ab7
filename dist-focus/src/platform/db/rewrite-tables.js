import { setTimeout as sleep } from 'node:timers/promises';
/**
 * Rewrite tables (VACUUM FULL) so their files keep no row version that committed UPDATEs left
 * behind, e.g. a value now sealed that an earlier build stored in clear.
 *
 * VACUUM FULL copies every old version some transaction might still see. A transaction that began
 * before the update, in any database of the cluster, holds back the horizon of every snapshot
 * taken while it runs, VACUUM FULL's own included, so the old version would be copied into the
 * new file. So first wait, up to `waitMs`, until every transaction that began before now has
 * ended and no session of this database holds an older snapshot. PGlite runs one transaction at
 * a time: nothing to wait for there.
 */
export async function rewriteTables(engine, tables, logger, waitMs = 60_000) {
    if (tables.length === 0)
        return;
    const settled = engine.kind === 'pglite' || (await waitForOlderTransactions(engine, waitMs));
    if (!settled) {
        logger.warn({ tables, waitedMs: waitMs }, 'a transaction older than the rewrite still runs: old row versions may stay in the files until VACUUM FULL of these tables runs again');
    }
    for (const table of tables)
        await engine.ownerExec(`VACUUM FULL ${table}`);
}
/**
 * Wait, up to `waitMs`, until every transaction that began before now (in any database of the
 * cluster) has ended and no session of this database holds an older snapshot. True if so.
 * PostgreSQL only.
 */
export async function waitForOlderTransactions(engine, waitMs) {
    const marker = await engine.ownerTransaction(async (tx) => (await tx.query(`SELECT pg_current_xact_id()::text AS xid`)).rows[0].xid);
    const deadline = Date.now() + waitMs;
    for (let pause = 20;; pause = Math.min(pause * 2, 1_000)) {
        const ended = await engine.ownerTransaction(async (tx) => {
            // The snapshot's xmin is the oldest transaction id still running anywhere in the cluster;
            // backend_xmin, each session's oldest snapshot (read-only transactions hold no id).
            const r = await tx.query(`SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8
            AND NOT EXISTS (SELECT 1 FROM pg_stat_activity
                             WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL
                               AND age(backend_xmin) >= age(($1::xid8::text::numeric % 4294967296)::text::xid)) AS ended`, [marker]);
            return r.rows[0].ended;
        });
        if (ended)
            return true;
        if (Date.now() >= deadline)
            return false;
        await sleep(pause);
    }
}
//# sourceMappingURL=rewrite-tables.js.map