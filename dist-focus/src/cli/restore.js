import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ArchiveError, BackupRefusedError, restoreBackup, verifyArchive } from '../platform/backup/index.js';
import { configFromEnv } from '../platform/config.js';
import { Keyring } from '../platform/crypto/keyring.js';
import { openEngine } from '../platform/db/open.js';
import { openErasureLedger } from '../platform/erasure-ledger/index.js';
import { eraseAccountRows, renewGraceAfterRestore } from '../modules/accounts/index.js';
import { allMigrations } from '../modules/index.js';
import { removeSuppression, restoreSuppression } from '../modules/privacy/index.js';
import { existingMasterKey } from './existing-master-key.js';
import { progressBar } from './progress.js';
import { UsageError } from './usage-error.js';
/**
 * How the ledger replay deletes an erased person's rows: the people rows of the person and of the
 * profiles merged into them (their subject ids), which every table that references people —
 * identities, name tokens, notes, merge links, consents, events — follows by cascade, as in the
 * purge after a live erasure. A person not in the restored data is already gone.
 */
export async function erasePersonRows(tx, teamId, personIds) {
    return (await tx.query(`DELETE FROM people WHERE team_id = $1 AND id = ANY($2::uuid[])`, [teamId, personIds])).rowCount;
}
/** How the ledger replay deletes a deleted account again: as the live deletion does, under the account keys the restored data came with. */
export async function eraseUserRows(tx, keyring, userId) {
    return eraseAccountRows(tx, await keyring.accountKeysIn(tx), userId);
}
/** What the ledger replay needs from the domain: erased people's and accounts' rows, and the suppression list. */
export const replaySteps = { erasePersonRows, eraseUserRows, restoreSuppression, removeSuppression };
/**
 * `haven restore FILE`: check the whole archive (checksums, completeness, the master key), then
 * restore it into the database `--data`/DATABASE_URL points at and replay the erasure ledger — in
 * one transaction. Exit 0 when restored; 1 when refused (corrupt or truncated archive, non-empty
 * target without --replace, damaged ledger), with nothing changed; 2 on bad usage or the wrong key.
 */
export async function restoreCommand(file, flags) {
    const archive = resolve(file);
    if (!existsSync(archive))
        throw new UsageError(`${file}: no such file.`);
    const config = configFromEnv(process.env, flags.data ? { dataDir: flags.data } : {});
    const provider = existingMasterKey(config, 'the key the backup was made under');
    const master = await provider.load();
    try {
        const checking = progressBar('Checking archive');
        const manifest = await verifyArchive(archive, {
            master,
            knownMigrations: allMigrations.map((m) => m.id),
            acceptUnsigned: flags.acceptUnsigned,
            onProgress: (d, t) => checking.update(d, t),
        }).finally(() => checking.stop());
        const engine = await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        try {
            const keyring = await Keyring.open(engine, provider);
            const bars = { restore: progressBar('Restoring rows'), replay: progressBar('Replaying erasures') };
            const report = await restoreBackup(engine, archive, manifest, {
                keyring,
                migrations: allMigrations,
                ...replaySteps,
                ledger: openErasureLedger(config),
                replace: flags.replace,
                acceptLedgerDamage: flags.acceptLedgerDamage,
                afterReplay: (tx) => renewGraceAfterRestore(tx, config.deletionGraceHours),
                onProgress: (phase, d, t) => bars[phase].update(d, t),
            }).finally(() => Object.values(bars).forEach((b) => b.stop()));
            const r = report.replay;
            console.log(`Restored ${report.rows} row(s) in ${report.tables} table(s) from the snapshot of ${manifest.createdAt}${report.replaced ? ', replacing what the target held' : ''}.`);
            console.log(`Erasure ledger: ${report.ledger.replayed} entr${report.ledger.replayed === 1 ? 'y' : 'ies'} replayed ` +
                `(${r.people} person row(s) and ${r.subjectKeys} subject key(s) deleted again, ${r.teams} team(s) and ${r.users} account(s) deleted again, ` +
                `${r.suppressions} suppression(s) put back, ${r.suppressionsLifted} lifted again); ` +
                `${report.ledger.addedToFile} entr${report.ledger.addedToFile === 1 ? 'y' : 'ies'} from the archive or the replaced database added to ${openErasureLedger(config).path}.`);
            if (report.afterReplay > 0) {
                console.log(`${report.afterReplay} team(s) were cancelled when the backup was taken: each has its grace period again (${config.deletionGraceHours} h from now), so an owner who undid the cancellation since can undo it again.`);
            }
            if (report.ledger.targetEntries === null) {
                console.log('The replaced database’s own erasure ledger could not be read (an older build’s table): the file’s and the archive’s entries were replayed.');
            }
        }
        finally {
            await engine.close();
        }
    }
    catch (error) {
        if (error instanceof ArchiveError || error instanceof BackupRefusedError) {
            console.error(`haven: ${error.message}`);
            process.exitCode = 1;
            return;
        }
        throw error;
    }
}
//# sourceMappingURL=restore.js.map