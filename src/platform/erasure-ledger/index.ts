import { join } from 'node:path';
import type { HavenConfig } from '../config.js';
import type { Tx } from '../db/engine.js';
import { type ErasureEntry, normaliseEntry } from './entry.js';
import { type LedgerLine, type LedgerReadout, appendToLedgerFile, readLedgerFile } from './ledger-file.js';
import { insertLedgerRows } from './ledger-table.js';

export {
  type ErasureEntry,
  type SuppressedIdentityKind,
  type SuppressionEntry,
  type SuppressionLiftedEntry,
  type SuppressionReason,
  type SuppressionSource,
  type UserEntry,
  entryKey,
  entryTime,
  normaliseEntry,
} from './entry.js';
export { type LedgerLine, type LedgerReadout } from './ledger-file.js';
export { erasureLedgerSchema, erasureLedgerScopedSchema, erasureLedgerSuppressionsSchema, erasureLedgerUsersSchema, insertLedgerRows, readLedgerTable } from './ledger-table.js';
export { type ReplayContext, type ReplayReport, replayErasureLedger } from './replay.js';

/**
 * The erasure ledger (I3): every erasure of a person, a team or a user's account, and every
 * suppression added or lifted, as ids, identity HMACs and a time, kept OUTSIDE the database (a file:
 * HAVEN_ERASURE_LEDGER, default `<dataDir>/erasure-ledger.jsonl`) so that restoring an older
 * backup cannot roll it back; `haven restore` replays it. Each entry is also copied into the
 * `erasure_ledger` table, so backups carry it too.
 */
export interface ErasureLedger {
  readonly path: string;
  /**
   * Durably append (fsync) — the caller appends BEFORE committing the shred, so a crash can only
   * over-erase what was asked, never forget an erasure. With `tx`, the database copy is written in
   * that transaction too (commits with the erasure); without, `haven backup` copies it over.
   */
  append(entry: ErasureEntry, tx?: Tx): Promise<void>;
  /** `append` for several entries, in order, with one fsync. */
  appendAll(entries: readonly ErasureEntry[], tx?: Tx): Promise<void>;
  /** Every readable entry, in order (damaged lines included when their entry parses). */
  entries(): AsyncIterable<ErasureEntry>;
  /** Every complete line with its chain check; `readout` learns the line count and a torn tail. */
  lines(readout?: LedgerReadout): AsyncIterable<LedgerLine>;
}

export function erasureLedgerPath(config: Pick<HavenConfig, 'erasureLedger' | 'dataDir'>): string {
  return config.erasureLedger ?? join(config.dataDir, 'erasure-ledger.jsonl');
}

export function openErasureLedger(config: Pick<HavenConfig, 'erasureLedger' | 'dataDir'>): ErasureLedger {
  const path = erasureLedgerPath(config);
  const appendAll = async (entries: readonly ErasureEntry[], tx?: Tx) => {
    const normalised = entries.map(normaliseEntry);
    await appendToLedgerFile(path, normalised);
    if (tx) await insertLedgerRows(tx, normalised);
  };
  return {
    path,
    append: (entry, tx) => appendAll([entry], tx),
    appendAll,
    async *entries() {
      for await (const l of readLedgerFile(path)) if (l.entry) yield l.entry;
    },
    lines: (readout) => readLedgerFile(path, readout),
  };
}
