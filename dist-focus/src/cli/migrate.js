import { configFromEnv } from '../platform/config.js';
import { migrate, pendingMigrations } from '../platform/db/migrations.js';
import { openEngine } from '../platform/db/open.js';
import { allMigrations } from '../modules/index.js';
export async function migrateCommand(flags) {
    const config = configFromEnv(process.env, flags.data ? { dataDir: flags.data } : {});
    const engine = await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
        if (flags.dryRun) {
            const pending = await pendingMigrations(engine, allMigrations);
            console.log(pending.length ? `Pending:\n  ${pending.join('\n  ')}` : 'The database is up to date.');
            return;
        }
        const applied = await migrate(engine, allMigrations);
        console.log(applied.length ? `Applied:\n  ${applied.join('\n  ')}` : 'The database is up to date.');
    }
    finally {
        await engine.close();
    }
}
//# sourceMappingURL=migrate.js.map