import { join } from 'node:path';
import pg from 'pg';
import { openPGlite } from './pglite-engine.js';
import { openPostgres } from './postgres-engine.js';
/**
 * DATABASE_URL cannot be used: malformed, or the server cannot be reached or refuses the
 * connection. The message names the host, port, database and user — never the password or the URL.
 */
export class DatabaseUnavailableError extends Error {
    constructor(message) {
        super(message);
        this.name = 'DatabaseUnavailableError';
    }
}
export async function openEngine(config) {
    if (config.databaseUrl) {
        await probePostgres(config.databaseUrl);
        return openPostgres(config.databaseUrl);
    }
    return openPGlite(config.dataDir ? join(config.dataDir, 'pgdata') : undefined);
}
/** How long a first connection may take before the server counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * One connection, opened and closed, before the pools exist: otherwise a wrong URL or a server
 * that is down surfaces as a pg stack trace from whichever query runs first — or, for a URL the
 * driver cannot parse, as a TypeError whose dump quotes the URL, password and all.
 */
async function probePostgres(url) {
    let where;
    let client;
    try {
        where = new URL(url);
        if (where.protocol !== 'postgres:' && where.protocol !== 'postgresql:')
            throw new Error('not postgres');
        client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    }
    catch {
        throw new DatabaseUnavailableError('DATABASE_URL is not a valid PostgreSQL URL (postgres://user:password@host:5432/database); its value is not shown, as it may hold a password.');
    }
    try {
        await client.connect();
        await client.query('SELECT 1');
    }
    catch (error) {
        const e = error;
        // Network errors carry an errno code (ECONNREFUSED, ENOTFOUND…); server refusals a message
        // that names the user or database, not the password. Scrubbed anyway, in case a driver ever
        // echoes it.
        let reason = typeof e.message === 'string' && e.message ? e.message : String(e.code ?? 'unknown error');
        for (const password of new Set([where.password, decoded(where.password)]))
            if (password)
                reason = reason.split(password).join('***');
        const database = decoded(where.pathname.slice(1)) || '(default)';
        const user = decoded(where.username) || '(default)';
        throw new DatabaseUnavailableError(`cannot connect to PostgreSQL at ${where.hostname || 'localhost'}:${where.port || 5432} (database ${database}, user ${user}): ${reason}. Check DATABASE_URL and that the server is running.`);
    }
    finally {
        await client.end().catch(() => { });
    }
}
function decoded(part) {
    try {
        return decodeURIComponent(part);
    }
    catch {
        return part;
    }
}
//# sourceMappingURL=open.js.map