import { resolve } from 'node:path';
import { BackupRefusedError, writeBackup } from '../platform/backup/index.js';
import { configFromEnv } from '../platform/config.js';
import { openEngine } from '../platform/db/open.js';
import { openErasureLedger } from '../platform/erasure-ledger/index.js';
import { Keyring } from '../platform/crypto/keyring.js';
import { existingMasterKey } from './existing-master-key.js';
import { progressBar } from './progress.js';
import { UsageError } from './usage-error.js';
/**
 * `haven backup --out FILE`: one consistent snapshot of every Haven table, as stored (personal
 * data is ciphertext, keys are wrapped; the master key is never in it), as a gzip'd tar with a
 * manifest of checksums signed under the master key. Exit 0 when written, 1 when refused, 2 on
 * bad usage or a missing or wrong key.
 */
export async function backupCommand(flags) {
    if (!flags.out)
        throw new UsageError('say where to write the archive: --out FILE.');
    const out = resolve(flags.out);
    const config = configFromEnv(process.env, flags.data ? { dataDir: flags.data } : {});
    const provider = existingMasterKey(config, "this Haven's master key (it signs the archive)");
    const engine = await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const bar = progressBar('Backing up rows');
    try {
        await Keyring.open(engine, provider); // refuses a key that is not this database's
        const master = await provider.load();
        const result = await writeBackup(engine, out, { master, ledger: openErasureLedger(config), onProgress: (d, t) => bar.update(d, t) });
        bar.stop();
        for (const line of result.ledgerDamage.slice(0, 3))
            console.error(`haven: warning: erasure ledger line ${line.line}: ${line.damage}`);
        const m = result.manifest;
        console.log(`Backed up ${m.rows} row(s) from ${m.tables.length} table(s) to ${out} (${result.bytes} bytes, snapshot at ${m.createdAt}).`);
        console.log('The archive holds no master key: keep the key (HAVEN_MASTER_KEY or master.key) safe, apart from it.');
    }
    catch (error) {
        bar.stop();
        if (error instanceof BackupRefusedError) {
            console.error(`haven: ${error.message}`);
            process.exitCode = 1;
            return;
        }
        throw error;
    }
    finally {
        await engine.close();
    }
}
//# sourceMappingURL=backup.js.map