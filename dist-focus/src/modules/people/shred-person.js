import { namePrefixes } from '../../platform/crypto/blind-index.js';
import { getPerson } from './get-person.js';
import { subjectsOf } from './merge-people.js';
/**
 * First step of an erasure (I3), short whatever the person's history: delete every subject key
 * of theirs (from now on nothing sealed under them decrypts, here or in any backup), then the
 * rows that make them findable — identities, name tokens, notes, merge links — and hide the
 * person. What remains (their events) is undecryptable and is deleted later by `purgeErased`.
 * Returns the subject ids shredded and counts of what went.
 */
export async function shredPerson(ctx, tx, teamId, id) {
    const person = await getPerson(ctx, tx, teamId, id, { lock: true });
    // Indexes this process remembered for their identities and name go too (recomputed if needed).
    ctx.keyring.blindIndexes.forgetValues(teamId, [...person.emails, ...person.phones, ...person.externalIds, ...person.anonymousIds, ...(person.name ? namePrefixes(person.name) : [])]);
    const subjectIds = await subjectsOf(tx, teamId, id);
    let keys = 0;
    for (const subject of subjectIds)
        if (await ctx.keyring.shredSubject(tx, teamId, subject))
            keys++;
    const counts = { subjectKeys: keys };
    const identities = await tx.query(`DELETE FROM person_identities WHERE team_id = $1 AND person_id = $2 RETURNING id`, [teamId, id]);
    for (const row of identities.rows)
        ctx.openedIdentities.forget(row.id);
    counts.identities = identities.rowCount;
    for (const [table, name] of [['person_name_tokens', 'nameTokens'], ['person_notes', 'notes'], ['person_subjects', 'mergedProfiles']]) {
        counts[name] = (await tx.query(`DELETE FROM ${table} WHERE team_id = $1 AND person_id = $2`, [teamId, id])).rowCount;
    }
    await tx.query(`UPDATE people SET name_sealed = NULL, company_sealed = NULL, properties_sealed = NULL, erased_at = now(), updated_at = now() WHERE team_id = $1 AND id = $2`, [teamId, id]);
    counts.profile = 1;
    return { subjectIds, counts };
}
/** Whether this person was erased (shredded) and awaits or finished purging. */
export async function isErased(tx, teamId, id) {
    const r = await tx.query(`SELECT erased_at IS NOT NULL AS erased FROM people WHERE team_id = $1 AND id = $2`, [teamId, id]);
    return r.rows[0]?.erased ?? false;
}
/**
 * Last step of an erasure: delete the erased person's row; every table that references people
 * (consents, anything left) goes with it by cascade. Callers delete large dependants (events)
 * in batches first. Returns false if there was nothing to purge.
 */
export async function purgeErased(tx, teamId, id) {
    const r = await tx.query(`DELETE FROM people WHERE team_id = $1 AND id = $2 AND erased_at IS NOT NULL`, [teamId, id]);
    return r.rowCount > 0;
}
//# sourceMappingURL=shred-person.js.map