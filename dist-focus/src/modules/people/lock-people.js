/**
 * Lock these people's rows for a change of their profile (not of their existence), and say which
 * cannot be changed: a caller that found them before taking the lock may have raced an erasure or
 * a merge, which the lock waits for.
 */
export async function lockForChange(tx, teamId, ids, options = {}) {
    // A change that may merge takes the merge's own mode for all of them at once: upgraded merge by
    // merge, pair after pair, the locks would no longer follow one id order.
    return unavailableAmong(ids, tx, teamId, options.merging ? 'FOR UPDATE' : 'FOR NO KEY UPDATE');
}
/**
 * Hold these people while events are stored for them, and say which cannot take events: erased
 * (their keys are shredded), or gone — merged into someone else meanwhile, or purged.
 */
export async function holdForEvents(tx, teamId, ids) {
    return unavailableAmong(ids, tx, teamId, 'FOR KEY SHARE');
}
/**
 * Lock the two people of a merge (FOR UPDATE: one of them will vanish), in id order like every
 * other lock here. Locked one after the other, source first, the pair deadlocked with a
 * transaction holding both for its events in id order.
 */
export async function lockForMerge(tx, teamId, ids) {
    await unavailableAmong(ids, tx, teamId, 'FOR UPDATE');
}
async function unavailableAmong(ids, tx, teamId, lock) {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0)
        return { erased: new Set(), gone: new Set() };
    const r = await tx.query(`SELECT id, erased_at IS NOT NULL AS erased FROM people WHERE team_id = $1 AND id = ANY($2::uuid[]) ORDER BY id ${lock}`, [teamId, wanted]);
    const found = new Map(r.rows.map((row) => [row.id, row.erased]));
    return {
        erased: new Set(r.rows.filter((row) => row.erased).map((row) => row.id)),
        gone: new Set(wanted.filter((id) => !found.has(id))),
    };
}
//# sourceMappingURL=lock-people.js.map