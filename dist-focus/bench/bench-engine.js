import { randomBytes } from 'node:crypto';
import { openPGlite } from '../src/platform/db/pglite-engine.js';
import { openPostgres } from '../src/platform/db/postgres-engine.js';
/** The URL of a new, empty database on the benchmark's PostgreSQL (HAVEN_TEST_DATABASE_URL, set by npm run bench). */
export async function freshPostgresUrl() {
    const url = process.env.HAVEN_TEST_DATABASE_URL;
    if (!url)
        throw new Error('HAVEN_TEST_DATABASE_URL not set (run through npm run bench)');
    const admin = await openPostgres(url);
    const name = `haven_bench_${randomBytes(4).toString('hex')}`;
    await admin.ownerExec(`CREATE DATABASE ${name}`);
    await admin.close();
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
}
/** A fresh database of the given kind: in-memory PGlite, or a new PostgreSQL database. */
export async function openBenchEngine(kind) {
    return kind === 'pglite' ? openPGlite(undefined) : openPostgres(await freshPostgresUrl());
}
//# sourceMappingURL=bench-engine.js.map