/**
 * PGlite has no autovacuum; Haven's maintenance job stands in for it (pglite-maintenance.ts).
 * On PGlite it must gather the planner's statistics and make dead rows' space reusable, by
 * autovacuum's thresholds (so a quiet table is left alone); on PostgreSQL, whose autovacuum does
 * this, the job does not exist.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGLITE_MAINTENANCE_JOB, QUIET_MS, maintainPGlite } from '../src/platform/db/pglite-maintenance.js';
import { keyClient, signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
describeEngines('embedded database maintenance', (haven, kind) => {
    const { owner } = ownerSql(haven);
    /** The table's statistics as PostgreSQL reports them, its counters flushed first. */
    const statsOf = async (table) => {
        await haven().engine.ownerExec('SELECT pg_stat_force_next_flush()');
        const { rows } = await owner(`SELECT s.n_dead_tup::int AS dead, s.last_vacuum, s.last_analyze, c.reltuples::float8 AS reltuples,
              (SELECT count(*)::int FROM pg_statistic p WHERE p.starelid = c.oid) AS columns
         FROM pg_stat_all_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = 'public' AND s.relname = $1`, [table]);
        return rows[0];
    };
    if (kind === 'postgres') {
        it('is not defined on PostgreSQL, whose autovacuum does the work', async () => {
            await assert.rejects(haven().jobs.runNow(PGLITE_MAINTENANCE_JOB), /no job is defined/);
        });
        return;
    }
    const events = Array.from({ length: 400 }, (_, i) => ({ type: 'track', event: 'Viewed', anonymousId: `maintained-${i % 100}`, messageId: `maintained-${i}` }));
    let teamId;
    it('waits for a moment without requests: a pass right after one is put off', async () => {
        const a = await signUp(haven().server);
        teamId = a.teamId;
        const w = await keyClient(haven().server, a.client, 'write');
        assert.equal((await w.client.post('/api/v1/events', { events })).status, 200);
        assert.ok(haven().engine.quietForMs() < QUIET_MS);
        await haven().jobs.send(PGLITE_MAINTENANCE_JOB, {});
        assert.equal(await haven().jobs.runNow(PGLITE_MAINTENANCE_JOB), 1);
        const stats = await statsOf('events');
        assert.equal(stats.last_analyze, null, 'the busy database was not analyzed');
        assert.equal(stats.columns, 0, 'PGlite gathered no statistics of its own');
    });
    it('analyzes tables that changed and vacuums away their dead rows, and leaves quiet tables alone', async () => {
        // Dead rows, as retention or an erasure's purge leaves them.
        await owner(`DELETE FROM events WHERE team_id = $1 AND id IN (SELECT id FROM events WHERE team_id = $1 LIMIT 200)`, [teamId]);
        const before = await statsOf('events');
        assert.equal(before.dead, 200);
        while (haven().engine.quietForMs() < QUIET_MS)
            await sleep(100);
        await haven().jobs.send(PGLITE_MAINTENANCE_JOB, {});
        assert.equal(await haven().jobs.runNow(PGLITE_MAINTENANCE_JOB), 1);
        const after = await statsOf('events');
        assert.equal(after.dead, 0, 'the dead rows were vacuumed');
        assert.ok(after.last_vacuum && after.last_analyze);
        assert.equal(after.reltuples, 200, 'the planner knows how many events there are');
        assert.ok(after.columns > 0, 'and has column statistics');
        // Sampled at the job's smaller target (pglite-maintenance.ts): at most 30 histogram buckets,
        // where PostgreSQL's default of 100 would give each of these 200 distinct ids its own bound.
        const { rows: histogram } = await owner(`SELECT cardinality(histogram_bounds::text::text[]) AS bounds FROM pg_stats WHERE schemaname = 'public' AND tablename = 'events' AND attname = 'id'`);
        assert.equal(histogram[0].bounds, 31);
        for (const table of ['people', 'person_identities'])
            assert.ok((await statsOf(table)).last_analyze, `${table} was analyzed`);
        assert.ok(haven().logs.some((line) => line.includes('embedded database maintained') && line.includes('public.events')), 'the pass is logged with the tables it worked on');
        // Nothing changed since: the next pass has nothing to do for these tables.
        const again = await maintainPGlite(haven().engine);
        for (const table of ['public.events', 'public.people', 'public.person_identities']) {
            assert.ok(!again.vacuumed.includes(table) && !again.analyzed.includes(table), `${table} was maintained again without a change`);
        }
        assert.equal(again.checkpointed, false, 'a few hundred events are no reason to checkpoint');
    });
    it('checkpoints once a segment of WAL has been written since the last checkpoint, which single-user mode never does by itself', async () => {
        const redo = async () => (await owner(`SELECT redo_lsn::text AS redo FROM pg_control_checkpoint()`)).rows[0].redo;
        const before = await redo();
        // ~20 MB of WAL, as a busy day's ingest writes.
        await owner(`CREATE TABLE wal_filler AS SELECT repeat(md5(g::text), 32) AS filler FROM generate_series(1, 20000) AS g`);
        await owner(`DROP TABLE wal_filler`);
        assert.equal(await redo(), before, 'nothing checkpointed by itself');
        const run = await maintainPGlite(haven().engine);
        assert.equal(run.checkpointed, true);
        assert.notEqual(await redo(), before, 'the redo point moved: a crash now replays only what came after');
        assert.equal((await maintainPGlite(haven().engine)).checkpointed, false, 'and not again until there is more');
    });
});
//# sourceMappingURL=pglite-maintenance.test.js.map