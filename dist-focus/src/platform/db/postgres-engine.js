import pg from 'pg';
import { CHANGES_CHANNEL, ChangeFeed, encodeChange } from './changes.js';
import { APP_ROLE, TransactionEndedError, scopeStatement, settle } from './engine.js';
import { listenForChanges } from './postgres-listener.js';
// int8 (counts, sums) as numbers, as PGlite returns them; Haven's counters stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
/**
 * PostgreSQL 15+. Two pools on the same URL: the app pool's connections start as the restricted
 * role (`-c role=haven_app`), so even a stray query outside a transaction runs under RLS; the
 * owner pool (one connection) serves migrations and maintenance. Changes other nodes announce
 * arrive on a listening connection of their own, opened when something first subscribes.
 */
export async function openPostgres(url, options = {}) {
    const owner = new pg.Pool({ connectionString: url, max: 2 });
    const app = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, options: `-c role=${APP_ROLE}` });
    // A dropped connection must not crash the process; the next checkout reconnects.
    owner.on('error', () => { });
    app.on('error', () => { });
    let listener;
    const changes = new ChangeFeed({ live: false, start: (feed) => (listener = listenForChanges(url, feed)) });
    const run = async (pool, role, fn, settings) => {
        const client = await pool.connect();
        const announced = [];
        const done = [];
        let committed = false;
        let open = true;
        try {
            await client.query('BEGIN');
            if (role) {
                const scope = scopeStatement(role, settings);
                await client.query(scope.text, scope.params);
            }
            const tx = {
                async query(text, params) {
                    if (!open)
                        throw new TransactionEndedError();
                    const result = await client.query(text, params);
                    return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
                },
                async announce(change) {
                    if (!open)
                        throw new TransactionEndedError();
                    await client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, encodeChange(change, changes.origin)]);
                    announced.push(change);
                },
                whenDone(fn) {
                    done.push(fn);
                },
            };
            let value;
            try {
                value = await fn(tx);
            }
            finally {
                open = false;
            }
            await client.query('COMMIT');
            committed = true;
            // Other nodes hear of it through their listeners; this one before the caller goes on.
            for (const change of announced)
                changes.deliver(change);
            return value;
        }
        catch (error) {
            await client.query('ROLLBACK').catch(() => { });
            throw error;
        }
        finally {
            client.release();
            settle(done, committed);
        }
    };
    return {
        kind: 'postgres',
        connectionString: url,
        changes,
        transaction: (fn, settings) => run(app, APP_ROLE, fn, settings),
        ownerTransaction: (fn) => run(owner, null, fn),
        async ownerExec(sql) {
            await owner.query(sql);
        },
        async close() {
            await Promise.all([app.end(), owner.end(), listener?.stop()]);
        },
    };
}
//# sourceMappingURL=postgres-engine.js.map