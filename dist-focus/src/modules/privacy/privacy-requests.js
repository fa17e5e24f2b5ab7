import { randomUUID } from 'node:crypto';
import { notFound } from '../../platform/http/errors.js';
import { decodeTimeCursor, encodeTimeCursor, scopedList } from '../../platform/http/time-cursor.js';
const COLUMNS = `id, kind, status, person_id, format, requested_by_type, requested_by, created_at, expires_at, completed_at, receipt`;
function view(r) {
    return {
        id: r.id,
        kind: r.kind,
        status: r.status,
        personId: r.person_id,
        format: r.format,
        requestedBy: { type: r.requested_by_type, id: r.requested_by },
        createdAt: r.created_at.toISOString(),
        expiresAt: r.expires_at?.toISOString() ?? null,
        completedAt: r.completed_at?.toISOString() ?? null,
        receipt: r.receipt,
    };
}
export async function createRequest(tx, teamId, r) {
    const created = await tx.query(`INSERT INTO privacy_requests (team_id, id, kind, status, person_id, format, requested_by_type, requested_by, expires_at, completed_at, receipt)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10 THEN now() END, $11) RETURNING ${COLUMNS}`, [teamId, randomUUID(), r.kind, r.status, r.personId, r.format ?? null, r.actor.type, r.actor.id, r.expiresAt ?? null, r.completed ?? false, JSON.stringify(r.receipt ?? {})]);
    return view(created.rows[0]);
}
export async function getRequest(tx, teamId, id) {
    const r = await tx.query(`SELECT ${COLUMNS} FROM privacy_requests WHERE team_id = $1 AND id = $2`, [teamId, id]);
    if (!r.rows[0])
        throw notFound('privacy request');
    return view(r.rows[0]);
}
/** Add to a request's receipt and move it to `status`. */
export async function advanceRequest(tx, teamId, id, status, receipt, completed = false) {
    await tx.query(`UPDATE privacy_requests SET status = $3, receipt = receipt || $4::jsonb, completed_at = CASE WHEN $5 THEN now() ELSE completed_at END
      WHERE team_id = $1 AND id = $2`, [teamId, id, status, JSON.stringify(receipt), completed]);
}
/** Newest first, keyset-paged by (creation time, id); optionally one kind, or one person (or several: `personIds`). */
export async function listRequests(tx, teamId, q) {
    const list = scopedList('privacy-requests', [q.kind ?? null, q.personId?.toLowerCase() ?? null, [...(q.personIds ?? [])].map((id) => id.toLowerCase()).sort()]);
    const after = q.cursor ? decodeTimeCursor(list, q.cursor) : null;
    const r = await tx.query(`SELECT ${COLUMNS}, (extract(epoch FROM created_at) * 1000000)::bigint::text AS sort_key FROM privacy_requests
      WHERE team_id = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::uuid[] IS NULL OR person_id = ANY($3::uuid[]))
        AND ($4::bigint IS NULL OR (created_at, id) < (timestamptz 'epoch' + $4::bigint * interval '1 microsecond', $5::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $6`, [teamId, q.kind ?? null, q.personIds ?? (q.personId !== undefined ? [q.personId] : null), after?.at ?? null, after?.id ?? null, q.limit + 1]);
    const page = r.rows.slice(0, q.limit);
    const last = page.at(-1);
    return { requests: page.map(view), nextCursor: r.rows.length > q.limit && last ? encodeTimeCursor(list, last.sort_key, last.id) : null };
}
//# sourceMappingURL=privacy-requests.js.map