import { createHmac, timingSafeEqual } from 'node:crypto';
import { tenantTable } from '../db/tenant-table.js';
import { walkChain } from './verify-chain.js';
/**
 * Keyed checkpoints of a team's audit chain. The chain's hashes are plain SHA-256: whoever can
 * disable the triggers (a database owner) can rewrite entries and recompute every hash after
 * them. A checkpoint is the chain's head (`seq`, `hash`) with an HMAC under a key derived from the
 * team's index root, which the database holds only wrapped by the master key: it cannot be forged
 * or moved to another head without the master key. Verification then checks that the chain still
 * passes through every checkpoint, so a rewrite of anything up to the newest checkpoint fails.
 * Append-only like the log (the same trigger: only a team purge may delete).
 */
export const auditCheckpointSchema = {
    id: 'platform/0010_audit_checkpoints',
    sql: `
    CREATE TABLE audit_checkpoints (
      team_id uuid NOT NULL,
      seq bigint NOT NULL CHECK (seq > 0),
      hash bytea NOT NULL,
      made_at timestamptz NOT NULL DEFAULT now(),
      mac bytea NOT NULL,
      PRIMARY KEY (team_id, seq)
    );
    ${tenantTable('audit_checkpoints', 'SELECT, INSERT')}
    CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  `,
};
/** The job that checkpoints every team's chain (hourly; a team with no new entries gets none). */
export const AUDIT_CHECKPOINT_JOB = 'audit.checkpoint';
/**
 * The checkpoint key: derived (HKDF) from the team's index root under a name no blind index uses,
 * so it lives and dies with the team's other keys, is re-wrapped when the master key rotates, and
 * travels in backups with the team.
 */
const KEY_NAME = '@audit-checkpoint';
const COLUMNS = `seq, hash, made_at, mac`;
const toCheckpoint = (row) => ({ seq: Number(row.seq), hash: Buffer.from(row.hash), madeAt: row.made_at, mac: Buffer.from(row.mac) });
function macOf(key, teamId, seq, hash) {
    return createHmac('sha256', key).update(`haven audit checkpoint v1|${teamId}|${seq}|`).update(hash).digest();
}
/** The team's checkpoint key, or null for a team without keys (deleted): it has no checkpoints either. */
function checkpointKey(tx, keyring, teamId) {
    return keyring.blindIndexes.existingFieldKey(tx, teamId, KEY_NAME);
}
function checkpointHolds(key, teamId, c) {
    const expected = macOf(key, teamId, c.seq, c.hash);
    return c.mac.length === expected.length && timingSafeEqual(c.mac, expected);
}
/** The team's checkpoints, oldest first. */
async function listCheckpoints(tx, teamId) {
    const r = await tx.query(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE team_id = $1 ORDER BY seq`, [teamId]);
    return r.rows.map(toCheckpoint);
}
/**
 * Checkpoint the chain's current head: only after checking that the entries since the newest
 * checkpoint (whose own MAC must hold) chain from it, so a chain edited meanwhile is never
 * vouched for. A broken chain gets no checkpoint; `haven audit verify` names the break.
 */
export async function makeCheckpoint(tx, keyring, teamId) {
    const key = await checkpointKey(tx, keyring, teamId);
    if (!key)
        return { made: false, reason: 'empty' };
    const newest = (await tx.query(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE team_id = $1 ORDER BY seq DESC LIMIT 1`, [teamId])).rows.map(toCheckpoint)[0];
    if (newest && !checkpointHolds(key, teamId, newest)) {
        return { made: false, reason: 'broken', seq: newest.seq, detail: 'the newest checkpoint does not verify under the team key' };
    }
    const report = await walkChain(tx, teamId, { from: newest ? { seq: newest.seq, hash: newest.hash.toString('hex') } : undefined });
    if (report.firstBreak)
        return { made: false, reason: 'broken', seq: report.firstBreak.seq, detail: report.firstBreak.reason };
    const head = report.head;
    if (!head)
        return { made: false, reason: 'empty' };
    if (newest && head.seq === newest.seq)
        return { made: false, reason: 'unchanged' };
    const hash = Buffer.from(head.hash, 'hex');
    // Two nodes running the job at once write the same checkpoint: the second is a no-op.
    await tx.query(`INSERT INTO audit_checkpoints (team_id, seq, hash, mac) VALUES ($1, $2, $3, $4) ON CONFLICT (team_id, seq) DO NOTHING`, [
        teamId,
        head.seq,
        hash,
        macOf(key, teamId, head.seq, hash),
    ]);
    return { made: true, head };
}
/**
 * Verify a team's chain (walkChain) and its checkpoints: each checkpoint's MAC must hold under
 * the team's key, and the chain must pass through every checkpoint with the same hash. Entries up
 * to the newest checkpoint cannot then have been rewritten, even with every hash recomputed; an
 * `anchor` kept outside the database extends that to a chain cut back before it.
 */
export async function verifyChain(tx, teamId, options) {
    const key = await checkpointKey(tx, options.keyring, teamId);
    const checkpoints = await listCheckpoints(tx, teamId);
    const forged = checkpoints.find((c) => !key || !checkpointHolds(key, teamId, c));
    if (forged) {
        const reason = `checkpoint ${forged.seq} does not verify under the team key: it was forged or altered`;
        return { teamId, entries: 0, firstBreak: { seq: forged.seq, id: null, reason }, head: null, checkpoint: null };
    }
    const report = await walkChain(tx, teamId, { anchor: options.anchor, marks: checkpoints.map((c) => ({ seq: c.seq, hash: c.hash.toString('hex') })) });
    const newest = checkpoints.at(-1);
    return { ...report, checkpoint: report.firstBreak === null && newest ? { seq: newest.seq, madeAt: newest.madeAt.toISOString() } : null };
}
//# sourceMappingURL=checkpoints.js.map