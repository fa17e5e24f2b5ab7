import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { APP_ROLE, TransactionEndedError } from '../src/platform/db/engine.js';
import { withTeam, withUser } from '../src/platform/db/with-team.js';
import { signUp } from './support/client.js';
import { describeEngines } from './support/haven.js';
const signUpVia = (haven) => signUp(haven.server);
/** Tables that are not per team. Every other table must satisfy I1; a new table must choose. */
const GLOBAL_TABLES = new Set(['haven_migrations', 'users', 'sessions', 'sign_in_failures', 'keyring_master_check', 'account_key_root', 'erasure_ledger', 'team_deletion_certificates']);
describeEngines('I1 isolation, enforced by the database', (haven) => {
    it('the app role is NOSUPERUSER NOBYPASSRLS and owns no table', async () => {
        const r = await haven().engine.ownerTransaction((tx) => tx.query(`SELECT r.rolsuper, r.rolbypassrls,
                (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid AND c.relnamespace = 'public'::regnamespace) AS owned
           FROM pg_roles r WHERE r.rolname = $1`, [APP_ROLE]));
        assert.deepEqual(r.rows[0], { rolsuper: false, rolbypassrls: false, owned: 0 });
        const who = await haven().engine.transaction((tx) => tx.query(`SELECT current_user AS u`));
        assert.equal(who.rows[0].u, APP_ROLE);
    });
    it('every tenant table: RLS enabled and forced, a team_id policy, team_id first in its primary key, indexes and tenant foreign keys', async () => {
        const tables = await haven().engine.ownerTransaction(async (tx) => {
            const r = await tx.query(`SELECT c.relname, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
                coalesce((SELECT array_agg(pg_get_expr(p.polqual, p.polrelid)) FROM pg_policy p WHERE p.polrelid = c.oid), '{}') AS policies
           FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')`);
            const indexes = await tx.query(`SELECT t.relname AS table, i.relname AS index, a.attname AS first
           FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
          WHERE t.relnamespace = 'public'::regnamespace`);
            const fks = await tx.query(`SELECT t.relname AS table, c.conname AS name, a.attname AS first, f.relname AS target
           FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = c.conkey[1]
          WHERE c.contype = 'f' AND t.relnamespace = 'public'::regnamespace`);
            return { tables: r.rows, indexes: indexes.rows, fks: fks.rows };
        });
        const tenant = tables.tables.filter((t) => !GLOBAL_TABLES.has(t.relname));
        assert.ok(tenant.length >= 4, 'expected tenant tables');
        for (const t of tenant) {
            assert.ok(t.rls, `${t.relname}: RLS not enabled`);
            assert.ok(t.forced, `${t.relname}: RLS not forced`);
            assert.ok(t.policies.some((p) => /team_id = haven_team_id\(\)/.test(p)), `${t.relname}: no team_id policy`);
            for (const ix of tables.indexes.filter((i) => i.table === t.relname)) {
                assert.equal(ix.first, 'team_id', `${t.relname}.${ix.index} does not lead with team_id`);
            }
            for (const fk of tables.fks.filter((f) => f.table === t.relname && !GLOBAL_TABLES.has(f.target))) {
                assert.equal(fk.first, 'team_id', `${t.relname}.${fk.name} does not lead with team_id`);
            }
        }
    });
    it('a query outside withTeam sees zero tenant rows; withTeam sees only its own team', async () => {
        const a = await signUpVia(haven());
        const b = await signUpVia(haven());
        const tenantTables = ['teams', 'memberships', 'api_keys', 'invitations'];
        for (const table of tenantTables) {
            const outside = await haven().engine.transaction((tx) => tx.query(`SELECT * FROM ${table}`));
            assert.equal(outside.rowCount, 0, `${table} visible outside withTeam`);
        }
        const seen = await withTeam(haven().engine, a.teamId, (tx) => tx.query(`SELECT team_id FROM memberships`));
        assert.deepEqual([...new Set(seen.rows.map((r) => r.team_id))], [a.teamId]);
        // Even naming the other team's id explicitly finds nothing.
        const other = await withTeam(haven().engine, a.teamId, (tx) => tx.query(`SELECT * FROM teams WHERE team_id = $1`, [b.teamId]));
        assert.equal(other.rowCount, 0);
    });
    it("withTeam cannot write another team's rows", async () => {
        const a = await signUpVia(haven());
        const b = await signUpVia(haven());
        await assert.rejects(withTeam(haven().engine, a.teamId, (tx) => tx.query(`INSERT INTO api_keys (team_id, id, name, kind, scope, prefix, token_hash) VALUES ($1, $2, 'x', 'write', 'ingest', 'p', '\\x00')`, [
            b.teamId,
            randomUUID(),
        ])), /row-level security/);
        const updated = await withTeam(haven().engine, a.teamId, (tx) => tx.query(`UPDATE teams SET name = 'hijacked' WHERE team_id = $1`, [b.teamId]));
        assert.equal(updated.rowCount, 0);
        const deleted = await withTeam(haven().engine, a.teamId, (tx) => tx.query(`DELETE FROM memberships WHERE team_id = $1`, [b.teamId]));
        assert.equal(deleted.rowCount, 0);
    });
    it('the app role cannot change team keys, delete invitations or keys, or add a ledger entry for another scope', async () => {
        const a = await signUpVia(haven());
        const b = await signUpVia(haven());
        const inA = (sql, params = []) => withTeam(haven().engine, a.teamId, (tx) => tx.query(sql, params));
        await assert.rejects(inA(`UPDATE team_keys SET wrapped_key = wrapped_key WHERE team_id = $1`, [a.teamId]), /permission denied/);
        await assert.rejects(inA(`DELETE FROM invitations WHERE team_id = $1`, [a.teamId]), /permission denied/);
        await assert.rejects(inA(`DELETE FROM api_keys WHERE team_id = $1`, [a.teamId]), /permission denied/);
        const entry = (teamId) => inA(`INSERT INTO erasure_ledger (entry_hash, kind, team_id, erased_at) VALUES ($1, 'team', $2, now())`, [Buffer.from(randomUUID().replaceAll('-', ''), 'hex'), teamId]);
        await assert.rejects(entry(b.teamId), /row-level security/, "an entry naming another team (a restore would delete it)");
        await entry(a.teamId);
        await assert.rejects(inA(`INSERT INTO erasure_ledger (entry_hash, kind, user_id, erased_at) VALUES ($1, 'user', $2, now())`, [Buffer.alloc(16, 1), b.userId]), /row-level security/);
        await withUser(haven().engine, b.userId, (tx) => tx.query(`INSERT INTO erasure_ledger (entry_hash, kind, user_id, erased_at) VALUES ($1, 'user', $2, now())`, [Buffer.alloc(16, 2), b.userId]));
    });
    it('the scope ends with the transaction', async () => {
        const a = await signUpVia(haven());
        await withTeam(haven().engine, a.teamId, (tx) => tx.query(`SELECT 1`));
        const after = await haven().engine.transaction((tx) => tx.query(`SELECT * FROM teams`));
        assert.equal(after.rowCount, 0);
    });
    it('a transaction handle kept past its transaction cannot query (its connection may serve another team by then)', async () => {
        const a = await signUpVia(haven());
        const b = await signUpVia(haven());
        let kept;
        await withTeam(haven().engine, a.teamId, async (tx) => {
            kept = tx;
        });
        // Another team's transaction is open, maybe on the very connection the kept handle had.
        await withTeam(haven().engine, b.teamId, async () => {
            await assert.rejects(kept.query(`SELECT * FROM teams`), TransactionEndedError);
            await assert.rejects(kept.announce({ topic: 'api_key.revoked', teamId: a.teamId }), TransactionEndedError);
        });
        await assert.rejects(kept.query(`SELECT 1`), TransactionEndedError);
    });
    it('withUser lists only the user’s own memberships and teams', async () => {
        const a = await signUpVia(haven());
        await signUpVia(haven());
        const r = await withUser(haven().engine, a.userId, async (tx) => ({
            memberships: (await tx.query(`SELECT * FROM memberships`)).rowCount,
            teams: (await tx.query(`SELECT * FROM teams`)).rowCount,
            keys: (await tx.query(`SELECT * FROM api_keys`)).rowCount,
        }));
        assert.deepEqual(r, { memberships: 1, teams: 1, keys: 0 });
    });
    it('rowCount means the same on both engines (rows returned or affected)', async () => {
        const r = await haven().engine.transaction(async (tx) => ({
            select: (await tx.query(`SELECT generate_series(1, 3)`)).rowCount,
        }));
        assert.equal(r.select, 3);
    });
});
//# sourceMappingURL=isolation.test.js.map