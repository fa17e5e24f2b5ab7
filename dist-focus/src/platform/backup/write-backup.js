import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create as createTar } from 'tar';
import { listTables, quoteIdent } from '../db/catalogue.js';
import { insertLedgerRows } from '../erasure-ledger/index.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, BackupRefusedError, MANIFEST_MAC_MEMBER, MANIFEST_MEMBER, manifestMac, tableMember, } from './archive-format.js';
const FETCH = 5_000;
/**
 * Write a consistent archive of every Haven table to `out`: one snapshot (a single REPEATABLE
 * READ, READ ONLY transaction as the owner; PGlite has one connection, so one transaction), rows as
 * stored, streamed through per-table files in a private staging directory beside `out`, so memory
 * stays flat whatever the size. The archive appears under its name only once complete (written as
 * `<out>.partial`, fsync'd, renamed). Before the snapshot, the erasure ledger's file entries are
 * copied into its table, so the archive carries every erasure made so far.
 */
export async function writeBackup(engine, out, options) {
    if (await exists(out))
        throw new BackupRefusedError(`${out} already exists; choose another name.`);
    await engine.ownerTransaction(async (tx) => {
        const who = await tx.query(`SELECT rolsuper OR rolbypassrls AS all FROM pg_roles WHERE rolname = current_user`);
        if (!who.rows[0]?.all)
            throw new BackupRefusedError('A backup reads every team: run it as a database role that bypasses row-level security (a superuser, or one granted BYPASSRLS).');
        const migrated = await tx.query(`SELECT 1 FROM pg_class WHERE relname = 'haven_migrations' AND relnamespace = 'public'::regnamespace`);
        if (migrated.rowCount === 0)
            throw new BackupRefusedError('This database holds no Haven schema: nothing to back up.');
    });
    const ledgerDamage = [];
    let ledgerCopied = 0;
    if (options.ledger) {
        const entries = [];
        for await (const line of options.ledger.lines()) {
            if (line.damage)
                ledgerDamage.push(line);
            if (line.entry)
                entries.push(line.entry);
        }
        ledgerCopied = await engine.ownerTransaction((tx) => insertLedgerRows(tx, entries));
    }
    await mkdir(dirname(out), { recursive: true });
    const staging = await mkdtemp(join(dirname(out), '.haven-backup-'));
    const partial = `${out}.partial`;
    try {
        await mkdir(join(staging, 'tables'), { mode: 0o700 });
        const manifest = await engine.ownerTransaction(async (tx) => {
            await tx.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
            return snapshot(tx, engine, staging, options.onProgress);
        });
        const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
        await writeFile(join(staging, MANIFEST_MEMBER), manifestBytes, { flag: 'wx', mode: 0o600 });
        await writeFile(join(staging, MANIFEST_MAC_MEMBER), `${manifestMac(options.master, manifestBytes)}\n`, { flag: 'wx', mode: 0o600 });
        const members = [...manifest.tables.map((t) => t.member), MANIFEST_MEMBER, MANIFEST_MAC_MEMBER];
        await rm(partial, { force: true });
        // Level 1: rows are mostly ciphertext (hex), which every level halves alike; it is twice as fast as the default.
        await pipeline(createTar({ gzip: { level: 1 }, cwd: staging, portable: true }, members), createWriteStream(partial, { mode: 0o600 }));
        const file = await open(partial, 'r');
        await file.sync();
        await file.close();
        await rename(partial, out);
        return { manifest, bytes: (await stat(out)).size, ledgerCopied, ledgerDamage };
    }
    catch (error) {
        await rm(partial, { force: true });
        throw error;
    }
    finally {
        await rm(staging, { recursive: true, force: true });
    }
}
async function snapshot(tx, engine, staging, onProgress) {
    const head = await tx.query(`SELECT now() AS now, current_setting('server_version') AS version`);
    const migrations = (await tx.query(`SELECT id FROM haven_migrations ORDER BY applied_at, id`)).rows.map((r) => r.id);
    // haven_migrations is the manifest's list; restore rebuilds the schema from it.
    const tables = (await listTables(tx)).filter((t) => t.name !== 'haven_migrations');
    const counts = new Map();
    for (const t of tables)
        counts.set(t.name, Number((await tx.query(`SELECT count(*)::bigint AS n FROM ${quoteIdent(t.name)}`)).rows[0].n));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    let done = 0;
    onProgress?.(0, total);
    const archived = [];
    for (const t of tables) {
        const member = tableMember(t.name);
        const hash = createHash('sha256');
        const file = await open(join(staging, member), 'wx', 0o600);
        let rows = 0;
        let bytes = 0;
        try {
            await tx.query(`DECLARE haven_backup NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM ${quoteIdent(t.name)} t`);
            for (;;) {
                const batch = await tx.query(`FETCH ${FETCH} FROM haven_backup`);
                if (batch.rows.length === 0)
                    break;
                const text = batch.rows.map((r) => `${r.j}\n`).join('');
                const buf = Buffer.from(text, 'utf8');
                hash.update(buf);
                await file.write(buf);
                rows += batch.rows.length;
                bytes += buf.length;
                done += batch.rows.length;
                onProgress?.(done, total);
            }
            await tx.query(`CLOSE haven_backup`);
        }
        finally {
            await file.close();
        }
        archived.push({ name: t.name, member, rows, bytes, sha256: hash.digest('hex') });
    }
    return {
        format: ARCHIVE_FORMAT,
        version: ARCHIVE_VERSION,
        createdAt: head.rows[0].now.toISOString(),
        engine: engine.kind,
        serverVersion: head.rows[0].version,
        migrations,
        tables: archived,
        rows: archived.reduce((n, t) => n + t.rows, 0),
    };
}
async function exists(path) {
    return stat(path).then(() => true, () => false);
}
//# sourceMappingURL=write-backup.js.map