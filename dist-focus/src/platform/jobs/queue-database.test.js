import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import PgBoss from 'pg-boss';
import { isScript, queueConnection, scriptStatements } from './queue-database.js';
import { jobsSchema } from './schema.js';
/** An engine that records each owner transaction's statements; `fail` makes a statement throw. */
function recordingEngine(fail) {
    const transactions = [];
    let release = () => { };
    const gate = { wait: Promise.resolve() };
    const engine = {
        kind: 'pglite',
        async ownerTransaction(fn) {
            const statements = [];
            transactions.push(statements);
            await gate.wait;
            const tx = {
                async query(text) {
                    statements.push(text);
                    if (fail?.test(text))
                        throw new Error('refused');
                    return { rows: [{ text }], rowCount: 1 };
                },
                announce: async () => { },
                whenDone: () => { },
            };
            return fn(tx);
        },
    };
    return {
        engine,
        transactions,
        hold() {
            gate.wait = new Promise((resolve) => (release = resolve));
        },
        release: () => release(),
    };
}
describe('pg-boss scripts', () => {
    it("recognises pg-boss's BEGIN … COMMIT scripts and keeps their statements, functions whole", () => {
        const plan = PgBoss.getConstructionPlans('pgboss');
        assert.ok(isScript(plan));
        assert.ok(!isScript('SELECT 1'));
        const statements = scriptStatements(plan);
        assert.ok(!statements.some((s) => /^(BEGIN|COMMIT)$/i.test(s)));
        assert.match(statements[0], /^SET LOCAL lock_timeout/);
        const functions = statements.filter((s) => s.startsWith('CREATE FUNCTION'));
        assert.equal(functions.length, 2);
        for (const f of functions)
            assert.match(f, /LANGUAGE plpgsql$/);
    });
    it("jobsSchema is pg-boss's plan without its own transaction, plus the schedules' queue and the app role's grants", () => {
        assert.doesNotMatch(jobsSchema.sql, /^\s*(BEGIN|COMMIT)\s*;/im);
        assert.match(jobsSchema.sql, /CREATE TABLE pgboss\.job/);
        assert.match(jobsSchema.sql, /create_queue\('__pgboss__send-it'/);
        assert.match(jobsSchema.sql, /GRANT INSERT, SELECT \(id\) ON pgboss\.job TO haven_app/);
        assert.doesNotMatch(jobsSchema.sql, /GRANT [^;]*(UPDATE|DELETE)/);
    });
});
describe('queueConnection through the engine (PGlite)', () => {
    it('runs a statement in an owner transaction, and a script as its statements in one', async () => {
        const { engine, transactions } = recordingEngine();
        const connection = queueConnection(engine, () => assert.fail('no error expected'));
        const one = await connection.executeSql('SELECT $1', [1]);
        assert.deepEqual(one.rows, [{ text: 'SELECT $1' }]);
        await connection.executeSql(`BEGIN;\nSELECT 1;\nSELECT 2;\nCOMMIT;`);
        assert.deepEqual(transactions, [['SELECT $1'], ['SELECT 1', 'SELECT 2']]);
    });
    it('reports a failed query and still rejects it', async () => {
        const { engine } = recordingEngine(/boom/);
        const reported = [];
        const connection = queueConnection(engine, (error) => reported.push(error));
        await assert.rejects(connection.executeSql('SELECT boom'), /refused/);
        await connection.settle();
        assert.equal(reported.length, 1);
    });
    it('settle waits for running queries, and for queries they lead to', async () => {
        const recording = recordingEngine();
        const connection = queueConnection(recording.engine, () => { });
        recording.hold();
        const done = [];
        void connection.executeSql('SELECT 1').then(() => {
            done.push('first');
            // Like pg-boss completing a job right after running it.
            void connection.executeSql('SELECT 2').then(() => done.push('second'));
        });
        let settled = false;
        const settling = connection.settle().then(() => (settled = true));
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(settled, false);
        recording.release();
        await settling;
        assert.deepEqual(done, ['first', 'second']);
    });
});
//# sourceMappingURL=queue-database.test.js.map