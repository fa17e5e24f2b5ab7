import { audit } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { HavenError } from '../../platform/http/errors.js';
import { PeopleService } from '../people/index.js';
import { privacySettings } from './privacy-settings.js';
import { collectPersonExportIn } from './export-person.js';
import { createRequest, getRequest } from './privacy-requests.js';
/**
 * An access export is a request with a one-time, expiring download. Nothing is generated ahead of
 * time — a prepared file would be a plaintext copy of the person at rest — the download streams
 * the export from the encrypted rows at the moment it is taken, once.
 */
export async function requestExport(ctx, teamId, personId, format, actor, requestId) {
    const people = new PeopleService(ctx.keyring);
    return withTeam(ctx.engine, teamId, async (tx) => {
        await people.requireExists(tx, teamId, personId);
        const { exportLinkHours } = await privacySettings(tx, teamId);
        const request = await createRequest(tx, teamId, {
            kind: 'export',
            status: 'ready',
            personId,
            format,
            actor,
            expiresAt: new Date(Date.now() + exportLinkHours * 3_600_000),
        });
        await audit.record(tx, { teamId, actor, action: 'person.export_requested', target: { type: 'person', id: personId }, requestId, details: { privacyRequest: request.id, format } });
        return request;
    });
}
/**
 * Take the one download of an export: atomically from `ready` to `downloaded`, only before it
 * expires, in the same transaction that reads the export's sections. A second attempt, or a late
 * one, is refused and changes nothing; so is one whose person is gone (erased, merged away), and
 * then the link is not used up and no export is audited.
 */
export async function takeExport(ctx, teamId, id, actor, requestId) {
    return withTeam(ctx.engine, teamId, async (tx) => {
        const claimed = await tx.query(`UPDATE privacy_requests SET status = 'downloaded', completed_at = now(), receipt = receipt || jsonb_build_object('downloadedAt', now(), 'downloadedBy', $3::text)
        WHERE team_id = $1 AND id = $2 AND kind = 'export' AND status = 'ready' AND expires_at > now()
        RETURNING person_id, format`, [teamId, id, actor.id ?? actor.type]);
        const row = claimed.rows[0];
        if (!row) {
            const request = await getRequest(tx, teamId, id);
            if (request.kind !== 'export')
                throw new HavenError('not_found', 404, 'No such export.');
            if (request.status === 'downloaded')
                throw new HavenError('export_already_downloaded', 410, 'This export was already downloaded; request a new one.');
            if (request.status === 'failed')
                throw new HavenError('export_expired', 410, 'This export can no longer be downloaded: the person was erased.');
            throw new HavenError('export_expired', 410, 'This export link has expired; request a new one.');
        }
        const exp = await collectPersonExportIn(tx, ctx, teamId, row.person_id);
        await audit.record(tx, { teamId, actor, action: 'person.exported', target: { type: 'person', id: row.person_id }, requestId, details: { privacyRequest: id, format: row.format } });
        return { format: row.format, exp };
    });
}
/** An erased person's exports not yet downloaded can never be: they are closed with the erasure. */
export async function closeOpenExports(tx, teamId, personIds) {
    const r = await tx.query(`UPDATE privacy_requests SET status = 'failed', completed_at = now(), receipt = receipt || '{"closed": "person_erased"}'::jsonb
      WHERE team_id = $1 AND kind = 'export' AND status = 'ready' AND person_id = ANY($2::uuid[])`, [teamId, personIds]);
    return r.rowCount;
}
//# sourceMappingURL=request-export.js.map