import { join } from 'node:path';
import type { Engine } from './engine.js';
import { openPGlite } from './pglite-engine.js';
import { openPostgres } from './postgres-engine.js';

export interface DatabaseConfig {
  /** postgres://… selects PostgreSQL; otherwise embedded PGlite under dataDir. */
  databaseUrl?: string | undefined;
  /** Haven's data directory; PGlite keeps its files in `<dataDir>/pgdata`. Undefined = in memory. */
  dataDir?: string | undefined;
}

export async function openEngine(config: DatabaseConfig): Promise<Engine> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  return openPGlite(config.dataDir ? join(config.dataDir, 'pgdata') : undefined);
}
