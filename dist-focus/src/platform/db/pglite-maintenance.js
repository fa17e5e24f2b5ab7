/**
 * PGlite runs PostgreSQL in single-user mode, which has no autovacuum: left alone, it never
 * gathers planner statistics, never makes the space of deleted and updated rows reusable (job
 * rows, sessions, erased people, events past retention), and never freezes old rows. This job
 * does what autovacuum would, with autovacuum's own settings and thresholds (docs/operations.md):
 * a table is vacuumed when its dead rows exceed `autovacuum_vacuum_threshold` + scale × its
 * rows, when its inserts since the last vacuum exceed the insert threshold, or when its oldest
 * unfrozen row is older than `autovacuum_freeze_max_age`; it is analyzed when its changes since
 * the last analyze exceed the analyze threshold. PostgreSQL needs none of this: the job is
 * registered on PGlite only.
 */
export const PGLITE_MAINTENANCE_JOB = 'platform.pglite-maintenance';
const UNDEFINED_TABLE = '42P01';
/**
 * A pass checkpoints when this much WAL was written since the last checkpoint. PostgreSQL's
 * checkpointer does it every five minutes (`checkpoint_timeout`); single-user mode has none, so
 * PGlite checkpointed only at shutdown or at `max_wal_size` (1 GB): up to a gigabyte of WAL on
 * disk, all of it replayed at start after a crash, and then a checkpoint of up to the whole
 * buffer cache on the request thread. Below one segment there is nothing worth writing out.
 */
const WAL_PER_CHECKPOINT_BYTES = 16 * 1024 * 1024;
async function walSinceCheckpoint(engine) {
    const { rows } = await engine.ownerTransaction((tx) => tx.query(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::text AS bytes FROM pg_control_checkpoint()`));
    return Number(rows[0].bytes);
}
/**
 * The activity counters PostgreSQL keeps per table reach its statistics views when a session
 * goes idle, which PGlite's embedded loop never reports: they are flushed on demand first.
 */
async function flushActivityCounters(engine) {
    await engine.ownerExec('SELECT pg_stat_force_next_flush()');
}
/** Tables due for a vacuum, an analyze or both, by autovacuum's rules, largest backlog first. */
async function dueTables(engine) {
    const { rows } = await engine.ownerTransaction((tx) => tx.query(`WITH k AS (
         SELECT current_setting('autovacuum_vacuum_threshold')::float8 AS vt,
                current_setting('autovacuum_vacuum_scale_factor')::float8 AS vs,
                current_setting('autovacuum_vacuum_insert_threshold')::float8 AS it,
                current_setting('autovacuum_vacuum_insert_scale_factor')::float8 AS iss,
                current_setting('autovacuum_analyze_threshold')::float8 AS at,
                current_setting('autovacuum_analyze_scale_factor')::float8 AS asf,
                current_setting('autovacuum_freeze_max_age')::float8 AS freeze_age)
       SELECT name, needs_vacuum AS vacuum, needs_analyze AS "analyze" FROM (
         SELECT format('%I.%I', s.schemaname, s.relname) AS name,
                s.n_dead_tup > k.vt + k.vs * greatest(c.reltuples, 0)
                  OR s.n_ins_since_vacuum > k.it + k.iss * greatest(c.reltuples, 0)
                  OR age(c.relfrozenxid) > k.freeze_age AS needs_vacuum,
                s.n_mod_since_analyze > k.at + k.asf * greatest(c.reltuples, 0) AS needs_analyze,
                s.n_dead_tup + s.n_mod_since_analyze AS backlog
           FROM pg_stat_all_tables s JOIN pg_class c ON c.oid = s.relid, k
          WHERE c.relkind IN ('r', 'm') AND c.relpersistence = 'p') AS t
        WHERE needs_vacuum OR needs_analyze
        ORDER BY backlog DESC`));
    return rows;
}
/**
 * ANALYZE's statistics target here: a sample of 300 × 30 = 9,000 rows instead of 30,000. PGlite
 * serves no request while a statement runs, and the sample is what an ANALYZE costs on a large
 * table: ~160 ms on 300,000 events at the default 100, ~60 ms at 30. The planner needs no finer
 * figures for Haven's statements: teams, people and time ranges, looked up by index (lookup-plans
 * test). A column given a target of its own keeps it.
 */
const STATISTICS_TARGET = 30;
/**
 * One pass: every due table, one statement at a time, so the database serves other work between
 * them (PGlite runs one statement at a time; VACUUM cannot run inside a transaction). A table due
 * for both is vacuumed and then analyzed in two statements, not one `VACUUM (ANALYZE)`: two
 * shorter waits for the requests queued behind them rather than one of their sum.
 */
export async function maintainPGlite(engine) {
    await flushActivityCounters(engine);
    const run = { vacuumed: [], analyzed: [], checkpointed: false };
    for (const table of await dueTables(engine)) {
        try {
            if (table.vacuum) {
                await engine.ownerExec(`VACUUM ${table.name}`);
                run.vacuumed.push(table.name);
            }
            if (table.analyze) {
                await engine.ownerTransaction(async (tx) => {
                    await tx.query(`SELECT set_config('default_statistics_target', $1, true)`, [String(STATISTICS_TARGET)]);
                    await tx.query(`ANALYZE ${table.name}`);
                });
                run.analyzed.push(table.name);
            }
        }
        catch (error) {
            // Dropped since it was listed (pg-boss drops a deleted queue's partition): nothing to keep.
            if (error.code === UNDEFINED_TABLE)
                continue;
            throw error;
        }
    }
    if ((await walSinceCheckpoint(engine)) >= WAL_PER_CHECKPOINT_BYTES) {
        await engine.ownerExec('CHECKPOINT');
        run.checkpointed = true;
    }
    return run;
}
/** A pass waits for this long without an application transaction… */
export const QUIET_MS = 1_000;
/** …unless the last pass is this old: under unbroken load, one pass an hour goes ahead anyway. */
export const LONGEST_DEFERRAL_MS = 60 * 60_000;
/**
 * Whether a pass runs now. Requests wait behind each of its statements (a vacuum or an analyze of
 * a large events table takes ~0.1 s), so it takes a quiet moment, which a self-hosted team's
 * traffic has nearly always; steady load defers it, for an hour at most.
 */
export function maintenanceDue(quietForMs, sinceLastPassMs) {
    return quietForMs >= QUIET_MS || sinceLastPassMs >= LONGEST_DEFERRAL_MS;
}
/** When each engine's last pass ran (or, before its first, when the job first looked). */
const lastPass = new WeakMap();
/** The job, every five minutes (a pass that finds nothing due costs three small reads). */
export const pgliteMaintenanceJob = {
    name: PGLITE_MAINTENANCE_JOB,
    schedule: '*/5 * * * *',
    async handler(_data, ctx) {
        const engine = ctx.engine;
        if (!lastPass.has(engine))
            lastPass.set(engine, Date.now());
        if (!maintenanceDue(engine.quietForMs?.() ?? Infinity, Date.now() - lastPass.get(engine))) {
            ctx.logger.debug('embedded database busy: maintenance deferred to the next quiet five-minute mark');
            return;
        }
        lastPass.set(engine, Date.now());
        const started = performance.now();
        const run = await maintainPGlite(engine);
        if (run.vacuumed.length + run.analyzed.length === 0 && !run.checkpointed)
            return;
        ctx.logger.info({ ...run, ms: Math.round(performance.now() - started) }, 'embedded database maintained');
    },
};
//# sourceMappingURL=pglite-maintenance.js.map