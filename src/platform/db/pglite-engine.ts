import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { type Change, ChangeFeed, encodeChange } from './changes.js';
import { lockDataDir } from './data-dir-lock.js';
import { APP_ROLE, type Engine, type QueryResult, type Tx, TransactionEndedError, scopeStatement, settle } from './engine.js';

/** pg's parsers and PGlite's differ for bytea and int8; both engines hand the app the same shapes. */
const parsers = {
  [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
};
/**
 * A bytea parameter goes to the database as its bytes (binary format), as node-postgres sends a
 * Buffer: PGlite's default writes it as hex text, which doubles its size and costs the server a
 * hex decode (a packed column of 100 event payloads took ~2.5 × as long to insert). PGlite's types
 * say a serializer returns text; its protocol writer (pg-protocol's Bind) sends any byte view in
 * binary, and pglite-engine.test.ts holds it to that.
 */
const serializers = {
  [types.BYTEA]: ((value: Uint8Array) => {
    if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
    return value;
  }) as unknown as (value: unknown) => string,
};

/**
 * PGlite writes array parameters as text, element by element through the element's serializer,
 * which for bytea now yields bytes, not text. A bytea[] parameter is therefore written here as
 * the array literal PGlite would have written: `{"\\x…","\\x…",NULL}`.
 */
function byteaArraysAsText(params: readonly unknown[] | undefined): unknown[] | undefined {
  if (!params?.some(isByteaArray)) return params as unknown[] | undefined;
  return params.map((p) => (isByteaArray(p) ? byteaArrayLiteral(p) : p));
}

function byteaArrayLiteral(values: readonly (Uint8Array | null | undefined)[]): string {
  const elements = values.map((v) => (v == null ? 'NULL' : `"\\\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}"`));
  return `{${elements.join(',')}}`;
}

/** Arrays are of one type: the first element that is not null says which. */
function isByteaArray(p: unknown): p is (Uint8Array | null | undefined)[] {
  return Array.isArray(p) && p.find((v) => v != null) instanceof Uint8Array;
}

/**
 * For the one session PGlite has, which lasts as long as the process.
 * - `wal_init_zero = off`: PostgreSQL fills each new 16 MB WAL segment with zeros before using it,
 *   so that the space is allocated when it is later synced. PGlite never syncs (decision 0014),
 *   and it does that filling on the thread that serves requests: under steady ingest, every ~3 s
 *   every request waited 40–90 ms for it (p99 at half load 55–83 ms; without it 20–30 ms).
 *   The segment is created at its full length either way; recovery reads the unwritten end as the
 *   end of the WAL, as it reads zeros.
 */
const SESSION_SETTINGS = 'SET wal_init_zero = off';

/** How long a transaction on PGlite may keep the event loop from turning, between statements. */
const LOOP_TURN_EVERY_MS = 50;

/**
 * Embedded PostgreSQL (WASM). One connection, so every transaction is exclusive; PGlite queues
 * them. The session stays the superuser `postgres`; each transaction drops to the app role
 * (`set_config('role', …, true)`, i.e. SET LOCAL ROLE), which is also what keeps a query outside
 * `withTeam` from seeing tenant rows.
 */
export async function openPGlite(dataDir: string | undefined, options: { startFrom?: Blob } = {}): Promise<Engine> {
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  let db: PGlite;
  try {
    // `startFrom`: a copy of a data directory (PGlite's dumpDataDir) instead of a fresh initdb.
    db = new PGlite(dataDir ?? 'memory://', { parsers, serializers, loadDataDir: options.startFrom });
    await db.waitReady;
    await db.exec(SESSION_SETTINGS);
  } catch (error) {
    unlock();
    throw error;
  }

  // One process owns the files, so every change is this process's own: delivered at commit.
  const changes = new ChangeFeed({ live: true });

  // PGlite runs each statement on this thread, and a statement's promise settles as a microtask:
  // a transaction of many statements (a batch of a thousand identifies takes seconds) would keep
  // the event loop from every timer and socket until it ends — health checks, pages, requests of
  // other teams waiting to be read. Before a statement, once this long has passed since the loop
  // last turned, let it turn.
  let lastTurn = performance.now();
  const letTheLoopTurn = async () => {
    if (performance.now() - lastTurn < LOOP_TURN_EVERY_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    lastTurn = performance.now();
  };

  const run = async <T>(role: string | null, fn: (tx: Tx) => Promise<T>, settings?: Readonly<Record<string, string>>): Promise<T> => {
    const announced: Change[] = [];
    const done: ((committed: boolean) => void)[] = [];
    let committed = false;
    try {
      const value = await db.transaction(async (pgTx) => {
        if (role) {
          const scope = scopeStatement(role, settings);
          await pgTx.query(scope.text, scope.params);
        }
        let open = true;
        const tx: Tx = {
          async query<Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
            await letTheLoopTurn();
            if (!open) throw new TransactionEndedError();
            const result = await pgTx.query<Row>(text, byteaArraysAsText(params));
            // rowCount comes from the command tag ("SELECT 3", "UPDATE 1"), like pg's; affectedRows
            // counts only writes and is 0 for a SELECT.
            const tagged = (result as { rowCount?: number }).rowCount;
            return { rows: result.rows, rowCount: tagged ?? result.affectedRows ?? result.rows.length };
          },
          async announce(change) {
            if (!open) throw new TransactionEndedError();
            encodeChange(change, changes.origin); // the same shape check as on PostgreSQL
            announced.push(change);
          },
          whenDone(fn) {
            done.push(fn);
          },
        };
        try {
          return await fn(tx);
        } finally {
          open = false;
        }
      });
      committed = true;
      for (const change of announced) changes.deliver(change);
      return value;
    } finally {
      settle(done, committed);
    }
  };

  // The application's transactions (owner work — the job queue's polls, upkeep — is not counted).
  let appTransactions = 0;
  let appLastEnded = performance.now();

  return {
    kind: 'pglite',
    changes,
    async transaction(fn, settings) {
      appTransactions++;
      try {
        return await run(APP_ROLE, fn, settings);
      } finally {
        appTransactions--;
        appLastEnded = performance.now();
      }
    },
    quietForMs: () => (appTransactions > 0 ? 0 : performance.now() - appLastEnded),
    ownerTransaction: (fn) => run(null, fn),
    async ownerExec(sql) {
      await db.exec(sql);
    },
    async close() {
      await db.close();
      unlock();
    },
  };
}
