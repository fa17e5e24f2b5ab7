import type { Tx } from '../../platform/db/engine.js';

/*
 * Row locks on people, always taken in id order, so transactions that lock several people queue
 * behind each other instead of deadlocking. The modes (PostgreSQL's row-level locks) say what may
 * happen to the person meanwhile:
 * - a change of their profile takes FOR NO KEY UPDATE: events may still be stored for them;
 * - storing events takes FOR KEY SHARE (as the events' foreign key would): the person may change
 *   but not vanish — erasure and merges take FOR UPDATE, which waits for it, and it for them.
 */

export interface Unavailable {
  /** Erased: their keys are shredded, nothing more may be written for them. */
  erased: Set<string>;
  /** Gone: merged into someone else since they were found, or purged. */
  gone: Set<string>;
}

/**
 * Lock these people's rows for a change of their profile (not of their existence), and say which
 * cannot be changed: a caller that found them before taking the lock may have raced an erasure or
 * a merge, which the lock waits for.
 */
export async function lockForChange(tx: Tx, teamId: string, ids: readonly string[], options: { merging?: boolean } = {}): Promise<Unavailable> {
  // A change that may merge takes the merge's own mode for all of them at once: upgraded merge by
  // merge, pair after pair, the locks would no longer follow one id order.
  return unavailableAmong(ids, tx, teamId, options.merging ? 'FOR UPDATE' : 'FOR NO KEY UPDATE');
}

/**
 * Hold these people while events are stored for them, and say which cannot take events: erased
 * (their keys are shredded), or gone — merged into someone else meanwhile, or purged.
 */
export async function holdForEvents(tx: Tx, teamId: string, ids: readonly string[]): Promise<Unavailable> {
  return unavailableAmong(ids, tx, teamId, 'FOR KEY SHARE');
}

/**
 * Lock the two people of a merge (FOR UPDATE: one of them will vanish), in id order like every
 * other lock here. Locked one after the other, source first, the pair deadlocked with a
 * transaction holding both for its events in id order.
 */
export async function lockForMerge(tx: Tx, teamId: string, ids: readonly string[]): Promise<void> {
  await unavailableAmong(ids, tx, teamId, 'FOR UPDATE');
}

async function unavailableAmong(ids: readonly string[], tx: Tx, teamId: string, lock: 'FOR UPDATE' | 'FOR NO KEY UPDATE' | 'FOR KEY SHARE'): Promise<Unavailable> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return { erased: new Set(), gone: new Set() };
  const r = await tx.query<{ id: string; erased: boolean }>(
    `SELECT id, erased_at IS NOT NULL AS erased FROM people WHERE team_id = $1 AND id = ANY($2::uuid[]) ORDER BY id ${lock}`,
    [teamId, wanted],
  );
  const found = new Map(r.rows.map((row) => [row.id, row.erased]));
  return {
    erased: new Set(r.rows.filter((row) => row.erased).map((row) => row.id)),
    gone: new Set(wanted.filter((id) => !found.has(id))),
  };
}
