import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { replaySteps } from '../src/cli/restore.js';
import { accountSubject } from '../src/modules/accounts/sign-in-throttle.js';
import { allMigrations } from '../src/modules/index.js';
import { restoreBackup, verifyArchive, writeBackup } from '../src/platform/backup/index.js';
import { Keyring } from '../src/platform/crypto/keyring.js';
import { envMasterKey } from '../src/platform/crypto/master-key/env/env-master-key.js';
import { openErasureLedger } from '../src/platform/erasure-ledger/index.js';
import { PASSWORD, TestClient, addMember, keyClient, signUp } from './support/client.js';
import { describeEngines, freshEngine, ownerSql } from './support/haven.js';
import { tempDirs } from './support/temp-dirs.js';
/**
 * A Haven user deletes their own account (POST /auth/delete-account): with their password, never
 * while they are a team's only owner (unless the team is cancelled), leaving every team with an
 * audit entry, and for good — sessions, memberships, sealed email, password hash and failed
 * sign-ins gone, and the erasure ledger deleting the account again when an older backup is restored.
 */
const tempDir = tempDirs();
function check(res, status, code, label) {
    const got = `${res.status} ${JSON.stringify(res.body)}`;
    assert.equal(res.status, status, `${label}: expected ${status} ${code ?? ''}, got ${got}`);
    if (code !== null)
        assert.equal(res.body?.error?.code, code, `${label}: expected ${status} ${code}, got ${got}`);
}
describeEngines('deleting your account', (haven) => {
    const { owner: sql, count } = ownerSql(haven);
    const deleteAccount = (client, password) => client.post('/api/v1/auth/delete-account', { password });
    /** What the database holds of a user, as the schema owner sees it. */
    const traces = async (userId) => ({
        users: await count(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [userId]),
        sessions: await count(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [userId]),
        memberships: await count(`SELECT count(*)::int AS n FROM memberships WHERE user_id = $1`, [userId]),
    });
    it('is refused with a wrong password, with an API key, and while you are the only owner of a live team — nothing changes', async () => {
        const owner = await signUp(haven().server, 'owner');
        const admin = await addMember(haven().server, owner.client, 'admin');
        const adminKey = await keyClient(haven().server, owner.client, 'secret', 'admin');
        check(await deleteAccount(admin.client, 'not my password'), 403, 'wrong_password', 'wrong password');
        check(await deleteAccount(adminKey.client, PASSWORD), 403, 'forbidden', 'an API key has no account');
        check(await deleteAccount(new TestClient(haven().server), PASSWORD), 401, 'unauthenticated', 'signed out');
        check(await admin.client.post('/api/v1/auth/delete-account', { password: PASSWORD }, { 'x-csrf-token': 'forged' }), 403, null, 'without the CSRF token');
        check(await deleteAccount(owner.client, PASSWORD), 409, 'last_owner', 'the only owner');
        check(await admin.client.post('/api/v1/teams', { name: 'Side project' }), 201, null, 'the admin starts a team of their own');
        check(await deleteAccount(admin.client, PASSWORD), 409, 'last_owner', 'now the only owner of their own team');
        for (const u of [owner, admin]) {
            assert.deepEqual(await traces(u.userId), { users: 1, sessions: 1, memberships: u === owner ? 1 : 2 });
            check(await u.client.get('/api/v1/session'), 200, null, 'still signed in');
        }
        assert.equal(await count(`SELECT count(*)::int AS n FROM erasure_ledger WHERE user_id = ANY($1::uuid[])`, [[owner.userId, admin.userId]]), 0, 'nothing ledgered');
    });
    it('two owners of a team deleting their accounts at the same moment: one goes, the other is then its only owner', async () => {
        for (let round = 0; round < 3; round++) {
            const a = await signUp(haven().server, 'owner');
            const b = await addMember(haven().server, a.client, 'owner', 'co-owner');
            const results = await Promise.all([deleteAccount(a.client, PASSWORD), deleteAccount(b.client, PASSWORD)]);
            assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], JSON.stringify(results.map((r) => r.body)));
            assert.equal(results.find((r) => r.status === 409).body.error.code, 'last_owner');
            assert.equal(await count(`SELECT count(*)::int AS n FROM memberships WHERE team_id = $1 AND role = 'owner'`, [a.teamId]), 1, 'never ownerless');
        }
    });
    it('the only owner of a cancelled team undoing it while deleting their account: never a live team without an owner', async () => {
        for (let round = 0; round < 3; round++) {
            const a = await signUp(haven().server, 'owner');
            check(await a.client.post('/api/v1/team/cancellation'), 202, null, 'cancelled');
            const [undo, deletion] = await Promise.all([a.client.delete('/api/v1/team/cancellation'), deleteAccount(a.client, PASSWORD)]);
            const outcome = `undo ${undo.status}, deletion ${deletion.status}: ${JSON.stringify([undo.body, deletion.body])}`;
            const live = await count(`SELECT count(*)::int AS n FROM teams WHERE team_id = $1 AND cancelled_at IS NULL`, [a.teamId]);
            const owners = await count(`SELECT count(*)::int AS n FROM memberships WHERE team_id = $1 AND role = 'owner'`, [a.teamId]);
            if (undo.status === 200) {
                assert.equal(deletion.status, 409, outcome);
                assert.equal(deletion.body.error.code, 'last_owner');
                assert.deepEqual([live, owners], [1, 1], outcome);
            }
            else {
                assert.equal(deletion.status, 200, outcome);
                assert.ok([401, 403].includes(undo.status), outcome);
                assert.deepEqual([live, owners], [0, 0], outcome);
            }
        }
    });
    it('counts wrong passwords against the sign-in throttle', async () => {
        const owner = await signUp(haven().server, 'owner');
        const member = await addMember(haven().server, owner.client, 'member');
        for (let i = 0; i < 5; i++)
            check(await deleteAccount(member.client, `wrong ${i}`), 403, 'wrong_password', `wrong password ${i + 1}`);
        check(await deleteAccount(member.client, PASSWORD), 429, 'too_many_attempts', 'then even the right one waits');
        check(await new TestClient(haven().server).post('/api/v1/auth/sign-in', { email: member.email, password: PASSWORD }), 429, 'too_many_attempts', 'and so does sign-in');
        assert.equal((await traces(member.userId)).users, 1);
    });
    it('removes you from every team, ends every session, deletes the account, and a backup restored later deletes it again', async () => {
        const owner = await signUp(haven().server, 'owner');
        const coOwner = await addMember(haven().server, owner.client, 'owner', 'co-owner');
        // coOwner: an owner of the first team (with another owner), the only owner of a cancelled team.
        check(await coOwner.client.post('/api/v1/teams', { name: 'Wound down' }), 201, null, 'a second team');
        check(await coOwner.client.post('/api/v1/team/cancellation'), 202, null, 'cancelled');
        const otherDevice = new TestClient(haven().server);
        check(await otherDevice.post('/api/v1/auth/sign-in', { email: coOwner.email, password: PASSWORD }), 200, null, 'a second session');
        check(await new TestClient(haven().server).post('/api/v1/auth/sign-in', { email: coOwner.email, password: 'one typo' }), 401, null, 'a failed sign-in');
        const teams = (await coOwner.client.get('/api/v1/session')).body.teams;
        assert.equal(teams.length, 2);
        const wound = teams.find((t) => t.id !== owner.teamId).id;
        const failures = () => count(`SELECT count(*)::int AS n FROM sign_in_failures WHERE subject = $1`, [accountSubject(haven().keyring.accounts, coOwner.email)]);
        assert.equal(await failures(), 1);
        const ledger = openErasureLedger(haven().config);
        const archive = join(tempDir('account-archive'), 'haven.tar.gz');
        await writeBackup(haven().engine, archive, { master: Buffer.from(haven().config.masterKey, 'base64'), ledger });
        const res = await deleteAccount(coOwner.client, PASSWORD);
        check(res, 200, null, 'deleted');
        assert.deepEqual(res.body, { teamsLeft: 2 });
        assert.match(String(res.headers['set-cookie']), /__Host-haven_session=;/, 'the cookie is cleared');
        assert.deepEqual(await traces(coOwner.userId), { users: 0, sessions: 0, memberships: 0 });
        assert.equal(await failures(), 0, 'the account’s failed sign-ins are gone');
        check(await otherDevice.get('/api/v1/session'), 401, 'session_expired', 'the other device is signed out');
        check(await new TestClient(haven().server).post('/api/v1/auth/sign-in', { email: coOwner.email, password: PASSWORD }), 401, 'invalid_credentials', 'no account to sign in to');
        const members = await owner.client.get('/api/v1/members');
        assert.deepEqual(members.body.members.map((m) => m.userId), [owner.userId], 'gone from the team');
        const log = await owner.client.get('/api/v1/audit?action=account');
        assert.deepEqual(log.body.entries.map((e) => [e.action, e.actor.id, e.target.id]), [['account.deleted', coOwner.userId, coOwner.userId]], 'the team’s log says who left and why, by id');
        const wounds = await sql(`SELECT count(*)::int AS n FROM audit_log WHERE team_id = $1 AND action = 'account.deleted'`, [wound]);
        assert.equal(wounds.rows[0].n, 1, 'the cancelled team’s log too');
        assert.equal(await count(`SELECT count(*)::int AS n FROM memberships WHERE team_id = $1`, [wound]), 0, 'the cancelled team is left to its deletion');
        const lines = readFileSync(ledger.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
        const entry = lines.find((l) => l.kind === 'user' && l.userId === coOwner.userId);
        assert.deepEqual(Object.keys(entry).sort(), ['erasedAt', 'kind', 'prev', 'userId'], 'ids and a time, nothing else');
        assert.equal(await count(`SELECT count(*)::int AS n FROM erasure_ledger WHERE kind = 'user' AND user_id = $1 AND team_id IS NULL`, [coOwner.userId]), 1);
        const again = await new TestClient(haven().server).post('/api/v1/auth/sign-up', { email: coOwner.email, password: PASSWORD, teamName: 'Fresh start' });
        check(again, 201, null, 'the email is free again');
        assert.notEqual(again.body.user.id, coOwner.userId);
        // The backup predates the deletion: restored without the ledger (the control) the account is
        // back; with it, the account is deleted again — and the first team keeps its other owner.
        const restored = async (withLedger, look) => {
            const target = await freshEngine(haven().kind);
            try {
                const manifest = await verifyArchive(archive, { master: Buffer.from(haven().config.masterKey, 'base64'), knownMigrations: allMigrations.map((m) => m.id) });
                const keyring = await Keyring.open(target.engine, envMasterKey(haven().config.masterKey));
                const report = await restoreBackup(target.engine, archive, manifest, { keyring, migrations: allMigrations, ...replaySteps, ledger: withLedger ? ledger : undefined });
                assert.equal(report.replay.users, withLedger ? 1 : 0);
                await look(target.engine);
            }
            finally {
                await target.engine.close();
                await target.drop();
            }
        };
        const userRows = (engine, id) => engine.ownerTransaction(async (tx) => ({
            users: (await tx.query(`SELECT 1 FROM users WHERE id = $1`, [id])).rowCount,
            sessions: (await tx.query(`SELECT 1 FROM sessions WHERE user_id = $1`, [id])).rowCount,
            memberships: (await tx.query(`SELECT 1 FROM memberships WHERE user_id = $1`, [id])).rowCount,
        }));
        await restored(false, async (engine) => assert.deepEqual(await userRows(engine, coOwner.userId), { users: 1, sessions: 2, memberships: 2 }));
        await restored(true, async (engine) => {
            assert.deepEqual(await userRows(engine, coOwner.userId), { users: 0, sessions: 0, memberships: 0 });
            assert.deepEqual(await userRows(engine, owner.userId), { users: 1, sessions: 1, memberships: 1 });
        });
    });
});
//# sourceMappingURL=account-deletion.test.js.map