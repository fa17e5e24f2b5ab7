import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type HavenConfig } from './platform/config.js';
import type { Engine } from './platform/db/engine.js';
import { migrate } from './platform/db/migrations.js';
import { openEngine } from './platform/db/open.js';
import { type ServerOptions, buildServer } from './platform/http/server.js';
import { allMigrations, modules } from './modules/index.js';

export interface Haven {
  engine: Engine;
  server: FastifyInstance;
  close(): Promise<void>;
}

/** Open the database, bring its schema up to date and build the HTTP server (not yet listening). */
export async function createHaven(config: HavenConfig, logger: Logger, options: ServerOptions & { engine?: Engine } = {}): Promise<Haven> {
  const engine = options.engine ?? (await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    const applied = await migrate(engine, allMigrations);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    const server = await buildServer({ engine, config, logger }, modules, options);
    return {
      engine,
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
