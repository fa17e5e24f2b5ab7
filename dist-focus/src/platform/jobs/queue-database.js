import pg from 'pg';
import { splitStatements } from '../db/migrations.js';
/** pg-boss sends its schema changes and maintenance as `BEGIN; …; COMMIT;` scripts. */
export function isScript(text) {
    return /^\s*BEGIN\s*;/i.test(text);
}
/** A script's statements without its BEGIN and COMMIT, to run in a transaction that always ends. */
export function scriptStatements(text) {
    return splitStatements(text).filter((statement) => !/^(BEGIN|COMMIT)$/i.test(statement));
}
/** An open transaction of the caller's, for a job that must commit or vanish with it. */
export function transactionDatabase(tx) {
    return { executeSql: (text, values) => tx.query(text, values ?? []) };
}
/**
 * PostgreSQL: a small pool of its own as the owner, so polling never waits behind (or starves) the
 * engine's owner connections. PGlite: through the engine, whose single connection runs one
 * transaction at a time — each of pg-boss's statements becomes a short owner transaction, queued
 * with the requests'.
 */
export function queueConnection(engine, onError) {
    const runner = engine.connectionString ? poolRunner(engine.connectionString) : engineRunner(engine);
    const running = new Set();
    return {
        executeSql(text, values) {
            const query = runner.execute(text, values);
            running.add(query);
            query.then(() => running.delete(query), (error) => {
                running.delete(query);
                // pg-boss swallows some failures (a fetch that fails returns no job): report every one.
                onError(error);
            });
            return query;
        },
        async settle() {
            while (running.size > 0) {
                await Promise.allSettled([...running]);
                // A query that just finished may start the next one (pg-boss completes a job after running it).
                await new Promise((resolve) => setImmediate(resolve));
            }
        },
        close: () => runner.close(),
    };
}
function engineRunner(engine) {
    return {
        execute: (text, values) => engine.ownerTransaction(async (tx) => {
            if (!isScript(text))
                return tx.query(text, values ?? []);
            let last = { rows: [], rowCount: 0 };
            for (const statement of scriptStatements(text))
                last = await tx.query(statement);
            return last;
        }),
        close: async () => { },
    };
}
function poolRunner(url) {
    const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'haven-jobs' });
    // A dropped idle connection must not crash the process; the next query reconnects.
    pool.on('error', () => { });
    return {
        async execute(text, values) {
            if (!isScript(text)) {
                const result = await pool.query(text, values);
                return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
            }
            const client = await pool.connect();
            try {
                await client.query(text);
                return { rows: [], rowCount: 0 };
            }
            catch (error) {
                // A failed script leaves its BEGIN open on this connection: end it before the pool reuses it.
                await client.query('ROLLBACK').catch(() => { });
                throw error;
            }
            finally {
                client.release();
            }
        },
        close: () => pool.end(),
    };
}
//# sourceMappingURL=queue-database.js.map