import { rewriteTables } from '../../platform/db/rewrite-tables.js';
import { withTeam } from '../../platform/db/with-team.js';
import { eventPayloadContext } from './ingest.js';
const BATCH = 1_000;
/**
 * Seal, at start, the page and screen names that builds before stored in clear: each goes into
 * its event's sealed payload (where the timeline and export read it now) and the column is
 * cleared. An event whose person was erased has no key left; its name is just cleared. Team by
 * team, like sealClearEmails; then the table is rewritten (VACUUM FULL) so its files keep no old
 * row version. Nothing to do costs one probe of an empty partial index.
 */
export async function sealClearPageNames(ctx) {
    const { engine, keyring } = ctx;
    const teams = await engine.ownerTransaction(async (tx) => (await tx.query(`SELECT DISTINCT team_id FROM events WHERE type <> 'track' AND name IS NOT NULL`)).rows);
    let sealed = 0;
    for (const { team_id: teamId } of teams) {
        for (;;) {
            const done = await withTeam(engine, teamId, async (tx) => {
                const rows = await tx.query(`SELECT id, subject_id, name, payload_sealed FROM events
            WHERE team_id = $1 AND type <> 'track' AND name IS NOT NULL LIMIT $2 FOR UPDATE`, [teamId, BATCH]);
                const keys = await keyring.subjectKeysFor(tx, teamId, [...new Set(rows.rows.map((r) => r.subject_id))], { create: false });
                for (const r of rows.rows) {
                    const key = keys.get(r.subject_id);
                    if (!key) {
                        await tx.query(`UPDATE events SET name = NULL WHERE team_id = $1 AND id = $2`, [teamId, r.id]);
                        continue;
                    }
                    const where = eventPayloadContext(teamId, r.id);
                    const payload = JSON.parse(keyring.openWith(key, where, Buffer.from(r.payload_sealed)).toString('utf8'));
                    const resealed = keyring.sealWith(key, where, Buffer.from(JSON.stringify({ ...payload, name: r.name }), 'utf8'));
                    await tx.query(`UPDATE events SET name = NULL, payload_sealed = $3 WHERE team_id = $1 AND id = $2`, [teamId, r.id, resealed]);
                }
                return rows.rows.length;
            });
            sealed += done;
            if (done < BATCH)
                break;
        }
    }
    if (sealed > 0) {
        // An UPDATE leaves the old row version, name and all, in the table's pages until overwritten.
        await rewriteTables(engine, ['events'], ctx.logger);
        ctx.logger.info({ events: sealed }, 'sealed page and screen names stored in clear by an earlier build');
    }
    return sealed;
}
//# sourceMappingURL=seal-clear-page-names.js.map