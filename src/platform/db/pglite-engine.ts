import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { APP_ROLE, type Engine, type QueryResult, type Tx } from './engine.js';

/** pg's parsers and PGlite's differ for bytea and int8; both engines hand the app the same shapes. */
const parsers = {
  [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
};

/**
 * Embedded PostgreSQL (WASM). One connection, so every transaction is exclusive; PGlite queues
 * them. The session stays the superuser `postgres`; each transaction drops to the app role with
 * SET LOCAL ROLE, which is also what keeps a query outside `withTeam` from seeing tenant rows.
 */
export async function openPGlite(dataDir: string | undefined): Promise<Engine> {
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new PGlite(dataDir ?? 'memory://', { parsers });
  await db.waitReady;

  const run = async <T>(role: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> =>
    db.transaction(async (pgTx) => {
      if (role) await pgTx.query(`SET LOCAL ROLE ${role}`);
      const tx: Tx = {
        async query<Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
          const result = await pgTx.query<Row>(text, params as unknown[] | undefined);
          // rowCount comes from the command tag ("SELECT 3", "UPDATE 1"), like pg's; affectedRows
          // counts only writes and is 0 for a SELECT.
          const tagged = (result as { rowCount?: number }).rowCount;
          return { rows: result.rows, rowCount: tagged ?? result.affectedRows ?? result.rows.length };
        },
      };
      return fn(tx);
    });

  return {
    kind: 'pglite',
    transaction: (fn) => run(APP_ROLE, fn),
    ownerTransaction: (fn) => run(null, fn),
    async ownerExec(sql) {
      await db.exec(sql);
    },
    async close() {
      await db.close();
    },
  };
}
