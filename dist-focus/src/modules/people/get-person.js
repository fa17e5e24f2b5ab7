import { notFound } from '../../platform/http/errors.js';
import { PERSON_COLUMNS, personViews } from './person-view.js';
export async function getPerson(ctx, tx, teamId, id, options = {}) {
    const r = await tx.query(`SELECT ${PERSON_COLUMNS} FROM people WHERE team_id = $1 AND id = $2 AND erased_at IS NULL${options.lock ? ' FOR UPDATE' : ''}`, [teamId, id]);
    if (!r.rows[0])
        throw notFound('person');
    return (await personViews(ctx, tx, teamId, r.rows))[0];
}
/** 404 unless the person exists in this team (for routes about a person's notes, activity…). */
/**
 * 404 unless the person is there and not erased. `hold`: something is about to be written for
 * them (a note, a consent); their row is held FOR KEY SHARE until commit, so an erasure or a merge
 * (FOR UPDATE) either waits for the write or has already committed — and then this is a 404, not
 * a write under a subject key created again after the shred.
 */
export async function requirePerson(tx, teamId, id, options = {}) {
    const found = await tx.query(`SELECT 1 FROM people WHERE team_id = $1 AND id = $2 AND erased_at IS NULL${options.hold ? ' FOR KEY SHARE' : ''}`, [teamId, id]);
    if (found.rowCount === 0)
        throw notFound('person');
}
//# sourceMappingURL=get-person.js.map