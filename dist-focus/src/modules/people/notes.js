import { randomUUID } from 'node:crypto';
import { notFound } from '../../platform/http/errors.js';
const where = (teamId, id) => ({ teamId, table: 'person_notes', column: 'body', rowId: id });
/** Notes about a person, sealed under that person's subject key (erasing them shreds the notes too). */
export async function addNote(tx, keyring, teamId, personId, body, authorId) {
    const id = randomUUID();
    const sealed = await keyring.sealForSubject(tx, personId, where(teamId, id), Buffer.from(body, 'utf8'));
    const r = await tx.query(`INSERT INTO person_notes (team_id, id, person_id, body_sealed, author_id) VALUES ($1, $2, $3, $4, $5) RETURNING created_at`, [teamId, id, personId, sealed, authorId]);
    return { id, personId, body, authorId, createdAt: r.rows[0].created_at.toISOString() };
}
export async function listNotes(tx, keyring, teamId, personId) {
    const r = await tx.query(`SELECT id, body_sealed, author_id, created_at FROM person_notes WHERE team_id = $1 AND person_id = $2 ORDER BY created_at DESC, id DESC`, [teamId, personId]);
    const notes = [];
    for (const n of r.rows) {
        const body = await keyring.openForSubject(tx, personId, where(teamId, n.id), Buffer.from(n.body_sealed));
        if (body)
            notes.push({ id: n.id, personId, body: body.toString('utf8'), authorId: n.author_id, createdAt: n.created_at.toISOString() });
    }
    return notes;
}
export async function deleteNote(tx, teamId, personId, noteId) {
    const r = await tx.query(`DELETE FROM person_notes WHERE team_id = $1 AND person_id = $2 AND id = $3`, [teamId, personId, noteId]);
    if (r.rowCount === 0)
        throw notFound('note');
}
/** Which of these people had a note written about them since `since` (retention counts it as activity). */
export async function notedSince(tx, teamId, personIds, since) {
    if (personIds.length === 0)
        return new Set();
    const r = await tx.query(`SELECT DISTINCT person_id FROM person_notes WHERE team_id = $1 AND person_id = ANY($2::uuid[]) AND created_at >= $3`, [teamId, personIds, since]);
    return new Set(r.rows.map((x) => x.person_id));
}
//# sourceMappingURL=notes.js.map