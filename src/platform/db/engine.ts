/**
 * The one database interface Haven uses. Two engines implement it: embedded PGlite (default) and
 * PostgreSQL. Application code never receives an engine connection that runs as the table owner:
 * `transaction()` always runs as the restricted `haven_app` role, so row-level security applies.
 */
import type { Change, ChangeFeed } from './changes.js';

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Tx {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /**
   * Tell every Haven process on this database, once this transaction commits, that something
   * they may remember changed (see changes.ts). Nothing is told if it rolls back.
   */
  announce(change: Change): Promise<void>;
  /**
   * Run `fn` once this transaction has ended: `committed` true after COMMIT, false after a
   * rollback. For what a process may only remember of rows that are committed (keys it created).
   * Must not throw: one that does is reported as a warning, and the others still run.
   */
  whenDone(fn: (committed: boolean) => void): void;
}

export type EngineKind = 'pglite' | 'postgres';

export interface Engine {
  readonly kind: EngineKind;
  /** PostgreSQL's URL (the owner's), for a library that needs its own pool (the job queue); unset on PGlite. */
  readonly connectionString?: string;
  /**
   * A transaction as the restricted application role (RLS applies). `settings` (e.g. the tenant
   * scope `app.team_id`) are set for this transaction only, in the same statement that drops to
   * the role: one round trip.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, settings?: Readonly<Record<string, string>>): Promise<T>;
  /**
   * A transaction as the schema owner, for migrations and platform maintenance (catalogue checks,
   * purge verification). Never used to serve tenant data.
   */
  ownerTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Changes announced by committed transactions, of this process and (PostgreSQL) of others. */
  readonly changes: ChangeFeed;
  /** Run several SQL statements as the owner, outside a transaction (migrations use their own). */
  ownerExec(sql: string): Promise<void>;
  /**
   * Milliseconds since the application last used the database (a `transaction` running, waiting
   * or ended); 0 while one runs or waits. PGlite only: its one thread serves requests and upkeep
   * alike, so upkeep looks for a quiet moment (pglite-maintenance.ts).
   */
  quietForMs?(): number;
  close(): Promise<void>;
}

/** The restricted role that serves tenant data: NOSUPERUSER, NOBYPASSRLS, owns nothing. */
export const APP_ROLE = 'haven_app';

/** `SELECT set_config('role', …, true), set_config(k, v, true), …` and its parameters. */
export function scopeStatement(role: string, settings: Readonly<Record<string, string>> = {}): { text: string; params: string[] } {
  const params: string[] = [role];
  const calls = [`set_config('role', $1, true)`];
  for (const [name, value] of Object.entries(settings)) {
    params.push(name, value);
    calls.push(`set_config($${params.length - 1}, $${params.length}, true)`);
  }
  return { text: `SELECT ${calls.join(', ')}`, params };
}

/**
 * A transaction handle used after its function returned. On PostgreSQL the connection is back in
 * the pool by then, maybe serving another team's transaction, so a kept handle must not reach it.
 */
export class TransactionEndedError extends Error {
  constructor() {
    super('this transaction has ended; its handle cannot be used any more');
    this.name = 'TransactionEndedError';
  }
}

/** Run a transaction's `whenDone` callbacks: each one, whatever the others do. */
export function settle(done: readonly ((committed: boolean) => void)[], committed: boolean): void {
  for (const fn of done) {
    try {
      fn(committed);
    } catch (error) {
      process.emitWarning(`a transaction's whenDone callback failed: ${(error as Error).message}`);
    }
  }
}
