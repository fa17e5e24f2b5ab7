import { listTables, quoteIdent } from '../db/catalogue.js';
import { splitStatements } from '../db/migrations.js';
import { QUEUE_SCHEMA } from '../jobs/index.js';
import { entryKey, insertLedgerRows, readLedgerTable, replayErasureLedger, } from '../erasure-ledger/index.js';
import { ArchiveError, BackupRefusedError, MANIFEST_MAC_MEMBER, MANIFEST_MEMBER, tableMember } from './archive-format.js';
import { MemberDigest, readArchive } from './read-archive.js';
const BATCH_ROWS = 2_000;
const BATCH_BYTES = 4 * 1024 * 1024;
/**
 * Restore an archive that `verifyArchive` has already checked, into the database `engine` points
 * at (PGlite or PostgreSQL, whichever made the archive). Everything happens in ONE owner
 * transaction — clearing the target, rebuilding the schema from the archive's migrations, loading
 * every table (checksums checked again as it streams), applying this Haven's newer migrations, and
 * replaying the erasure ledger (the file's entries and the archive's table together) — so a failure
 * at any point leaves the target as it was, and restored data is never visible without its
 * erasures applied. Entries only the archive knew are appended to the ledger file before commit.
 */
export async function restoreBackup(engine, file, manifest, options) {
    const fileEntries = [];
    const damaged = [];
    if (options.ledger) {
        for await (const line of options.ledger.lines()) {
            if (line.damage)
                damaged.push(`line ${line.line}: ${line.damage}`);
            if (line.entry)
                fileEntries.push(line.entry);
        }
        if (damaged.length > 0 && !options.acceptLedgerDamage) {
            throw new BackupRefusedError(`The erasure ledger ${options.ledger.path} does not verify (${damaged[0]}${damaged.length > 1 ? `, and ${damaged.length - 1} more` : ''}). ` +
                'Restoring could bring back erased people. Find an intact copy of the ledger, or pass --accept-ledger-damage to replay every entry that can still be read. Nothing was changed.');
        }
    }
    const target = await inspectTarget(engine);
    if (target.tablesWithData.length > 0 && !options.replace) {
        throw new BackupRefusedError(`The target database is not empty (rows in ${target.tablesWithData.slice(0, 5).join(', ')}${target.tablesWithData.length > 5 ? ', …' : ''}). ` +
            'Restore into an empty database, or pass --replace to discard everything it holds. Nothing was changed.');
    }
    const archived = new Set(manifest.migrations);
    return engine.ownerTransaction(async (tx) => {
        // The database being replaced may know erasures the file has lost (cut back, or gone with its
        // disk): they are replayed and written back like the archive's.
        const targetEntries = target.tablesWithData.includes('erasure_ledger') ? await ledgerOfTarget(tx) : [];
        for (const schema of target.schemasToDrop)
            await tx.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
        await tx.query(`CREATE SCHEMA IF NOT EXISTS public`);
        await tx.query(`CREATE TABLE IF NOT EXISTS haven_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
        await applyMigrations(tx, options.migrations.filter((m) => archived.has(m.id)));
        const tables = new Map((await listTables(tx)).map((t) => [t.name, t]));
        for (const t of manifest.tables) {
            if (!tables.has(t.name))
                throw new ArchiveError(`The archive holds a table (${t.name}) its migrations do not create. Nothing was changed.`);
        }
        // A backup holds every table; one its migrations create but it lacks would come back empty.
        const byMember = new Map(manifest.tables.map((t) => [t.member, t]));
        for (const name of tables.keys()) {
            if (name !== 'haven_migrations' && !byMember.has(tableMember(name))) {
                throw new ArchiveError(`The archive has no ${tableMember(name)}, a table its migrations create: it is incomplete. Nothing was changed.`);
            }
        }
        let done = 0;
        options.onProgress?.('restore', 0, manifest.rows);
        // The file is read a second time: what was checked may have been swapped meanwhile. A member
        // read twice would be loaded twice, and one not read at all would leave its table empty.
        const read = new Set();
        await readArchive(file, async (entry) => {
            const again = read.has(entry.path);
            read.add(entry.path);
            if (again)
                throw new ArchiveError(`The archive changed since it was checked (it holds ${entry.path} twice). Nothing was changed.`);
            if (entry.path === MANIFEST_MEMBER || entry.path === MANIFEST_MAC_MEMBER)
                return void entry.resume();
            const listed = byMember.get(entry.path);
            if (!listed)
                throw new ArchiveError(`The archive changed since it was checked (${entry.path}). Nothing was changed.`);
            const digest = await loadTable(tx, tables.get(listed.name), entry, (n) => {
                done += n;
                options.onProgress?.('restore', done, manifest.rows);
            });
            if (digest.digest() !== listed.sha256 || digest.lines !== listed.rows) {
                throw new ArchiveError(`The archive changed since it was checked (${entry.path}). Nothing was changed.`);
            }
        });
        const unread = manifest.tables.find((t) => !read.has(t.member));
        if (unread)
            throw new ArchiveError(`The archive changed since it was checked (${unread.member} is missing). Nothing was changed.`);
        await resetSequences(tx);
        await applyMigrations(tx, options.migrations.filter((m) => !archived.has(m.id)));
        // The ledger: the archive's table (now loaded), the file and the replaced database's table,
        // each completed from the others.
        const archiveEntries = await readLedgerTable(tx);
        await insertLedgerRows(tx, [...fileEntries, ...(targetEntries ?? [])]);
        const union = await readLedgerTable(tx);
        const inFile = new Set(fileEntries.map((e) => entryKey(e).toString('hex')));
        let addedToFile = 0;
        if (options.ledger) {
            // Before commit: these erasures really happened (the archive or the replaced database
            // recorded them), so writing them down early can only over-erase, never forget.
            for (const e of union) {
                if (inFile.has(entryKey(e).toString('hex')))
                    continue;
                await options.ledger.append(e);
                addedToFile++;
            }
        }
        const { keyring, erasePersonRows, eraseUserRows, restoreSuppression, removeSuppression } = options;
        const replay = await replayErasureLedger({ engine, keyring, erasePersonRows, eraseUserRows, restoreSuppression, removeSuppression, tx }, union, (d, t) => options.onProgress?.('replay', d, t));
        const afterReplay = (await options.afterReplay?.(tx)) ?? 0;
        return {
            tables: manifest.tables.length,
            rows: done,
            replaced: target.tablesWithData.length > 0,
            ledger: { fileEntries: fileEntries.length, archiveEntries: archiveEntries.length, targetEntries: targetEntries?.length ?? null, replayed: union.length, addedToFile, damagedLines: damaged.length },
            replay,
            afterReplay,
        };
    });
}
/** SQL: whether the object `oid` of catalogue `catalog` belongs to an extension. */
const extensionMember = (catalog, oid) => `EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
/** The schemas Haven makes. Restore drops and rebuilds these, and nothing else. */
const HAVEN_SCHEMAS = ['public', QUEUE_SCHEMA];
async function inspectTarget(engine) {
    return engine.ownerTransaction(async (tx) => {
        const who = await tx.query(`SELECT rolsuper OR rolbypassrls AS all FROM pg_roles WHERE rolname = current_user`);
        if (!who.rows[0]?.all)
            throw new BackupRefusedError('A restore writes every team: run it as a database role that bypasses row-level security (a superuser, or one granted BYPASSRLS).');
        const tablesWithData = [];
        for (const t of await listTables(tx)) {
            // Written by any first start, before there is data: a target that only started once is empty.
            if (t.name === 'haven_migrations' || t.name === 'keyring_master_check' || t.name === 'account_key_root')
                continue;
            const any = await tx.query(`SELECT 1 FROM ${quoteIdent(t.name)} LIMIT 1`);
            if (any.rowCount > 0)
                tablesWithData.push(t.name);
        }
        const schemas = await tx.query(`SELECT n.nspname AS name,
              (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND NOT ${extensionMember('pg_class', 'c.oid')})::int +
              (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = n.oid AND NOT ${extensionMember('pg_proc', 'p.oid')})::int AS objects
         FROM pg_namespace n
        WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'`);
        // Another application's schema is not Haven's to drop, and its objects may depend on Haven's
        // (a view over a table): dropping ours would take them along. Refused even with --replace.
        // Extensions' objects (Citus, pg_cron, a host's own) are the database's, not an application's.
        const foreign = schemas.rows.filter((s) => !HAVEN_SCHEMAS.includes(s.name) && s.objects > 0).map((s) => s.name);
        if (foreign.length > 0) {
            throw new BackupRefusedError(`The target database also holds schemas Haven did not make (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}). ` +
                'Restore into a database of Haven\'s own. Nothing was changed.');
        }
        const schemasToDrop = schemas.rows.filter((s) => HAVEN_SCHEMAS.includes(s.name) && (s.name !== 'public' || s.objects > 0)).map((s) => s.name);
        return { tablesWithData, schemasToDrop };
    });
}
/**
 * The ledger entries the database being replaced holds, or null when its table is not one this
 * build reads (an older build's, without the later columns): the restore goes on with the file and
 * the archive, as before this was read.
 */
async function ledgerOfTarget(tx) {
    await tx.query('SAVEPOINT target_ledger');
    try {
        const entries = await readLedgerTable(tx);
        await tx.query('RELEASE SAVEPOINT target_ledger');
        return entries;
    }
    catch {
        await tx.query('ROLLBACK TO SAVEPOINT target_ledger');
        return null;
    }
}
/** Migrations inside the restore's transaction (the runner's own opens one per migration). */
async function applyMigrations(tx, migrations) {
    for (const m of migrations) {
        for (const statement of splitStatements(m.sql))
            await tx.query(statement);
        await tx.query(`INSERT INTO haven_migrations (id) VALUES ($1)`, [m.id]);
    }
}
/**
 * Stream one member's JSON lines into its table in multi-row inserts: `json_populate_recordset`
 * turns each line back into the row, using the column types of the table itself (bytea from
 * \x-hex, timestamps with their microseconds, arrays, jsonb).
 */
async function loadTable(tx, table, body, onRows) {
    const name = quoteIdent(table.name);
    const columns = table.columns.filter((c) => !c.generated).map((c) => quoteIdent(c.name)).join(', ');
    const insert = `INSERT INTO ${name} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM json_populate_recordset(NULL::${name}, $1::json)`;
    const digest = new MemberDigest();
    let lines = [];
    let bytes = 0;
    const flush = async () => {
        if (lines.length === 0)
            return;
        await tx.query(insert, [`[${lines.join(',')}]`]);
        onRows(lines.length);
        lines = [];
        bytes = 0;
    };
    let pending = Buffer.alloc(0);
    for await (const chunk of body) {
        digest.update(chunk);
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        let start = 0;
        for (let nl = pending.indexOf(0x0a); nl !== -1; nl = pending.indexOf(0x0a, start)) {
            const line = pending.toString('utf8', start, nl);
            start = nl + 1;
            lines.push(line);
            bytes += line.length;
            if (lines.length >= BATCH_ROWS || bytes >= BATCH_BYTES)
                await flush();
        }
        pending = pending.subarray(start);
    }
    if (pending.length > 0)
        throw new ArchiveError(`${table.name}: the last row has no line end; the archive changed since it was checked.`);
    await flush();
    return digest;
}
/** Sequences owned by restored columns continue after the highest restored value. */
async function resetSequences(tx) {
    const owned = await tx.query(`SELECT s.oid::regclass::text AS seq, t.relname AS table, a.attname AS column
       FROM pg_depend d
       JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
       JOIN pg_class t ON t.oid = d.refobjid
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
      WHERE t.relnamespace = 'public'::regnamespace AND d.deptype IN ('a', 'i')`);
    for (const o of owned.rows) {
        await tx.query(`SELECT setval($1::regclass, coalesce(max(${quoteIdent(o.column)}), 0) + 1, false) FROM ${quoteIdent(o.table)}`, [o.seq]);
    }
}
//# sourceMappingURL=restore-backup.js.map