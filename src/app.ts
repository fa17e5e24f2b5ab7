import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { HavenConfig } from './platform/config.js';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Keyring } from './platform/crypto/keyring.js';
import { envMasterKey } from './platform/crypto/master-key/env/env-master-key.js';
import { fileMasterKey } from './platform/crypto/master-key/file/file-master-key.js';
import { MasterKeyError, type MasterKeyProvider } from './platform/crypto/master-key/provider.js';
import type { Engine } from './platform/db/engine.js';
import { migrate } from './platform/db/migrations.js';
import { openEngine } from './platform/db/open.js';
import { type ServerOptions, buildServer } from './platform/http/server.js';
import { allMigrations, modules } from './modules/index.js';

export interface Haven {
  engine: Engine;
  keyring: Keyring;
  server: FastifyInstance;
  close(): Promise<void>;
}

/** Open the database, bring its schema up to date and build the HTTP server (not yet listening). */
export async function createHaven(config: HavenConfig, logger: Logger, options: ServerOptions & { engine?: Engine } = {}): Promise<Haven> {
  const engine = options.engine ?? (await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    // The master key is checked before the first write, so a wrong key changes nothing.
    const keyring = await openKeyring(engine, config);
    const applied = await migrate(engine, allMigrations);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    await keyring.recordCheck(engine);
    const server = await buildServer({ engine, keyring, config, logger }, modules, options);
    return {
      engine,
      keyring,
      server,
      async close() {
        await server.close();
        await engine.close();
      },
    };
  } catch (error) {
    await engine.close().catch(() => {});
    throw error;
  }
}

/** HAVEN_MASTER_KEY when set, else `<data dir>/master.key` — beside the database, never inside it. */
export function masterKeyProvider(config: Pick<HavenConfig, 'masterKey' | 'dataDir'>): MasterKeyProvider {
  return config.masterKey ? envMasterKey(config.masterKey) : fileMasterKey(join(config.dataDir, 'master.key'));
}

/**
 * Open the keyring; if a master-key rotation stopped between committing the database and
 * replacing the key file, the pending `master.key.new` is the right key: use it and finish the swap.
 */
async function openKeyring(engine: Engine, config: HavenConfig): Promise<Keyring> {
  try {
    return await Keyring.open(engine, masterKeyProvider(config));
  } catch (error) {
    const pending = join(config.dataDir, 'master.key.new');
    if (!(error instanceof MasterKeyError) || config.masterKey || !existsSync(pending)) throw error;
    const keyring = await Keyring.open(engine, fileMasterKey(pending));
    renameSync(pending, join(config.dataDir, 'master.key'));
    return keyring;
  }
}
