import { GENESIS, chainHash } from './audit-log.js';
/** `<seq>:<hash hex>`, as `haven audit verify` prints a chain's head and takes it back. */
export const ANCHOR_PATTERN = '^[1-9][0-9]{0,14}:[0-9a-f]{64}$'; // 15 digits: always a safe integer
export function parseAnchor(text) {
    if (!new RegExp(ANCHOR_PATTERN).test(text))
        return null;
    const [seq, hash] = text.split(':');
    return { seq: Number(seq), hash };
}
export const formatAnchor = (anchor) => `${anchor.seq}:${anchor.hash}`;
/**
 * Walk a team's chain in order: sequence numbers without gaps (a deleted row breaks it), each
 * row's prev_hash equal to the previous row's hash, its hash equal to SHA-256(prev ‖ entry), and
 * its indexed columns equal to what the entry says (so a filter cannot be made to lie).
 * With an `anchor` noted earlier (or `marks`: keyed checkpoints), also that the chain still
 * reaches each with the same hash: what a chain cut at the end or rewritten with recomputed
 * hashes cannot show on its own.
 */
export async function walkChain(tx, teamId, options = {}) {
    const { anchor, from, batch = 5_000 } = options;
    // Every position the chain must reach, each named as a failure says it (an anchor and a
    // checkpoint may name the same entry: both are checked).
    const marks = [...(options.marks ?? []).map((m) => ({ ...m, its: 'its checkpoint', a: 'a checkpoint' })), ...(anchor ? [{ ...anchor, its: 'the anchor', a: 'the anchor' }] : [])];
    const marksAt = new Map();
    for (const m of marks)
        marksAt.set(m.seq, [...(marksAt.get(m.seq) ?? []), m]);
    let prev = GENESIS;
    let entries = 0;
    const head = () => (entries === 0 ? null : { seq: entries, hash: prev.toString('hex') });
    if (from) {
        const r = await tx.query(`SELECT hash FROM audit_log WHERE team_id = $1 AND seq = $2`, [teamId, from.seq]);
        const stored = r.rows[0] ? Buffer.from(r.rows[0].hash).toString('hex') : undefined;
        if (stored !== from.hash) {
            const reason = stored === undefined ? `entry ${from.seq} is gone: entries were cut off` : 'hash differs from its checkpoint: the chain was rewritten';
            return { teamId, entries: 0, firstBreak: { seq: from.seq, id: null, reason }, head: null };
        }
        prev = Buffer.from(from.hash, 'hex');
        entries = from.seq;
    }
    for (;;) {
        const expected = entries + 1;
        const r = await tx.query(`SELECT seq, id, at, actor_type, actor_id, action, target_type, target_id, entry, prev_hash, hash
         FROM audit_log WHERE team_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`, [teamId, expected, batch]);
        for (const row of r.rows) {
            const seq = entries + 1;
            const fail = (reason) => ({ teamId, entries, firstBreak: { seq, id: row.seq === seq ? row.id : null, reason }, head: head() });
            if (row.seq !== seq)
                return fail(`entry ${seq} is missing (next is ${row.seq})`);
            if (!Buffer.from(row.prev_hash).equals(prev))
                return fail('prev_hash does not match the previous entry');
            if (!chainHash(prev, row.entry).equals(Buffer.from(row.hash)))
                return fail('hash does not match the entry');
            let e;
            try {
                e = JSON.parse(row.entry);
            }
            catch {
                return fail('entry is not JSON');
            }
            const same = e.seq === row.seq &&
                e.id === row.id &&
                e.teamId === teamId &&
                e.at === row.at.toISOString() &&
                e.actor?.type === row.actor_type &&
                (e.actor?.id ?? null) === row.actor_id &&
                e.action === row.action &&
                (e.target?.type ?? null) === row.target_type &&
                (e.target?.id ?? null) === row.target_id;
            if (!same)
                return fail('columns differ from the hashed entry');
            const hash = Buffer.from(row.hash).toString('hex');
            const differs = marksAt.get(seq)?.find((m) => m.hash !== hash);
            if (differs)
                return fail(`hash differs from ${differs.its}: the chain was rewritten`);
            prev = Buffer.from(row.hash);
            entries = seq;
        }
        if (r.rows.length < batch) {
            const beyond = marks.filter((m) => m.seq > entries).sort((x, y) => x.seq - y.seq)[0];
            if (beyond) {
                const reason = `the chain ends before ${beyond.a} at entry ${beyond.seq}: entries were cut off`;
                return { teamId, entries, firstBreak: { seq: entries + 1, id: null, reason }, head: head() };
            }
            return { teamId, entries, firstBreak: null, head: head() };
        }
    }
}
//# sourceMappingURL=verify-chain.js.map