import assert from 'node:assert/strict';
import { it } from 'node:test';
import { pino } from 'pino';
import { deleteCancelledTeam, deleteDueTeams } from '../src/modules/accounts/index.js';
import { deletionCertificates } from '../src/platform/db/delete-team-data.js';
import { describeEngines, ownerSql } from './support/haven.js';
import { plantTeam, tablesHolding } from './support/team-data.js';
/**
 * A cancelled team's deletion is claimed by one run of its job, on the team's row: an undo that
 * comes after the claim is refused instead of answering 200 while the team goes; two runs at once
 * delete it once, with one certificate; and a run that left rows behind is carried on by its retry.
 */
describeEngines('team deletion: the claim', (haven) => {
    const { owner, count } = ownerSql(haven);
    const ctx = () => ({ engine: haven().engine, keyring: haven().keyring, config: haven().config, jobs: haven().jobs, logger: pino({ level: 'silent' }) });
    /** A planted team, cancelled, its deletion due a second ago. */
    async function dueTeam(tag) {
        const t = await plantTeam(haven().server, tag, { people: 2, eventsPerPerson: 2 });
        const cancel = await t.client.post('/api/v1/team/cancellation');
        assert.equal(cancel.status, 202, cancel.raw.body);
        const r = await owner(`UPDATE teams SET deletion_due_at = now() - interval '1 second' WHERE team_id = $1 RETURNING deletion_due_at AS due`, [t.teamId]);
        return { ...t, job: { teamId: t.teamId, dueAt: r.rows[0].due.toISOString() } };
    }
    /**
     * A row of the team in `table` that no deletion pass can remove (a rule swallows the DELETE), as
     * if written by work under way meanwhile, until `letGo` drops the rule. The table goes after `fn`.
     */
    async function withRowsLeftBehind(table, teamId, fn) {
        await haven().engine.ownerExec(`
      CREATE TABLE ${table} (team_id uuid NOT NULL, note text);
      CREATE RULE ${table}_keep AS ON DELETE TO ${table} DO INSTEAD NOTHING;`);
        try {
            await owner(`INSERT INTO ${table} VALUES ($1, 'x')`, [teamId]);
            await fn(() => haven().engine.ownerExec(`DROP RULE ${table}_keep ON ${table}`));
        }
        finally {
            await haven().engine.ownerExec(`DROP TABLE ${table}`);
        }
    }
    const ledgerEntries = (teamId) => count(`SELECT count(*)::int AS n FROM erasure_ledger WHERE kind = 'team' AND team_id = $1`, [teamId]);
    it('an undo after the deletion was claimed is refused (409), even within the grace period', async () => {
        const t = await plantTeam(haven().server, 'claimed-undo', { people: 1, eventsPerPerson: 0 });
        assert.equal((await t.client.post('/api/v1/team/cancellation')).status, 202);
        await owner(`UPDATE teams SET deletion_started_at = now() WHERE team_id = $1`, [t.teamId]);
        const undo = await t.client.delete('/api/v1/team/cancellation');
        assert.deepEqual([undo.status, undo.body.error?.code], [409, 'not_cancelled']);
    });
    it('two runs at once delete the team once: one certificate, one ledger entry', async () => {
        const t = await dueTeam('claimed-twice');
        const [a, b] = await Promise.all([deleteCancelledTeam(ctx(), t.job), deleteCancelledTeam(ctx(), t.job)]);
        assert.equal([a, b].filter((c) => c !== null).length, 1, 'exactly one run deleted it');
        assert.equal((await deletionCertificates(haven().engine, t.teamId)).length, 1);
        assert.equal(await ledgerEntries(t.teamId), 1);
        assert.deepEqual(await haven().engine.ownerTransaction((tx) => tablesHolding(tx, t.teamId, new Set(['erasure_ledger', 'team_deletion_certificates']))), []);
    });
    it('a run that leaves rows behind is carried on by its retry, though the team row is gone', async () => {
        const t = await dueTeam('left-rows');
        await withRowsLeftBehind('leftover_claim_probe', t.teamId, async (letGo) => {
            await assert.rejects(deleteCancelledTeam(ctx(), t.job), /still has rows in leftover_claim_probe/);
            assert.equal(await count(`SELECT count(*)::int AS n FROM teams WHERE team_id = $1`, [t.teamId]), 0);
            assert.deepEqual(await deletionCertificates(haven().engine, t.teamId), [], 'no certificate while rows remain');
            await letGo();
            assert.equal(await deleteCancelledTeam(ctx(), t.job), null, 'a run may still be finishing: not joined within the hour');
            await owner(`UPDATE erasure_ledger SET recorded_at = now() - interval '2 hours' WHERE kind = 'team' AND team_id = $1`, [t.teamId]);
            const certificate = await deleteCancelledTeam(ctx(), t.job);
            assert.ok(certificate, 'the retry carried on');
            assert.equal(certificate.reason, 'cancellation_resumed', 'the certificate says its counts are the resumed run\'s only');
            assert.equal(certificate.tables.leftover_claim_probe, 1);
            assert.equal(await count(`SELECT count(*)::int AS n FROM leftover_claim_probe WHERE team_id = $1`, [t.teamId]), 0);
            assert.equal(await ledgerEntries(t.teamId), 1, 'the retry adds no second ledger entry');
            assert.equal(await deleteCancelledTeam(ctx(), t.job), null, 'and once certified, a further run does nothing');
        });
    });
    it('the sweep carries on a deletion left unfinished once its job gave up, and one team that fails does not stop the others', async () => {
        const stuck = await dueTeam('sweep-stuck');
        await withRowsLeftBehind('leftover_sweep_probe', stuck.teamId, async (letGo) => {
            await assert.rejects(deleteCancelledTeam(ctx(), stuck.job), /still has rows in leftover_sweep_probe/);
            // Its retry came within the hour and stood back (a run may still be finishing): the job is done.
            assert.equal(await deleteCancelledTeam(ctx(), stuck.job), null);
            await owner(`UPDATE erasure_ledger SET recorded_at = now() - interval '2 hours' WHERE kind = 'team' AND team_id = $1`, [stuck.teamId]);
            // The sweep: the stuck team fails again (its rows still cannot go), another due team is deleted all the same.
            const other = await dueTeam('sweep-other');
            await assert.rejects(deleteDueTeams(ctx()), /1 of 2 team deletions failed/);
            assert.equal((await deletionCertificates(haven().engine, other.teamId)).length, 1, 'the other team was deleted');
            assert.deepEqual(await deletionCertificates(haven().engine, stuck.teamId), []);
            // Next turn, the rows can go: the sweep finishes the deletion and certifies it.
            await letGo();
            assert.equal(await deleteDueTeams(ctx()), 1);
            const [certificate] = await deletionCertificates(haven().engine, stuck.teamId);
            assert.equal(certificate?.reason, 'cancellation_resumed');
            assert.equal(await count(`SELECT count(*)::int AS n FROM leftover_sweep_probe WHERE team_id = $1`, [stuck.teamId]), 0);
            assert.equal(await deleteDueTeams(ctx()), 0, 'nothing left to carry on');
        });
    });
});
//# sourceMappingURL=team-deletion-claim.test.js.map