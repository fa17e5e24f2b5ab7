import assert from 'node:assert/strict';
import { it } from 'node:test';
import { audit, makeCheckpoint } from '../src/platform/audit/index.js';
import { OUTLIVES_TEAM, listTables, quoteIdent } from '../src/platform/db/catalogue.js';
import { TeamDataRemainsError, deleteTeamData, deletionCertificates, recordDeletionCertificate } from '../src/platform/db/delete-team-data.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { keyClient } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
import { plantTeam, tablesHolding, uuidColumns } from './support/team-data.js';
/**
 * Account lifecycle, the platform half: deleting a team shreds its keys and removes every row
 * with its id from every table the catalogue lists — proved by searching every uuid column of
 * every table afterwards — while another team's rows stay byte for byte the same (row counts and
 * a checksum per table). The audit log gives way to a marked, owner-run team purge, and to
 * nothing else.
 */
/** Tables kept after a team is deleted, by design: proofs of the deletion. */
const OUTLIVING = new Set(['erasure_ledger', 'team_deletion_certificates']);
/**
 * Per table: how many rows, and an md5 over the sorted md5s of the rows, counting only rows that
 * do not mention `excludeId` in any uuid column (so the rows a deletion may touch are left out
 * and everything else must be identical before and after).
 */
async function fingerprint(tx, excludeId, skip) {
    const cols = await uuidColumns(tx);
    const out = {};
    for (const t of await listTables(tx)) {
        if (skip.has(t.name))
            continue;
        const mine = cols.filter((c) => c.schema === 'public' && c.table === t.name);
        const clauses = mine.map((c) => (c.array ? `NOT ($1::uuid = ANY(coalesce(x.${quoteIdent(c.column)}, '{}')))` : `x.${quoteIdent(c.column)} IS DISTINCT FROM $1::uuid`));
        const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
        const r = await tx.query(`SELECT count(*)::int AS rows, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS md5 FROM (SELECT md5(x::text) AS h FROM ${quoteIdent(t.name)} x ${where}) s`, mine.length ? [excludeId] : []);
        out[t.name] = { rows: r.rows[0].rows, md5: r.rows[0].md5 ?? '' };
    }
    return out;
}
describeEngines('team deletion', (haven) => {
    const { owner, count } = ownerSql(haven);
    const engine = () => haven().engine;
    it('deletes every row with the team id from every table, checked in the catalogue; the other team is untouched; a certificate is kept', async () => {
        const a = await plantTeam(haven().server, 'doomed');
        const b = await plantTeam(haven().server, 'kept');
        // Sessions are global: the deleted team's members keep theirs, pointing at no team.
        const skip = new Set(['sessions']);
        const before = await engine().ownerTransaction((tx) => fingerprint(tx, a.teamId, skip));
        const bSessions = await owner(`SELECT token_hash, active_team_id, user_id FROM sessions WHERE user_id IN ($1, $2) ORDER BY token_hash`, [b.userId, b.member.userId]);
        assert.ok(before.people.rows >= 2 && before.events.rows >= 6 && before.audit_log.rows > 0, 'the other team has data to protect');
        assert.ok((await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1`, [a.teamId])) === a.events);
        assert.equal((await withTeam(engine(), a.teamId, (tx) => makeCheckpoint(tx, haven().keyring, a.teamId))).made, true);
        const aBefore = await engine().ownerTransaction((tx) => tablesHolding(tx, a.teamId));
        for (const t of ['teams', 'memberships', 'invitations', 'api_keys', 'people', 'person_identities', 'person_notes', 'events', 'audit_log', 'audit_checkpoints', 'team_keys', 'subject_keys', 'team_index_keys']) {
            assert.ok(aBefore.some((x) => x.startsWith(`public.${t}.`)), `the doomed team has rows in ${t} before (the search finds them)`);
        }
        const progress = [];
        const report = await deleteTeamData(engine(), a.teamId, (d, t) => progress.push([d, t]), { batchSize: 4 });
        // The proof: no uuid column of any table, in any schema, holds the team's id any more.
        const left = await engine().ownerTransaction((tx) => tablesHolding(tx, a.teamId, OUTLIVING));
        assert.deepEqual(left, [], 'rows naming the deleted team remain');
        // Nor does any text or JSON column of Haven's tables mention it.
        const textHits = await engine().ownerTransaction(async (tx) => {
            const hits = [];
            for (const t of await listTables(tx)) {
                if (t.outlivesTeam)
                    continue;
                for (const c of t.columns.filter((c) => ['text', 'jsonb', 'json'].includes(c.type) || c.type.startsWith('character'))) {
                    const r = await tx.query(`SELECT 1 FROM ${quoteIdent(t.name)} WHERE ${quoteIdent(c.name)}::text LIKE '%' || $1 || '%' LIMIT 1`, [a.teamId]);
                    if (r.rowCount > 0)
                        hits.push(`${t.name}.${c.name}`);
                }
            }
            return hits;
        });
        assert.deepEqual(textHits, []);
        // The catalogue exempts exactly the two records of erasure, nothing else.
        const outliving = (await engine().ownerTransaction((tx) => listTables(tx))).filter((t) => t.outlivesTeam).map((t) => t.name);
        assert.deepEqual(outliving.sort(), [...OUTLIVING].sort());
        // The other team: every table identical, row for row.
        const after = await engine().ownerTransaction((tx) => fingerprint(tx, a.teamId, skip));
        assert.deepEqual(after, before);
        assert.deepEqual(await owner(`SELECT token_hash, active_team_id, user_id FROM sessions WHERE user_id IN ($1, $2) ORDER BY token_hash`, [b.userId, b.member.userId]).then((r) => r.rows), bSessions.rows);
        assert.equal(await count(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND active_team_id IS NULL`, [a.userId]), 1, "the owner's session now has no team");
        const chain = await withTeam(engine(), b.teamId, (tx) => audit.verify(tx, b.teamId, { keyring: haven().keyring }));
        assert.equal(chain.firstBreak, null);
        const people = await b.client.get('/api/v1/people');
        assert.equal(people.status, 200);
        assert.equal(people.body.people.length, 2);
        assert.equal(people.body.people.find((p) => p.id === b.people[0].id).name, b.people[0].secrets[0]);
        // What was deleted, counted per table; progress reached the total in batches.
        assert.equal(report.tables.events, a.events);
        assert.equal(report.tables.people, 2);
        // Children before parents: notes and identities are counted in their own tables, not lost in a cascade.
        assert.equal(report.tables.person_notes, 2);
        assert.equal(report.tables.person_identities, 4);
        assert.equal(report.tables.teams, 1);
        assert.equal(report.tables.memberships, 2);
        assert.equal(report.tables.sessions, 2, "the owner's and the member's sessions were cleared");
        assert.ok(report.tables.subject_keys >= 2 && report.tables.team_keys >= 1 && report.tables.audit_log > 0);
        assert.equal(report.total, Object.values(report.tables).reduce((x, y) => x + y, 0));
        assert.deepEqual(progress.at(-1), [report.total, report.total]);
        assert.ok(progress.length > 5, 'batches report progress');
        // The deleted team's people can no longer be reached through the API (its session has no team).
        assert.notEqual((await a.client.get(`/api/v1/people/${a.people[0].id}`)).status, 200);
        const cert = await recordDeletionCertificate(engine(), { teamId: a.teamId, reason: 'cancellation', ...report });
        const kept = await deletionCertificates(engine(), a.teamId);
        assert.deepEqual(kept, [cert]);
        assert.equal(kept[0].tables.events, a.events);
        // A certificate names the team and counts, nothing personal.
        const certRow = JSON.stringify((await owner(`SELECT * FROM team_deletion_certificates WHERE team_id = $1`, [a.teamId])).rows);
        for (const p of a.people)
            for (const s of p.secrets)
                assert.ok(!certRow.includes(s));
        // Running it again (a retried job) finds nothing and succeeds.
        const again = await deleteTeamData(engine(), a.teamId);
        assert.equal(again.total, 0);
    });
    it('deletes a big team page range by page range, leaving the rows of a team stored between them', async () => {
        const a = await plantTeam(haven().server, 'big', { people: 1, eventsPerPerson: 0 });
        const b = await plantTeam(haven().server, 'neighbour', { people: 1, eventsPerPerson: 0 });
        const writers = [
            { tag: 'a', key: await keyClient(haven().server, a.client, 'write') },
            { tag: 'b', key: await keyClient(haven().server, b.client, 'write') },
        ];
        // The two teams' events interleaved in the table's pages.
        for (let round = 0; round < 12; round++) {
            for (const { tag, key } of writers) {
                const events = Array.from({ length: 10 }, (_, i) => ({ type: 'track', event: 'Viewed', anonymousId: `v-${tag}-${i}`, messageId: `${tag}-${round}-${i}` }));
                assert.equal((await key.client.post('/api/v1/events', { events })).status, 200);
            }
        }
        const bEvents = async () => (await owner(`SELECT id FROM events WHERE team_id = $1 ORDER BY id`, [b.teamId])).rows.map((r) => r.id);
        const kept = await bEvents();
        assert.equal(kept.length, 120);
        // 120 events in batches of 10: more than two batches, so the pages are swept.
        const report = await deleteTeamData(engine(), a.teamId, undefined, { batchSize: 10 });
        assert.equal(report.tables.events, 120);
        assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1`, [a.teamId]), 0);
        assert.deepEqual(await bEvents(), kept, 'the neighbour keeps every event');
    });
    it('refuses to report success while a row of the team remains (the verification reads the catalogue)', async () => {
        const a = await plantTeam(haven().server, 'stubborn', { people: 1, eventsPerPerson: 1 });
        // A table (as a later module might add) whose rows will not go: a rule swallows the DELETE.
        await haven().engine.ownerExec(`
      CREATE TABLE leftover_probe (team_id uuid NOT NULL, note text);
      CREATE RULE leftover_probe_keep AS ON DELETE TO leftover_probe DO INSTEAD NOTHING;`);
        try {
            await owner(`INSERT INTO leftover_probe VALUES ($1, 'x')`, [a.teamId]);
            await assert.rejects(deleteTeamData(engine(), a.teamId), (error) => {
                assert.ok(error instanceof TeamDataRemainsError);
                assert.deepEqual(error.tables, ['leftover_probe.team_id']);
                return true;
            });
        }
        finally {
            await haven().engine.ownerExec(`DROP TABLE leftover_probe`);
        }
        // Everything else of the team did go; a rerun completes.
        assert.equal((await deleteTeamData(engine(), a.teamId)).total, 0);
        assert.deepEqual(await engine().ownerTransaction((tx) => tablesHolding(tx, a.teamId, OUTLIVING)), []);
    });
    it('a table marked as outliving the team keeps its rows; the mark is what exempts it', async () => {
        const a = await plantTeam(haven().server, 'marked', { people: 1, eventsPerPerson: 0 });
        await owner(`INSERT INTO team_deletion_certificates (id, team_id, reason, tables, total) VALUES (gen_random_uuid(), $1, 'test', '{}', 0)`, [a.teamId]);
        await deleteTeamData(engine(), a.teamId);
        assert.equal(await count(`SELECT count(*)::int AS n FROM team_deletion_certificates WHERE team_id = $1`, [a.teamId]), 1);
        const comment = await owner(`SELECT obj_description('team_deletion_certificates'::regclass, 'pg_class') AS c`);
        assert.ok(comment.rows[0].c.startsWith(OUTLIVES_TEAM));
    });
    // ── the audit log: append-only, except for a marked, owner-run team purge ────────────────────
    it('the app role cannot delete audit rows, not even with the purge mark set for its own team', async () => {
        const a = await plantTeam(haven().server, 'auditee', { people: 1, eventsPerPerson: 0 });
        const n = await count(`SELECT count(*)::int AS n FROM audit_log WHERE team_id = $1`, [a.teamId]);
        assert.ok(n > 0);
        await assert.rejects(withTeam(engine(), a.teamId, async (tx) => {
            await tx.query(`SELECT set_config('haven.purge_team', $1, true)`, [a.teamId]);
            await tx.query(`DELETE FROM audit_log WHERE team_id = $1`, [a.teamId]);
        }), /permission denied/);
        await assert.rejects(withTeam(engine(), a.teamId, async (tx) => {
            await tx.query(`SELECT set_config('haven.purge_team', $1, true)`, [a.teamId]);
            await tx.query(`UPDATE audit_log SET action = 'x' WHERE team_id = $1`, [a.teamId]);
        }), /permission denied/);
        assert.equal(await count(`SELECT count(*)::int AS n FROM audit_log WHERE team_id = $1`, [a.teamId]), n);
    });
    it('the owner cannot delete or edit audit rows without the mark, nor another team’s with it, nor truncate', async () => {
        const a = await plantTeam(haven().server, 'audit-a', { people: 1, eventsPerPerson: 0 });
        const b = await plantTeam(haven().server, 'audit-b', { people: 1, eventsPerPerson: 0 });
        const nB = await count(`SELECT count(*)::int AS n FROM audit_log WHERE team_id = $1`, [b.teamId]);
        await assert.rejects(owner(`DELETE FROM audit_log WHERE team_id = $1`, [a.teamId]), /append-only: DELETE refused/);
        await assert.rejects(engine().ownerTransaction(async (tx) => {
            await tx.query(`SELECT set_config('haven.purge_team', $1, true)`, [a.teamId]);
            await tx.query(`DELETE FROM audit_log WHERE team_id = $1`, [b.teamId]);
        }), /append-only: DELETE refused/);
        await assert.rejects(engine().ownerTransaction(async (tx) => {
            await tx.query(`SELECT set_config('haven.purge_team', $1, true)`, [a.teamId]);
            await tx.query(`UPDATE audit_log SET action = 'x' WHERE team_id = $1`, [a.teamId]);
        }), /append-only: UPDATE refused/);
        await assert.rejects(owner(`TRUNCATE audit_log`), /append-only: TRUNCATE refused/);
        // The mark lasts for its transaction only.
        await engine().ownerTransaction((tx) => tx.query(`SELECT set_config('haven.purge_team', $1, true)`, [a.teamId]));
        await assert.rejects(owner(`DELETE FROM audit_log WHERE team_id = $1`, [a.teamId]), /append-only: DELETE refused/);
        assert.equal(await count(`SELECT count(*)::int AS n FROM audit_log WHERE team_id = $1`, [b.teamId]), nB);
        for (const t of [a, b])
            assert.equal((await withTeam(engine(), t.teamId, (tx) => audit.verify(tx, t.teamId, { keyring: haven().keyring }))).firstBreak, null);
    });
});
//# sourceMappingURL=team-deletion.test.js.map