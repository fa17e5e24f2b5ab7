/**
 * The one database interface Haven uses. Two engines implement it: embedded PGlite (default) and
 * PostgreSQL. Application code never receives an engine connection that runs as the table owner:
 * `transaction()` always runs as the restricted `haven_app` role, so row-level security applies.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Tx {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export type EngineKind = 'pglite' | 'postgres';

export interface Engine {
  readonly kind: EngineKind;
  /** A transaction as the restricted application role (RLS applies; no tenant scope set). */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A transaction as the schema owner, for migrations and platform maintenance (catalogue checks,
   * purge verification). Never used to serve tenant data.
   */
  ownerTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Run several SQL statements as the owner, outside a transaction (migrations use their own). */
  ownerExec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** The restricted role that serves tenant data: NOSUPERUSER, NOBYPASSRLS, owns nothing. */
export const APP_ROLE = 'haven_app';
