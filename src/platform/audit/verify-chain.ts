import type { Tx } from '../db/engine.js';
import { GENESIS, chainHash } from './audit-log.js';

export interface ChainReport {
  teamId: string;
  entries: number;
  /** The first entry that does not verify, or null when the whole chain holds. */
  firstBreak: { seq: number; id: string | null; reason: string } | null;
}

interface Row {
  seq: number;
  id: string;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  entry: string;
  prev_hash: Buffer;
  hash: Buffer;
}

/**
 * Walk a team's chain in order: sequence numbers without gaps (a deleted row breaks it), each
 * row's prev_hash equal to the previous row's hash, its hash equal to SHA-256(prev ‖ entry), and
 * its indexed columns equal to what the entry says (so a filter cannot be made to lie).
 */
export async function verifyChain(tx: Tx, teamId: string, batch = 5_000): Promise<ChainReport> {
  let prev = GENESIS;
  let expected = 1;
  let entries = 0;
  for (;;) {
    const r = await tx.query<Row>(
      `SELECT seq, id, at, actor_type, actor_id, action, target_type, target_id, entry, prev_hash, hash
         FROM audit_log WHERE team_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
      [teamId, expected, batch],
    );
    for (const row of r.rows) {
      const fail = (reason: string): ChainReport => ({ teamId, entries, firstBreak: { seq: expected, id: row.seq === expected ? row.id : null, reason } });
      if (row.seq !== expected) return fail(`entry ${expected} is missing (next is ${row.seq})`);
      if (!Buffer.from(row.prev_hash).equals(prev)) return fail('prev_hash does not match the previous entry');
      if (!chainHash(prev, row.entry).equals(Buffer.from(row.hash))) return fail('hash does not match the entry');
      let e: { seq?: unknown; id?: unknown; at?: unknown; teamId?: unknown; actor?: { type?: unknown; id?: unknown }; action?: unknown; target?: { type?: unknown; id?: unknown } | null };
      try {
        e = JSON.parse(row.entry);
      } catch {
        return fail('entry is not JSON');
      }
      const same =
        e.seq === row.seq &&
        e.id === row.id &&
        e.teamId === teamId &&
        e.at === row.at.toISOString() &&
        e.actor?.type === row.actor_type &&
        (e.actor?.id ?? null) === row.actor_id &&
        e.action === row.action &&
        (e.target?.type ?? null) === row.target_type &&
        (e.target?.id ?? null) === row.target_id;
      if (!same) return fail('columns differ from the hashed entry');
      prev = Buffer.from(row.hash);
      expected++;
      entries++;
    }
    if (r.rows.length < batch) return { teamId, entries, firstBreak: null };
  }
}
