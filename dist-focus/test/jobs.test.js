import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import PgBoss from 'pg-boss';
import { createHaven } from '../src/app.js';
import { configFromEnv } from '../src/platform/config.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { queueConnection } from '../src/platform/jobs/queue-database.js';
import { createLogger } from '../src/platform/log.js';
import { ENGINES, describeEngines, freshEngine, ownerSql, startTestHaven } from './support/haven.js';
/** What each test job's handler saw, by the `marker` in its data (tests share one Haven per engine). */
const seen = new Map();
const record = (data, ctx) => {
    const key = String(data.marker);
    seen.set(key, [...(seen.get(key) ?? []), { data, ctx }]);
};
const runs = (marker) => seen.get(marker)?.length ?? 0;
/** Failures left before a `test.flaky` job succeeds, by marker. */
const failuresLeft = new Map();
const definitions = [
    { name: 'test.record', handler: async (data, ctx) => record(data, ctx) },
    {
        name: 'test.flaky',
        async handler(data, ctx) {
            record(data, ctx);
            const left = failuresLeft.get(data.marker) ?? 0;
            failuresLeft.set(data.marker, left - 1);
            if (left > 0)
                throw new Error('the mail server is down');
        },
    },
    { name: 'test.nightly', schedule: '17 3 * * *', handler: async (data, ctx) => record(data, ctx) },
];
const marker = () => `m-${randomBytes(6).toString('hex')}`;
/** Make a queued job due now, as if its start time (or its retry's backoff) had passed. */
async function makeDue(haven, id) {
    await ownerSql(haven).owner(`UPDATE pgboss.job SET start_after = now() - interval '1 second' WHERE id = $1`, [id]);
}
async function jobRow(haven, id) {
    const r = await ownerSql(haven).owner(`SELECT state, retry_count, output, extract(epoch FROM start_after - now())::float8 AS due_in FROM pgboss.job WHERE id = $1`, [id]);
    return r.rows[0];
}
describeEngines('background jobs', (haven) => {
    it('send + runNow runs the handler once, with the data and the Haven context', async () => {
        const m = marker();
        const data = { marker: m, teamId: randomUUID(), personId: randomUUID() };
        const id = await haven().jobs.send('test.record', data);
        assert.match(String(id), /^[0-9a-f-]{36}$/);
        assert.equal(runs(m), 0, 'manual mode: nothing runs before runNow');
        assert.equal(await haven().jobs.runNow('test.record'), 1);
        assert.deepEqual(seen.get(m)[0].data, data);
        assert.equal(seen.get(m)[0].ctx.engine, haven().engine);
        assert.equal(seen.get(m)[0].ctx.jobs, haven().jobs);
        assert.equal(await haven().jobs.runNow('test.record'), 0, 'a completed job does not run again');
        assert.equal((await jobRow(haven, id)).state, 'completed');
    });
    it('a job sent inside a transaction that rolls back never runs', async () => {
        const m = marker();
        await assert.rejects(withTeam(haven().engine, randomUUID(), async (tx) => {
            await haven().jobs.send('test.record', { marker: m }, { tx });
            throw new Error('the change that needed the job failed');
        }), /the change that needed the job failed/);
        assert.equal(await haven().jobs.runNow('test.record'), 0);
        assert.equal(runs(m), 0);
        assert.equal(await ownerSql(haven).count(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'marker' = $1`, [m]), 0);
    });
    it('a job sent inside withTeam (as the app role) is queued when the transaction commits, and runs', async () => {
        const m = marker();
        const teamId = randomUUID();
        const id = await withTeam(haven().engine, teamId, async (tx) => {
            const who = await tx.query(`SELECT current_user AS u`);
            assert.equal(who.rows[0].u, 'haven_app');
            return haven().jobs.send('test.record', { marker: m, teamId }, { tx });
        });
        assert.ok(id, 'the send returns the job id');
        assert.equal(await haven().jobs.runNow('test.record'), 1);
        assert.deepEqual(seen.get(m)[0].data, { marker: m, teamId });
    });
    it('the app role may enqueue, but not read, change or delete jobs', async () => {
        const teamId = randomUUID();
        for (const sql of [`SELECT data FROM pgboss.job`, `UPDATE pgboss.job SET priority = 1`, `DELETE FROM pgboss.job`, `SELECT * FROM pgboss.schedule`]) {
            await assert.rejects(withTeam(haven().engine, teamId, (tx) => tx.query(sql)), /permission denied/, sql);
        }
    });
    it('startAfter in the future is not run by runNow; once due, it runs', async () => {
        const m = marker();
        const id = await haven().jobs.send('test.record', { marker: m }, { startAfter: new Date(Date.now() + 24 * 3600_000) });
        assert.equal(await haven().jobs.runNow('test.record'), 0);
        assert.equal(runs(m), 0);
        const row = await jobRow(haven, id);
        assert.ok(row.due_in > 23 * 3600, `due in ${row.due_in} s`);
        await makeDue(haven, id);
        assert.equal(await haven().jobs.runNow('test.record'), 1);
        assert.equal(runs(m), 1);
    });
    it('a failing handler: runNow rethrows, the failure is recorded and logged without data, and the job is retried later', async () => {
        const m = marker();
        failuresLeft.set(m, 1);
        const logsBefore = haven().logs.length;
        const id = await haven().jobs.send('test.flaky', { marker: m });
        await assert.rejects(haven().jobs.runNow('test.flaky'), /the mail server is down/);
        const failed = await jobRow(haven, id);
        assert.equal(failed.state, 'retry');
        assert.deepEqual(failed.output, { type: 'Error', message: 'the mail server is down' });
        assert.ok(failed.due_in >= 50, `backoff: retried in ${failed.due_in} s, not at once`);
        const lines = haven().logs.slice(logsBefore).map((l) => JSON.parse(l));
        const line = lines.find((l) => l.msg === 'job failed; it will be retried');
        assert.ok(line, haven().logs.slice(logsBefore).join(''));
        assert.deepEqual(line.job, { id, name: 'test.flaky', attempt: 1 });
        assert.equal(line.retriesLeft, 8);
        assert.ok(!haven().logs.slice(logsBefore).join('').includes(m), 'the job data was logged');
        assert.equal(await haven().jobs.runNow('test.flaky'), 0, 'not due again until the backoff passes');
        await makeDue(haven, id);
        assert.equal(await haven().jobs.runNow('test.flaky'), 1, 'the retry succeeds');
        assert.equal(runs(m), 2);
        assert.equal((await jobRow(haven, id)).state, 'completed');
    });
    it('a job that keeps failing is marked failed after its last retry and logged as an error', async () => {
        const m = marker();
        failuresLeft.set(m, Number.POSITIVE_INFINITY);
        const logsBefore = haven().logs.length;
        const id = await haven().jobs.send('test.flaky', { marker: m });
        let attempts = 0;
        while ((await jobRow(haven, id)).state !== 'failed') {
            assert.ok(attempts < 20, 'the job never stops being retried');
            await makeDue(haven, id);
            await assert.rejects(haven().jobs.runNow('test.flaky'), /the mail server is down/);
            attempts++;
        }
        assert.equal(attempts, 9, 'the first attempt and 8 retries');
        assert.equal(runs(m), 9);
        await makeDue(haven, id);
        assert.equal(await haven().jobs.runNow('test.flaky'), 0, 'a failed job is not run again');
        const errors = haven()
            .logs.slice(logsBefore)
            .map((l) => JSON.parse(l))
            .filter((l) => l.level >= 50);
        assert.equal(errors.length, 1);
        assert.equal(errors[0].msg, 'job failed for good: no retries left');
        assert.deepEqual(errors[0].job, { id, name: 'test.flaky', attempt: 9 });
    });
    it('singletonKey: a second job with the same key is not queued while the first waits; jobs without a key never merge', async () => {
        const m = marker();
        const key = randomUUID();
        const first = await haven().jobs.send('test.record', { marker: m }, { singletonKey: key });
        assert.ok(first);
        assert.equal(await haven().jobs.send('test.record', { marker: m }, { singletonKey: key }), null);
        assert.ok(await haven().jobs.send('test.record', { marker: m }));
        assert.ok(await haven().jobs.send('test.record', { marker: m }));
        assert.equal(await haven().jobs.runNow('test.record'), 3);
        assert.equal(runs(m), 3);
        assert.ok(await haven().jobs.send('test.record', { marker: m }, { singletonKey: key }), 'once the first has run, the key is free again');
        assert.equal(await haven().jobs.runNow('test.record'), 1);
    });
    it("pg-boss's maintenance scripts (BEGIN … COMMIT, advisory lock) run on the engine: a job left active by a dead process is retried", async () => {
        const m = marker();
        const id = await haven().jobs.send('test.record', { marker: m });
        await ownerSql(haven).owner(`UPDATE pgboss.job SET state = 'active', started_on = now() - interval '2 hours' WHERE id = $1`, [id]);
        const connection = queueConnection(haven().engine, () => { });
        const boss = new PgBoss({ db: connection, schema: 'pgboss' });
        try {
            await boss.maintain();
            assert.equal((await jobRow(haven, id)).state, 'retry');
            // A script that fails ends its transaction: the connection stays usable.
            await assert.rejects(connection.executeSql(`BEGIN;\nSELECT 1/0;\nCOMMIT;`), /division by zero/);
            assert.deepEqual((await connection.executeSql(`SELECT 1 AS one`)).rows, [{ one: 1 }]);
        }
        finally {
            await connection.close();
        }
        await makeDue(haven, id);
        assert.equal(await haven().jobs.runNow('test.record'), 1);
        assert.equal(runs(m), 1);
    });
    it('a schedule registers a recurring job, as cron in UTC', async () => {
        const rows = await ownerSql(haven).owner(`SELECT name, cron, timezone FROM pgboss.schedule WHERE name LIKE 'test.%' ORDER BY name`);
        assert.deepEqual(rows.rows, [{ name: 'test.nightly', cron: '17 3 * * *', timezone: 'UTC' }]);
    });
    it('refuses unknown job names and data that is more than ids, without echoing the data', async () => {
        await assert.rejects(haven().jobs.send('test.nobody', {}), /no job is defined with the name test\.nobody/);
        await assert.rejects(haven().jobs.runNow('test.nobody'), /no job is defined/);
        const email = `someone.${randomBytes(4).toString('hex')}@example.test`;
        await assert.rejects(haven().jobs.send('test.record', { person: { email } }), (error) => {
            assert.ok(error instanceof TypeError);
            assert.match(error.message, /data\.person must be an id/);
            assert.ok(!error.message.includes(email));
            return true;
        });
        await assert.rejects(haven().jobs.send('test.record', { at: new Date() }), /send an ISO string/);
        await assert.rejects(haven().jobs.send('test.record', { marker: 'x' }, { startAfter: new Date('nonsense') }), /not a valid date/);
    });
}, {}, { jobDefinitions: definitions });
const quiet = () => createLogger({ level: 'silent' });
const config = (extra) => ({
    ...configFromEnv({}),
    masterKey: randomBytes(32).toString('base64'),
    ...extra,
});
/** Wait until `check` holds, polling; fail after `ms`. */
async function eventually(check, ms, what) {
    const until = Date.now() + ms;
    while (!check()) {
        if (Date.now() > until)
            assert.fail(`timed out waiting: ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}
/** A place for a Haven that outlives one createHaven: a data dir (PGlite) or a fresh database (PostgreSQL). */
async function durableStore(kind) {
    const dataDir = mkdtempSync(join(tmpdir(), 'haven-jobs-'));
    const db = kind === 'postgres' ? await freshEngine('postgres') : undefined;
    await db?.engine.close();
    return {
        config: config({ dataDir, databaseUrl: db?.url }),
        async remove() {
            rmSync(dataDir, { recursive: true, force: true });
            await db?.drop();
        },
    };
}
const owner = (h) => ownerSql(() => h);
for (const kind of ENGINES) {
    describe(`background jobs across starts [${kind}]`, () => {
        it("'work' mode runs a job in the background, without runNow, and fires a schedule", async () => {
            const h = await startTestHaven(kind, {}, { jobs: 'work', jobDefinitions: [...definitions, { name: 'test.every-minute', schedule: '* * * * *', handler: async (data, ctx) => record({ ...data, marker: `minute-${kind}` }, ctx) }] });
            try {
                const m = marker();
                await h.jobs.send('test.record', { marker: m });
                await eventually(() => runs(m) === 1, 10_000, 'the background worker to run the job');
                const teamId = randomUUID();
                const m2 = marker();
                await withTeam(h.engine, teamId, (tx) => h.jobs.send('test.record', { marker: m2 }, { tx }));
                await eventually(() => runs(m2) === 1, 10_000, 'the background worker to run a job committed in a transaction');
                // pg-boss's clock fires due schedules; an every-minute one is due at once.
                await eventually(() => runs(`minute-${kind}`) >= 1, 60_000, 'the schedule to fire');
            }
            finally {
                const stopping = Date.now();
                await h.close();
                assert.ok(Date.now() - stopping < 5000, `close took ${Date.now() - stopping} ms`);
            }
        });
        it('a restart keeps queued jobs, and brings queues and schedules in line with the definitions', async () => {
            const store = await durableStore(kind);
            try {
                const m = marker();
                const first = await createHaven(store.config, quiet(), { jobs: 'manual', jobDefinitions: definitions });
                await first.jobs.send('test.record', { marker: m });
                const later = await first.jobs.send('test.record', { marker: m }, { startAfter: new Date(Date.now() + 3600_000) });
                await first.close();
                const second = await createHaven(store.config, quiet(), { jobs: 'manual', jobDefinitions: definitions });
                try {
                    assert.equal(await second.jobs.runNow('test.record'), 1, 'the job queued before the restart runs after it');
                    assert.equal(runs(m), 1);
                    const waiting = await owner(second).owner(`SELECT id, state FROM pgboss.job WHERE data->>'marker' = $1 AND state = 'created'`, [m]);
                    assert.deepEqual(waiting.rows, [{ id: later, state: 'created' }]);
                    assert.equal(await owner(second).count(`SELECT count(*)::int AS n FROM pgboss.queue WHERE name LIKE 'test.%'`), 3);
                }
                finally {
                    await second.close();
                }
                // The nightly job loses its schedule in code: the next start drops it from the database.
                const unscheduled = definitions.map(({ schedule: _, ...definition }) => definition);
                const third = await createHaven(store.config, quiet(), { jobs: 'manual', jobDefinitions: unscheduled });
                try {
                    assert.equal(await owner(third).count(`SELECT count(*)::int AS n FROM pgboss.schedule WHERE name LIKE 'test.%'`), 0);
                }
                finally {
                    await third.close();
                }
            }
            finally {
                await store.remove();
            }
        });
        if (kind === 'postgres') {
            it('two nodes starting at once on a fresh database both start, with one set of queues', async () => {
                const store = await durableStore(kind);
                try {
                    const started = await Promise.allSettled([
                        createHaven(store.config, quiet(), { jobs: 'work', jobDefinitions: definitions }),
                        createHaven(store.config, quiet(), { jobs: 'work', jobDefinitions: definitions }),
                    ]);
                    const [a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
                    try {
                        for (const s of started)
                            if (s.status === 'rejected')
                                throw s.reason;
                        assert.equal(await owner(a).count(`SELECT count(*)::int AS n FROM pgboss.queue WHERE name LIKE 'test.%'`), 3);
                        const m = marker();
                        await a.jobs.send('test.record', { marker: m });
                        await b.jobs.send('test.record', { marker: m });
                        await eventually(() => runs(m) === 2, 10_000, 'the two nodes to run both jobs');
                    }
                    finally {
                        await Promise.all([a?.close(), b?.close()]);
                    }
                }
                finally {
                    await store.remove();
                }
            });
        }
    });
}
//# sourceMappingURL=jobs.test.js.map