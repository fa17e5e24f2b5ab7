import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import pg from 'pg';
import { rewriteTables } from '../src/platform/db/rewrite-tables.js';
import { createLogger } from '../src/platform/log.js';
import { ENGINES, freshEngine } from './support/haven.js';
/**
 * A value an UPDATE replaced must leave the table's file when it is rewritten, even while a
 * transaction that began before the update still runs elsewhere in the cluster (the CI failure
 * of sealed-emails: another test's transaction kept the clear email's row version alive).
 */
describe('rewriting a table so its file keeps no replaced value', () => {
    for (const kind of ENGINES) {
        it(`[${kind}] the old version is gone from the file after the rewrite`, async () => {
            const db = await freshEngine(kind);
            try {
                const clear = await replacedValue(db.engine);
                await rewriteTables(db.engine, ['rewritten'], quietLogger().logger);
                assert.ok(!(await fileHolds(db.engine, clear)), 'the replaced value is still in the file');
            }
            finally {
                await db.engine.close();
                await db.drop();
            }
        });
    }
    if (!ENGINES.includes('postgres'))
        return;
    it('[postgres] waits for a transaction older than the update, in another database, before it rewrites', () => whileOlderTransactionRuns(async (engine, clear, endOlder) => {
        // Positive control: a plain VACUUM FULL now copies the old version into the new file.
        await engine.ownerExec('VACUUM FULL rewritten');
        assert.ok(await fileHolds(engine, clear), 'positive control: VACUUM FULL kept the version the older transaction might see');
        let done = false;
        const rewrite = rewriteTables(engine, ['rewritten'], quietLogger().logger, 30_000).then(() => (done = true));
        await sleep(300);
        assert.equal(done, false, 'the rewrite did not wait for the older transaction');
        await endOlder();
        await rewrite;
        assert.ok(!(await fileHolds(engine, clear)), 'the replaced value is still in the file');
    }));
    it('[postgres] gives up waiting after its limit, rewrites anyway and warns, naming only the tables', () => whileOlderTransactionRuns(async (engine, clear) => {
        const { logger, logs } = quietLogger();
        await rewriteTables(engine, ['rewritten'], logger, 200);
        const warning = logs.find((l) => l.includes('old row versions may stay'));
        assert.ok(warning, logs.join(''));
        assert.deepEqual(JSON.parse(warning).tables, ['rewritten']);
        assert.ok(!warning.includes(clear));
    }));
});
/**
 * On a fresh PostgreSQL database: a transaction with an id begins in another database, then a
 * value is replaced; `fn` gets the replaced value and a way to end that older transaction.
 */
async function whileOlderTransactionRuns(fn) {
    const db = await freshEngine('postgres');
    const elsewhere = new pg.Client({ connectionString: process.env.HAVEN_TEST_DATABASE_URL });
    await elsewhere.connect();
    try {
        await elsewhere.query('BEGIN');
        await elsewhere.query('SELECT pg_current_xact_id()');
        await fn(db.engine, await replacedValue(db.engine), () => elsewhere.query('COMMIT'));
    }
    finally {
        await elsewhere.end();
        await db.engine.close();
        await db.drop();
    }
}
/** A row whose value an UPDATE replaced; returns the replaced value. */
async function replacedValue(engine) {
    const clear = `clear-${randomBytes(8).toString('hex')}`;
    await engine.ownerExec(`CREATE TABLE IF NOT EXISTS rewritten (v text)`);
    await engine.ownerTransaction((tx) => tx.query(`INSERT INTO rewritten (v) VALUES ($1)`, [clear]));
    await engine.ownerTransaction((tx) => tx.query(`UPDATE rewritten SET v = 'sealed'`));
    return clear;
}
async function fileHolds(engine, value) {
    return engine.ownerTransaction(async (tx) => {
        await tx.query('CHECKPOINT');
        const r = await tx.query(`SELECT pg_read_binary_file(pg_relation_filepath('rewritten')) AS bytes`);
        return Buffer.from(r.rows[0].bytes).includes(Buffer.from(value));
    });
}
function quietLogger() {
    const logs = [];
    const destination = new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) });
    return { logger: createLogger({ destination, level: 'info' }), logs };
}
//# sourceMappingURL=rewrite-tables.test.js.map