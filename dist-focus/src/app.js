import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Keyring } from './platform/crypto/keyring.js';
import { envMasterKey } from './platform/crypto/master-key/env/env-master-key.js';
import { fileMasterKey } from './platform/crypto/master-key/file/file-master-key.js';
import { MasterKeyError } from './platform/crypto/master-key/provider.js';
import { migrate } from './platform/db/migrations.js';
import { openEngine } from './platform/db/open.js';
import { pgliteMaintenanceJob } from './platform/db/pglite-maintenance.js';
import { buildServer } from './platform/http/server.js';
import { openJobQueue } from './platform/jobs/index.js';
import { allMigrations, modules } from './modules/index.js';
import { renameDurably } from './platform/durable-file.js';
/** Open the database, bring its schema up to date and build the HTTP server (not yet listening). */
export async function createHaven(config, logger, options = {}) {
    const engine = options.engine ?? (await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
    let jobs;
    try {
        // The master key is checked before the first write, so a wrong key changes nothing.
        const keyring = await openKeyring(engine, config);
        const applied = await migrate(engine, allMigrations);
        if (applied.length > 0)
            logger.info({ applied }, 'database migrated');
        await keyring.recordCheck(engine);
        await keyring.openAccountKeys(engine);
        jobs = openJobQueue(engine, logger, options.jobs ?? 'work');
        const ctx = { engine, keyring, config, logger, jobs };
        // PGlite has no autovacuum: Haven runs its equivalent as a job (pglite-maintenance.ts).
        const platformJobs = engine.kind === 'pglite' ? [pgliteMaintenanceJob] : [];
        await jobs.register([...platformJobs, ...modules.flatMap((m) => m.jobs ?? []), ...(options.jobDefinitions ?? [])], ctx);
        for (const m of modules)
            await m.prepare?.(ctx);
        const server = await buildServer(ctx, modules, options);
        const queue = jobs;
        return {
            engine,
            keyring,
            jobs: queue,
            server,
            async close() {
                await server.close();
                await queue.stop();
                await engine.close();
            },
        };
    }
    catch (error) {
        await jobs?.stop().catch(() => { });
        await engine.close().catch(() => { });
        throw error;
    }
}
/** HAVEN_MASTER_KEY when set, else `<data dir>/master.key` — beside the database, never inside it. */
export function masterKeyProvider(config) {
    return config.masterKey ? envMasterKey(config.masterKey) : fileMasterKey(join(config.dataDir, 'master.key'));
}
/**
 * Open the keyring; if a master-key rotation stopped between committing the database and
 * replacing the key file, the pending `master.key.new` is the right key: use it and finish the swap.
 */
async function openKeyring(engine, config) {
    try {
        return await Keyring.open(engine, masterKeyProvider(config));
    }
    catch (error) {
        const pending = join(config.dataDir, 'master.key.new');
        if (!(error instanceof MasterKeyError) || config.masterKey || !existsSync(pending))
            throw error;
        const keyring = await Keyring.open(engine, fileMasterKey(pending));
        await renameDurably(pending, join(config.dataDir, 'master.key'));
        return keyring;
    }
}
//# sourceMappingURL=app.js.map