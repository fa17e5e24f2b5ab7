import { randomUUID } from 'node:crypto';
import { HavenError, notFound } from '../../platform/http/errors.js';
export const LAWFUL_BASES = ['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'];
const where = (teamId, id) => ({ teamId, table: 'consents', column: 'source', rowId: id });
/** Purposes are short machine names ("newsletter", "analytics") so ingest and exports can match them. */
export function checkPurpose(purpose, field) {
    const p = purpose.trim().toLowerCase();
    if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(p)) {
        throw new HavenError('invalid_purpose', 400, 'A purpose is a short name of letters, digits, ".", "_" or "-" (at most 64).', field);
    }
    return p;
}
export async function recordConsent(tx, keyring, teamId, personId, input, recordedBy) {
    const id = randomUUID();
    const purpose = checkPurpose(input.purpose, 'purpose');
    const givenAt = input.givenAt ? new Date(input.givenAt) : new Date();
    if (givenAt.getTime() > Date.now() + 5 * 60_000)
        throw new HavenError('invalid_time', 400, 'Consent cannot be given in the future.', 'givenAt');
    const sealed = await keyring.sealForSubject(tx, personId, where(teamId, id), Buffer.from(input.source, 'utf8'));
    await tx.query(`INSERT INTO consents (team_id, id, person_id, purpose, lawful_basis, source_sealed, given_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [teamId, id, personId, purpose, input.lawfulBasis, sealed, givenAt, recordedBy]);
    return { id, personId, purpose, lawfulBasis: input.lawfulBasis, source: input.source, givenAt: givenAt.toISOString(), withdrawnAt: null, recordedBy };
}
export async function withdrawConsent(tx, teamId, personId, consentId) {
    const r = await tx.query(`SELECT withdrawn_at FROM consents WHERE team_id = $1 AND person_id = $2 AND id = $3 FOR UPDATE`, [
        teamId,
        personId,
        consentId,
    ]);
    if (!r.rows[0])
        throw notFound('consent');
    if (r.rows[0].withdrawn_at)
        throw new HavenError('already_withdrawn', 409, 'This consent was already withdrawn.');
    await tx.query(`UPDATE consents SET withdrawn_at = now() WHERE team_id = $1 AND id = $2`, [teamId, consentId]);
}
/** Every consent of a person, newest first, withdrawn ones included (they are part of the record). */
export async function listConsents(tx, keyring, teamId, personId) {
    const r = await tx.query(`SELECT id, person_id, purpose, lawful_basis, source_sealed, given_at, withdrawn_at, recorded_by FROM consents
      WHERE team_id = $1 AND person_id = $2 ORDER BY given_at DESC, id DESC`, [teamId, personId]);
    const out = [];
    for (const c of r.rows) {
        const source = await keyring.openForSubject(tx, personId, where(teamId, c.id), Buffer.from(c.source_sealed));
        if (source === null)
            continue;
        out.push({
            id: c.id,
            personId: c.person_id,
            purpose: c.purpose,
            lawfulBasis: c.lawful_basis,
            source: source.toString('utf8'),
            givenAt: c.given_at.toISOString(),
            withdrawnAt: c.withdrawn_at?.toISOString() ?? null,
            recordedBy: c.recorded_by,
        });
    }
    return out;
}
/**
 * People's merge step (registered in index.ts): the source's consents, withdrawn ones included,
 * become the target's — the record of what the person allowed must survive learning who they are.
 * Each `source` is re-sealed under the target's key (listing opens it with that key) for the same
 * row, so its associated data (team, table, column, row) is unchanged.
 */
export async function moveConsents(tx, keyring, teamId, fromId, intoId) {
    const r = await tx.query(`SELECT id, source_sealed FROM consents WHERE team_id = $1 AND person_id = $2 FOR UPDATE`, [
        teamId,
        fromId,
    ]);
    for (const c of r.rows) {
        const source = await keyring.openForSubject(tx, fromId, where(teamId, c.id), Buffer.from(c.source_sealed));
        // Only an erased person lacks a key, and an erased person is never merged.
        if (source === null)
            throw new Error('A consent to move is sealed under a subject key that no longer exists.');
        const sealed = await keyring.sealForSubject(tx, intoId, where(teamId, c.id), source);
        await tx.query(`UPDATE consents SET person_id = $3, source_sealed = $4 WHERE team_id = $1 AND id = $2`, [teamId, c.id, intoId, sealed]);
    }
}
/** Which of these people hold an active (not withdrawn) consent for `purpose`. */
export async function peopleWithConsent(tx, teamId, personIds, purpose) {
    if (personIds.length === 0)
        return new Set();
    const r = await tx.query(`SELECT DISTINCT person_id FROM consents WHERE team_id = $1 AND person_id = ANY($2::uuid[]) AND purpose = $3 AND withdrawn_at IS NULL`, [teamId, personIds, purpose]);
    return new Set(r.rows.map((x) => x.person_id));
}
/** Purposes with consents on record, with counts (for the record of processing). */
export async function consentPurposes(tx, teamId) {
    const r = await tx.query(`SELECT purpose, lawful_basis, count(*) FILTER (WHERE withdrawn_at IS NULL)::int AS active, count(*) FILTER (WHERE withdrawn_at IS NOT NULL)::int AS withdrawn
       FROM consents WHERE team_id = $1 GROUP BY purpose, lawful_basis ORDER BY purpose, lawful_basis`, [teamId]);
    return r.rows.map((x) => ({ purpose: x.purpose, lawfulBasis: x.lawful_basis, active: x.active, withdrawn: x.withdrawn }));
}
//# sourceMappingURL=consents.js.map