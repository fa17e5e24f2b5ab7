import type { EngineKind } from '../db/engine.js';

/**
 * A Haven backup is a gzip'd tar (docs/decisions/0012-backup-and-erasure-ledger.md):
 *
 *   tables/<table>.jsonl   one row per line, as `row_to_json` prints it (bytea as \x-hex, times
 *                          with microseconds): the rows exactly as stored — personal data is
 *                          already ciphertext, keys are already wrapped; no master key anywhere
 *   manifest.json          written last: format, Haven migration ids, and per table its member,
 *                          row count, byte count and SHA-256
 */
export const ARCHIVE_FORMAT = 'haven-backup';
export const ARCHIVE_VERSION = 1;
export const MANIFEST_MEMBER = 'manifest.json';

export const tableMember = (table: string) => `tables/${table}.jsonl`;

export interface ArchivedTable {
  name: string;
  member: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  /** The snapshot's time (the database's clock at the start of the backup transaction). */
  createdAt: string;
  engine: EngineKind;
  serverVersion: string;
  /** Haven migrations applied to the database the archive was taken from. */
  migrations: string[];
  /** In load order: a table comes after every table it references. */
  tables: ArchivedTable[];
  rows: number;
}

/** The archive cannot be used: corrupt, truncated, incomplete or not a Haven backup. Nothing was changed. */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

/** The backup or restore cannot go ahead as asked (a non-empty target, a role that cannot read all teams…). */
export class BackupRefusedError extends Error {
  override name = 'BackupRefusedError';
}
