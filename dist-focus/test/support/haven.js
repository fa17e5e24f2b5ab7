import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createHaven } from '../../src/app.js';
import { configFromEnv } from '../../src/platform/config.js';
import { openPGlite } from '../../src/platform/db/pglite-engine.js';
import { openPostgres } from '../../src/platform/db/postgres-engine.js';
import { createLogger } from '../../src/platform/log.js';
/** The installed PGlite's version: an empty data directory of one version is no use to another. */
const PGLITE_VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('@electric-sql/pglite')), 'utf8')).version;
/**
 * The engines every integration suite runs on. `npm test` starts PostgreSQL and sets
 * HAVEN_TEST_DATABASE_URL; without it the PostgreSQL half fails loudly rather than being skipped,
 * unless HAVEN_TEST_ENGINES=pglite says so explicitly.
 */
export const ENGINES = process.env.HAVEN_TEST_ENGINES?.split(',') ?? ['pglite', 'postgres'];
let emptyPGliteCopy;
/**
 * Run on the empty database before its copy is taken. A copy is of a running cluster, so a
 * database loaded from it starts by recovering, and PostgreSQL arms a timer to report the
 * recovery's progress every 10 s that only closing the database stops: a test that forgot to close
 * one would then never let its process exit.
 */
const EMPTY_PGLITE_SETUP = 'ALTER SYSTEM SET log_startup_progress_interval = 0';
/**
 * An empty PGlite data directory, as a tarball: loading it takes ~1 s where initdb takes ~2.6 s,
 * and the suite opens over a hundred in-memory databases. Made once per PGlite version (and setup)
 * and kept in the temporary directory for every test process; written under a temporary name, then
 * renamed, so a process never reads half of one.
 */
function emptyPGlite() {
    emptyPGliteCopy ??= (async () => {
        const setup = createHash('sha256').update(EMPTY_PGLITE_SETUP).digest('hex').slice(0, 8);
        const path = join(tmpdir(), `haven-test-empty-pglite-${PGLITE_VERSION}-${setup}.tar`);
        try {
            return new Blob([readFileSync(path)]);
        }
        catch {
            const db = new PGlite('memory://');
            await db.waitReady;
            await db.exec(EMPTY_PGLITE_SETUP);
            const copy = await db.dumpDataDir('none');
            await db.close();
            const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
            writeFileSync(partial, Buffer.from(await copy.arrayBuffer()));
            renameSync(partial, path);
            return copy;
        }
    })();
    return emptyPGliteCopy;
}
/** A fresh, empty database of the given kind: in-memory PGlite or a new PostgreSQL database. */
export async function freshEngine(kind) {
    if (kind === 'pglite') {
        const engine = await openPGlite(undefined, { startFrom: await emptyPGlite() });
        return { engine, drop: async () => { } };
    }
    const adminUrl = process.env.HAVEN_TEST_DATABASE_URL;
    if (!adminUrl)
        throw new Error('HAVEN_TEST_DATABASE_URL is not set: run the suite with `npm test`, which starts PostgreSQL.');
    const name = `haven_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const engine = await openPostgres(url.toString());
    return {
        engine,
        url: url.toString(),
        async drop() {
            const a = new pg.Client({ connectionString: adminUrl });
            await a.connect();
            await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            await a.end();
        },
    };
}
export function databaseUrlOf(kind, dbName) {
    const url = new URL(process.env.HAVEN_TEST_DATABASE_URL);
    url.pathname = `/${dbName}`;
    return kind === 'postgres' ? url.toString() : '';
}
/** A migrated Haven with its HTTP server (use `server.inject`), logging into memory. */
export async function startTestHaven(kind, overrides = {}, jobOptions = {}) {
    const { engine, drop } = await freshEngine(kind);
    const logs = [];
    const destination = new Writable({
        write(chunk, _enc, done) {
            logs.push(String(chunk));
            done();
        },
    });
    // Each test Haven keeps its erasure ledger in a file of its own, outside the working directory.
    const erasureLedger = join(tmpdir(), `haven-test-ledger-${randomBytes(6).toString('hex')}.jsonl`);
    const config = { ...configFromEnv({}), rateLimitPerMinute: 1_000_000, masterKey: randomBytes(32).toString('base64'), erasureLedger, ...overrides };
    const haven = await createHaven(config, createLogger({ destination, level: 'info' }), { engine, jobs: 'manual', ...jobOptions });
    return {
        ...haven,
        kind,
        config,
        logs,
        async close() {
            await haven.close();
            await drop();
        },
    };
}
/** Run a suite once per engine, with a Haven started before and closed after. */
export function describeEngines(title, suite, overrides = {}, jobOptions = {}) {
    for (const kind of ENGINES) {
        describe(`${title} [${kind}]`, () => {
            let haven;
            before(async () => {
                haven = await startTestHaven(kind, overrides, jobOptions);
            });
            after(async () => {
                await haven?.close();
            });
            suite(() => {
                if (!haven)
                    throw new Error('Haven did not start');
                return haven;
            }, kind);
        });
    }
}
/** SQL as the schema owner (past row-level security): for tests that check what is really stored. */
export function ownerSql(haven) {
    const owner = (sql, params = []) => haven().engine.ownerTransaction((tx) => tx.query(sql, params));
    /** A `SELECT count(*)::int AS n …` as a number. */
    const count = async (sql, params = []) => Number((await owner(sql, params)).rows[0].n);
    return { owner, count };
}
//# sourceMappingURL=haven.js.map